"""Hostile mail: nothing crashes the daemon, no draft carries an injected header,
and the rest of the mailbox is still processed.

Fast properties run the pure code directly under hypothesis (classify on any
bytes, compose on any names and subjects); the end-to-end tests deliver
crafted and generated messages into a real Dovecot INBOX among ordinary
rejections, run `debriefer -vv run`, and parse every draft it made.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import tempfile
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from imapclient.imapclient import DRAFTS

from classifiers import Verdict, classify, from_bytes
from daemon.config import Identity, Policy
from daemon.ledger import Action, Ledger, Recorded, SeenMessage
from daemon.mail.compose import compose
from daemon.mail.imap import wrote_to
from decide.plan import plan
from tests.servers.dovecot import Dovecot
from tests.support import run_debriefer

from .conftest import Figures
from .hostile import INJECTED, REJECTION, crafted, hostile_message, hostile_text
from .support import (
    PENDING,
    actions,
    contacts,
    daemon_process,
    environment,
    messages,
    query,
    raw_folder,
    rejection,
    state_path,
    wait_for,
    write_config,
)

pytestmark = pytest.mark.fault

# What a draft may carry, each at most once: anything else was smuggled in.
DRAFT_HEADERS = {
    "message-id",
    "date",
    "from",
    "to",
    "subject",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
}
IDENTITY = Identity("Alex Candidate", "alex.candidate@example.net")


def draft_problems(raw: bytes) -> list[str]:
    """Why ``raw`` (one draft as stored) is not a clean draft; [] when it is.

    Reads it three ways: the raw header lines, the modern parser, and the
    lenient compat32 parser plus RFC 2047 decoding that many mail clients use.
    """
    problems = []
    head = raw.split(b"\r\n\r\n", 1)[0]
    names = []
    for line in head.split(b"\r\n"):
        if re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line):
            problems.append(f"a bare CR or LF, or a control byte, in {line[:60]!r}")
        if line[:1] in (b" ", b"\t"):
            continue  # a folded continuation of the header above
        name, colon, _ = line.partition(b":")
        if not colon:
            problems.append(f"not a header line: {line[:60]!r}")
        names.append(name.decode("ascii", "replace").strip().lower())
    problems += [f"header {n!r} is not ours" for n in sorted(set(names) - DRAFT_HEADERS)]
    problems += [f"header {n!r} twice" for n in sorted({n for n in names if names.count(n) > 1})]
    modern = email.message_from_bytes(raw, policy=email.policy.default)
    lenient = BytesHeaderParser().parsebytes(raw)
    for name in {n for n in names if n in DRAFT_HEADERS}:
        values = [str(v) for v in modern.get_all(name, [])]
        for value in lenient.get_all(name, []):
            unfolded = re.sub(r"\r\n(?=[ \t])", "", str(value))  # RFC 5322 unfolding
            try:
                values.append(str(make_header(decode_header(unfolded))))
            except Exception:  # undecodable: then no client decodes it into anything either
                values.append(unfolded)
        for value in values:
            if any(c in value for c in "\r\n\0"):
                problems.append(f"{name} decodes to a line break: {value[:80]!r}")
            if re.search(r"(?i)[\r\n]\s*(bcc|cc|to)\s*:", value):
                # (Covered by the line-break check; named, so a failure says what it is.
                # "Bcc: x" inside one line is just text: a name or subject that says so.)
                problems.append(f"{name} smuggles a header: {value[:80]!r}")
    to = modern["To"]
    if to is not None and len(to.addresses) != 1:
        problems.append(f"To names {len(to.addresses)} addresses: {str(to)[:80]!r}")
    return problems


# -- the pure code, fast ---------------------------------------------------------


@settings(max_examples=400)
@given(raw=st.binary(max_size=4096))
def test_classify_any_bytes_gives_a_verdict_or_the_documented_value_error(
    raw: bytes, figures: Figures
) -> None:
    figures["hostile"] += 1
    try:
        verdict = classify(raw)
    except ValueError:
        return  # the contract: "only for bytes that hold no message at all"
    assert isinstance(verdict, Verdict)


@settings(max_examples=300)
@given(raw=hostile_message())
def test_classify_never_raises_on_hostile_messages(raw: bytes, figures: Figures) -> None:
    """These always hold a message (headers and a rejection text): a verdict, always,
    and its extracted fields stay on one line.  (Not necessarily sensible: a From of
    "@\\0 <a@b.example>" gives the contact "@\\0", which drafts.recipient refuses.)"""
    figures["hostile"] += 1
    verdict = classify(raw, user_addresses=[IDENTITY.email])
    assert isinstance(verdict, Verdict)
    for field in (verdict.company, verdict.job_title, verdict.contact_name, verdict.contact_email):
        assert field is None or not any(c in field for c in "\r\n"), field


def action(to_email: str | None, to_name: str | None) -> Action:
    now = datetime.now(UTC)
    return Action(
        id=1,
        kind="request",
        contact_key=(to_email or "nobody").lower(),
        account="acct0",
        source_id=1,
        to_email=to_email,
        to_name=to_name,
        language="en",
        template="feedback_request",
        rule=None,
        message_id="<req-1@example.net>",
        state="scheduled",
        due_at=now,
        expires_at=now + timedelta(days=7),
        folder=None,
        detail="",
        attempts=0,
    )


@settings(max_examples=400)
@given(
    to_email=st.one_of(
        st.none(), st.emails(), hostile_text, hostile_text.map(lambda t: t + "@x.example")
    ),
    to_name=st.one_of(st.none(), hostile_text),
    subject=hostile_text,
    company=st.one_of(st.none(), hostile_text),
    job_title=st.one_of(st.none(), hostile_text),
    message_id=st.one_of(st.none(), hostile_text, st.just("<rej-1@northwind.example>")),
    refs=hostile_text,
)
# Found by this test: an encoded word in the name that decodes to a line break and a Bcc.
@example(
    to_email="0@A.ad",
    to_name="0,\r\nBcc: victim@evil.example=?utf-8?b?DQpCY2M6IHZpY3RpbUBldmlsLmV4YW1wbGU=?=",
    subject="",
    company=None,
    job_title=None,
    message_id=None,
    refs="",
)
def test_a_draft_built_from_hostile_values_carries_only_its_own_headers(
    to_email: str | None,
    to_name: str | None,
    subject: str,
    company: str | None,
    job_title: str | None,
    message_id: str | None,
    refs: str,
    figures: Figures,
) -> None:
    figures["hostile"] += 1
    source = {
        "subject": subject,
        "company": company,
        "job_title": job_title,
        "message_id": message_id,
        "refs": refs,
        "received_at": "2025-03-03T10:00:00+00:00",
    }
    draft = compose(
        action(to_email, to_name), source, IDENTITY, now=datetime.now(UTC), templates_dir=None
    )
    raw = draft.as_bytes()
    figures["drafts_checked"] += 1
    assert draft_problems(raw) == []
    to = email.message_from_bytes(raw, policy=email.policy.default)["To"]
    if to is not None:  # only ever the contact, never an address smuggled in with the name
        local, _, domain = re.sub(r"\([^()]*\)", "", to_email or "").strip().rpartition("@")
        if not domain.isascii():
            domain = domain.encode("idna").decode()
        assert to.addresses[0].addr_spec.lower() == f"{local}@{domain}".lower()


@pytest.mark.parametrize(
    "address",
    [
        "jordan@northwind.example.",
        "jordan@northwind..example",
        "@northwind.example",
        "a@b@c",
        "jordan@northwind.example\ufffd\ufffdx",
        '""@northwind.example',
        # Found by the fuzzer: an encoded word in the local part decodes to "\r\nBcc: ...".
        "0=?utf-8?b?DQpCY2M6IHZpY3RpbUBldmlsLmV4YW1wbGU=?=@x.example",
    ],
)
def test_an_address_the_email_package_refuses_leaves_a_draft_without_recipient(
    address: str,
) -> None:
    """Regression: such an address (the classifier extracts the first two from real
    From headers) raised HeaderParseError out of compose, so the request failed at
    every attempt until it lapsed: lost, instead of drafted for the user to address.
    An undecodable domain made a To with an encoded word inside the address
    ("jordan@northwind.=?utf-8?b?...?="), an empty quoted local part the To
    "@northwind.example"."""
    source = {"subject": "Your application", "message_id": "<rej-1@northwind.example>"}
    draft = compose(
        action(address, "Jordan"), source, IDENTITY, now=datetime.now(UTC), templates_dir=None
    )
    assert draft["To"] is None
    assert draft_problems(draft.as_bytes()) == []


def test_thread_headers_take_only_well_formed_message_ids() -> None:
    """Regression: a NUL or control byte in the rejection's Message-ID or References
    went into our draft's headers, and a non-ASCII id became an encoded word, which
    is no Message-ID (and no thread)."""
    source = {
        "subject": "Your application",
        "message_id": "<rej-1@northwind.example>",
        "refs": "<a@b> <nul\x00@x> <ctl\x01@x> <jörg@firma.example> <c@d>",
    }
    draft = compose(action(None, None), source, IDENTITY, now=datetime.now(UTC), templates_dir=None)
    assert draft["References"] == "<a@b> <c@d> <rej-1@northwind.example>"
    assert draft_problems(draft.as_bytes()) == []
    source = {"subject": "Ihre Bewerbung", "message_id": "<jörg-1@firma.example>"}
    draft = compose(action(None, None), source, IDENTITY, now=datetime.now(UTC), templates_dir=None)
    assert draft["In-Reply-To"] is None
    assert draft["References"] is None


def test_a_non_ascii_domain_is_addressed_in_its_ascii_form() -> None:
    """Regression: the email package wrote it as an encoded word inside the address,
    which no server delivers; IDNA's xn-- form is the same domain, deliverable."""
    source = {"subject": "Your application", "message_id": "<rej-1@northwind.example>"}
    draft = compose(
        action("jordan@müller.example", "Jordan"),
        source,
        IDENTITY,
        now=datetime.now(UTC),
        templates_dir=None,
    )
    assert draft["To"].addresses[0].addr_spec == "jordan@xn--mller-kva.example"
    assert b"=?" not in draft.as_bytes().split(b"\r\nTo: ", 1)[1].split(b"\r\n", 1)[0]


# Found by this suite in classifiers/ and fixed there.


def test_a_deeply_nested_rejection_is_still_classified() -> None:
    [nested] = [c for c in crafted() if c.name == "multiparts nested 2000 deep"]
    verdict = classify(nested.raw)
    assert verdict.label.value == "rejection"


def test_an_address_in_a_folded_quoted_display_name_is_not_the_contact() -> None:
    raw = (
        f'From: "Jordan\r\n Bcc: {INJECTED}" <jordan@northwind.example>\r\n'
        "To: alex.candidate@example.net\r\nSubject: Your application\r\n"
        "Message-ID: <fold-1@northwind.example>\r\n\r\n" + REJECTION
    ).encode()
    verdict = classify(raw)
    assert verdict.contact_email == "jordan@northwind.example"


def test_a_raw_utf8_sender_address_is_decoded() -> None:
    [item] = [c for c in crafted() if c.name == "a raw UTF-8 sender address"]
    assert (classify(item.raw).contact_email or "").startswith("jörg.müller")


# Addresses imapclient would send as atoms Dovecot refuses, or could not encode at all:
# wrote_to compares the recipients itself instead.
@pytest.mark.dovecot
@pytest.mark.parametrize(
    "address",
    ["jordan{1}@northwind.example", "jordan(x)@northwind.example", "jördan@northwind.example"],
)
def test_the_sent_folder_is_searched_for_any_valid_address(dovecot: Dovecot, address: str) -> None:
    user = dovecot.new_user("search")
    since = datetime.now(UTC) - timedelta(days=1)
    with dovecot.client(user) as client:
        client.create_folder("Sent")
        assert wrote_to(client, "Sent", address, since, frozenset()) is None
    for n, to in enumerate(("someone.else@northwind.example", address)):
        mail = f"From: alex.candidate@example.net\r\nTo: {to}\r\nSubject: Hello\r\n"
        mail += f"Message-ID: <sent-{n}@example.net>\r\n\r\nHello.\r\n"
        dovecot.append(user, mail.encode(), "Sent")
    with dovecot.client(user) as client:
        client.normalise_times = False  # as imap.connect sets it
        assert wrote_to(client, "Sent", address, since, frozenset()) is not None
        ours = frozenset({"<sent-1@example.net>"})  # our own mail to them does not count
        assert wrote_to(client, "Sent", address, since, ours) is None


def record(state: Ledger, uid: int, raw: bytes) -> Recorded | None:
    """Classify, plan and record ``raw`` as the daemon's intake does (default policy)."""
    view = from_bytes(raw)
    verdict = classify(view)
    sender = view.sender.email if view.sender else None
    seen = SeenMessage(
        "acct0", "INBOX", 1, uid, f"<fp-{uid}>", f"<m-{uid}>", view.subject, sender, None
    )
    decided = plan(
        verdict,
        None,
        Policy(),
        received=datetime.now(UTC),
        fingerprint=seen.fingerprint,
        sender=sender,
        subject=view.subject,
        related=state.thread_of("acct0", sender, view.thread_ids, datetime.now(UTC)),
        id_domain="example.net",
    )
    return state.record(seen, verdict, plan=decided)


def test_a_raw_utf8_sender_is_recorded_with_its_plan(tmp_path: Path) -> None:
    """Regression: the contact key of a raw UTF-8 address holds lone surrogates, which
    the state stored replaced but looked up raw; SQLite refused the lookup, so the
    rejection was recorded as broken ("not recorded: UnicodeEncodeError") and never
    answered, and any other mail from such a sender failed the same way.  Once that
    worked, the stored address read "j??rg.m??ller@...": a draft, or a mail, to nobody."""
    [item] = [c for c in crafted() if c.name == "a raw UTF-8 sender address"]
    again = item.raw.replace(b"<hostile-16@", b"<again-16@")
    news = item.raw.replace(b"<hostile-16@", b"<news-16@").replace(
        REJECTION.encode(), b"Could we have a call on Monday about another role?\r\n"
    )
    with Ledger(tmp_path / "state.db") as state:
        state.set_folder("acct0", "INBOX", 1, 0)
        first = record(state, 1, item.raw)
        second = record(state, 2, again)
        third = record(state, 3, news)
        [action] = state.actions()
    assert first is not None
    assert first.action is not None
    assert second is not None
    assert (second.outcome or "").startswith("no second request")
    assert third is not None
    assert "cancelled the pending request" in (third.outcome or "")
    assert action["state"] == "cancelled"
    # Never the mangled form ("j??rg.m??ller@..."), which looks like an address and is not.
    assert action["to_email"] is None or "?" not in action["to_email"]


# -- through Dovecot and the daemon ----------------------------------------------


def run_mailbox(
    dovecot: Dovecot, directory: Path, before: list[bytes], after: list[bytes]
) -> tuple[list[dict], list[dict], list[bytes], str]:
    """Deliver ``before``, start `debriefer -vv run`, deliver ``after``, run until every
    message is recorded and every request finished; (messages, actions, drafts, log)."""
    user = dovecot.new_user("hostile")
    config = write_config(directory, port=dovecot.imap_port, user=user, policy='wait = "0s"')
    db = state_path(config)
    last_uid = 0
    for raw in before:
        last_uid = dovecot.append(user, raw)
    env = environment(DEBRIEFER_FAULT_PASSWORD=user.password)
    with daemon_process(config, directory / "daemon.log", env, verbose="-vv") as daemon:
        daemon.start()
        wait_for(lambda: query(db, "SELECT * FROM folders"), "the first scan")
        for raw in after:
            last_uid = dovecot.append(user, raw)

        def finished() -> bool:
            position = query(db, "SELECT last_uid FROM folders")
            return bool(
                position
                and position[0]["last_uid"] >= last_uid
                and len(messages(db)) == len(before) + len(after)
                and not any(a["state"] in PENDING for a in actions(db))
            )

        def explain() -> str:
            pending = [
                (a["to_email"], a["state"], a["detail"])
                for a in actions(db)
                if a["state"] in PENDING
            ]
            return f"pending: {pending}\n{daemon.output()[-3000:]}"

        wait_for(finished, "every message recorded and every draft made", 120, explain)
        assert daemon.alive(), daemon.output()[-3000:]
        status = [
            run_debriefer("status", *flag, "--config", str(config), env=env, timeout=60)
            for flag in ([], ["--json"])
        ]
        assert daemon.stop() == 0, daemon.output()[-3000:]
        log = daemon.output()
    for shown in status:  # hostile subjects and names must not break status either
        assert shown.returncode == 0, shown.stderr
    json.loads(status[1].stdout)
    return messages(db), actions(db), raw_folder(dovecot, user, DRAFTS), log


def normal(count: int, tag: str) -> list[bytes]:
    return [rejection(c, f"{tag}-{n}", n) for n, c in enumerate(contacts(count))]


@pytest.mark.dovecot
def test_crafted_hostile_mail_among_rejections(
    dovecot: Dovecot, tmp_path: Path, figures: Figures
) -> None:
    hostile = crafted()
    ordinary = normal(6, "crafted")
    # Ordinary and hostile alternate while both last, then the rest of the hostile ones.
    mixed = [m for n, h in enumerate(hostile) for m in (*ordinary[n : n + 1], h.raw)]
    half = len(mixed) // 2
    rows, found, stored, log = run_mailbox(dovecot, tmp_path, mixed[:half], mixed[half:])
    figures["hostile"] += len(hostile)
    figures["hostile_e2e"] += len(hostile)

    assert "Traceback" not in log, log[log.index("Traceback") - 1500 :][:5000]
    assert len(rows) == len(mixed)
    assert [r["error"] for r in rows if r["error"] and r["error"].startswith("not recorded")] == []
    row_of = {r["message_id"]: r for r in rows}
    for n, person in enumerate(contacts(6)):  # the rest of the mailbox is processed
        assert row_of[f"<rej-crafted-{n}@{person.company.lower()}.example>"]["label"] == "rejection"
    action_of = {a["source_id"]: a for a in found if a["kind"] == "request"}
    unanswered = [
        h.name
        for h in hostile
        if h.answered and action_of.get(row_of[h.message_id]["id"], {}).get("state") != "drafted"
    ]
    assert unanswered == [], "these rejections got no draft"
    assert sum(a["state"] == "drafted" for a in found) == len(stored)
    problems = {n: p for n, raw in enumerate(stored) if (p := draft_problems(raw))}
    figures["drafts_checked"] += len(stored)
    assert problems == {}
    contacts_to = {(a["to_email"] or "").lower() for a in found}
    smuggled = []
    for raw in stored:  # a draft goes to its contact, or to nobody; never elsewhere
        draft = email.message_from_bytes(raw, policy=email.policy.default)
        to = draft["To"]
        assert to is None or to.addresses[0].addr_spec.lower() in contacts_to, str(to)
        if INJECTED in str(to or ""):
            smuggled.append(draft["In-Reply-To"])
    assert smuggled == []


@pytest.mark.dovecot
@settings(max_examples=3, phases=[Phase.generate])  # each example is a whole daemon run
@given(generated=st.tuples(*[hostile_message(n) for n in range(1, 25)]))
def test_generated_hostile_mail_among_rejections(
    dovecot: Dovecot, figures: Figures, generated: tuple[bytes, ...]
) -> None:
    ordinary = normal(4, "generated")
    mixed = [*ordinary[:2], *generated, *ordinary[2:]]
    with tempfile.TemporaryDirectory(prefix="hostile-") as directory:
        rows, found, stored, log = run_mailbox(
            dovecot, Path(directory), mixed[: len(mixed) // 2], mixed[len(mixed) // 2 :]
        )
    figures["hostile"] += len(generated)
    figures["hostile_e2e"] += len(generated)
    assert "Traceback" not in log, log[log.index("Traceback") - 1500 :][:5000]
    assert len(rows) == len(mixed)
    assert [r["label"] for r in rows if (r["message_id"] or "").startswith("<rej-generated")] == [
        "rejection"
    ] * len(ordinary)
    drafted = [a for a in found if a["state"] == "drafted"]
    assert len(stored) == len(drafted)
    figures["drafts_checked"] += len(stored)
    assert {n: p for n, raw in enumerate(stored) if (p := draft_problems(raw))} == {}
