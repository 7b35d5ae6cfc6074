"""Network faults: a proxy between the daemon and Dovecot (and the SMTP server)
cuts, stalls and slows connections at named protocol moments.

Each scenario runs the same small mailbox (three contacts, one of them
delivered twice, and an ordinary message; two messages there before the start,
three arriving while the daemon idles) with one kind of fault armed, and must
end as the faultless run ends: the same verdicts, one finished request per
contact, one draft each in draft mode.  In send mode a cut inside DATA, or
just before the server's "250", must never lead to a second send: the request
becomes a draft marked MAY HAVE BEEN SENT, which is the outbox's contract.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from imapclient import IMAPClient

from daemon.config import load_config
from daemon.mail.imap import idle_check
from tests.servers.dovecot import Dovecot, MailUser
from tests.servers.proxy import Fault, Proxy
from tests.servers.smtp import SmtpServer
from tests.support import idle, running

from .conftest import Figures
from .support import (
    PENDING,
    actions,
    address_of,
    contacts,
    drafts,
    messages,
    ordinary,
    rejection,
    smtp_section,
    state_path,
    wait_for,
    write_config,
)

pytestmark = [pytest.mark.fault, pytest.mark.dovecot]

PEOPLE = contacts(3)
# A failed action is retried after the outbox's RETRY_BASE (a minute), so a fault
# inside an APPEND takes that long to mend: the ceiling leaves room for it.
FINISH_WITHIN = 150.0
MAY_HAVE_BEEN_SENT = "MAY HAVE BEEN SENT"


def before_start() -> list[bytes]:
    return [rejection(PEOPLE[0], "net-0"), ordinary("net")]


def while_idle() -> list[bytes]:
    return [
        rejection(PEOPLE[1], "net-1"),
        rejection(PEOPLE[0], "net-0"),
        rejection(PEOPLE[2], "net-2"),
    ]


@dataclass
class Scenario:
    """Faults armed on the IMAP proxy and the SMTP proxy before the daemon starts (made
    afresh for each run: a fault is used up when it fires)."""

    imap: Callable[[], list[Fault]] = list
    smtp: Callable[[], list[Fault]] = list
    # Armed once the daemon idles, before the rest of the mail arrives: for the catch-up.
    imap_later: Callable[[], list[Fault]] = list
    delay: float = 0.0
    send: bool = False


SCENARIOS: dict[str, Scenario] = {
    # The server's answer to the body FETCH ends 200 bytes into the message literal:
    # in the first full scan, and again in a catch-up while idling.
    "cut mid-FETCH": Scenario(
        imap=lambda: [Fault("down", b"BODY[]<0> {", at=200)],
        imap_later=lambda: [Fault("down", b"BODY[]<0> {", at=200)],
    ),
    "stall mid-FETCH": Scenario(
        imap=lambda: [Fault("down", b"BODY[]<0> {", at=200, action="stall", stall_for=3)]
    ),
    # Right after "+ idling": the daemon sits in IDLE on a connection that is gone.
    "cut mid-IDLE": Scenario(imap=lambda: [Fault("down", b"+ idling", at=len(b"+ idling\r\n"))]),
    # One APPEND dies inside its literal (no draft), the next one after the draft
    # landed but before the tagged OK reached us (a draft the daemon does not know of).
    "cut mid-APPEND": Scenario(
        imap=lambda: [
            Fault("up", b"APPEND ", at=300),
            Fault("down", b"OK [APPENDUID", at=0),
        ]
    ),
    "stall mid-APPEND": Scenario(
        imap=lambda: [Fault("up", b"APPEND ", at=300, action="stall", stall_for=3)]
    ),
    "slow network": Scenario(delay=0.02),
    # Send mode: the message is cut off inside DATA (never delivered), or delivered
    # but the "250" never arrives (delivered, and we cannot know).
    "cut mid-DATA": Scenario(send=True, smtp=lambda: [Fault("up", b"DATA\r\n", at=400)]),
    "cut before the 250 after DATA": Scenario(
        send=True, smtp=lambda: [Fault("down", b"250 OK: queued", at=0)]
    ),
    "stall mid-DATA": Scenario(
        send=True,
        smtp=lambda: [Fault("up", b"DATA\r\n", at=400, action="stall", stall_for=3)],
    ),
}


@dataclass
class Outcome:
    verdicts: list[tuple]
    requests: dict[str, dict]
    drafts_to: Counter[str | None]
    draft_ids: Counter[str]
    sends_to: Counter[str]


def verdicts(db: Path) -> list[tuple]:
    """What was decided per message, without times: comparable across runs."""
    return sorted(
        (r["message_id"], r["label"], r["confidence"], r["language"], r["contact_email"])
        for r in messages(db)
    )


def run_scenario(
    scenario: Scenario,
    dovecot: Dovecot,
    smtp: SmtpServer,
    directory: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Outcome, list[Fault]]:
    """Run the mailbox through the daemon with the scenario's faults: what came of it,
    and the faults that were armed."""
    user: MailUser = dovecot.new_user("net")
    monkeypatch.setenv("DEBRIEFER_FAULT_PASSWORD", user.password)
    monkeypatch.setenv("DEBRIEFER_FAULT_SMTP_PASSWORD", smtp.password)
    for raw in before_start():
        dovecot.append(user, raw)
    with Proxy(dovecot.host, dovecot.imap_port) as imap, Proxy(smtp.host, smtp.port) as relay:
        imap.delay = relay.delay = scenario.delay
        armed = [imap.arm(f) for f in scenario.imap()]
        armed += [relay.arm(f) for f in scenario.smtp()]
        policy = 'wait = "1s"' + ('\nmode = "send"' if scenario.send else "")
        extra = smtp_section(relay.port, smtp.username) if scenario.send else ""
        path = write_config(directory, port=imap.port, user=user, policy=policy, extra=extra)
        config = load_config(path)
        db = state_path(path)
        with running(config):
            idle(config)
            armed += [imap.arm(f) for f in scenario.imap_later()]
            for raw in while_idle():
                dovecot.append(user, raw)
            wait_for(lambda: finished(db), "every message and request done", FINISH_WITHIN)
    found = drafts(dovecot, user)
    outcome = Outcome(
        verdicts=verdicts(db),
        requests={a["to_email"]: a for a in actions(db) if a["kind"] == "request"},
        drafts_to=Counter(address_of(d["To"]) for d in found),
        draft_ids=Counter(d["Message-ID"] for d in found),
        sends_to=Counter(rcpt.lower() for m in smtp.messages for rcpt in m.rcpt_tos),
    )
    return outcome, armed


def finished(db: Path) -> bool:
    found = [a for a in actions(db) if a["kind"] == "request"]
    return (
        len(messages(db)) == len(before_start()) + len(while_idle())
        and len(found) == len(PEOPLE)
        and not any(a["state"] in PENDING for a in found)
    )


@pytest.fixture(scope="module")
def baselines() -> dict[bool, Outcome]:
    """The faultless outcome per mode, filled by the first test that needs it."""
    return {}


def baseline(
    send: bool,
    baselines: dict[bool, Outcome],
    dovecot: Dovecot,
    smtp: SmtpServer,
    directory: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Outcome:
    if send not in baselines:
        outcome, armed = run_scenario(Scenario(send=send), dovecot, smtp, directory, monkeypatch)
        assert armed == []
        baselines[send] = outcome
    return baselines[send]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_daemon_recovers_and_the_outcome_is_as_without_faults(
    name: str,
    dovecot: Dovecot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    figures: Figures,
    baselines: dict[bool, Outcome],
) -> None:
    scenario = SCENARIOS[name]
    with SmtpServer("none") as clean_smtp:
        (tmp_path / "baseline").mkdir()
        expected = baseline(
            scenario.send, baselines, dovecot, clean_smtp, tmp_path / "baseline", monkeypatch
        )
    with SmtpServer("none") as smtp:
        (tmp_path / "faults").mkdir()
        outcome, armed = run_scenario(scenario, dovecot, smtp, tmp_path / "faults", monkeypatch)

    assert all(f.fired.is_set() for f in armed), "a fault never fired: nothing was tested"
    injected = sum(f.hits for f in armed) + (scenario.delay > 0)
    figures["faults"] += injected
    figures[f"fault:{name}"] += injected

    assert outcome.verdicts == expected.verdicts
    assert set(outcome.requests) == {p.email for p in PEOPLE}
    assert all(n == 1 for n in outcome.draft_ids.values()), outcome.draft_ids
    duplicates = sum(n - 1 for n in outcome.drafts_to.values() if n > 1)
    duplicates += sum(n - 1 for n in outcome.sends_to.values() if n > 1)
    losses = sum(
        1 for p in PEOPLE if not outcome.drafts_to[p.email] and not outcome.sends_to[p.email]
    )
    figures["duplicates"] += duplicates
    figures["losses"] += losses
    assert duplicates == 0
    assert losses == 0
    if not scenario.send:
        assert outcome.drafts_to == expected.drafts_to == Counter(p.email for p in PEOPLE)
        assert all(a["state"] == "drafted" for a in outcome.requests.values())
        return
    # Send mode: each request went out once, or became a MAY HAVE BEEN SENT draft.
    assert expected.sends_to == Counter(p.email for p in PEOPLE)
    uncertain = {
        to for to, a in outcome.requests.items() if a["detail"].startswith(MAY_HAVE_BEEN_SENT)
    }
    delivered = "250" in name  # the cut came after the server took the message
    assert len(uncertain) == (0 if "stall" in name else 1), outcome.requests
    for to, action in outcome.requests.items():
        if to in uncertain:
            assert action["state"] == "drafted"
            assert outcome.drafts_to[to] == 1
            # Cut inside DATA: the server never took it.  Cut before the 250: it did.
            assert outcome.sends_to[to] == (1 if delivered else 0)
        else:
            assert action["state"] == "sent", action
            assert outcome.sends_to[to] == 1
            assert outcome.drafts_to[to] == 0


def test_a_line_that_arrives_in_two_pieces_during_idle_is_read_whole(
    dovecot: Dovecot, figures: Figures
) -> None:
    """The server's first line after the IDLE continuation stops after "* 1" for half
    a second.  imapclient's own idle_check reads it from a non-blocking socket and
    aborts the session ("unterminated line", a reconnect in the daemon); imap.idle_check
    waits for the rest of the line."""
    user = dovecot.new_user("split")
    with Proxy(dovecot.host, dovecot.imap_port) as proxy:
        split = proxy.arm(
            Fault("down", b"+ idling", at=len(b"+ idling\r\n* 1"), action="stall", stall_for=0.5)
        )
        client = IMAPClient("127.0.0.1", proxy.port, ssl=False, timeout=10)
        try:
            client.login(user.name, user.password)
            client.select_folder("INBOX", readonly=True)
            client.idle()
            dovecot.append(user, rejection(PEOPLE[0], "split-0"))
            responses: list[tuple] = []
            deadline = time.monotonic() + 10
            while not responses and time.monotonic() < deadline:
                responses = idle_check(client, 1.0)
            client.idle_done()
        finally:
            client.logout()
    assert split.fired.is_set()
    figures["faults"] += split.hits
    figures["fault:line split during IDLE"] += split.hits
    assert (1, b"EXISTS") in responses
