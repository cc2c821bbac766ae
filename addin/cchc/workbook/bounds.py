"""What a worksheet's XML holds, found before any reader builds a grid from it.

calamine turns a sheet into a dense grid from A1 to its farthest non-empty cell, and openpyxl
makes one object per cell of a merged range or a hyperlinked range: a crafted sheet with one
value at XFD1048576 asks for ~512 GB and the process aborts. `scan_sheet` reads the sheet XML
(already unpacked, bounded in size by the zip checks) and says how far it reaches, without
building anything per cell in the usual case:

- the fast path (files written by Excel, LibreOffice, openpyxl: every cell and row carries
  `r="A1"` first) looks only for references past the limits with one regular expression;
- anything else (no `r`, namespace prefixes, character references, single quotes) is read
  exactly, with expat, counting cells the way calamine places them.

It also finds the cells that calamine hands back as blank although they are not: error
values (`#DIV/0!`, `#N/A`) and formulas saved without a computed value (what openpyxl and
some tools write). The reader reports those at their cells instead of reading "no data".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from cchc.cells import a1, col_letter
from cchc.numbers import format_number

# Limits of a workbook cchc reads (README, docs/gioi-han.md). A cchc form has ~40 rows and 5
# columns; an officer's own notes around it fit many times over.
MAX_ROWS = 10_000  # rows 1 … 10.000
MAX_COLUMNS = 256  # columns A … IV, as in the old .xls format
MAX_CELLS = 200_000  # cells in the whole workbook


class SheetRefused(Exception):
    """A sheet cchc will not read: `where` names the cell or range, `why` what is wrong (past
    the limits, a reference that is not one, broken XML)."""

    def __init__(self, where: str, why: str):
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why


@dataclass
class SheetScan:
    cells: int = 0
    # (row, column), 0-based → what the cell holds that calamine reads as blank: "#DIV/0!", or
    # "=D7/D8" for a formula without a computed value.
    special: dict[tuple[int, int], str] = field(default_factory=dict)


def col_index(letters: str) -> int:
    """"A" → 0, "IV" → 255; lowercase allowed (openpyxl accepts it)."""
    c = 0
    for ch in letters.upper():
        c = c * 26 + (ord(ch) - 64)
    return c - 1


def _ref(text: str) -> tuple[int, int]:
    """"XFD1048576" → (1048575, 16383). SheetRefused when it is not a cell reference."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,4})\$?(\d{1,9})", text.strip())
    if not m:
        raise SheetRefused(f"ô «{text[:40]}»", "địa chỉ ô không hợp lệ")
    return int(m.group(2)) - 1, col_index(m.group(1))


def _within(r0: int, c0: int, what: str) -> None:
    if r0 >= MAX_ROWS or c0 >= MAX_COLUMNS or r0 < 0 or c0 < 0:
        raise SheetRefused(what, limit_text())


def limit_text() -> str:
    return (f"vượt giới hạn của cchc (tối đa {format_number(MAX_ROWS)} dòng và {MAX_COLUMNS} cột, tức đến ô "
            f"{col_letter(MAX_COLUMNS - 1)}{MAX_ROWS})")


def check_range(text: str, what: str) -> None:
    """A reference "A1" or range "A1:XFD1048576" (a merged range, a hyperlink, a comment, a
    defined name) must stay within the limits."""
    for part in re.split(r"[\s:]+", text.strip()):
        if part:
            r0, c0 = _ref(part)
            _within(r0, c0, f"{what} «{text[:60]}»")


# ----------------------------------------------------------------------------- fast path
# A cell or row reference whose column has 3+ letters or lies past IV, whose row has 5+ digits
# (≥ 10.000, or leading zeros), or that holds anything but letters and digits (an entity).
_FAR = re.compile(
    rb'<(?:c|row) r="(?:[A-Za-z]{3}|[A-Za-z]{0,2}\d{5}|[J-Zj-z][A-Za-z]\d|[Ii][W-Zw-z]\d|[^"]*[^A-Za-z0-9"])')
_RANGE_ATTR = re.compile(rb'<(mergeCell|hyperlink|dimension)\b[^>]*?\sref\s*=\s*["\']([^"\']*)["\']')
_ERROR_CELL = re.compile(rb'<c r="([A-Za-z]+\d+)"[^>]*?\st="e"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]+)</v>")
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)
_CELL_REF = re.compile(rb'<c r="([A-Za-z]+\d+)"')
_WHAT = {b"mergeCell": "vùng ô gộp", b"hyperlink": "liên kết ở vùng", b"dimension": "vùng dữ liệu khai báo"}


def _canonical(xml: bytes) -> bool:
    """Every cell and row element is written `<c r="…"` / `<row r="…"`, with no prefix, and
    no DTD (which the exact path refuses)."""
    return (b"<!DOCTYPE" not in xml and b"<!ENTITY" not in xml
            and b"<c>" not in xml and b"<c/>" not in xml and b"<row>" not in xml
            and xml.count(b"<c ") == xml.count(b'<c r="') and xml.count(b"<row ") == xml.count(b'<row r="')
            and b":c " not in xml and b":row " not in xml and b":c>" not in xml)


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


def _special_fast(xml: bytes, out: dict[tuple[int, int], str]) -> None:
    if b't="e"' in xml:
        for m in _ERROR_CELL.finditer(xml):
            v = _VALUE.search(m.group(2) or b"")
            out[_ref(m.group(1).decode())] = _text(v.group(1)) if v else "#LỖI"
    pos = xml.find(b"<f")
    while pos != -1:
        nxt = xml[pos + 2:pos + 3]
        if nxt in (b" ", b">", b"/"):
            start = xml.rfind(b"<c ", 0, pos)
            end = xml.find(b"</c>", pos)
            cell = xml[start:end] if start != -1 and end != -1 else b""
            head = _CELL_REF.match(cell)
            if head and not _VALUE.search(cell):
                f = _FORMULA.search(cell)
                formula = _text(f.group(1)) if f and f.group(1) else "…"
                out.setdefault(_ref(head.group(1).decode()), "=" + formula)
            pos = xml.find(b"<f", end if end != -1 else pos + 2)
        else:
            pos = xml.find(b"<f", pos + 2)


def scan_sheet(xml: bytes, *, special: bool = True) -> SheetScan:
    """How far the sheet reaches (SheetRefused past the limits) and its special cells."""
    if not _canonical(xml):
        return _scan_exact(xml, special=special)
    scan = SheetScan(cells=xml.count(b"<c "))
    m = _FAR.search(xml)
    if m is not None:
        return _scan_exact(xml, special=special)  # say exactly which cell, and be sure
    if b"<mergeCell" in xml or b"<hyperlink" in xml or b"<dimension" in xml:
        for m in _RANGE_ATTR.finditer(xml):
            check_range(m.group(2).decode("ascii", "replace"), _WHAT[m.group(1)])
    if special:
        _special_fast(xml, scan.special)
    return scan


# ----------------------------------------------------------------------------- exact path
def _scan_exact(xml: bytes, *, special: bool) -> SheetScan:
    """Read the sheet element by element, placing cells as calamine does (a cell without `r`
    follows the one before it; a row without `r` follows the row before it)."""
    from xml.parsers import expat

    scan = SheetScan()
    state = {"row": -1, "col": -1, "cell": None, "f": None, "v": "", "in": None, "t": ""}

    def local(name: str) -> str:
        return name.rsplit(":", 1)[-1]

    def start(name, attrs):
        tag = local(name)
        if tag == "row":
            r = attrs.get("r")
            state["row"] = int(r) - 1 if r and r.isdigit() else state["row"] + 1
            state["col"] = -1
            _within(state["row"], 0, f"dòng {format_number(state['row'] + 1)}")
        elif tag == "c":
            r = attrs.get("r")
            if r:
                r0, c0 = _ref(r)
                state["row"], state["col"] = r0, c0
            else:
                state["col"] += 1
                r0, c0 = max(state["row"], 0), state["col"]
            _within(r0, c0, f"ô {a1(r0, c0)}")
            scan.cells += 1
            if scan.cells > MAX_CELLS:
                raise SheetRefused("trang tính", f"có hơn {format_number(MAX_CELLS)} ô")
            state.update(cell=(r0, c0), f=None, v="", t=attrs.get("t", ""))
        elif tag in ("mergeCell", "hyperlink", "dimension") and attrs.get("ref"):
            check_range(attrs["ref"], {"mergeCell": "vùng ô gộp", "hyperlink": "liên kết ở vùng",
                                       "dimension": "vùng dữ liệu khai báo"}[tag])
        elif tag == "f" and state["cell"] is not None:
            state["f"], state["in"] = "", "f"
        elif tag == "v" and state["cell"] is not None:
            state["in"] = "v"

    def end(name):
        tag = local(name)
        if tag in ("f", "v"):
            state["in"] = None
        elif tag == "c" and state["cell"] is not None:
            if special:
                value = state["v"].strip()
                if state["t"] == "e":
                    scan.special[state["cell"]] = value or "#LỖI"
                elif state["f"] is not None and not value:
                    scan.special.setdefault(state["cell"], "=" + (state["f"] or "…"))
            state["cell"] = None

    def chars(data):
        if state["in"] == "f":
            state["f"] += data
        elif state["in"] == "v":
            state["v"] += data

    def refuse_dtd(*_args):
        raise SheetRefused("trang tính", "có khai báo DTD hoặc thực thể XML (không có trong tệp Excel thật)")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise SheetRefused("trang tính", f"nội dung XML bị hỏng ({expat.ErrorString(exc.code)})") from None
    return scan


__all__ = ["MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "SheetRefused", "SheetScan", "scan_sheet", "check_range", "col_index"]
