"""Turning mail bodies into plain, classifiable text."""

from __future__ import annotations

import html
import re

# Enough for the decision sentence and the signature of any real rejection;
# bounds the work a 20 MB text part can cause.
MAX_TEXT_CHARS = 30_000

# Month names, lower-case, per language: history reads dates with them, extract cuts a
# date after a title with them, render.day_month writes drafts' dates with them.
MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "january february march april may june july august september october november december"
    ).split(),
    "de": "januar februar märz april mai juni juli august september oktober november dezember".split(),
    "fr": (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ).split(),
    "es": (
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ).split(),
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "it": (
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
    ).split(),
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split(),
}
MONTH_NAMES = frozenset(month for months in MONTHS.values() for month in months)

_INVISIBLE_BLOCKS = re.compile(
    r"<(script|style|head|title|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_BLOCK_BREAKS = re.compile(
    r"<\s*(?:br|/p|/div|/tr|/li|/h[1-6]|/table|/blockquote|p|div|tr|li|h[1-6]|hr)\b[^>]*>",
    re.IGNORECASE,
)
_CELL_BREAKS = re.compile(r"<\s*/?t[dh]\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]{0,2000}>")
_BLANK = r"[ \t\r\f\v\u00a0\u200b\u200c\u200d\u2060\ufeff]"
# A run of blanks, except a lone space: most of a text's blanks are already
# what tidy makes of them, and replacing each word gap with itself is slow.
_SPACES = re.compile(_BLANK + r"(?:(?<! )|(?=" + _BLANK + "))" + _BLANK + "*")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Control characters and blanks other than a space: what only some mail has.
_UNUSUAL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u00a0\u200b\u200c\u200d\u2060\ufeff]")


def html_to_text(markup: str) -> str:
    """Readable text from HTML: block elements become line breaks, the rest is dropped."""
    markup = _INVISIBLE_BLOCKS.sub(" ", markup[: MAX_TEXT_CHARS * 4])
    markup = _BLOCK_BREAKS.sub("\n", markup)
    markup = _CELL_BREAKS.sub(" ", markup)
    return tidy(html.unescape(_TAGS.sub("", markup)))


_SPACE_AROUND_BREAKS = re.compile(r" \n ?|\n ")  # never a bare "\n": nothing to change


def tidy(text: str) -> str:
    """Fold runs of blanks, drop control characters, keep paragraph breaks."""
    text = text[:MAX_TEXT_CHARS].replace("\r\n", "\n").replace("\r", "\n")
    # Most mail has nothing to drop or fold: one scan for the unusual characters
    # and substring tests cost far less than the substitutions, which stop at every space.
    if _UNUSUAL.search(text):
        text = _SPACES.sub(" ", _CONTROL.sub("", text))
    elif "  " in text:
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_BREAKS.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


# Where a reply's own text ends and the quoted message begins.  One line each,
# as clients in our five languages write it.
_QUOTE_HEADER = re.compile(
    r"""^(?:
        on\b.{0,160}\bwrote:|
        am\b.{0,160}\bschrieb.{0,80}:|
        le\b.{0,160}\ba\s+écrit\s*:|
        el\b.{0,160}\bescribió\s*:|
        op\b.{0,160}\bschreef.{0,80}:|
        -{2,}\s*(?:original\s+message|ursprüngliche\s+nachricht|message\s+d'origine|
            mensaje\s+original|oorspronkelijk\s+bericht|forwarded\s+message)\s*-{2,}|
        (?:from|von|de|van)\s*:\s*.{1,200}\n(?:.*\n){0,2}?\s*(?:sent|gesendet|envoyé|enviado|
            verzonden|date|datum|fecha)\s*:
    )""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)


def split_quoted(text: str) -> tuple[str, str]:
    """Split a body into (what the sender wrote, the quoted earlier message)."""
    match = _QUOTE_HEADER.search(text)
    own, quoted = (text[: match.start()], text[match.start() :]) if match else (text, "")
    if ">" in own:
        kept, cited = [], []
        for line in own.split("\n"):
            (cited if line.startswith(">") else kept).append(line)
        own, quoted = "\n".join(kept), "\n".join(cited) + ("\n" + quoted if quoted else "")
    return own.strip(), quoted.strip()


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)|\n+")


def sentences(text: str) -> list[str]:
    """Sentences and lines, the unit within which a phrase is judged."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]
