"""Shared helpers: build messages from plain strings, as a mail client would send them."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formataddr

import pytest

USER = "alex.candidate@example.net"

MakeMail = Callable[..., bytes]


def build_mail(
    subject: str,
    body: str,
    *,
    sender: tuple[str, str] = ("Jordan Reyes", "jordan.reyes@northwind.example"),
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr(sender)
    message["To"] = formataddr(("Alex Candidate", USER))
    message["Subject"] = subject
    message["Message-ID"] = "<test-1@northwind.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    if body:
        message.set_content(body)
    if html is not None:
        if body:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    return message.as_bytes()


@pytest.fixture
def make_mail() -> MakeMail:
    return build_mail
