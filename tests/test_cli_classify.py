"""`debriefer classify`: files and folders in, one verdict per message out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from daemon.cli import main

from .support import MakeMail

REJECTION_BODY = (
    "Dear Alex,\n\nThank you for interviewing for the Data Engineer role at Northwind. "
    "Unfortunately we have decided not to move forward with your application.\n\n"
    "Best regards,\nJordan Reyes\n"
)


def test_json_lines_have_the_spec_keys(tmp_path: Path, make_mail: MakeMail, capsys) -> None:
    """Each message gives one JSON object with the keys SPEC.md promises."""
    (tmp_path / "a.eml").write_bytes(make_mail("Your application", REJECTION_BODY))
    assert main(["classify", "--json", str(tmp_path / "a.eml")]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    for key in (
        "path",
        "label",
        "confidence",
        "language",
        "reasons",
        "company",
        "job_title",
        "contact_name",
        "contact_email",
    ):
        assert key in result
    assert result["label"] == "rejection"
    assert result["contact_email"] == "jordan.reyes@northwind.example"


def test_folder_with_a_broken_file_goes_on(tmp_path: Path, make_mail: MakeMail, capsys) -> None:
    """An unreadable file gives label null and an error; the others are still classified."""
    (tmp_path / "1-good.eml").write_bytes(make_mail("Your application", REJECTION_BODY))
    (tmp_path / "2-empty.eml").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "3-good.eml").write_bytes(make_mail("Hello", "See you at the game!"))
    (tmp_path / "notes.txt").write_text("not mail")
    assert main(["classify", "--json", str(tmp_path)]) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(r["path"]).name for r in results] == ["1-good.eml", "2-empty.eml", "3-good.eml"]
    assert results[1]["label"] is None
    assert results[1]["error"]
    assert results[0]["label"] == "rejection"
    assert results[2]["label"] == "other"


def test_missing_file_is_reported_not_raised(tmp_path: Path, capsys) -> None:
    """A path that does not exist is one error object, not a traceback."""
    assert main(["classify", "--json", str(tmp_path / "nope.eml")]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["label"] is None


def test_table_shows_label_context_and_reasons(tmp_path: Path, make_mail: MakeMail, capsys) -> None:
    """Without --json a person reads the label, the extracted context and why."""
    (tmp_path / "a.eml").write_bytes(make_mail("Your application", REJECTION_BODY))
    assert main(["classify", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "rejection (" in out
    assert "job title: Data Engineer" in out
    assert '- rejection phrase: "' in out
    assert "decided not to move forward" in out


def test_no_eml_files_is_a_user_error(tmp_path: Path, capsys) -> None:
    """An empty folder is one clear line on stderr and exit code 2."""
    assert main(["classify", str(tmp_path)]) == 2
    assert "no .eml files found" in capsys.readouterr().err


def test_version_flag(capsys) -> None:
    """--version prints the program name and version."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("debriefer ")


def test_config_and_verbose_work_before_the_verb_or_after_it() -> None:
    from daemon.cli import build_parser

    parser = build_parser()
    for argv in (
        ["--config", "/x.toml", "-v", "status"],
        ["status", "--config", "/x.toml", "-v"],
        ["-v", "status", "--config", "/x.toml"],
    ):
        args = parser.parse_args(argv)
        assert (str(args.config), args.verbose) == ("/x.toml", 1), argv
    assert build_parser().parse_args(["status"]).config is None
