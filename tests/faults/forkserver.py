"""Starts `debriefer run` by fork from a process that has already imported it.

The crash test kills the daemon a thousand times per mode; started afresh,
each run would spend 0.4 s importing before it could do anything worth
killing.  This server imports the daemon and loads the classifier once, then
on each request forks a child that runs ``debriefer -v run --config PATH``
exactly as the command line would, with stdout and stderr appended to a log.
The child is a real process the test SIGKILLs; only the imports are shared.

Protocol, one line each way on stdin/stdout:
``start CONFIG LOG VERBOSITY`` -> pid; ``signal PID SIGNUM`` -> "ok"; ``wait PID TIMEOUT``
-> the exit status, or "alive" if it is still running after TIMEOUT seconds.
"""

from __future__ import annotations

import os
import signal
import sys
import time


def _prepare() -> None:
    """Everything a run would import, and the classifier's first (lazy) load."""
    import daemon.cli
    import daemon.cli.run
    import daemon.running.outbox
    import daemon.running.supervisor  # noqa: F401
    from classifiers import classify

    classify(b"From: a@b.example\r\nSubject: hello\r\n\r\nhello\r\n")


def _child(config: str, log: str, verbose: str) -> None:
    from daemon.cli import main

    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    code = 1
    try:
        code = main([verbose, "run", "--config", config])
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _wait(pid: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return str(os.waitstatus_to_exitcode(status))
        if time.monotonic() >= deadline:
            return "alive"
        time.sleep(0.005)


def serve() -> None:
    _prepare()
    print("ready", flush=True)
    for line in sys.stdin:
        verb, *args = line.split()
        if verb == "start":
            pid = os.fork()
            if pid == 0:
                _child(*args)
            print(pid, flush=True)
        elif verb == "signal":
            os.kill(int(args[0]), int(args[1]))
            print("ok", flush=True)
        elif verb == "wait":
            print(_wait(int(args[0]), float(args[1])), flush=True)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve()
