"""Vietnamese text across the VBA boundary, written in 7-bit ASCII.

VBA keeps module source in the project's code page (1252 here) and reads files through the
Windows ANSI code page (1252 on most machines, 1258 on a Vietnamese Windows). Neither holds
Vietnamese letters: «Lỗi» written by Python to a file that VBA reads comes out as «L\\u1ed7i»
or «L?i». So text crosses the boundary in one notation, both ways: every character outside
printable ASCII, and the backslash itself, is written ``\\uXXXX`` (a UTF-16 code unit in four
hex digits), and the VBA function ``CchcU`` (basic/CchcText.bas) turns it back.

- Our .bas sources are written in plain Vietnamese. :func:`ascii_source` rewrites each string
  literal holding non-ASCII characters into ``CchcU("…")`` when the project is built, so the
  stored module is ASCII; :func:`restore_source` is its inverse (the tests compare the built
  project with the sources through it).
- When Python cannot reach Excel to show a message itself, it writes one line
  ``CCHC-MSG:<escaped text>`` to stderr (:func:`for_vba`); the buttons' VBA reads the line
  back with ``CchcMessageFromPython``. Pure ASCII survives any code page unchanged.
"""

from __future__ import annotations

import re

DECODER = "CchcU"
MESSAGE_PREFIX = "CCHC-MSG:"
MAX_LINE = 1023  # the VBA editor refuses longer physical lines

_ESCAPED = re.compile(r"\\u([0-9A-Fa-f]{4})")


def escape(text: str) -> str:
    """Printable ASCII except the backslash stays; everything else becomes \\uXXXX."""
    out = []
    for ch in text:
        if " " <= ch <= "~" and ch != "\\":
            out.append(ch)
        else:
            units = ch.encode("utf-16-le", "surrogatepass")
            for i in range(0, len(units), 2):
                out.append("\\u%04X" % int.from_bytes(units[i : i + 2], "little"))
    return "".join(out)


def unescape(text: str) -> str:
    """What CchcU returns for `text`: each \\uXXXX replaced by its UTF-16 code unit."""
    units = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def for_vba(message: str) -> str:
    """The stderr line that carries `message` to the buttons' VBA."""
    return MESSAGE_PREFIX + escape(message)


def message_from(stderr_text: str) -> str | None:
    """The inverse of :func:`for_vba` on a whole stderr text (what CchcMessageFromPython does)."""
    for line in stderr_text.replace("\r", "").split("\n"):
        if line.startswith(MESSAGE_PREFIX):
            return unescape(line[len(MESSAGE_PREFIX) :])
    return None


# --------------------------------------------------------------------------- VBA source


def _split_code(line: str) -> list[tuple[str, str]]:
    """A physical VBA line as ("code" | "string" | "comment", text) pieces. String pieces
    keep their quotes and their doubled inner quotes."""
    pieces: list[tuple[str, str]] = []
    i, start = 0, 0
    while i < len(line):
        ch = line[i]
        if ch == '"':
            if start < i:
                pieces.append(("code", line[start:i]))
            j = i + 1
            while True:
                j = line.find('"', j)
                if j < 0:
                    raise ValueError(f"unterminated string literal: {line!r}")
                if line[j + 1 : j + 2] == '"':
                    j += 2
                    continue
                break
            pieces.append(("string", line[i : j + 1]))
            i = start = j + 1
            continue
        if ch == "'" or (line[i : i + 4].lower() == "rem " and not line[:i].strip()):
            if start < i:
                pieces.append(("code", line[start:i]))
            pieces.append(("comment", line[i:]))
            return pieces
        i += 1
    if start < len(line):
        pieces.append(("code", line[start:]))
    return pieces


def ascii_source(source: str, name: str = "module") -> str:
    """`source` (a .bas text) with every string literal holding non-ASCII characters
    rewritten as ``CchcU("<escaped>")``. Non-ASCII anywhere else (comments, names), in a
    ``Const`` (which cannot call a function), an explicit ``CchcU("…")`` call (which would not
    survive :func:`restore_source`) or a line over the editor's limit is refused."""
    out = []
    for number, line in enumerate(source.split("\n"), start=1):
        where = f"{name}, line {number}"
        pieces = _split_code(line.rstrip("\r"))
        for (kind, text), (next_kind, _) in zip(pieces, pieces[1:]):
            if kind == "code" and next_kind == "string" and re.search(rf"\b{DECODER}\s*\(\s*$", text):
                raise ValueError(f"{where}: write the text itself, not {DECODER}(\"…\")")
        new = []
        for kind, text in pieces:
            if kind != "string" or text.isascii():
                if not text.isascii():
                    raise ValueError(f"{where}: only string literals may hold non-ASCII text: {text!r}")
                new.append(text)
                continue
            if re.match(r"\s*((Public|Private|Global)\s+)?Const\b", line, re.I):
                raise ValueError(f"{where}: a Const cannot hold non-ASCII text (use a function)")
            value = text[1:-1].replace('""', '"')
            new.append(f'{DECODER}("' + escape(value).replace('"', '""') + '")')
        rebuilt = "".join(new)
        if len(rebuilt) > MAX_LINE:
            raise ValueError(f"{where}: {len(rebuilt)} characters once escaped (VBA allows {MAX_LINE})")
        out.append(rebuilt + ("\r" if line.endswith("\r") else ""))
    return "\n".join(out)


def restore_source(ascii_text: str) -> str:
    """The inverse of :func:`ascii_source`: each ``CchcU("…")`` in code back to its literal."""
    out = []
    for line in ascii_text.split("\n"):
        pieces = _split_code(line.rstrip("\r"))
        new: list[str] = []
        i = 0
        while i < len(pieces):
            kind, text = pieces[i]
            call = re.search(rf"\b{DECODER}\($", text) if kind == "code" else None
            if call and i + 2 < len(pieces) and pieces[i + 1][0] == "string" and pieces[i + 2][1].startswith(")"):
                value = unescape(pieces[i + 1][1][1:-1].replace('""', '"'))
                new.append(text[: call.start()] + '"' + value.replace('"', '""') + '"')
                pieces[i + 2] = (pieces[i + 2][0], pieces[i + 2][1][1:])
                i += 2
                continue
            new.append(text)
            i += 1
        out.append("".join(new) + ("\r" if line.endswith("\r") else ""))
    return "\n".join(out)
