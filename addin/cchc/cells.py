"""A1 cell addresses, as officers see them ("D12"), and back to 0-based (row, column); and
strings written into cells as text, never as formulas (`write_value` for openpyxl cells,
`csv_value` for CSV and for Excel through COM), wherever cchc writes text it did not compose.

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


# ----------------------------------------------------------------------------- values written
# Excel keeps at most this many characters in a cell; openpyxl cuts longer text silently.
MAX_CELL_TEXT = 32_767
# What makes a spreadsheet program read typed text as a formula (CSV, or text pasted back).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_value(cell, value):
    """Put `value` into an openpyxl cell; text is always stored as text, never as a formula,
    however it begins ("=HYPERLINK(…)" from an officer, a JSON file, an upload). Every place
    cchc writes a string it did not write itself goes through here (or `csv_value`)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl made it a formula ("f"); a string it is
    return cell


def csv_value(value):
    """`value` for a CSV or text export opened in a spreadsheet program: text that would be
    read as a formula gets a leading apostrophe, as Excel itself shows such text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
