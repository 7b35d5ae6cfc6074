"""What debriefer knows of common mail providers: the IMAP server of an address's domain,
the security a port implies, and what a user must know to log in there (an app
password, OAuth2)."""

from __future__ import annotations

from dataclasses import dataclass

from daemon.config import IMAP_PORTS, is_loopback


@dataclass(frozen=True)
class Provider:
    host: str
    hint: str = ""
    oauth2: bool = False  # basic authentication is switched off there
    port: int | None = None  # when not the usual one for ``security``
    security: str = "tls"


_GMAIL = Provider(
    "imap.gmail.com",
    "Gmail: turn on 2-step verification, then make an app password"
    " (myaccount.google.com/apppasswords) and give debriefer that, not your Google password.",
)
_MICROSOFT = Provider(
    "outlook.office365.com",
    "Outlook / Microsoft 365 take no passwords over IMAP: debriefer logs in with an OAuth2"
    " access token (auth = oauth2) that your password_command prints; see the README.",
    oauth2=True,
)
_FASTMAIL = Provider(
    "imap.fastmail.com",
    "Fastmail: make an app password with IMAP access (Settings, Privacy & Security).",
)
_ICLOUD = Provider("imap.mail.me.com", "iCloud: use an app-specific password.")
_YAHOO = Provider("imap.mail.yahoo.com", "Yahoo: use an app password.")
_PROTON = Provider(
    "127.0.0.1",
    "Proton Mail: debriefer talks to Proton Mail Bridge, which serves IMAP on 127.0.0.1"
    " port 1143 with STARTTLS; give it the Bridge's certificate with --ca-file.",
    port=1143,
    security="starttls",
)
_DOMAINS: dict[Provider, tuple[str, ...]] = {
    _GMAIL: ("gmail.com", "googlemail.com"),
    _MICROSOFT: (
        *(
            f"{name}.{tld}"
            for name in ("outlook", "hotmail", "live")
            for tld in ("com", "de", "fr", "es", "nl", "be", "it", "co.uk")
        ),
        "msn.com",
        "passport.com",
    ),
    _FASTMAIL: ("fastmail.com", "fastmail.fm"),
    _ICLOUD: ("icloud.com", "me.com", "mac.com"),
    _YAHOO: ("yahoo.com", "yahoo.de", "yahoo.fr", "yahoo.es", "yahoo.co.uk", "ymail.com"),
    _PROTON: ("proton.me", "protonmail.com", "protonmail.ch", "pm.me"),
    Provider("imap.gmx.net"): ("gmx.de", "gmx.net", "gmx.at", "gmx.ch"),
    Provider("imap.web.de"): ("web.de",),
    Provider("posteo.de"): ("posteo.de", "posteo.net"),
    Provider("imap.mailbox.org"): ("mailbox.org",),
}
# Where the big providers keep IMAP, so most people only type their address.
PROVIDERS: dict[str, Provider] = {
    domain: provider for provider, domains in _DOMAINS.items() for domain in domains
}


def provider_of(email: str) -> Provider | None:
    return PROVIDERS.get(email.rpartition("@")[2].lower())


def guess_host(email: str) -> str:
    provider = provider_of(email)
    return provider.host if provider else f"imap.{email.rpartition('@')[2].lower()}"


def guess_security(port: int | None, host: str) -> str:
    """993 is IMAP over TLS everywhere; any other port is STARTTLS unless it is a
    local bridge, which usually speaks plain text on loopback."""
    if port is None or port == IMAP_PORTS["tls"]:
        return "tls"
    return "none" if is_loopback(host) and port != IMAP_PORTS["starttls"] else "starttls"
