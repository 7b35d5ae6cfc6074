"""The user's own regexes and templates cannot hang the daemon.

One account meets a rule that would backtrack for centuries in Python's re
and a template that loops (edited in while the daemon runs: the start's
check renders every template and refuses one that loops).  The other
account's rejection is still drafted within seconds, the looping template
gives way to the shipped one, and SIGTERM still ends the daemon in under five.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.servers.dovecot import Dovecot
from tests.support import build_mail, write_accounts_config

from .support import contacts, daemon_process, drafts, environment, rejection, wait_for

pytestmark = [pytest.mark.fault, pytest.mark.dovecot]

LOOPING = (
    "Subject: hi\n\n{% for i in range(100000) %}{% for j in range(100000) %}"
    "{% for k in range(100000) %}{% endfor %}{% endfor %}{% endfor %}body\n"
)
STOP_BOUND = 5.0  # the bar for SIGTERM, hostile config or not


def test_an_unlucky_rule_and_a_looping_template_hold_up_nothing(
    dovecot: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = [dovecot.new_user("hostile"), dovecot.new_user("calm")]
    path = write_accounts_config(tmp_path, dovecot, users, monkeypatch)
    templates = tmp_path / "templates"
    templates.mkdir()
    template = templates / "looping.txt.j2"
    template.write_text("Subject: hi\n\nbody\n", encoding="utf-8")  # passes the start's check
    looped, calm = contacts(2)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'lookback = "30d"', 'lookback = "30d"\nwait = "0s"'
        )
        + f'\n[templates]\ndir = "{templates}"\n'
        + '\n[[rules]]\nname = "unlucky"\nmatch = { body = "(a+)+$" }\naction = "ignore"\n'
        + f'\n[[rules]]\nname = "slow"\nmatch = {{ from_domain = "{looped.email.split("@")[1]}" }}\n'
        + 'template = "looping"\n',
        encoding="utf-8",
    )
    unlucky = build_mail("aaaa", "a" * 10_000 + "!", sender=("Robot", "robot@spam.example"))

    with daemon_process(path, tmp_path / "daemon.log", environment()) as daemon:
        daemon.start()
        wait_for(lambda: "watching INBOX" in daemon.output(), "a session", explain=daemon.output)
        template.write_text(LOOPING, encoding="utf-8")  # edited while the daemon runs
        dovecot.append(users[0], unlucky)
        dovecot.append(users[0], rejection(looped, "looped"))
        dovecot.append(users[1], rejection(calm, "calm"))
        wait_for(
            lambda: drafts(dovecot, users[1]), "the calm account's draft", explain=daemon.output
        )
        # The looping template is stopped at its budget and the shipped one speaks instead.
        wait_for(lambda: drafts(dovecot, users[0]), "the looped one's draft", explain=daemon.output)
        assert "took longer than 2 s to render" in daemon.output()
        started = time.monotonic()
        assert daemon.stop() == 0
        stopped_in = time.monotonic() - started
    assert stopped_in < STOP_BOUND, f"SIGTERM took {stopped_in:.1f} s"
    assert len(drafts(dovecot, users[0])) == 1  # the rejection; the unlucky mail is ignored
