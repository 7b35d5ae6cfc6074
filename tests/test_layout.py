"""The floor plan holds: pure packages stay pure, verbs stay apart, and a verb loads only
the libraries its work needs (the map is in ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "daemon" / "cli"
# Each verb module and the libraries it may load: only `run` and `demo` run the daemon
# (APScheduler, aiosmtplib); doctor tries the SMTP login; nothing else touches SMTP, and
# `install-service` (writing a systemd unit) loads neither.
HEAVY = ("apscheduler", "aiosmtplib", "imapclient", "sqlite3", "jinja2", "pymap")
ALLOWED = {
    "run": {"apscheduler", "aiosmtplib", "imapclient", "sqlite3", "jinja2"},
    "demo": {"apscheduler", "aiosmtplib", "imapclient", "sqlite3", "jinja2"},
    "doctor": {"aiosmtplib", "imapclient", "sqlite3", "jinja2"},
    "init": {"imapclient"},
    "scan": {"imapclient", "sqlite3"},
    "explain": {"imapclient", "sqlite3"},
    "install_service": {"jinja2"},
    "controls": {"sqlite3"},
    "status": {"sqlite3"},
    "report": {"sqlite3"},
}


def verbs() -> list[str]:
    """The modules of daemon/cli that carry a ``cmd_`` function: one per verb (or family)."""
    return sorted(
        path.stem
        for path in CLI.glob("*.py")
        if path.stem != "__init__" and "\ndef cmd_" in path.read_text(encoding="utf-8")
    )


def imports(path: Path, *, runtime_only: bool = False) -> set[str]:
    """The modules a file imports, absolute; ``runtime_only`` skips ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(child) for child in ast.walk(node))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_every_verb_is_listed() -> None:
    assert verbs() == sorted(ALLOWED)


@pytest.mark.parametrize("verb", sorted(ALLOWED))
def test_a_verb_loads_only_what_its_work_needs(verb: str) -> None:
    code = (
        f"import json, sys; import daemon.cli.{verb}; "
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout))
    assert loaded <= ALLOWED[verb], f"daemon.cli.{verb} loads {sorted(loaded - ALLOWED[verb])}"


@pytest.mark.parametrize("verb", sorted(ALLOWED))
def test_verbs_never_import_each_other(verb: str) -> None:
    others = {f"daemon.cli.{name}" for name in ALLOWED} - {f"daemon.cli.{verb}"}
    assert not imports(CLI / f"{verb}.py") & others


@pytest.mark.parametrize("package", ["decide", "classifiers"])
def test_pure_packages_import_no_io_and_nothing_of_the_daemon(package: str) -> None:
    """ruff's banned-api rule says the same for I/O; this also reads the import graph at
    run time, where ``TYPE_CHECKING`` imports (the config's types) do not count."""
    banned = (
        "daemon",
        "socket",
        "sqlite3",
        "imapclient",
        "aiosmtplib",
        "apscheduler",
        "subprocess",
    )
    for path in sorted((ROOT / package).rglob("*.py")):
        found = {name.split(".")[0] for name in imports(path, runtime_only=True)}
        assert not found & set(banned), f"{path.relative_to(ROOT)} imports {found & set(banned)}"


def test_importing_decide_loads_no_daemon_module() -> None:
    code = (
        "import json, sys, decide.judge, decide.plan, decide.relation, decide.marks,"
        " decide.window; print(json.dumps(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('daemon', 'sqlite3', 'imapclient', 'aiosmtplib'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


def test_no_test_module_imports_from_another() -> None:
    """Every file under tests/: shared helpers come from tests/support.py (or the fault
    suite's tests/faults/support.py), never from a ``test_*`` module."""
    tests = ROOT / "tests"
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                # `from .test_x import y`, `from tests.test_x import y`, `from . import test_x`
                base = node.module or ""
                modules = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            if any(part.startswith("test_") for name in modules for part in name.split(".")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "import from a test module:\n" + "\n".join(found)
