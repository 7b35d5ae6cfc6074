"""A throwaway IMAP server inside this process, for `debriefer demo`.

pymap's in-memory backend serves real IMAP (IDLE, APPEND, SEARCH, partial
FETCH) on 127.0.0.1 with nothing installed but a Python package, so the demo
runs the daemon's real code path on any machine.  Everything it holds is gone
when it stops.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from argparse import Namespace
from contextlib import AsyncExitStack

from daemon.errors import UserError

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class EmbeddedImap:
    """pymap on a background thread with its own event loop, serving one user."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self.host = HOST
        self.port = _free_port()
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, timeout: float = 10.0) -> EmbeddedImap:
        try:
            import pymap  # noqa: F401 - only to give a clear error when it is missing
        except ImportError:
            raise UserError(
                "the demo needs pymap, an embedded IMAP server: pip install 'debriefer[demo]'"
            ) from None
        self._thread = threading.Thread(target=self._run, name="embedded-imap", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            raise UserError(f"the embedded IMAP server did not start: {self._error}")
        return self

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start() and stop()
            self._error = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        from pymap.backend.dict import DictBackend
        from pymap.imap import IMAPService
        from pysasl.hashing import Cleartext

        args = Namespace(
            debug=False,
            host=self.host,
            port=self.port,
            cert=None,
            key=None,
            tls=False,
            passlib_cfg=None,
            proxy_protocol=None,
            inherited_sockets=None,
            demo_data=False,
            demo_user=self.user,
            demo_password=self.password,
        )
        # Cleartext: the default hashing costs a tenth of a second per LOGIN.
        self._backend, self._config = await DictBackend.init(
            args, hash_context=Cleartext(), invalid_user_sleep=0.0
        )
        self._stop = asyncio.Event()
        async with AsyncExitStack() as stack:
            await self._backend.start(stack)
            await IMAPService(self._backend, self._config).start(stack)
            self._ready.set()
            await self._stop.wait()
        # Closing the listener leaves sessions open and unserved: end them, as a real
        # server's shutdown would, so no client waits forever.
        current = asyncio.current_task()
        sessions = [task for task in asyncio.all_tasks() if task is not current]
        for task in sessions:
            task.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> EmbeddedImap:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
