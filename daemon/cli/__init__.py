"""The ``debriefer`` command line: one error boundary, one subcommand per verb."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from classifiers import classify
from daemon import __version__
from daemon.errors import ScrubSecrets, UserError, scrub

log = logging.getLogger(__name__)

# Reading more than this of one file cannot change a verdict; it only costs memory.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def _eml_files(paths: Sequence[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.eml") if p.is_file())
        else:
            yield path


def _classify_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_MESSAGE_BYTES)
        verdict = classify(raw)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        log.warning("%s: skipped: %s", path, reason)
        return {"path": str(path), "label": None, "error": reason}
    return {"path": str(path), **verdict.to_dict()}


def _print_table(results: list[dict[str, Any]], out: TextIO) -> None:
    for result in results:
        if result["label"] is None:
            out.write(f"{result['path']}\n  error: {result['error']}\n\n")
            continue
        out.write(
            f"{result['path']}\n  {result['label']} ({result['confidence']:.2f},"
            f" {result['language']})"
        )
        if result["suppressed"]:
            out.write(f", never answered: {result['suppressed']}")
        out.write("\n")
        context = [
            f"{key.replace('_', ' ')}: {result[key]}"
            for key in ("company", "job_title", "contact_name", "contact_email")
            if result[key]
        ]
        if context:
            out.write("  " + "; ".join(context) + "\n")
        for reason in result["reasons"]:
            out.write(f"  - {reason}\n")
        out.write("\n")


def cmd_classify(args: argparse.Namespace) -> int:
    files = list(_eml_files(args.paths))
    if not files:
        raise UserError("no .eml files found in " + ", ".join(args.paths))
    results = []
    for path in files:
        result = _classify_file(path)
        if args.json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        results.append(result)
    if not args.json:
        _print_table(results, sys.stdout)
    # Exit 1 only when nothing at all could be read: a script notices, a folder with
    # one bad file does not fail.
    return 1 if all(r["label"] is None for r in results) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="debriefer",
        description="Turns job rejections into polite feedback-request drafts.",
    )
    parser.add_argument("--version", action="version", version=f"debriefer {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    classify_parser = commands.add_parser(
        "classify",
        help="classify .eml files or folders of them (no config needed)",
        description="Classify .eml files or folders of them and show the verdicts with reasons.",
    )
    classify_parser.add_argument("paths", nargs="+", metavar="PATH", help=".eml file or folder")
    classify_parser.add_argument("--json", action="store_true", help="one JSON object per line")
    classify_parser.set_defaults(handler=cmd_classify)

    # --config and -v work before the verb or after it: the verb's copies leave a value
    # given before it alone (SUPPRESS) rather than resetting it to their default.
    parser.add_argument("--config", type=Path, metavar="PATH", help=argparse.SUPPRESS)
    config_options = argparse.ArgumentParser(add_help=False)
    config_options.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="config file (default: XDG config dir)",
    )
    run_parser = commands.add_parser(
        "run",
        parents=[config_options],
        help="watch the inboxes in the foreground",
        description="Watch every configured inbox until SIGTERM or SIGINT.",
    )
    run_parser.set_defaults(handler=_lazy("cmd_run", "run"), daemon_logging=True)
    scan_parser = commands.add_parser(
        "scan",
        parents=[config_options],
        help="classify the lookback window now",
        description="Classify every inbox message of the lookback window and show the verdicts.",
    )
    scan_parser.add_argument("--dry-run", action="store_true", help="write nothing, not even state")
    scan_parser.add_argument("--json", action="store_true", help="one JSON object per line")
    scan_parser.set_defaults(handler=_lazy("cmd_scan", "scan"))
    status_parser = commands.add_parser(
        "status",
        parents=[config_options],
        help="accounts, and each rejection's request, reply and thank-you",
        description="Show each account's connection, then one row per rejection: the"
        " request (due, drafted, sent, cancelled and why), the reply and the thank-you,"
        " in your time zone.",
    )
    status_parser.add_argument("--json", action="store_true", help="one JSON object")
    status_parser.set_defaults(handler=_lazy("cmd_status", "status"))
    forget_parser = commands.add_parser(
        "forget",
        parents=[config_options],
        help="allow one more feedback request to a contact",
        description="Mark every feedback request and thank-you recorded for ADDRESS as"
        " forgotten: they stay on record, but no longer stop a new"
        " request. This is the only way debriefer will ever ask the same person for feedback"
        " twice.",
    )
    forget_parser.add_argument("address", metavar="ADDRESS", help="the contact's email address")
    forget_parser.set_defaults(handler=_lazy("cmd_forget", "controls"))
    report_parser = commands.add_parser(
        "report",
        parents=[config_options],
        help="what asking for feedback brought: requests, answers, answer rate, by week",
        description="Over the whole state: rejections seen, feedback requests drafted and sent,"
        " answers and feedback received, the answer rate, the median time to an answer, and"
        " the answers of the last weeks as a small chart.",
    )
    report_parser.add_argument("--json", action="store_true", help="one JSON object")
    report_parser.set_defaults(handler=_lazy("cmd_report", "report"))
    skip_parser = commands.add_parser(
        "skip",
        parents=[config_options],
        help="cancel one waiting feedback request (ID from status)",
        description="Cancel the feedback request waiting for one rejection, named by the ID"
        " `status` shows or its Message-ID. Its contact stays free: their next rejection gets"
        " a request as usual.",
    )
    skip_parser.add_argument("target", metavar="ID|MESSAGE-ID")
    skip_parser.set_defaults(handler=_lazy("cmd_skip", "controls"))
    draft_parser = commands.add_parser(
        "draft",
        parents=[config_options],
        help="request feedback for a message not taken as a rejection (ID from explain)",
        description="Plan a feedback request for one recorded message the classifier did not"
        " take as a rejection, named by its ID or Message-ID, to the contact it names or else"
        " its sender. Never twice: a contact who already has a request gets no second one.",
    )
    draft_parser.add_argument("target", metavar="ID|MESSAGE-ID")
    draft_parser.set_defaults(handler=_lazy("cmd_draft", "controls"))
    for verb, text in (
        ("pause", "keep reading mail but draft and send nothing until resume"),
        ("resume", "draft and send again; what fell due meanwhile follows"),
    ):
        switch = commands.add_parser(verb, parents=[config_options], help=text, description=text)
        switch.set_defaults(handler=_lazy(f"cmd_{verb}", "controls"))
    demo_parser = commands.add_parser(
        "demo",
        help="the whole flow against an embedded IMAP server, with sample mail",
        description="Start an embedded IMAP server with sample mail, run the real daemon against"
        " it with a wait of seconds, simulate a recruiter's feedback, and show the drafts.",
    )
    demo_parser.add_argument(
        "--keep", action="store_true", help="keep the server running to look with a mail client"
    )
    demo_parser.add_argument(
        "--wait", default="3s", metavar="DURATION", help="the wait before a request (default 3s)"
    )
    demo_parser.set_defaults(handler=_lazy("cmd_demo", "demo"))
    _add_setup_commands(commands, config_options)
    for verb in commands.choices.values():
        verb.add_argument(
            "-v", "--verbose", action="count", default=argparse.SUPPRESS, help="more log output"
        )
    return parser


def _add_setup_commands(commands: Any, config_options: argparse.ArgumentParser) -> None:
    """The verbs that take a person from nothing to a running service, and explain."""
    explain_parser = commands.add_parser(
        "explain",
        parents=[config_options],
        help="the verdict on one message and why",
        description="Show the verdict, its reasons, the deciding rule and what was planned for"
        " one message: the ID `status` shows, a Message-ID recorded in the state, or an .eml"
        " file.",
    )
    explain_parser.add_argument("target", metavar="ID|MESSAGE-ID|PATH")
    explain_parser.add_argument("--json", action="store_true", help="one JSON object")
    explain_parser.set_defaults(handler=_lazy("cmd_explain", "explain"))

    init_parser = commands.add_parser(
        "init",
        help="write a config file: asks, tests the login, finds Drafts and Sent",
        description="Ask for what debriefer needs (or take it from the options), test the login,"
        " list the folders found for Drafts and Sent, and write a commented config file."
        " Without a terminal, every missing answer is an error naming its option.",
    )
    init_parser.add_argument(
        "--config", type=Path, metavar="PATH", help="where to write (default: XDG config dir)"
    )
    init_parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    init_parser.add_argument("--name", help="your name, as the drafts are signed")
    init_parser.add_argument("--email", help="your email address")
    init_parser.add_argument("--host", help="IMAP server, e.g. imap.gmail.com")
    init_parser.add_argument("--port", type=int, help="IMAP port (default: from --security)")
    init_parser.add_argument(
        "--security", choices=("tls", "starttls", "none"), help="default: guessed from the port"
    )
    init_parser.add_argument("--username", help="IMAP login (default: --email)")
    init_parser.add_argument(
        "--auth",
        choices=("password", "oauth2"),
        help="oauth2: the password source prints an access token (default: password, except"
        " for Outlook and Microsoft 365 addresses)",
    )
    source = init_parser.add_mutually_exclusive_group()
    source.add_argument("--password-command", metavar="CMD", help="prints the password")
    source.add_argument("--password-env", metavar="VAR", help="environment variable")
    source.add_argument(
        "--password-keyring", action="store_true", help="the system keyring (debriefer[keyring])"
    )
    init_parser.add_argument("--drafts", metavar="FOLDER", help="Drafts folder, if not found")
    init_parser.add_argument("--sent", metavar="FOLDER", help="Sent folder, if not found")
    init_parser.add_argument("--ca-file", type=Path, metavar="PEM", help="an extra CA to trust")
    init_parser.add_argument(
        "--no-login-test", action="store_true", help="write the file without connecting"
    )
    init_parser.set_defaults(handler=_lazy("cmd_init", "init"))

    doctor_parser = commands.add_parser(
        "doctor",
        parents=[config_options],
        help="check config, login, folders, state and service, one line each",
        description="Check the config, each account's login and folders, the state file and"
        " the user service; one pass/fail line each. Exit 1 when anything failed.",
    )
    doctor_parser.set_defaults(handler=_lazy("cmd_doctor", "doctor"))

    service_parser = commands.add_parser(
        "install-service",
        parents=[config_options],
        help="install the systemd user unit (--print: only show it)",
        description="Write ~/.config/systemd/user/debriefer.service and print the two"
        " commands that enable and start it.",
    )
    service_parser.add_argument(
        "--print", dest="print_only", action="store_true", help="print the unit, write nothing"
    )
    service_parser.set_defaults(handler=_lazy("cmd_install_service", "install_service"))


def _lazy(name: str, module: str) -> Callable[[argparse.Namespace], int]:
    """Each verb is its own module, imported only when it runs: `debriefer status` never
    loads the IMAP, SMTP or scheduling libraries `debriefer run` needs."""

    def handler(args: argparse.Namespace) -> int:
        loaded = importlib.import_module(f"{__package__}.{module}")
        return int(getattr(loaded, name)(args))

    return handler


# Libraries whose INFO lines ("Adding job tentatively", "Running job") say nothing a
# user needs; shown with -v.
CHATTY_LIBRARIES = ("apscheduler", "asyncio", "aiosmtplib", "mailparser")
# sd-daemon(3) priorities: journald reads a "<N>" prefix as the line's priority.
_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3}


class JournalFormatter(logging.Formatter):
    """Level and origin, with the priority prefix journald reads when stderr is its."""

    def __init__(self, journal: bool) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")
        self.journal = journal

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if not self.journal:
            return text
        priority = _PRIORITY.get(record.levelno, 2)  # CRITICAL and above
        return "\n".join(f"<{priority}>{line}" for line in text.splitlines())


def to_journal(stream: TextIO) -> bool:
    """Whether ``stream`` is the journal's (systemd sets JOURNAL_STREAM to its dev:inode)."""
    wanted = os.environ.get("JOURNAL_STREAM", "")
    try:
        found = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return False
    return wanted == f"{found.st_dev}:{found.st_ino}"


def _configure_logging(verbosity: int, *, daemon: bool) -> None:
    # journald adds timestamps and the unit name; we add only level and origin.
    # A daemon reports what it does at INFO; one-shot commands only warnings.
    loudness = verbosity + daemon
    level = logging.DEBUG if loudness > 1 else logging.INFO if loudness else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JournalFormatter(to_journal(sys.stderr)))
    logging.basicConfig(level=level, handlers=[handler])
    for each in logging.getLogger().handlers:
        each.addFilter(ScrubSecrets())
    for name in CHATTY_LIBRARIES:  # our own lines only, unless -v asks for theirs
        logging.getLogger(name).setLevel(logging.NOTSET if verbosity else logging.WARNING)
    # imaplib's protocol trace would show every command; keep it out even at -vv.
    logging.getLogger("imapclient").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose, daemon=getattr(args, "daemon_logging", False))
    try:
        return int(args.handler(args))
    except UserError as exc:
        for line in getattr(exc, "problems", None) or [str(exc)]:
            print(f"debriefer: {scrub(line)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
