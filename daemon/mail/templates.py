"""Where the shipped Jinja2 templates live, in a wheel and in a checkout."""

from __future__ import annotations

from pathlib import Path

from daemon.errors import UserError

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # daemon/


def shipped_templates_dir() -> Path:
    """The templates that come with debriefer.

    A wheel carries them inside the package (``daemon/templates``, put there
    by hatch's force-include); a checkout or an editable install keeps them at
    the project root.  PackageLoader cannot see the latter, hence this lookup.
    """
    candidates = (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates")
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.j2")):
            return candidate
    searched = " and ".join(str(c) for c in candidates)
    raise UserError(f"shipped templates not found (searched {searched}); reinstall debriefer")
