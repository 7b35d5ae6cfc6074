"""Finding the line a key is written on: ``tomllib`` keeps no positions, so ``_Locator``
re-reads the (already valid) TOML text to point each problem at its line."""

from __future__ import annotations

import bisect
import contextlib
import re

from .model import KeyPath

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _Locator:
    """Line numbers of tables, keys and array items in a TOML text that tomllib accepted.

    A small scanner: it follows table headers (counting ``[[x]]`` to know the
    index), dotted keys, inline tables and arrays, and skips strings and
    comments.  It trusts the text to be valid, and on anything it does not
    expect it stops and keeps what it found: line numbers are a courtesy.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self._newlines = [i for i, char in enumerate(text) if char == "\n"]
        self._arrays: dict[KeyPath, int] = {}
        self._table: KeyPath = ()
        with contextlib.suppress(IndexError, ValueError):
            self._document()

    def line_of(self, path: KeyPath) -> int | None:
        """The line of ``path``, else of its closest parent that is written down."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    # scanning

    def _line(self) -> int:
        return bisect.bisect_left(self._newlines, self.pos) + 1

    def _peek(self, size: int = 1) -> str:
        return self.text[self.pos : self.pos + size]

    def _skip(self, *, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def _expect(self, token: str) -> None:
        if self._peek(len(token)) != token:
            raise ValueError(f"expected {token!r} at offset {self.pos}")
        self.pos += len(token)

    def _document(self) -> None:
        while True:
            self._skip(newlines=True)
            if self.pos >= len(self.text):
                return
            line = self._line()
            if self._peek(2) == "[[":
                self.pos += 2
                self._header(self._key(), line, array=True)
                self._skip(newlines=False)
                self._expect("]]")
            elif self._peek() == "[":
                self.pos += 1
                self._header(self._key(), line, array=False)
                self._skip(newlines=False)
                self._expect("]")
            else:
                self._key_value(self._table)

    def _header(self, parts: list[str], line: int, *, array: bool) -> None:
        resolved: list[str | int] = []
        for index, part in enumerate(parts):
            resolved.append(part)
            self.lines.setdefault(tuple(resolved), line)
            # [rules.match] after [[rules]] belongs to the latest rules item.
            if index < len(parts) - 1 and tuple(resolved) in self._arrays:
                resolved.append(self._arrays[tuple(resolved)])
        if array:
            count = self._arrays.get(tuple(resolved), -1) + 1
            self._arrays[tuple(resolved)] = count
            resolved.append(count)
        self._table = tuple(resolved)
        self.lines[self._table] = line

    def _key_value(self, table: KeyPath) -> None:
        line = self._line()
        parts = self._key()
        for end in range(1, len(parts) + 1):
            self.lines.setdefault((*table, *parts[:end]), line)
        self._skip(newlines=False)
        self._expect("=")
        self._skip(newlines=False)
        self._value((*table, *parts))

    def _key(self) -> list[str]:
        parts = []
        while True:
            self._skip(newlines=False)
            char = self._peek()
            if char in "\"'":
                start = self.pos
                self._string()
                parts.append(self._decode_key(self.text[start : self.pos]))
            else:
                found = _BARE_KEY.match(self.text, self.pos)
                if not found:
                    raise ValueError(f"no key at offset {self.pos}")
                parts.append(found.group())
                self.pos = found.end()
            self._skip(newlines=False)
            if self._peek() != ".":
                return parts
            self.pos += 1

    @staticmethod
    def _decode_key(quoted: str) -> str:
        if quoted.startswith("'"):
            return quoted[1:-1]
        body, out, index = quoted[1:-1], [], 0
        while index < len(body):
            char = body[index]
            if char == "\\" and index + 1 < len(body):
                code = body[index + 1]
                if code in "uU":
                    width = 4 if code == "u" else 8
                    out.append(chr(int(body[index + 2 : index + 2 + width], 16)))
                    index += 2 + width
                    continue
                out.append(_ESCAPES.get(code, code))
                index += 2
                continue
            out.append(char)
            index += 1
        return "".join(out)

    def _string(self) -> None:
        quote = self._peek()
        if self._peek(3) == quote * 3:
            self.pos += 3
            while self._peek(3) != quote * 3:
                self.pos += 2 if quote == '"' and self._peek() == "\\" else 1
                if self.pos >= len(self.text):
                    raise ValueError("unterminated string")
            self.pos += 3
            # Up to two quotes may end the content right before the closing three.
            for _ in range(2):
                if self._peek() == quote:
                    self.pos += 1
            return
        self.pos += 1
        while self._peek() != quote:
            self.pos += 2 if quote == '"' and self._peek() == "\\" else 1
            if self.pos >= len(self.text):
                raise ValueError("unterminated string")
        self.pos += 1

    def _value(self, path: KeyPath) -> None:
        char = self._peek()
        if char in "\"'":
            self._string()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self._skip(newlines=True)
                if self._peek() == "]":
                    self.pos += 1
                    return
                self.lines.setdefault((*path, index), self._line())
                self._value((*path, index))
                index += 1
                self._skip(newlines=True)
                if self._peek() == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self._skip(newlines=True)
                if self._peek() == "}":
                    self.pos += 1
                    return
                self._key_value(path)
                self._skip(newlines=True)
                if self._peek() == ",":
                    self.pos += 1
        else:
            start = self.pos
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}#\r\n":
                self.pos += 1
            if self.pos == start:
                raise ValueError(f"no value at offset {start}")
