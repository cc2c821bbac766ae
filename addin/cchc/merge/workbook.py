"""The consolidated workbook (TONG_HOP.xlsx).

Sheets:
- "Tổng hợp": the forms in the commune template's layout (STT, chỉ tiêu, đơn vị tính, số liệu)
  holding the totals, with how many units gave each row, the minimum and maximum of typed
  percentages, and how each total was made.
- "Chi tiết theo đơn vị": one row per merged unit, one column per indicator; codes and short
  labels in two header rows; autofilter; frozen panes.
- "Tình hình nộp báo cáo": every expected unit and every file met, with its state, period,
  number of errors and warnings and the reason it was not merged; the reporting rate (per
  group too when the --units list has groups).
- "Kiểm tra": every finding of every file, with file, sheet and cell.
- "Xếp hạng" (when the kind ranks): units ranked on the key ratios, and a bar chart of how
  many units fall in each 10-point band.
- one sheet per extra table of the kind module.

Styles come from the commune template's builder (`cchc.workbook.template`); the long tables
are written through `cchc.merge.xlsx_rows` (see there why).
"""

from __future__ import annotations

import gc
import io
import math
import os
from copy import copy
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from cchc.checks.sheet import values_text
from cchc.findings import SEVERITY_LABELS
from cchc.merge.total_rows import TOTAL_COLUMNS, total_row
from cchc.merge.xlsx_rows import BulkRows, inject_rows
from cchc.report.context import appendix_title
from cchc.numbers import format_number, format_pct
from cchc.workbook import style as S
from cchc.atomic import atomic_write
from cchc.merge.discover import MERGE_KEYWORDS
from cchc.workbook.template import (
    _BORDER,
    _COMPUTED_FILL,
    _HEADER_FILL,
    _INPUT_FILL,
    _NUMBER_FORMATS,
    _font,
    _title,
)

SHEET_TOTALS = "Tổng hợp"
SHEET_DETAIL = "Chi tiết theo đơn vị"
SHEET_STATUS = "Tình hình nộp báo cáo"
SHEET_FINDINGS = S.SHEET_FINDINGS  # "Kiểm tra"
SHEET_RANKING = "Xếp hạng"

PCT_FORMAT = _NUMBER_FORMATS["ratio"]  # 0.00
_COLUMN_FORMATS = {"int": "#,##0", "number": "#,##0.##", "pct": PCT_FORMAT, "text": "@"}

# Bands of the distribution chart: [0, 10), [10, 20), … [90, 100), ≥ 100.
BANDS = [(i * 10, (i + 1) * 10) for i in range(10)] + [(100, math.inf)]


def band_label(lo: float, hi: float) -> str:
    if hi == math.inf:
        return f"Từ {lo}% trở lên"
    return f"Dưới {hi}%" if lo == 0 else f"{lo}% – dưới {hi}%"


def band_counts(values) -> list[int]:
    """Units per band; blanks (None, NaN), ±inf and values below 0 fall in none. The bands
    follow each other, so a value's band is the last one whose lower end is ≤ it."""
    import numpy as np

    v = np.asarray(list(values), dtype=float)  # None → NaN
    v = v[np.isfinite(v)]
    band = np.searchsorted(np.array([lo for lo, _ in BANDS], dtype=float), v, side="right") - 1
    return np.bincount(band[band >= 0], minlength=len(BANDS)).tolist()


def _clean(v: Any) -> Any:
    """NaN → None; whole floats → int (so a count shows as 12, not 12.0)."""
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if v.is_integer() and abs(v) < 2**53:
            return int(v)
    return v


def _clean_all(values) -> list[Any]:
    """`_clean` of each value; floats without a function call (3,500 units × the ranked ratios)."""
    return [(None if v != v else int(v) if v.is_integer() and abs(v) < 2**53 else v)
            if type(v) is float else _clean(v) for v in values]


class _StyleCache:
    """openpyxl spends ~100 µs hashing style objects on each assignment; cells that look alike
    get a copy of the first one's style array instead. Only for cells not styled before: the
    whole style array is replaced."""

    def __init__(self):
        self.cache: dict = {}

    def apply(self, cell, key, make, *args) -> None:
        """Style `cell` as `make(cell, *args)` would; `key` names that look."""
        arr = self.cache.get(key)
        if arr is None:
            make(cell, *args)
            self.cache[key] = copy(cell._style)
        else:
            cell._style = copy(arr)


# Style ids belong to a workbook: one cache per workbook.
_STYLE_CACHES: WeakKeyDictionary = WeakKeyDictionary()


def _styles(ws) -> _StyleCache:
    cache = _STYLE_CACHES.get(ws.parent)
    if cache is None:
        cache = _STYLE_CACHES[ws.parent] = _StyleCache()
    return cache


def _style_header(cell) -> None:
    cell.font = _font(11, bold=True)
    cell.fill = _HEADER_FILL
    cell.border = _BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _header_cell(ws, r: int, c: int, text: str) -> None:
    _styles(ws).apply(ws.cell(r, c, text), "header", _style_header)


def _style_proto(cell, fmt: str | None, wrap: bool) -> None:
    cell.font = _font(11)
    cell.border = _BORDER
    if fmt:
        cell.number_format = fmt
    cell.alignment = Alignment(vertical="top", wrap_text=wrap)


def _proto_row(ws, r: int, formats: list[str | None], wrap: set[int] = frozenset()) -> None:
    """The prototype row of a long table: one styled, empty cell per column."""
    styles = _styles(ws)
    for c, fmt in enumerate(formats, start=1):
        styles.apply(ws.cell(r, c), ("proto", fmt, c in wrap), _style_proto, fmt, c in wrap)


def _style_band(cell) -> None:
    cell.border = _BORDER
    cell.font = _font(11)


def _widths(ws, widths: list[float]) -> None:
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w


def row_heights(columns: list[list[Any]], widths: list[float], wrap: set[int], size: float = 11) -> list[float | None]:
    """The height of each row of a long table whose `wrap` columns (1-based) wrap their text:
    enough lines for the longest, estimated from the column width (a width unit holds about
    1,3 characters of Times New Roman 11 pt prose, as LibreOffice lays it out); None for one line."""
    n = len(columns[0]) if columns else 0
    lines = [1] * n
    for c in wrap:
        per_line = max(4, int((widths[c - 1] - 1) * 1.3 * 11.0 / size))
        for i, v in enumerate(columns[c - 1]):
            if isinstance(v, str) and len(v) > per_line:
                k = sum(max(1, -(-len(part) // per_line)) for part in v.split("\n"))
                if k > lines[i]:
                    lines[i] = k
    return [round(k * size * 1.32 + 3, 1) if k > 1 else None for k in lines]


def _value_format(kind: str) -> str | None:
    return _NUMBER_FORMATS.get(kind, "0" if kind in ("flag", "choice") else None)


# ----------------------------------------------------------------------------- printing
def _print_landscape(ws, title_rows: str | None, *, pages_wide: int = 1, title_cols: str | None = None) -> None:
    """A4 landscape, fitted to `pages_wide` pages across (as many down as needed), the header
    rows (and columns) repeated on every page, "Trang x/y" at the foot."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.size = 9


# ----------------------------------------------------------------------------- Tổng hợp
def _style_total_cell(c, key: str, strong: bool, kind: str, level: int, aggregate: str) -> None:
    c.border = _BORDER
    c.font = _font(11, bold=strong)
    c.alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
    if key == "label":
        c.alignment = Alignment(vertical="center", wrap_text=True, indent=level - 1)
        c.font = _font(11, bold=strong, italic=kind == "ratio")
    elif key == "how":
        c.alignment = Alignment(vertical="center", wrap_text=True)
        c.font = _font(10, italic=True)
    if kind == "group":
        if key == "value":
            c.fill = _COMPUTED_FILL
        return
    fmt = _NUMBER_FORMATS.get(kind) or ("#,##0" if kind == "flag" else None)
    if key in ("value", "min", "max") and fmt:
        c.number_format = fmt
    if key == "value" and aggregate == "mean" and kind in ("count", "money"):
        c.number_format = "#,##0.0"  # an average of counts: 172,7 procedures
    if key == "n":
        c.number_format = "#,##0"
    if key == "value":
        c.fill = _COMPUTED_FILL if kind == "ratio" else _INPUT_FILL


def _sheet_totals(wb: Workbook, result) -> None:
    """The forms under one header row (repeated on every printed page), each form a title row."""
    cat, totals = result.catalogue, result.totals
    ws = wb.create_sheet(SHEET_TOTALS)
    columns = list(TOTAL_COLUMNS)
    if result.comparison:  # --compare: the earlier merges' values and the changes at the right
        from cchc.merge.compare import totals_columns, totals_values

        columns += totals_columns(result.comparison)
    ncols = len(columns)
    last_col = get_column_letter(ncols)
    n_merged = len(result.merged_units)
    _title(ws, appendix_title(cat), f"Tổng hợp {result.period_text} — {n_merged} đơn vị", last_col)
    _widths(ws, [col.width for col in columns])
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncols)
    note = ws.cell(3, 1, "Số lượng được cộng, tỷ lệ được tính lại từ tổng tử số và tổng mẫu số; cột «Cách tổng "
                         "hợp» ghi cách làm của từng dòng. Thấp nhất, cao nhất: số của một đơn vị.")
    note.font = _font(10, italic=True)
    note.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[3].height = 28
    header = 4
    for c, col in enumerate(columns, start=1):
        _header_cell(ws, header, c, col.header)
    ws.row_dimensions[header].height = 30
    r = header + 1
    styles = _styles(ws)
    widths = [col.width for col in columns]
    wrap = {c for c, col in enumerate(columns, start=1) if col.key in ("label", "unit", "how")}
    for form in cat.forms:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        t = ws.cell(r, 1, f"{form.title}: {form.subtitle}" if form.subtitle else form.title)
        t.font = _font(12, bold=True)
        t.fill = _HEADER_FILL
        t.border = _BORDER
        t.alignment = Alignment(vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = 22
        r += 1
        for row in form.rows:
            strong = row.level == 1 or row.type == "group"
            values = total_row(row, totals.summaries.get(row.ref))
            line = [values.get(col.key) for col in TOTAL_COLUMNS]
            if result.comparison:
                line += totals_values(result.comparison, row)
            for c, col in enumerate(columns, start=1):
                cell = ws.cell(r, c)
                key = (col.key, strong, row.type, row.level, row.aggregate)
                styles.apply(cell, ("total", *key), _style_total_cell, *key)
                cell.value = line[c - 1]
            (height,) = row_heights([[v] for v in line], widths, wrap)
            if height:
                ws.row_dimensions[r].height = height
            r += 1
        if form.note:
            ws.cell(r, 1, form.note).font = _font(10, italic=True)
            r += 1
    ws.freeze_panes = f"A{header + 1}"
    ws.print_area = f"A1:{last_col}{r - 1}"
    _print_landscape(ws, f"{header}:{header}")


# ----------------------------------------------------------------------------- detail
def detail_columns(cat) -> list:
    """The indicator columns of the per-unit table: every input and ratio row, in order."""
    return [row for row in cat.rows() if row.type != "group"]


def _sheet_detail(wb: Workbook, result, has_groups: bool) -> BulkRows:
    cat = result.catalogue
    ws = wb.create_sheet(SHEET_DETAIL)
    fixed = ["STT", "Mã ĐVHC", "Đơn vị"] + (["Nhóm"] if has_groups else []) + ["Tệp", "Số lỗi", "Số cảnh báo"]
    rows_cat = detail_columns(cat)
    nfix = len(fixed)
    for c, text in enumerate(fixed, start=1):
        _header_cell(ws, 1, c, "")
        _header_cell(ws, 2, c, text)
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
        ws.cell(1, c).value = text
    for i, row in enumerate(rows_cat):
        c = nfix + 1 + i
        _header_cell(ws, 1, c, row.ref)
        _header_cell(ws, 2, c, row.short or row.label)
    ws.row_dimensions[2].height = 60
    widths = [6, 10, 30] + ([18] if has_groups else []) + [28, 8, 10] + [13] * len(rows_cat)
    _widths(ws, widths)
    formats: list[str | None] = ["0", "@", None] + ([None] if has_groups else []) + [None, "0", "0"]
    formats += [_value_format(row.type) for row in rows_cat]
    _proto_row(ws, 3, formats)
    ncols = nfix + len(rows_cat)
    n = len(result.merged_units)
    ws.freeze_panes = ws.cell(3, nfix + 1).coordinate
    ws.auto_filter.ref = f"A2:{get_column_letter(ncols)}{max(n + 2, 3)}"
    # ~110 indicator columns: printed across several pages (about 14 indicators a page), the
    # unit's number, code and name repeated at the left of each.
    _print_landscape(ws, "1:2", pages_wide=max(1, math.ceil(len(rows_cat) / 14)),
                     title_cols=f"A:{get_column_letter(3 + has_groups)}")

    units = result.merged_units
    files = [u.merged for u in units]
    columns = [list(range(1, n + 1)), [u.code for u in units], [u.name for u in units]]
    if has_groups:
        columns.append([u.group or None for u in units])
    tallies = [f.tally() for f in files]
    columns += [[os.path.basename(f.path) for f in files], [e for e, _ in tallies], [w for _, w in tallies]]
    frame, ratios = result.frame, result.unit_ratios
    for row in rows_cat:  # floats as they are: NaN → blank in xlsx_rows
        columns.append((ratios if row.type == "ratio" else frame)[row.ref].tolist())
    return BulkRows(SHEET_DETAIL, 3, None, ncols, columns=columns)


# ----------------------------------------------------------------------------- status
def group_rates(result) -> list[tuple[str, int, int, int]]:
    """(group, units expected, units that sent a file, units merged) per group of the --units
    list. A unit whose only file was refused (another period …) did send its report."""
    groups: dict[str, list[int]] = {}
    for u in result.expected_units:
        g = groups.setdefault(u.group or "(không ghi nhóm)", [0, 0, 0])
        g[0] += 1
        g[1] += bool(u.files)
        g[2] += u.merged is not None
    return [(name, a, b, c) for name, (a, b, c) in groups.items()]


def status_rows(result, has_groups: bool) -> list[list[Any]]:
    """One row per (unit, file): units without a file get one row; files without a unit last."""
    out = []
    seen: set[int] = set()
    periods: dict = {}
    listed = any(u.expected for u in result.units)
    units = [u for u in result.units if u.expected or not listed]  # outside the list: below
    for i, u in enumerate(units, start=1):
        head = [i, u.code, u.name] + ([u.group or None] if has_groups else [])
        state = u.state_label
        if not u.files:
            out.append(head + [state, None, None, None, None, None, None])
        for f in u.files:
            seen.add(id(f))
            errors, warnings = f.tally() if not f.error else (None, None)
            out.append(head + [state, os.path.basename(f.path), f.state_label, _period_of(f, periods),
                               errors, warnings, f.reason or None])
    for f in result.files:
        if id(f) in seen:
            continue
        name = f.info.get("don_vi") if f.info else None
        code = f.info.get("ma_dvhc") if f.info else None
        head = [None, code, name] + ([None] if has_groups else [])
        errors, warnings = f.tally() if f.info else (None, None)
        out.append(head + [None, os.path.basename(f.path), f.state_label, _period_of(f, periods),
                           errors, warnings, f.reason or None])
    return out


def _period_of(f, memo: dict | None = None) -> str | None:
    ky, nam = f.info.get("ky"), f.info.get("nam")
    if memo is not None and (ky, nam) in memo:  # the files of one merge mostly share a period
        return memo[ky, nam]
    text = " ".join(str(x) for x in ((ky or ""), (f"năm {nam}" if nam else "")) if x) if ky or nam else None
    if memo is not None:
        memo[ky, nam] = text
    return text


def _rate_cell(ws, r: int, c: int, part: int, whole: int) -> None:
    """A rate as a number formatted 0.00%: the cell shows what format_pct writes (both round
    half up)."""
    cell = ws.cell(r, c, part / whole if whole else None)
    cell.number_format = "0.00%"
    cell.border = _BORDER
    cell.font = _font(11)
    cell.alignment = Alignment(horizontal="center")


def _sheet_status(wb: Workbook, result, has_groups: bool) -> BulkRows:
    ws = wb.create_sheet(SHEET_STATUS)
    cols = ["STT", "Mã ĐVHC", "Đơn vị"] + (["Nhóm"] if has_groups else []) + [
        "Tình trạng đơn vị", "Tệp", "Tình trạng tệp", "Kỳ báo cáo của tệp", "Số lỗi", "Số cảnh báo", "Lý do, ghi chú"]
    last_col = get_column_letter(len(cols))
    merged, expected = result.reporting
    sent = result.submitted[0]
    _title(ws, "TÌNH HÌNH NỘP BÁO CÁO",
           f"{result.period_text}: đã nộp {sent}/{expected} đơn vị"
           + (f" ({format_pct(sent / expected * 100)})" if expected else "")
           + f", đã tổng hợp {merged}/{expected} đơn vị"
           + (f" ({format_pct(merged / expected * 100)})" if expected else ""), last_col)
    r = 3
    missing = sum(1 for u in result.expected_units if u.state == "missing")
    excluded = sum(1 for u in result.expected_units if u.state == "excluded")
    line = (f"Chưa nộp: {missing} đơn vị. Có nộp nhưng không tổng hợp được: {excluded} đơn vị. "
            f"Tệp không tổng hợp: {len(result.excluded_files)}; tệp bỏ qua (không phải Excel): "
            f"{len(result.skipped_files)}.")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(cols))
    ws.cell(r, 1, line).font = _font(11, italic=True)
    r += 2
    # Rates, overall then by group; the group's name in the wide "Đơn vị" column.
    heads = ("Nhóm", "Phải nộp", "Đã nộp", "Đã tổng hợp", "Tỷ lệ nộp", "Tỷ lệ tổng hợp")
    for c, text in enumerate(heads, start=3):
        _header_cell(ws, r, c, text)
    ws.row_dimensions[r].height = 30
    r += 1
    rows = ([("Toàn bộ", expected, sent, merged)]
            + ([(name, a, b, c) for name, a, b, c in group_rates(result)] if has_groups else []))
    for i, (name, a, b, c) in enumerate(rows):
        label = ws.cell(r, 3, name)
        label.font = _font(11, bold=i == 0)
        label.border = _BORDER
        label.alignment = Alignment(wrap_text=True, vertical="center")
        for col, v in ((4, a), (5, b), (6, c)):
            cell = ws.cell(r, col, v)
            cell.border = _BORDER
            cell.font = _font(11, bold=i == 0)
            cell.alignment = Alignment(horizontal="center")
        _rate_cell(ws, r, 7, b, a)
        _rate_cell(ws, r, 8, c, a)
        r += 1
    r += 1
    for c, text in enumerate(cols, start=1):
        _header_cell(ws, r, c, text)
    header = r
    widths = [6, 10, 30] + ([22] if has_groups else []) + [18, 28, 18, 14, 8, 10, 60]
    _widths(ws, widths)
    formats = ["0", "@", None] + ([None] if has_groups else []) + [None, None, None, None, "0", "0", None]
    wrap = {3, 4 + has_groups, 5 + has_groups, 7 + has_groups, len(cols)}
    _proto_row(ws, header + 1, formats, wrap=wrap)
    ws.cell(header + 1, 1).alignment = Alignment(horizontal="center", vertical="top")
    rows = status_rows(result, has_groups)
    columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in cols]
    ws.freeze_panes = ws.cell(header + 1, 4).coordinate
    ws.auto_filter.ref = f"A{header}:{last_col}{max(header + len(rows), header + 1)}"
    _print_landscape(ws, f"{header}:{header}")
    return BulkRows(SHEET_STATUS, header + 1, None, len(cols), columns=columns,
                    heights=row_heights(columns, widths, wrap))


# ----------------------------------------------------------------------------- findings
FINDING_COLUMNS = ["Mã ĐVHC", "Đơn vị", "Tệp", "Tình trạng tệp",
                   "Mức độ", "Ô", "Trang", "Chỉ tiêu", "Nội dung", "Giá trị liên quan", "Mã kiểm tra"]


def finding_columns(result) -> list[list[Any]]:
    """The columns of FINDING_COLUMNS, one entry per finding of every file: unit and file,
    then the columns of `cchc check`'s own "Kiểm tra" sheet. Built column by column: 3,500
    units give ~40,000 findings."""
    codes: list[Any] = []
    names: list[Any] = []
    bases: list[str] = []
    states: list[str] = []
    found: list[Any] = []
    for f in result.files:
        if not f.findings:
            continue
        k = len(f.findings)
        codes += repeat(f.info.get("ma_dvhc"), k)
        names += repeat(f.info.get("don_vi"), k)
        bases += repeat(os.path.basename(f.path), k)
        states += repeat(f.state_label, k)
        found += f.findings

    blank = {"": None}.get  # blank(v, v): "" → None, else v

    def column(attr: str) -> list[Any]:
        values = list(map(attrgetter(attr), found))
        return list(map(blank, values, values))

    severities = list(map(attrgetter("severity"), found))
    severities = list(map(SEVERITY_LABELS.get, severities, severities))
    addresses = [x.address or None for x in found]
    texts = list(map(values_text, found))
    return [codes, names, bases, states, severities, addresses, column("sheet"), column("ref"),
            list(map(attrgetter("message"), found)), list(map(blank, texts, texts)), column("rule_id")]


def _sheet_findings(wb: Workbook, result) -> BulkRows:
    ws = wb.create_sheet(SHEET_FINDINGS)
    cols = FINDING_COLUMNS
    last_col = get_column_letter(len(cols))
    columns = finding_columns(result)
    n = len(columns[0])
    errors = columns[4].count(SEVERITY_LABELS["error"])
    _title(ws, "KẾT QUẢ KIỂM TRA SỐ LIỆU CỦA CÁC ĐƠN VỊ",
           f"{format_number(n)} phát hiện, trong đó {format_number(errors)} lỗi", last_col)
    for c, text in enumerate(cols, start=1):
        _header_cell(ws, 3, c, text)
    widths = [9, 22, 20, 14, 9, 12, 11, 9, 70, 24, 18]
    wrap = {2, 3, 4, 9, 10}
    _widths(ws, widths)
    _proto_row(ws, 4, ["@"] + [None] * (len(cols) - 1), wrap=wrap)
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{last_col}{max(3 + n, 4)}"
    _print_landscape(ws, "3:3")
    return BulkRows(SHEET_FINDINGS, 4, None, len(cols), columns=columns, heights=row_heights(columns, widths, wrap))


# ----------------------------------------------------------------------------- ranking
NOT_RANKED = "Không xếp hạng"


def ranking_columns(result, has_groups: bool) -> list[list[Any]]:
    """The «Xếp hạng» table column by column: for each key indicator, its ranked units (best
    first, equal values sharing a rank), then the units not ranked on it with the reason."""
    cols: list[list[Any]] = [[] for _ in range(9 + has_groups)]
    for ranking in result.rankings:
        row = ranking.row
        name = f"{row.ref} {row.short or row.label}"
        for place in ranking.ranked + ranking.not_ranked:
            u = place.unit
            line = [name, place.rank if place.rank is not None else NOT_RANKED, u.code, u.name]
            line += [u.group or None] if has_groups else []
            line += [place.value, row.unit or None, place.num, place.den, place.reason or None]
            for c, v in zip(cols, line):
                c.append(v)
    return cols


def _sheet_ranking(wb: Workbook, result, has_groups: bool) -> BulkRows | None:
    refs = list(result.plan.kind.ranked)
    if not refs:
        return None
    ws = wb.create_sheet(SHEET_RANKING)
    rankings = result.rankings
    cols = ["Chỉ tiêu", "Hạng", "Mã ĐVHC", "Đơn vị"] + (["Nhóm"] if has_groups else []) + [
        "Giá trị", "Đơn vị tính", "Tử số", "Mẫu số", "Ghi chú (lý do không xếp hạng)"]
    last_col = get_column_letter(len(cols))
    _title(ws, "XẾP HẠNG CÁC ĐƠN VỊ THEO CÁC CHỈ TIÊU CHÍNH",
           f"{result.period_text}: mỗi chỉ tiêu xếp từ cao xuống thấp; đơn vị có lỗi số liệu ở chỉ tiêu đó "
           "hoặc không có số liệu không được xếp hạng (ghi ngay dưới bảng của chỉ tiêu, kèm lý do)", last_col)
    # Distribution: ranked units per 10-point band, one series per key indicator; the chart reads it.
    r0 = 4
    _header_cell(ws, r0, 2, "Khoảng tỷ lệ")
    for j, ranking in enumerate(rankings):
        _header_cell(ws, r0, 3 + j, f"{ranking.ref} {ranking.row.short}")
    ws.row_dimensions[r0].height = 45
    series = [band_counts([p.value for p in ranking.ranked]) for ranking in rankings]
    styles = _styles(ws)
    for i, (lo, hi) in enumerate(BANDS):
        styles.apply(ws.cell(r0 + 1 + i, 2, band_label(lo, hi)), "band", _style_band)
        for j in range(len(rankings)):
            styles.apply(ws.cell(r0 + 1 + i, 3 + j, series[j][i]), "band", _style_band)
    last_band = r0 + len(BANDS)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = "Số đơn vị được xếp hạng theo khoảng tỷ lệ"
    chart.y_axis.title = "Số đơn vị"
    chart.x_axis.title = "Khoảng tỷ lệ"
    data = Reference(ws, min_col=3, max_col=2 + len(refs), min_row=r0, max_row=last_band)
    cats = Reference(ws, min_col=2, min_row=r0 + 1, max_row=last_band)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height = 7.5
    chart.width = 20
    ws.add_chart(chart, ws.cell(r0, 4 + len(refs)).coordinate)

    header = last_band + 6
    for c, text in enumerate(cols, start=1):
        _header_cell(ws, header, c, text)
    ws.row_dimensions[header].height = 30
    widths = [26, 13, 10, 26] + ([20] if has_groups else []) + [10, 9, 10, 10, 60]
    wrap = {1, 2, 4, len(cols)}
    _widths(ws, widths)
    formats: list[str | None] = [None, "0", "@", None] + ([None] if has_groups else []) + [
        "0.00", None, "#,##0", "#,##0", None]
    _proto_row(ws, header + 1, formats, wrap=wrap)
    for c in (2, 3, 6 + has_groups):  # rank, code, unit of measure: centred
        cell = ws.cell(header + 1, c)
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=c in wrap)
    columns = ranking_columns(result, has_groups)
    n = len(columns[0])
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    ws.auto_filter.ref = f"A{header}:{last_col}{max(header + n, header + 1)}"
    _print_landscape(ws, f"{header}:{header}")
    return BulkRows(SHEET_RANKING, header + 1, None, len(cols), columns=columns,
                    heights=row_heights(columns, widths, wrap))


# ----------------------------------------------------------------------------- extra tables
def _sheet_table(wb: Workbook, table) -> BulkRows:
    ws = wb.create_sheet(table.sheet)
    last_col = get_column_letter(max(len(table.columns), 1))
    _title(ws, table.title.upper(), table.note, last_col)
    for c, col in enumerate(table.columns, start=1):
        _header_cell(ws, 3, c, col.header)
    _widths(ws, [col.width for col in table.columns])
    _proto_row(ws, 4, [_COLUMN_FORMATS.get(col.type) if col.type != "text" else None for col in table.columns])
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{last_col}{max(3 + len(table.rows), 4)}"
    _print_landscape(ws, "3:3")
    return BulkRows(table.sheet, 4, [[_clean(v) for v in row] for row in table.rows], len(table.columns))


# ----------------------------------------------------------------------------- all
def write_workbook(result, out: str | Path) -> Path:
    # Without the cyclic garbage collector while writing: the write makes ~100,000 short-lived
    # containers, and the collections they set off walk every object of the merge (the
    # findings of 3,500 files, the frames), ~10 % of the write. Nothing written here needs
    # collecting before the end; the collector runs as usual afterwards.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _write_workbook(result, out)
    finally:
        if enabled:
            gc.enable()


def _write_workbook(result, out: str | Path) -> Path:
    out = Path(out)
    has_groups = any(u.group for u in result.units)
    wb = Workbook()
    wb.remove(wb.active)
    _sheet_totals(wb, result)
    bulk = [_sheet_detail(wb, result, has_groups), _sheet_status(wb, result, has_groups), _sheet_findings(wb, result)]
    ranking = _sheet_ranking(wb, result, has_groups)
    if ranking is not None:
        bulk.append(ranking)
    for table in result.tables:
        bulk.append(_sheet_table(wb, table))
    wb.active = 0
    props = wb.properties
    props.title = f"Tổng hợp {result.catalogue.title} {result.period_text}"
    props.creator = props.lastModifiedBy = "cchc"
    props.keywords = f"{MERGE_KEYWORDS};{result.catalogue.id};{result.catalogue.version}"
    skeleton = io.BytesIO()  # openpyxl's package, each long table a prototype row: small
    wb.save(skeleton)
    with atomic_write(out) as final:
        inject_rows(skeleton, final, bulk)
    return out
