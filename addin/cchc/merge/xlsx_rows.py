"""Writing the long tables of the consolidated workbook fast.

openpyxl needs ~25 µs per cell to build and save; the per-unit sheet at national scale is
3,500 rows × ~110 columns, which would take longer than reading the 3,500 files. So the
workbook is built with openpyxl as usual (titles, headers, styles, merged cells, chart), with
each long table holding one *prototype* row: its cells carry the style of each column. After
openpyxl has saved, `inject_rows` replaces every prototype row by the real rows, written
straight as SpreadsheetML with the prototype's style ids, and rewrites the zip once.

Only what openpyxl itself wrote is patched (one `<row>` element per table, the `<dimension>`
element), so the rest of the package — styles, drawings, charts, defined names — is
untouched.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Sequence

from defusedxml import ElementTree as SafeET

from cchc.workbook.raw import col_letter

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>)')
_STYLE = re.compile(rb's="(\d+)"')


@dataclass
class BulkRows:
    sheet: str  # worksheet title
    first_row: int  # 1-based row of the prototype; the rows are written from here on
    rows: Iterable[Sequence[Any]]
    ncols: int


def _esc(s: str) -> str:
    if _NEEDS_ESCAPE.search(s) is None:
        return s
    s = _XML_BAD.sub("", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_cell(s: str, cache: dict[str, str]) -> str:
    """The `<is>` part of an inline-string cell; the same texts recur (names, messages)."""
    out = cache.get(s)
    if out is None:
        e = _esc(s)
        space = ' xml:space="preserve"' if e and (e[0] in _SPACES or e[-1] in _SPACES) else ""
        out = cache[s] = f' t="inlineStr"><is><t{space}>{e}</t></is></c>'
    return out


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet title → part name inside the package."""
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    out = {}
    for sh in wb.iter(f"{_NS}sheet"):
        target = targets[sh.get(f"{_REL_NS}id")]
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sh.get("name")] = part
    return out


def _render(rows: Iterable[Sequence[Any]], first_row: int, styles: list[str]) -> tuple[str, int]:
    """SpreadsheetML for the rows; returns (xml, last row number). A tight loop on purpose:
    it runs once per cell (385,000 cells for 3,500 units). Floats are written as they are
    (12.0 is the number 12 to every reader); NaN and ±inf become blank cells."""
    texts: dict[str, str] = {}
    ncols = len(styles)
    cols = list(zip([col_letter(c) for c in range(ncols)], styles))
    out: list[str] = []
    r = first_row - 1
    for r, row in enumerate(rows, start=first_row):
        rs = str(r)
        cells = []
        add = cells.append
        for (letter, st), v in zip(cols, row):
            t = type(v)
            if v is None:
                if st:
                    add(f'<c r="{letter}{rs}"{st}/>')
            elif t is int:
                add(f'<c r="{letter}{rs}"{st}><v>{v}</v></c>')
            elif t is float:
                if v - v == 0:  # finite
                    add(f'<c r="{letter}{rs}"{st}><v>{v!r}</v></c>')
                elif st:
                    add(f'<c r="{letter}{rs}"{st}/>')
            elif t is bool:
                add(f'<c r="{letter}{rs}"{st} t="b"><v>{int(v)}</v></c>')
            else:
                add(f'<c r="{letter}{rs}"{st}' + _text_cell(v if t is str else str(v), texts))
        for letter, st in cols[len(row):]:
            if st:
                add(f'<c r="{letter}{rs}"{st}/>')
        out.append(f'<row r="{rs}">{"".join(cells)}</row>')
    return "".join(out), r


_SPACES = " \t\n\r"


def _patch_sheet(xml: bytes, bulk: BulkRows) -> bytes:
    m = re.search(rb'<row r="%d"[ >/]' % bulk.first_row, xml)
    if m is None:
        raise ValueError(f"prototype row {bulk.first_row} missing in sheet {bulk.sheet}")
    start = m.start()
    end_data = xml.find(b"</sheetData>", start)
    proto = xml[start:end_data]
    if proto.count(b"<row ") != 1:
        raise ValueError(f"rows after the prototype row in sheet {bulk.sheet}")
    styles = [""] * bulk.ncols
    for m in _CELL.finditer(proto):
        col = 0
        for ch in m.group(1):
            col = col * 26 + ch - 64
        st = _STYLE.search(m.group(3))
        if col - 1 < bulk.ncols and st:
            styles[col - 1] = f' s="{st.group(1).decode()}"'
    body, last = _render(bulk.rows, bulk.first_row, styles)
    xml = xml[:start] + body.encode("utf-8") + xml[end_data:]
    last = max(last, bulk.first_row - 1)
    ref = f"A1:{col_letter(max(bulk.ncols, 1) - 1)}{max(last, 1)}"
    return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml, count=1)


def inject_rows(src: Path, dst: Path, tables: list[BulkRows]) -> None:
    """Copy the package `src` to `dst`, with each table's prototype row replaced by its rows."""
    with zipfile.ZipFile(src) as zin:
        parts = _sheet_parts(zin)
        by_part = {}
        for t in tables:
            if t.sheet not in parts:
                raise ValueError(f"no sheet {t.sheet!r}")
            by_part[parts[t.sheet]] = t
        with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename in by_part:
                    data = _patch_sheet(data, by_part[info.filename])
                    zout.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
                else:
                    zout.writestr(info, data)
