#!/usr/bin/env python3
"""Manual check: does a debriefer draft look right in a real mail client?

Starts a throwaway Dovecot (tests/servers/dovecot.py), delivers a German
rejection to a fresh user's INBOX, runs the real daemon (`debriefer run`,
wait "0s") until `debriefer status --json` reports the request "drafted",
then opens the Drafts folder in neomutt inside a private tmux server and
prints what a user would see: the index, and the pager view of the draft.
For threading it copies the rejection and the draft into a scratch folder
("Thread-Check"; the real Drafts is only read) and shows it sorted by thread.

Needs dovecot-imapd, neomutt and tmux (Debian: apt-get install neomutt tmux).
Run from the repository root:  .venv/bin/python scripts/neomutt-check.py
Everything it starts (Dovecot, the daemon, tmux) is stopped at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess  # noqa: TID251 (the ban guards classifiers/ only)
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers.dovecot import Dovecot  # noqa: E402

DEBRIEFER = str(ROOT / ".venv/bin/debriefer")
REJECTION_ID = "<absage-4711@northwind.example>"
SCRATCH = "Thread-Check"
COLS, ROWS = 100, 30
TMUX = shutil.which("tmux") or sys.exit("tmux not found (Debian: apt-get install tmux)")
if not shutil.which("neomutt"):
    sys.exit("neomutt not found (Debian: apt-get install --no-install-recommends neomutt)")


def rejection() -> bytes:
    """A German rejection as a recruiter's mail client would send it (UTF-8, umlauts)."""
    m = EmailMessage()
    m["From"] = "Jordan Reyes <jordan.reyes@northwind.example>"
    m["To"] = "Alex Candidate <alex.candidate@example.net>"
    m["Subject"] = "Ihre Bewerbung als Data Engineer – Rückmeldung"
    m["Date"] = formatdate(time.time() - 600, localtime=True)
    m["Message-ID"] = REJECTION_ID
    m.set_content(
        "Sehr geehrte Frau Candidate,\n\n"
        "vielen Dank für Ihre Bewerbung als Data Engineer bei der Northwind GmbH und\n"
        "das Interesse an unserem Unternehmen.\n\n"
        "Nach sorgfältiger Prüfung müssen wir Ihnen leider mitteilen, dass wir uns für\n"
        "andere Bewerberinnen und Bewerber entschieden haben, deren Profil noch besser\n"
        "zu den Anforderungen der Stelle passt.\n\n"
        "Wir wünschen Ihnen für Ihre berufliche Zukunft alles Gute und viel Erfolg.\n\n"
        "Mit freundlichen Grüßen\nJordan Reyes\nTalent Acquisition, Northwind GmbH\n"
    )
    return m.as_bytes()


def wait_until(check, what: str, timeout: float = 30.0, last=lambda: ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}\n{last()}")


def drafted(config: Path, env: dict) -> dict | None:
    out = subprocess.run(
        [DEBRIEFER, "status", "--json", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    ).stdout
    actions = json.loads(out)["actions"] if out.strip() else []
    return next((a for a in actions if a["state"] == "drafted"), None)


class Screen:
    """neomutt in a detached pane of a private tmux server (own socket, own size)."""

    def __init__(self, work: Path) -> None:
        self.work, self.n = work, 0
        self.sock = str(work / "tmux0.sock")

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            [TMUX, "-u", "-S", self.sock, *args], capture_output=True, text=True, check=False
        ).stdout

    def capture(self) -> str:
        return "\n".join(line.rstrip() for line in self.tmux("capture-pane", "-p").splitlines())

    def open(self, muttrc: Path, url: str, ready: str) -> str:
        """Start neomutt read-only (-R) on a folder; return the screen once `ready` shows."""
        self.n += 1  # a fresh tmux server (socket) per neomutt: kill-server is not instant
        self.sock = str(self.work / f"tmux{self.n}.sock")
        cmd = f"neomutt -n -R -F {muttrc} -f '{url}'"
        self.tmux(
            "new-session",
            "-d",
            "-c",  # run in the scratch dir, so nothing neomutt writes lands in the repo
            str(self.work),
            "-s",
            f"nm{self.n}",
            "-x",
            str(COLS),
            "-y",
            str(ROWS),
            "-e",
            "TERM=xterm-256color",
            "-e",
            "LANG=C.UTF-8",
            "-e",
            "LC_ALL=C.UTF-8",
            cmd,
        )
        return self.until(ready)

    def until(self, ready: str) -> str:
        """The screen, as soon as it contains `ready` (the last screen is shown on timeout)."""
        return wait_until(
            lambda: ready in (s := self.capture()) and s, repr(ready), 15, self.capture
        )

    def keys(self, keys: str, ready: str) -> str:
        self.tmux("send-keys", keys)
        return self.until(ready)

    def close(self) -> None:
        self.tmux("kill-server")


def show(title: str, screen: str) -> None:
    print(f"\n===== {title} " + "=" * (COLS - 8 - len(title)))
    print(screen)
    print("=" * COLS)


def main() -> None:
    dovecot = Dovecot()  # makes its /tmp/dvc-* directory; cleanup() removes it
    work = Path(tempfile.mkdtemp(prefix="nmcheck-"))
    daemon, log, screen = None, (work / "daemon.log").open("wb"), Screen(work)
    try:
        dovecot.start()
        user = dovecot.new_user("alex")
        dovecot.append(user, rejection())

        # The daemon exactly as a user runs it, with a config like the integration tests'.
        config = work / "config.toml"
        config.write_text(
            '[identity]\nname = "Alex Candidate"\nemail = "alex.candidate@example.net"\n\n'
            f'[[accounts]]\nname = "check"\nhost = "127.0.0.1"\nport = {dovecot.imap_port}\n'
            f'security = "none"\nusername = "{user.name}"\npassword_env = "NMCHECK_PASSWORD"\n\n'
            f'[policy]\nwait = "0s"\nlookback = "30d"\n\n[state]\npath = "{work / "state.db"}"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "NMCHECK_PASSWORD": user.password}
        daemon = subprocess.Popen(
            [DEBRIEFER, "run", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        action = wait_until(lambda: drafted(config, env), 'action state "drafted"')
        daemon.send_signal(signal.SIGTERM)
        print(
            f"daemon: action drafted, message id {action['message_id']}; "
            f"exit code after SIGTERM {daemon.wait(timeout=15)}"
        )

        # Scratch folder with the rejection and a copy of the draft; Drafts is only EXAMINEd.
        with dovecot.client(user) as imap:
            raw = {}
            for folder in ("INBOX", "Drafts"):
                imap.select_folder(folder, readonly=True)
                (uid,) = imap.search("ALL")
                raw[folder] = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
            imap.create_folder(SCRATCH)
            imap.append(SCRATCH, raw["INBOX"])
            imap.append(SCRATCH, raw["Drafts"], flags=(b"\\Draft", b"\\Seen"))
        print("\n----- raw draft headers (from IMAP) -----")
        print(raw["Drafts"].split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"))

        # A bare neomutt: no system or user config (-n -F FILE), plain IMAP on loopback.
        base = f"imap://{user.name}@127.0.0.1:{dovecot.imap_port}"
        muttrc = work / "muttrc"
        muttrc.write_text(
            f'set imap_user="{user.name}" imap_pass="{user.password}"\n'
            f'set folder="{base}" spoolfile="+INBOX" postponed="+Drafts" record=""\n'
            "set ssl_starttls=no ssl_force_tls=no imap_check_subscribed=no\n"
            "set charset=utf-8 sort=threads sort_aux=date-sent strict_threads=no\n"
            # No caches: an unquoted empty value would swallow the next word as the value.
            'set header_cache="" message_cachedir="" mail_check_stats=no sleep_time=0\n'
            "set pager_index_lines=0 pager_stop=yes markers=no date_format='%Y-%m-%d %H:%M'\n"
            "set index_format='%4C %Z %D %-22.22L %s'\n"  # %L: To for own mail, From otherwise
            'set from="alex.candidate@example.net" realname="Alex Candidate"\n'
            "ignore *\nunignore from to cc subject date message-id in-reply-to references\n"
            "hdr_order from to cc subject date message-id in-reply-to references\n"
        )
        show("Drafts: index", screen.open(muttrc, f"{base}/Drafts", "Msgs:1"))
        show("Drafts: pager", screen.keys("Enter", "Mit freundlichen"))
        screen.close()
        show(f"{SCRATCH} (sort=threads): index", screen.open(muttrc, f"{base}/{SCRATCH}", "Msgs:2"))
    finally:
        screen.close()
        if daemon is not None and daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        log.close()
        dovecot.cleanup()  # stops every process of the instance and removes /tmp/dvc-*
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
