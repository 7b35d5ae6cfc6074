"""Given names, to tell a first name that signs alone ("Femke") from a word ("Gracias").

``lexicons/first_names.txt`` was written by the developers from their own knowledge of
the names people have in the countries whose languages debriefer reads, and of the
communities who live and work there, with the short forms people sign with ("Jess",
"Paco").  Names that are as often an ordinary word alone on a line ("Will", "Hope")
were left out.  Pure: the list is read from the package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _first_names() -> frozenset[str]:
    text = resources.files(__package__).joinpath("lexicons", "first_names.txt")
    lines = text.read_text("utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip())


def is_first_name(word: str) -> bool:
    """Whether ``word`` is a given name people sign with, whatever its case."""
    return word.strip(" ,.!").casefold() in _first_names()
