"""The templates ship with the package, in a checkout and in the built wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from daemon.mail.templates import shipped_templates_dir

ROOT = Path(__file__).resolve().parents[1]


def test_templates_are_found_from_the_checkout() -> None:
    """An editable install finds the top-level templates/ folder."""
    found = shipped_templates_dir()
    assert (found / "feedback_request.en.txt.j2").is_file()
    assert (found / "thank_you.en.txt.j2").is_file()


@pytest.mark.slow
def test_wheel_carries_templates_and_every_package(tmp_path: Path) -> None:
    """The wheel has daemon/, decide/, classifiers/ and daemon/templates, and imports from
    itself."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("debriefer-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "daemon/templates/feedback_request.en.txt.j2" in names
    assert "classifiers/classify.py" in names
    assert "decide/plan.py" in names
    assert "spans.json" in " ".join(names)  # the span tagger's weights ship too
    assert "classifiers/weights/rejection.json" in names  # the model ships; nothing downloads it
    assert "classifiers/weights/answer.json" in names
    assert "classifiers/lexicons/first_names.txt" in names  # the given names a signer is known by
    assert "classifiers/lexicons/places.txt" in names  # the towns a title's tail may name
    assert "classifiers/lexicons/occupations.txt" in names  # the words a title is headed by
    assert not any(n.startswith(("tests/", "training/")) for n in names)

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import daemon, classifiers, decide, daemon.cli.run;"
        "from daemon.mail.templates import shipped_templates_dir;"
        "from classifiers.model import load, load_choice; assert load('rejection').weights;"
        "assert set(load_choice('answer').classes) >= {'feedback', 'declined'};"
        "from classifiers.names import is_first_name; assert is_first_name('Femke');"
        "from classifiers.places import is_place; assert is_place('Roermond');"
        "from classifiers.roles import names_job; assert names_job('Epidemiologist I');"
        "assert daemon.__file__.startswith(sys.argv[1]), daemon.__file__;"
        "assert classifiers.__file__.startswith(sys.argv[1]), classifiers.__file__;"
        "assert decide.__file__.startswith(sys.argv[1]), decide.__file__;"
        "print(shipped_templates_dir())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(unpacked)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == str(unpacked / "daemon" / "templates")
