"""What a worksheet's XML holds, found before any reader builds a grid from it.

calamine turns a sheet into a dense grid from A1 to its farthest non-empty cell, and openpyxl
makes one object per cell of a merged range or a hyperlinked range: a crafted sheet with one
value at XFD1048576 asks for ~512 GB and the process aborts. `scan_sheet` reads the sheet XML
(already unpacked, bounded in size by the zip checks) and says how far it reaches, without
building anything per cell in the usual case:

- the fast path (files written by Excel, LibreOffice, openpyxl: every cell written
  `<c r="A1"`) looks, in one pass, for a cell written otherwise or reaching past IV9999;
- anything else (no `r`, another attribute first, namespace prefixes, character references,
  a row of 10.000) is read exactly, with expat, placing cells the way calamine does.

`SheetCells` then finds, for a cell that calamine hands back blank, what it really holds: an
error value (`#DIV/0!`, `#N/A`) or a formula saved without a computed value (what openpyxl and
some tools write). The reader reports those at their cells instead of reading "no data"."""

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
    cells: int = 0  # counted for openpyxl only
    formulas: list[int] | None = None  # where formulas start (fast path), for SheetCells
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
# Each pass over a sheet's XML costs about a third of unpacking it: the fast path makes two, with
# patterns that begin with a literal (which the regex engine finds at memchr speed).
#
# A cell element that is not `<c r="A1"` with a reference inside IV9999 (a row of at most four
# digits, a column of one letter or two up to IV): written otherwise (no reference, another
# attribute first, other spacing), or reaching further. Then the exact path decides. And, in
# the same pass, the start of each formula.
_UNSURE_CELL_OR_FORMULA = re.compile(
    rb'<c(?! r="(?:[A-Za-z]|[A-Ha-h][A-Za-z]|[Ii][A-Va-v])\d{1,4}")(?=[\s>/])|<f[\s>/]')
# A cell element with a namespace prefix: calamine reads any `<p:c>` as a cell.
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_ERROR_TYPE = re.compile(rb't="e"')
_RANGE_ATTR = re.compile(rb'<(mergeCell|hyperlink|dimension)\b[^>]*?\sref\s*=\s*["\']([^"\']*)["\']')
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]+)</v>")
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>(.*?)</f>)", re.S)
_CELL_REF = re.compile(rb'<c r="([A-Za-z]+\d+)"')
_WHAT = {b"mergeCell": "vùng ô gộp", b"hyperlink": "liên kết ở vùng", b"dimension": "vùng dữ liệu khai báo"}


def _has_dtd(xml: bytes) -> bool:
    """A DTD (and its entities) can only come before the root element."""
    root = xml.find(b"worksheet")
    return b"<!" in xml[:root if root != -1 else len(xml)]


def _formulas_if_usual(xml: bytes) -> list[int] | None:
    """Where the formulas start, when every cell is written the usual way and within IV9999;
    None when the exact path must read the sheet."""
    if _has_dtd(xml) or _PREFIXED_CELL.search(xml) is not None:
        return None
    formulas = []
    for m in _UNSURE_CELL_OR_FORMULA.finditer(xml):
        if xml[m.start() + 1:m.start() + 2] == b"c":
            return None
        formulas.append(m.start())
    return formulas


def _text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


def _examine(xml: bytes, start: int) -> str | None:
    """The special content of the cell whose `<c r="…"` starts at `start`, if any."""
    head_end = xml.find(b">", start)
    if head_end == -1:
        return None
    is_error = _ERROR_TYPE.search(xml, start, head_end) is not None
    if xml[head_end - 1:head_end] == b"/":
        return "#LỖI" if is_error else None
    end = xml.find(b"</c>", head_end)
    cell = xml[start:end if end != -1 else len(xml)]
    value = _VALUE.search(cell)
    if is_error:
        return _text(value.group(1)) if value else "#LỖI"
    if value is None:
        f = _FORMULA.search(cell)
        if f is not None:
            return "=" + (_text(f.group(1)) if f.group(1) else "…")
    return None


class SheetCells:
    """One sheet's XML (checked by scan_sheet), for looking up the cells that read blank.
    Indexed when a cell of the sheet first reads blank: only the cells holding a formula or
    an error value are located, and only a cell asked about is examined. A sheet not written
    the usual way is read exactly."""

    def __init__(self, xml: bytes, formulas: list[int] | None = None, *, usual: bool | None = None):
        self._xml = xml
        self._formulas = formulas  # where its formulas start, when scan_sheet found them
        self._usual = usual
        self._marked: dict[bytes, int] | None = None  # reference → offset of its <c
        self._exact: dict[tuple[int, int], str] | None = None

    def _index(self) -> None:
        xml = self._xml
        formulas = self._formulas
        if formulas is None and self._usual is not False:
            formulas = _formulas_if_usual(xml)
        if formulas is None:
            self._exact, self._marked = _scan_exact(xml, special=True).special, {}
            return
        marked: dict[bytes, int] = {}
        for pos in [*formulas, *(m.start() for m in _ERROR_TYPE.finditer(xml))]:
            start = xml.rfind(b'<c r="', 0, pos)
            if start != -1:
                marked.setdefault(xml[start + 6:xml.find(b'"', start + 6)], start)
        self._marked = marked

    def special(self, r0: int, c0: int) -> str | None:
        """What the cell (r0, c0) holds that calamine reads as blank (see SheetScan.special)."""
        if self._marked is None:
            self._index()
        if self._exact is not None:
            return self._exact.get((r0, c0))
        start = self._marked.get(a1(r0, c0).encode())
        return None if start is None else _examine(self._xml, start)


def scan_sheet(xml: bytes, *, openpyxl: bool = False, special: bool = True) -> SheetScan:
    """How far the sheet reaches (SheetRefused past the limits) and its special cells
    (special=False: leave them to SheetCells). openpyxl=True: also what openpyxl expands or
    holds per element (merged ranges, hyperlinks, the declared dimension, the number of cells
    and rows), before `cchc check --mark` or `cchc fill` load the workbook with it; calamine
    needs only the cells' references."""
    formulas = _formulas_if_usual(xml)
    if formulas is None:
        return _scan_exact(xml, special=special)  # say exactly which cell, and be sure
    scan = SheetScan(formulas=formulas)
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
        cells = SheetCells(xml, formulas)
        cells._index()
        scan.special = {_ref(ref.decode()): found for ref, start in cells._marked.items()
                        if (found := _examine(xml, start)) is not None}
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
