"""A1 cell addresses, as officers see them ("D12"), and back to 0-based (row, column).

At the bottom of the package: the model, the reader, the checks and the writers all name cells.
"""

from __future__ import annotations

import re


def col_letter(c0: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    n = c0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


def a1(r0: int, c0: int) -> str:
    return f"{col_letter(c0)}{r0 + 1}"


_A1 = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def parse_a1(ref: str) -> tuple[int, int]:
    m = _A1.match(ref.strip().upper())
    if not m:
        raise ValueError(ref)
    letters, digits = m.groups()
    c = 0
    for ch in letters:
        c = c * 26 + (ord(ch) - 64)
    return int(digits) - 1, c - 1
