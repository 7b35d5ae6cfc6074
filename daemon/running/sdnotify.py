"""sd_notify(3) with the standard library: tell systemd we are ready, alive, stopping.

Under ``Type=notify`` systemd passes a datagram socket in ``$NOTIFY_SOCKET``
(a path, or an abstract name written with a leading ``@``) and, with
``WatchdogSec=``, the timeout in ``$WATCHDOG_USEC``.  Outside systemd the
variables are unset and every call here does nothing, so the daemon needs no
"am I a service?" switch.  A notification is a courtesy to the service manager:
failing to send one is logged at debug and never stops the daemon.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import logging
import os
import socket

log = logging.getLogger(__name__)


def _address(value: str) -> str | None:
    """The socket address for ``$NOTIFY_SOCKET``, or None for what we cannot reach."""
    if value.startswith("@"):  # Linux abstract namespace: a leading NUL byte
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    return None  # vsock:..., or a relative path: not ours to guess at


def notify(*fields: str) -> bool:
    """Send ``READY=1``, ``STATUS=...`` and such as one message; True when it was sent."""
    value = os.environ.get("NOTIFY_SOCKET", "")
    if not value:
        return False
    address = _address(value)
    if address is None:
        log.debug("NOTIFY_SOCKET=%r is not a unix socket; not notifying", value)
        return False
    # A newline would start another field: a STATUS text must stay one line.
    message = "\n".join(field.replace("\n", " ") for field in fields).encode()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message, address)
    except OSError as exc:
        log.debug("sd_notify to %r failed: %s", value, exc)
        return False
    return True


def watchdog_interval() -> float | None:
    """systemd's watchdog timeout in seconds, or None when no watchdog watches us.

    ``$WATCHDOG_PID`` names the process meant to ping; when it is set and is
    not us (a child that inherited the environment), the watchdog is not ours.
    """
    pid = os.environ.get("WATCHDOG_PID", "")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 1_000_000 if usec > 0 else None


async def ping_watchdog(interval: float) -> None:
    """``WATCHDOG=1`` every half ``interval`` until cancelled.

    It runs on the event loop on purpose: a loop that is wedged stops pinging,
    and systemd restarts the service.  It ends the silent one with SIGABRT, so
    faulthandler is switched on to leave every thread's stack in the journal.
    """
    with contextlib.suppress(Exception):  # no usable stderr: no stacks, but still pings
        faulthandler.enable()
    while True:
        notify("WATCHDOG=1")
        await asyncio.sleep(interval / 2)
