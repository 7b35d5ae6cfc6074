"""Turn the hand-written training mail into labelled examples, deterministically.

    python training/generate.py [--out FILE.jsonl]

``parts/<lang>.toml`` holds pieces (greetings, openers, the sentences that
make a mail a rejection or an invitation, closings...) that are combined into
many mails; ``mail/<lang>*.txt`` holds whole mails of shapes no combination
makes (one-liners, threads, letters).  Both are filled with invented names.
The same files always give the same examples: every random choice comes from
a generator seeded by the language and the example's number.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = HERE / "parts"
MAIL = HERE / "mail"

REJECTION = "rejection"
FEEDBACK_REPLY = "feedback_reply"
OTHER = "other"
# kind -> label; every kind not named here is "other".
LABELS = {"rejection": REJECTION, "reply_feedback": FEEDBACK_REPLY}
# How many mails the generator makes per language and kind: rejections are the
# point, and the mails of the same hiring process (acknowledgements above
# all) are the hard negatives that pull the boundary into place; mail from
# outside hiring shares few words with a rejection and needs fewer examples.
PER_KIND = {
    "rejection": 1000,
    "acknowledgement": 900,
    "next_steps": 300,
    "on_hold": 300,
    "outreach": 300,
    "invitation": 250,
    "reply_feedback": 150,
    "reply_declined": 120,
    "withdrawal_ack": 120,
    "accepted": 120,
    "transferred": 120,
}
PER_OTHER_KIND = 90
# Whole mails are each written out this often, with other names filled in.
WHOLE_MAIL_COPIES = 6
PIECES = ("subjects", "openers", "cores", "extras", "closings")
# A rejection often answers the candidate's own mail ("Re: Spontaneous application"),
# so any kind may come as a reply; otherwise "Re:" would teach "not a rejection".
REPLY_PREFIXES = {
    "en": ("Re: ", "RE: "),
    "de": ("AW: ", "Re: ", "Antwort: "),
    "fr": ("RE : ", "Re: ", "TR : "),
    "es": ("RE: ", "Re: ", "RV: "),
    "nl": ("Re: ", "Antw: ", "RE: "),
    "it": ("R: ", "Re: ", "RE: "),
    "pt": ("RE: ", "Re: ", "Res: "),
}
REPLY_SHARE = 0.2


@dataclass(frozen=True)
class Example:
    language: str
    kind: str
    label: str
    subject: str
    body: str
    source: str  # "parts" or "mail"

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True)


class Names:
    """Invented people, employers, roles and dates to fill the placeholders with."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    def fill(self, text: str, rng: random.Random) -> str:
        if "{" not in text:
            return text
        candidate = rng.choice(self.table.get("candidates") or ["Alex"])
        recruiter = rng.choice(self.table.get("recruiters") or ["Sam Taylor"])
        values = {
            "candidate": candidate,
            "last": rng.choice(self.table.get("recruiters") or ["Sam Taylor"]).split()[-1],
            "company": rng.choice(self.table.get("companies") or ["Example Ltd"]),
            "role": rng.choice(self.table.get("roles") or ["Analyst"]),
            "recruiter": recruiter,
            "recruiter_first": recruiter.split()[0],
            "date": rng.choice(self.table.get("dates") or ["12 March"]),
            "time": rng.choice(self.table.get("times") or ["10:00"]),
        }
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


def _kinds(parts: dict, register: str) -> dict[str, dict[str, list[str]]]:
    """The kinds a register can write: its own tables merged with the common ones."""
    merged: dict[str, dict[str, list[str]]] = {}
    for section in ("common", register):
        for kind, table in parts.get(section, {}).items():
            if isinstance(table, dict):
                into = merged.setdefault(kind, {})
                for piece in PIECES:
                    into.setdefault(piece, []).extend(table.get(piece, []))
    return merged


def _compose(pieces: dict[str, list[str]], register: dict, rng: random.Random) -> tuple[str, str]:
    """One mail from the pieces of its kind: subject and body."""
    cores = pieces.get("cores") or []
    body: list[str] = []
    if register.get("greetings") and rng.random() < 0.85:
        body.append(rng.choice(register["greetings"]))
    paragraph: list[str] = []
    if pieces.get("openers") and rng.random() < 0.7:
        paragraph.append(rng.choice(pieces["openers"]))
    paragraph.append(rng.choice(cores))
    if len(cores) > 1 and rng.random() < 0.15:
        paragraph.append(rng.choice(cores))
    body.append(" ".join(paragraph))
    extras = pieces.get("extras") or []
    for _ in range(rng.choice((0, 1, 1, 2))):
        if extras:
            body.append(rng.choice(extras))
    if pieces.get("closings") and rng.random() < 0.7:
        body.append(rng.choice(pieces["closings"]))
    if register.get("signoffs") and rng.random() < 0.85:
        body.append(rng.choice(register["signoffs"]))
    subjects = pieces.get("subjects") or [""]
    return rng.choice(subjects), "\n\n".join(body)


def merge_parts(paths: list[Path]) -> dict:
    """One language's pieces: its main file and any further ones, lists joined."""
    merged: dict = {}

    def into(target: dict, source: dict) -> None:
        for key, value in source.items():
            if isinstance(value, dict):
                into(target.setdefault(key, {}), value)
            elif isinstance(value, list):
                target.setdefault(key, []).extend(value)
            else:
                target.setdefault(key, value)

    for path in paths:
        into(merged, tomllib.loads(path.read_text(encoding="utf-8")))
    return merged


def from_parts(language: str, parts: dict, names: Names | None = None) -> Iterator[Example]:
    names = names or Names(parts.get("names", {}))
    signatures = parts.get("common", {}).get("signatures", [])
    registers = [r for r in ("formal", "informal") if r in parts]
    kinds_of = {register: _kinds(parts, register) for register in registers}
    for kind in sorted({kind for kinds in kinds_of.values() for kind in kinds}):
        usable = [r for r in registers if kinds_of[r].get(kind, {}).get("cores")]
        for number in range(PER_KIND.get(kind, PER_OTHER_KIND) if usable else 0):
            rng = random.Random(f"{language}:{kind}:{number}")
            register = rng.choice(usable)
            subject, body = _compose(kinds_of[register][kind], parts[register], rng)
            if not kind.startswith(("reply_", "auto_")) and rng.random() < REPLY_SHARE:
                subject = rng.choice(REPLY_PREFIXES.get(language, ("Re: ",))) + subject
            if signatures and rng.random() < 0.7:
                body += "\n" + rng.choice(signatures)
            yield Example(
                language,
                kind,
                LABELS.get(kind, OTHER),
                names.fill(subject, rng),
                names.fill(body, rng),
                "parts",
            )


def blocks(text: str, names: tuple[str, ...]) -> Iterator[tuple[dict[str, str], str]]:
    """The blocks of a file of whole mails, split at lines of ``===``: the header lines
    named ``names`` that open each, and the body after them."""
    header = re.compile(rf"^({'|'.join(names)}):[ \t]*(.*)$")
    for block in re.split(r"^===[ \t]*$", text, flags=re.MULTILINE):
        lines = block.strip("\n").split("\n")
        headers: dict[str, str] = {}
        while lines and (match := header.match(lines[0].strip())):
            headers[match.group(1)] = match.group(2).strip()
            lines.pop(0)
        body = "\n".join(lines).strip()
        if body:
            yield headers, body


def parse_whole_mails(text: str) -> Iterator[tuple[dict[str, str], str]]:
    """The blocks of a ``mail/*.txt`` file: (headers, body)."""
    for headers, body in blocks(text, ("label", "kind", "subject")):
        if "label" in headers:
            yield headers, body


def from_mail(path: Path, names: Names) -> Iterator[Example]:
    language = path.stem.split("-")[0]
    for number, (headers, body) in enumerate(parse_whole_mails(path.read_text(encoding="utf-8"))):
        label = headers["label"].strip().lower().replace("not_rejection", OTHER)
        if label not in (REJECTION, OTHER, FEEDBACK_REPLY):
            raise ValueError(f"{path.name}: block {number + 1} has unknown label {label!r}")
        for copy in range(WHOLE_MAIL_COPIES):
            rng = random.Random(f"{path.stem}:mail:{number}:{copy}")
            yield Example(
                language,
                headers.get("kind", label),
                label,
                names.fill(headers.get("subject", ""), rng),
                names.fill(body, rng),
                "mail",
            )


def with_boilerplate(example: Example, fillers: list[str], names: Names) -> Example:
    """The mail as it often arrives: company blurbs, legal footers, links around the message."""
    rng = random.Random(f"{example.language}:filler:{example.subject}:{example.body}")
    if not fillers or rng.random() < 0.4:
        return example
    after = [names.fill(rng.choice(fillers), rng) for _ in range(rng.choice((1, 1, 2, 3)))]
    before = [names.fill(rng.choice(fillers), rng)] if rng.random() < 0.15 else []
    body = "\n\n".join([*before, example.body, *after])
    return Example(
        example.language, example.kind, example.label, example.subject, body, example.source
    )


def examples(root: Path = HERE) -> list[Example]:
    """Every training example, in a fixed order."""
    fillers_file = root / "fillers.toml"
    fillers = tomllib.loads(fillers_file.read_text("utf-8")) if fillers_file.exists() else {}
    found: list[Example] = []
    for language, paths in by_language(root).items():
        parts = merge_parts([path for path in paths if path.suffix == ".toml"])
        names = Names(parts.get("names", {}))
        paragraphs = fillers.get(language, {}).get("paragraphs", [])
        made = list(from_parts(language, parts))
        for path in paths:
            if path.suffix == ".txt":
                made.extend(from_mail(path, names))
        found.extend(with_boilerplate(example, paragraphs, names) for example in made)
    return found


def by_language(root: Path) -> dict[str, list[Path]]:
    """Each language's files, parts first, in name order."""
    paths = sorted((root / "parts").glob("*.toml")) + sorted((root / "mail").glob("*.txt"))
    grouped: dict[str, list[Path]] = {}
    for path in paths:
        grouped.setdefault(path.stem.split("-")[0], []).append(path)
    return dict(sorted(grouped.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rows = examples()
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    for row in rows:
        out.write(row.to_json() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
