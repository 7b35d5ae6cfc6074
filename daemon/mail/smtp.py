"""SMTP for send mode: the client, the login, the TLS context, and which failures
prove the mail did not go out (so the outbox may say "not sent" rather than "may
have been sent")."""

from __future__ import annotations

import ssl

import aiosmtplib

from daemon.config import SmtpConfig, is_loopback
from daemon.errors import UserError

SMTP_TIMEOUT = 60.0
# Errors after which the server surely did not take the message.  A certificate that
# fails verification fails the TLS handshake, before MAIL FROM: aiosmtplib reports it
# as SMTPConnectError for implicit TLS, but raises the ssl error itself for STARTTLS.
NOT_SENT = (
    ssl.SSLCertVerificationError,
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPAuthenticationError,
    aiosmtplib.SMTPSenderRefused,
    aiosmtplib.SMTPRecipientsRefused,
    aiosmtplib.SMTPDataError,
    aiosmtplib.SMTPNotSupported,
)


def smtp_client(smtp: SmtpConfig, context: ssl.SSLContext | None) -> aiosmtplib.SMTP:
    """Not yet connected: ``async with`` it, then ``smtp_login``."""
    return aiosmtplib.SMTP(
        hostname=smtp.host,
        port=smtp.port,
        use_tls=smtp.security == "tls",
        start_tls=smtp.security == "starttls",
        tls_context=context,
        timeout=SMTP_TIMEOUT,
    )


async def smtp_login(client: aiosmtplib.SMTP, smtp: SmtpConfig, password: str) -> None:
    """Over TLS we always log in; a plain loopback relay may not offer AUTH at all, and
    logs in when it does (a local bridge).  Which it is, only EHLO tells."""
    if smtp.security == "none":
        if client.is_ehlo_or_helo_needed:
            await client.ehlo()
        if not client.supports_extension("auth"):
            return
    if smtp.auth == "oauth2":
        await client.auth_xoauth2(smtp.username, password)
    else:
        await client.login(smtp.username, password)


def smtp_tls_context(smtp: SmtpConfig) -> ssl.SSLContext | None:
    if smtp.security == "none":
        if not is_loopback(smtp.host):
            raise UserError("plain SMTP is allowed only to a loopback host")
        return None
    context = ssl.create_default_context()
    if smtp.ca_file:
        context.load_verify_locations(cafile=str(smtp.ca_file))
    return context
