"""Crash anywhere: `debriefer run` is SIGKILLed at random moments, a thousand times a mode.

A stream of rejections from 50 contacts (some rejected twice, some messages
delivered twice) and a little ordinary mail arrives in a real Dovecot while
a real daemon process is killed after random delays and restarted at once
(forked from a process that has done the imports, see forkserver.py, so a run
is at work within milliseconds and a thousand kills fit in three minutes).
Then it runs clean to the end, and we count what a user would see: drafts in
Drafts by Message-ID and by recipient, mails at the SMTP server, copies in
Sent.  Every contact must have exactly one feedback request (in send mode:
one send, or at worst a draft marked MAY HAVE BEEN SENT, never two sends),
and the state must pass SQLite's integrity check.
"""

from __future__ import annotations

import email
import random
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from tests.servers.dovecot import Dovecot, MailUser
from tests.servers.smtp import SmtpServer

from .conftest import Figures
from .support import (
    PENDING,
    Contact,
    DaemonProcess,
    actions,
    address_of,
    contacts,
    daemon_process,
    drafts,
    environment,
    integrity,
    messages,
    ordinary,
    query,
    rejection,
    sent,
    smtp_section,
    state_path,
    wait_for,
    write_config,
)

pytestmark = [pytest.mark.fault, pytest.mark.dovecot]

CONTACTS = 50
KILLS = 1000
MAX_DELAY = 0.3  # seconds a run lives before its SIGKILL, at most
TARGETED = 1 / 3  # the share of runs killed just after an action was reserved
TWICE_REJECTED = 12  # contacts who send a second, different rejection
DELIVERED_TWICE = 12  # messages the server delivers a second time, byte for byte
ORDINARY = 8
# Deliveries are spread over roughly this many kills, so mail keeps arriving
# while runs start, catch up, draft and die.
FEED_OVER_KILLS = 700
MAY_HAVE_BEEN_SENT = "MAY HAVE BEEN SENT"


def mail_stream(rng: random.Random, people: list[Contact]) -> list[bytes]:
    """Every contact's rejection, the second ones, the duplicates and ordinary mail, shuffled."""
    stream = [rejection(c, f"{n}a", variant=n) for n, c in enumerate(people)]
    stream += [
        rejection(c, f"{n}b", variant=n + 1)
        for n, c in enumerate(rng.sample(people, TWICE_REJECTED))
    ]
    stream += [ordinary(str(n)) for n in range(ORDINARY)]
    stream += rng.sample(stream, DELIVERED_TWICE)
    rng.shuffle(stream)
    return stream


class Feeder(threading.Thread):
    """Delivers the stream at random moments while the kill loop runs."""

    def __init__(
        self, dovecot: Dovecot, user: MailUser, stream: list[bytes], span: float, seed: int
    ) -> None:
        super().__init__(name="feeder", daemon=True)
        self.dovecot, self.user, self.stream, self.span = dovecot, user, stream, span
        self.rng = random.Random(seed)  # noqa: S311 - a test schedule
        self.last_uid = 0
        self.error: BaseException | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        pause = self.span / len(self.stream)
        try:
            for raw in self.stream:
                if self.stop.wait(self.rng.uniform(0, 2 * pause)):
                    return
                self.last_uid = max(self.last_uid, self.dovecot.append(self.user, raw))
        except BaseException as exc:  # reported by the test thread
            self.error = exc


def half_done(db: Path) -> int:
    """How many actions are reserved but not confirmed (drafting, sending) right now."""
    marks = ",".join("?" * len(PENDING[1:]))
    found = query(
        db,
        f"SELECT COUNT(*) AS n FROM actions WHERE state IN ({marks})",  # noqa: S608 - placeholders only
        *PENDING[1:],
    )
    return int(found[0]["n"]) if found else 0


def lifetime(db: Path, rng: random.Random) -> None:
    """Let a run live until its kill: a random while, or (one run in three) until an
    action is half done, then a few milliseconds more, so the kills also land on the
    narrow windows between reserving, acting and confirming."""
    deadline = time.monotonic() + rng.uniform(0, MAX_DELAY)
    if rng.random() < TARGETED:
        while time.monotonic() < deadline and not half_done(db):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.03))
        return
    time.sleep(max(0.0, deadline - time.monotonic()))


def kill_loop(daemon: DaemonProcess, feeder: Feeder, db: Path, rng: random.Random) -> Counter:
    """Start, wait a random moment, SIGKILL; again until enough kills and all mail is in."""
    seen: Counter[str] = Counter()
    feeder.start()
    try:
        while seen["kills"] < KILLS or feeder.is_alive():
            daemon.start()
            lifetime(db, rng)
            if not daemon.alive():
                pytest.fail(f"the daemon exited by itself:\n{daemon.output()[-3000:]}")
            daemon.kill()
            seen["kills"] += 1
            seen["kills_mid_action"] += bool(half_done(db))
    finally:
        feeder.stop.set()
        feeder.join()
    if feeder.error is not None:
        raise feeder.error
    return seen


def message_id(raw: bytes) -> str | None:
    return email.message_from_bytes(raw)["Message-ID"]


def message_ids(stream: list[bytes]) -> set[str]:
    return {message_id(raw) or "" for raw in stream}


def run_to_completion(
    daemon: DaemonProcess, db: Path, stream: list[bytes], last_uid: int
) -> list[dict]:
    """One clean run until the inbox is read to its last UID, every message is recorded
    and nothing is pending; then SIGTERM.  (A copy of a message that was recorded
    before a kill interrupted the first full scan is recognised by its Message-ID
    and not recorded again: so we wait for every Message-ID, not every copy.)"""
    daemon.start()

    def finished() -> list[dict] | None:
        found = actions(db)
        requests = [a for a in found if a["kind"] == "request"]
        position = query(db, "SELECT last_uid FROM folders")
        if (
            position
            and position[0]["last_uid"] >= last_uid
            and {r["message_id"] for r in messages(db)} >= message_ids(stream)
            and len(requests) == CONTACTS
            and not any(a["state"] in PENDING for a in found)
        ):
            return found
        return None

    result = wait_for(finished, "every message recorded and every request finished", 180)
    time.sleep(3)  # a grace period in which a confused daemon could still draft or send twice
    assert daemon.stop() == 0, daemon.output()[-3000:]
    return result


@pytest.mark.parametrize("mode", ["draft", "send"])
def test_sigkill_anywhere_loses_nothing_and_doubles_nothing(
    dovecot: Dovecot, tmp_path: Path, figures: Figures, mode: str
) -> None:
    seed = random.randrange(2**32)  # noqa: S311 - a test schedule
    print(f"seed {seed}")  # shown with a failure: the same schedule can be replayed
    rng = random.Random(seed)  # noqa: S311
    people = contacts(CONTACTS)
    stream = mail_stream(rng, people)
    user = dovecot.new_user("crash")
    env = environment(DEBRIEFER_FAULT_PASSWORD=user.password)
    smtp: SmtpServer | None = None
    extra = ""
    if mode == "send":
        smtp = SmtpServer("starttls")
        smtp.start()
        env["DEBRIEFER_FAULT_SMTP_PASSWORD"] = smtp.password
        extra = smtp_section(smtp.port, smtp.username, security="starttls", ca=smtp.ca_file)
    policy = 'wait = "1s"' + ('\nmode = "send"' if mode == "send" else "")
    config = write_config(tmp_path, port=dovecot.imap_port, user=user, policy=policy, extra=extra)
    db = state_path(config)
    try:
        with daemon_process(config, tmp_path / "daemon.log", env, forked=True) as daemon:
            span = FEED_OVER_KILLS * MAX_DELAY / 2
            feeder = Feeder(dovecot, user, stream, span, rng.randrange(2**32))
            seen = kill_loop(daemon, feeder, db, rng)
            final = run_to_completion(daemon, db, stream, feeder.last_uid)
            log = daemon.output()
            starts = daemon.starts
        deliveries = list(smtp.messages) if smtp else []
    finally:
        if smtp is not None:
            smtp.cleanup()

    figures["kills"] += seen["kills"]
    figures["kills_mid_action"] += seen["kills_mid_action"]
    figures["restarts"] += starts
    figures["contacts"] += CONTACTS
    assert seen["kills"] >= KILLS
    assert integrity(db) == "ok"
    assert "Traceback" not in log, log[log.index("Traceback") - 2000 :][:6000]

    # The state: every message once, one finished request per contact, none lost.
    rows = messages(db)
    assert {r["message_id"] for r in rows} == message_ids(stream)
    assert len(rows) <= len(stream)
    assert len({(r["uidvalidity"], r["uid"]) for r in rows}) == len(rows)
    assert all(r["error"] is None for r in rows), [r for r in rows if r["error"]]
    requests = {a["to_email"]: a for a in final if a["kind"] == "request"}
    assert set(requests) == {c.email for c in people}
    assert len([a for a in final if a["kind"] == "request"]) == CONTACTS

    found_drafts = drafts(dovecot, user)
    copies_in_sent = sent(dovecot, user)
    by_id = Counter(d["Message-ID"] for d in found_drafts)
    assert all(n == 1 for n in by_id.values()), by_id.most_common(3)
    drafts_to: dict[str | None, list] = defaultdict(list)
    for draft in found_drafts:
        drafts_to[address_of(draft["To"])].append(draft)
    sends_to: dict[str, list] = defaultdict(list)
    for delivery in deliveries:
        for rcpt in delivery.rcpt_tos:
            sends_to[rcpt.lower()].append(delivery)
    assert set(drafts_to) | set(sends_to) <= set(requests), "mail to someone who is no contact"

    duplicates = losses = 0
    for person in people:
        action = requests[person.email]
        made = drafts_to.get(person.email, [])
        sends = sends_to.get(person.email, [])
        uncertain = action["detail"].startswith(MAY_HAVE_BEEN_SENT)
        # Two sends, two drafts, or a plain draft for a mail that went out: all twice.
        duplicates += max(0, len(sends) - 1) + max(0, len(made) - 1)
        duplicates += bool(sends and made and not uncertain)
        losses += not sends and not made
        if action["state"] == "sent":
            assert len(sends) == 1, action
            assert not made, action
            assert message_id(sends[0].data) == action["message_id"]
        else:
            assert action["state"] == "drafted", action
            assert [d["Message-ID"] for d in made] == [action["message_id"]], action
            if mode == "send":
                assert uncertain or action["detail"].startswith("not sent"), action
    sent_ids = Counter(m["Message-ID"] for m in copies_in_sent)
    duplicates += sum(n - 1 for n in sent_ids.values())
    figures["uncertain_sends"] += sum(
        a["detail"].startswith(MAY_HAVE_BEEN_SENT) for a in requests.values()
    )
    figures["duplicates"] += duplicates
    figures["losses"] += losses
    assert duplicates == 0
    assert losses == 0
    if mode == "draft":
        assert deliveries == []
        assert copies_in_sent == []
        assert len(found_drafts) == CONTACTS
