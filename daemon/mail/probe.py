"""Try an account the way the daemon will use it, and say in one line what is wrong.

``init`` and ``doctor`` share this: log in, list the folders, find Drafts and
Sent as the outbox would.  Every failure becomes a sentence a person can act
on (wrong password, unknown host, untrusted certificate, wrong port), never a
traceback, and never anything that could hold the password.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass

from imapclient.exceptions import IMAPClientError
from imapclient.imapclient import DRAFTS, SENT

from daemon.config import AccountConfig
from daemon.errors import UserError, describe_failure
from daemon.mail import imap
from daemon.secrets import where_from


@dataclass(frozen=True, slots=True)
class FolderFound:
    """Where drafts (or sent mail) would go, and how debriefer found it."""

    name: str | None
    how: str  # "SPECIAL-USE", "configured", "by its name", or why it is missing


@dataclass(frozen=True, slots=True)
class Probe:
    folders: tuple[str, ...]
    special_use: bool
    inbox_found: bool
    drafts: FolderFound
    sent: FolderFound


def probe_account(account: AccountConfig, password: str) -> Probe:
    """Log in, list folders, find Drafts and Sent; raises UserError with one clear line."""
    try:
        client = imap.connect(account, password)
    except UserError:
        raise
    except Exception as exc:
        problem = connection_problem(account.host, account.port, account.security, exc)
        raise UserError(f"{account.name}: {problem}") from None
    try:
        listing = client.list_folders()
        special_use = client.has_capability("SPECIAL-USE")
    except (IMAPClientError, OSError) as exc:
        raise UserError(
            f"{account.name}: listing the folders failed: {describe_failure(exc)}"
        ) from None
    finally:
        imap.close_quietly(client)
    folders = tuple(name for _flags, _delim, name in listing if isinstance(name, str))
    drafts = _found(listing, DRAFTS, account.drafts, folders)
    sent = _found(listing, SENT, account.sent, folders)
    inbox_found = account.inbox.upper() == "INBOX" or account.inbox in folders
    return Probe(folders, special_use, inbox_found, drafts, sent)


def _found(
    listing: list[tuple[tuple[bytes, ...], bytes | None, str]],
    flag: bytes,
    configured: str | None,
    folders: tuple[str, ...],
) -> FolderFound:
    """As the outbox finds it: configured name, SPECIAL-USE flag, then a common name."""
    if configured:
        if configured in folders:
            return FolderFound(configured, "configured")
        return FolderFound(None, f"configured as {configured!r}, but the server has no such folder")
    for flags, _delimiter, name in listing:
        if flag in flags and isinstance(name, str):
            return FolderFound(name, "SPECIAL-USE")
    named = imap.folder_by_common_name(listing, flag)
    if named:
        return FolderFound(named, "by its name")
    return FolderFound(None, "not found")


def connection_problem(host: str, port: int, security: str, exc: BaseException) -> str:
    """What went wrong connecting, in words; the exception text names no secret."""
    where = f"{host}:{port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"the certificate of {host} is not trusted ({exc.verify_message});"
            " for a self-hosted server, name its CA in ca_file"
        )
    if isinstance(exc, ssl.SSLError):
        other = "starttls" if security == "tls" else "tls"
        return (
            f"TLS with {where} failed ({exc.reason or exc}); is {port} the port for"
            f" security = {security!r}? (try security = {other!r})"
        )
    if isinstance(exc, socket.gaierror):
        return f"unknown host {host!r} (the name does not resolve)"
    if isinstance(exc, ConnectionRefusedError):
        return f"nothing answers at {where} (connection refused): check the host and port"
    if isinstance(exc, TimeoutError):
        hint = "check the host, port and firewall"
        if security != "tls":  # a TLS port waits silently for a handshake that never comes
            hint += f", or whether {port} expects security = 'tls'"
        return f"no answer from {where} within {imap.CONNECT_TIMEOUT:g} s: {hint}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot connect to {where}: {exc.strerror}"
    if isinstance(exc, IMAPClientError) and "STARTTLS" in str(exc).upper():
        return f"{where} does not offer STARTTLS; use security = 'tls' (usually port 993)"
    return f"cannot use {where}: {describe_failure(exc)}"


def session_problem(account: AccountConfig, exc: BaseException, *, connecting: bool = True) -> str:
    """An account's failure in the words doctor uses, for run and scan too: one that kept
    the connection from being made is explained; anything later is shown as itself."""
    starttls = isinstance(exc, IMAPClientError) and "STARTTLS" in str(exc).upper()
    if connecting and (isinstance(exc, OSError) or starttls):
        return connection_problem(account.host, account.port, account.security, exc)
    return describe_failure(exc)


def refused_login(account: AccountConfig) -> str:
    """A refused login in status: whose, and where the password that failed came from."""
    return f"login refused for {account.username}: check {where_from(account.password)}"
