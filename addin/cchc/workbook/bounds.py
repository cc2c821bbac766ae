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
# Each pass over a sheet's XML costs about as much as unpacking it: the fast path makes few,
# and only with literal searches or patterns that begin with one.
#
# A cell whose reference has 3+ letters or a column past IV, a row of 5+ digits (≥ 10.000, or
# leading zeros), or anything but letters and digits (a character reference).
_FAR = re.compile(rb'<c r="(?:[A-Za-z]{3}|[A-Za-z]{1,2}\d{5}|[J-Zj-z][A-Za-z]\d|[Ii][W-Zw-z]\d|[^"]*[^A-Za-z0-9"])')
# A cell element not written `<c r="…"`: no reference, another attribute first, other spacing.
_ODD_CELL = re.compile(rb'<c(?:[\t\n\r>/]| (?!r="))')
_RANGE_ATTR = re.compile(rb'<(mergeCell|hyperlink|dimension)\b[^>]*?\sref\s*=\s*["\']([^"\']*)["\']')
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]+)</v>")
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)
_CELL_REF = re.compile(rb'<c r="([A-Za-z]+\d+)"')
_WHAT = {b"mergeCell": "vùng ô gộp", b"hyperlink": "liên kết ở vùng", b"dimension": "vùng dữ liệu khai báo"}


def _canonical(xml: bytes) -> bool:
    """Every cell element is written `<c r="…"` with no namespace prefix, and there is no DTD
    (which the exact path refuses). Where each cell is then is in its own `r`: rows do not
    matter (calamine and openpyxl place a cell by its reference)."""
    return b"<!" not in xml and b":c" not in xml and _ODD_CELL.search(xml) is None


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


def _special_fast(xml: bytes, out: dict[tuple[int, int], str]) -> None:
    """The error cells and the formulas without a value of a sheet written `<c r="…"` (a sheet
    of the template holds a few formula cells and usually no error): two literal passes."""
    marks = []
    if b't="e"' in xml:
        pos = xml.find(b't="e"')
        while pos != -1:
            marks.append(pos)
            pos = xml.find(b't="e"', pos + 5)
    pos = xml.find(b"<f")
    while pos != -1:
        if xml[pos + 2:pos + 3] in (b" ", b">", b"/"):
            marks.append(pos)
        pos = xml.find(b"<f", pos + 2)
    done = set()
    for at in marks:
        start = xml.rfind(b"<c ", 0, at)
        if start == -1 or start in done:
            continue
        done.add(start)
        head_end = xml.find(b">", start)
        end = head_end + 1 if xml[head_end - 1:head_end] == b"/" else xml.find(b"</c>", head_end)
        cell = xml[start:end if end != -1 else len(xml)]
        head = _CELL_REF.match(cell)
        if head is None:
            continue
        value = _VALUE.search(cell)
        if b't="e"' in xml[start:head_end]:
            out[_ref(head.group(1).decode())] = _text(value.group(1)) if value else "#LỖI"
        elif value is None:
            f = _FORMULA.search(cell)
            if f is not None:
                out[_ref(head.group(1).decode())] = "=" + (_text(f.group(1)) if f.group(1) else "…")


class SheetCells:
    """One sheet's XML (checked by scan_sheet), for looking up the cells that read blank.
    Indexed when a cell of the sheet first reads blank: only the cells holding a formula or
    an error value are located (two literal passes over the XML), and only a cell asked
    about is examined. A sheet not written the usual way is read exactly."""

    def __init__(self, xml: bytes):
        self._xml = xml
        self._marked: dict[bytes, int] | None = None  # reference → offset of its <c
        self._exact: dict[tuple[int, int], str] | None = None

    def _index(self) -> None:
        xml = self._xml
        if not _canonical(xml):
            self._exact = _scan_exact(xml, special=True).special
            self._marked = {}
            return
        marked: dict[bytes, int] = {}
        for needle in (b't="e"', b"<f"):
            pos = xml.find(needle)
            while pos != -1:
                start = xml.rfind(b'<c r="', 0, pos)
                if start != -1:
                    ref = xml[start + 6:xml.find(b'"', start + 6)]
                    marked.setdefault(ref, start)
                pos = xml.find(needle, pos + 2)
        self._marked = marked

    def special(self, r0: int, c0: int) -> str | None:
        """What the cell (r0, c0) holds that calamine reads as blank (see SheetScan.special)."""
        if self._marked is None:
            self._index()
        if self._exact is not None:
            return self._exact.get((r0, c0))
        start = self._marked.get(a1(r0, c0).encode())
        if start is None:
            return None
        xml = self._xml
        head_end = xml.find(b">", start)
        if xml[head_end - 1:head_end] == b"/":
            return "#LỖI" if b't="e"' in xml[start:head_end] else None
        end = xml.find(b"</c>", head_end)
        cell = xml[start:end if end != -1 else len(xml)]
        value = _VALUE.search(cell)
        if b't="e"' in xml[start:head_end]:
            return _text(value.group(1)) if value else "#LỖI"
        if value is None:
            f = _FORMULA.search(cell)
            if f is not None:
                return "=" + (_text(f.group(1)) if f.group(1) else "…")
        return None


def scan_sheet(xml: bytes, *, openpyxl: bool = False, special: bool = True) -> SheetScan:
    """How far the sheet reaches (SheetRefused past the limits) and its special cells.
    openpyxl=True: also what openpyxl expands or holds per cell (merged ranges, hyperlinks,
    the declared dimension, the number of cells), before `cchc check --mark` or `cchc fill`
    load the workbook with it; calamine needs only the cells' references."""
    if not _canonical(xml) or _FAR.search(xml) is not None:
        return _scan_exact(xml, special=special)  # say exactly which cell, and be sure
    scan = SheetScan()
    if openpyxl:
        scan.cells = xml.count(b"<c ")
        if xml.count(b"<row") > MAX_ROWS:  # openpyxl keeps an object per row element
            raise SheetRefused("trang tính", f"có hơn {format_number(MAX_ROWS)} dòng")
        dim = xml.find(b"<dimension")
        if dim != -1:
            m = _RANGE_ATTR.match(xml, dim)
            if m:
                check_range(m.group(2).decode("ascii", "replace"), _WHAT[m.group(1)])
        for tag in (b"<mergeCell", b"<hyperlink"):
            if tag in xml:
                for m in _RANGE_ATTR.finditer(xml, xml.find(tag)):
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
    state = {"row": -1, "col": -1, "cell": None, "f": None, "v": "", "in": None, "t": "", "rows": 0, "far": None}

    def local(name: str) -> str:
        return name.rsplit(":", 1)[-1]

    def start(name, attrs):
        tag = local(name)
        if tag == "row":
            r = attrs.get("r")
            state["row"] = int(r) - 1 if r and r.isdigit() else state["row"] + 1
            state["col"] = -1
            state["rows"] += 1
            if state["far"] is None and state["row"] >= MAX_ROWS:
                state["far"] = state["row"]  # refused below, unless a cell names a place first
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
    if state["far"] is not None:
        _within(state["far"], 0, f"dòng {format_number(state['far'] + 1)}")
    if state["rows"] > MAX_ROWS:
        raise SheetRefused("trang tính", f"có hơn {format_number(MAX_ROWS)} dòng")
    return scan


__all__ = ["MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "SheetRefused", "SheetScan", "scan_sheet", "SheetCells", "check_range", "col_index"]
