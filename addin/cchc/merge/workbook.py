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
from cchc.merge.xlsx_rows import BulkRows, inject_rows
from cchc.numbers import format_number, format_pct
from cchc.workbook import style as S
from cchc.atomic import atomic_write
from cchc.workbook.template import (
    _BORDER,
    _COMPUTED_FILL,
    _HEADER_FILL,
    _INPUT_FILL,
    _NUMBER_FORMATS,
    _font,
    _print_setup,
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


def _value_format(kind: str) -> str | None:
    return _NUMBER_FORMATS.get(kind, "0" if kind in ("flag", "choice") else None)


# ----------------------------------------------------------------------------- Tổng hợp
_TOTAL_COLS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng hợp", "Số đơn vị có số liệu",
               "Thấp nhất", "Cao nhất", "Cách tổng hợp")


def _how(row, s: dict[str, Any], cat) -> tuple[Any, Any, Any, Any, str]:
    """(value, units reporting, min, max, explanation) of one row of "Tổng hợp"."""
    k = row.type
    if k in ("count", "money"):
        n = s["n"]
        return s["sum"], n, None, None, (f"Tổng của {n} đơn vị có số liệu" if n else "Không đơn vị nào có số liệu")
    if k == "ratio":
        num, den, v = s["num"], s["den"], s["value"]
        if v is None:
            why = "Để trống: tổng mẫu số bằng 0 hoặc không có số liệu"
        else:
            why = (f"Tính lại từ tổng: {format_number(num)} / {format_number(den)} × 100 = {format_pct(v)} "
                   "(không lấy trung bình các tỷ lệ)")
        return v, None, None, None, why
    if k == "flag":
        n, yes = s["n"], s["yes"]
        label = row.choice_label(1) or "1"
        return yes, n, None, None, f"{yes}/{n} đơn vị trả lời «{label}»"
    if k == "choice":
        parts = [f"{label}: {s['counts'].get(str(code), 0)}" for code, label in row.choices]
        return None, s["n"], None, None, "Số đơn vị chọn — " + "; ".join(parts)
    n = s["n"]  # pct, score: typed by each unit, neither summed nor recomputed
    if not n:
        return None, 0, None, None, "Không đơn vị nào có số liệu"
    what = "tỷ lệ do đơn vị tự nhập, không có tử số và mẫu số" if k == "pct" else "số do đơn vị tự nhập"
    return s["mean"], n, s["min"], s["max"], f"Trung bình cộng của {n} đơn vị ({what})"


def _style_total_cell(c, i: int, strong: bool, kind: str, level: int) -> None:
    c.border = _BORDER
    c.font = _font(11, bold=strong)
    c.alignment = Alignment(vertical="center", horizontal="center", wrap_text=True)
    if i == 1:
        c.alignment = Alignment(vertical="center", wrap_text=True, indent=level - 1)
        c.font = _font(11, bold=strong, italic=kind == "ratio")
    elif i == 7:
        c.alignment = Alignment(vertical="center", wrap_text=True)
        c.font = _font(10, italic=True)
    if kind == "group":
        if i == 3:
            c.fill = _COMPUTED_FILL
        return
    fmt = _NUMBER_FORMATS.get(kind) or ("#,##0" if kind == "flag" else None)
    if i in (3, 5, 6) and fmt:
        c.number_format = fmt
    if i == 4:
        c.number_format = "#,##0"
    if i == 3:
        c.fill = _COMPUTED_FILL if kind == "ratio" else _INPUT_FILL


def _sheet_totals(wb: Workbook, result) -> None:
    cat, totals = result.catalogue, result.totals
    ws = wb.create_sheet(SHEET_TOTALS)
    last_col = get_column_letter(len(_TOTAL_COLS))
    n_merged = len(result.merged_units)
    _title(ws, str(cat.extra.get("appendix_title") or cat.title).upper(),
           f"Tổng hợp {result.period_text} — {n_merged} đơn vị", last_col)
    _widths(ws, [8, 60, 15, 16, 12, 11, 11, 46])
    r = 4
    styles = _styles(ws)
    for form in cat.forms:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(_TOTAL_COLS))
        t = ws.cell(r, 1, f"{form.title}: {form.subtitle}" if form.subtitle else form.title)
        t.font = _font(12, bold=True)
        t.alignment = Alignment(vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = 30
        r += 1
        for c, text in enumerate(_TOTAL_COLS, start=1):
            _header_cell(ws, r, c, text)
        ws.row_dimensions[r].height = 30
        r += 1
        for row in form.rows:
            strong = row.level == 1 or row.type == "group"
            cells = [ws.cell(r, c) for c in range(1, len(_TOTAL_COLS) + 1)]
            cells[0].value = row.code
            cells[1].value = row.label
            cells[2].value = row.unit or None
            for i, c in enumerate(cells):
                key = (i, strong, row.type, row.level)
                styles.apply(c, ("total", *key), _style_total_cell, *key)
            if row.type != "group":
                value, n, lo, hi, why = _how(row, totals.summaries[row.ref], cat)
                cells[3].value, cells[4].value, cells[5].value, cells[6].value = value, n, lo, hi
                cells[7].value = why or None
            r += 1
        if form.note:
            ws.cell(r, 1, form.note).font = _font(10, italic=True)
            r += 1
        r += 1
    ws.freeze_panes = "A4"
    _print_setup(ws, last_col, r, None)


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
def _group_rates(result) -> list[tuple[str, int, int]]:
    groups: dict[str, list[int]] = {}
    for u in result.expected_units:
        g = groups.setdefault(u.group or "(không ghi nhóm)", [0, 0])
        g[1] += 1
        g[0] += u.merged is not None
    return [(name, a, b) for name, (a, b) in groups.items()]


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


def _sheet_status(wb: Workbook, result, has_groups: bool) -> BulkRows:
    ws = wb.create_sheet(SHEET_STATUS)
    cols = ["STT", "Mã ĐVHC", "Đơn vị"] + (["Nhóm"] if has_groups else []) + [
        "Tình trạng đơn vị", "Tệp", "Tình trạng tệp", "Kỳ báo cáo của tệp", "Số lỗi", "Số cảnh báo", "Lý do, ghi chú"]
    last_col = get_column_letter(len(cols))
    done, expected = result.reporting
    rate = done / expected * 100 if expected else None
    _title(ws, "TÌNH HÌNH NỘP BÁO CÁO", f"{result.period_text}: đã nộp và tổng hợp {done}/{expected} đơn vị"
           + (f" ({format_pct(rate)})" if rate is not None else ""), last_col)
    r = 3
    missing = sum(1 for u in result.expected_units if u.state == "missing")
    excluded = sum(1 for u in result.expected_units if u.state == "excluded")
    line = (f"Chưa nộp: {missing} đơn vị. Có nộp nhưng không tổng hợp được: {excluded} đơn vị. "
            f"Tệp không tổng hợp: {len(result.excluded_files)}; tệp bỏ qua (không phải Excel): "
            f"{len(result.skipped_files)}.")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(cols))
    ws.cell(r, 1, line).font = _font(11, italic=True)
    r += 1
    ws.cell(r, 2, "Tỷ lệ nộp báo cáo").font = _font(11, bold=True)
    ws.cell(r, 3, done / expected if expected else None).number_format = "0.00%"
    r += 1
    if has_groups:
        for c, text in enumerate(("", "Nhóm", "Đã nộp", "Phải nộp", "Tỷ lệ"), start=1):
            if text:
                _header_cell(ws, r, c, text)
        r += 1
        for name, a, b in _group_rates(result):
            ws.cell(r, 2, name).border = _BORDER
            ws.cell(r, 3, a).border = _BORDER
            ws.cell(r, 4, b).border = _BORDER
            cell = ws.cell(r, 5, a / b if b else None)
            cell.number_format = "0.00%"
            cell.border = _BORDER
            r += 1
    r += 1
    for c, text in enumerate(cols, start=1):
        _header_cell(ws, r, c, text)
    header = r
    widths = [6, 10, 30] + ([18] if has_groups else []) + [22, 30, 24, 16, 8, 10, 70]
    _widths(ws, widths)
    formats = ["0", "@", None] + ([None] if has_groups else []) + [None, None, None, None, "0", "0", None]
    _proto_row(ws, header + 1, formats, wrap={len(cols)})
    rows = status_rows(result, has_groups)
    ws.freeze_panes = ws.cell(header + 1, 4).coordinate
    ws.auto_filter.ref = f"A{header}:{last_col}{max(header + len(rows), header + 1)}"
    return BulkRows(SHEET_STATUS, header + 1, rows, len(cols))


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
    _widths(ws, [10, 30, 28, 18, 10, 16, 14, 10, 90, 36, 24])
    _proto_row(ws, 4, ["@"] + [None] * (len(cols) - 1), wrap={9})
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{last_col}{max(3 + n, 4)}"
    return BulkRows(SHEET_FINDINGS, 4, None, len(cols), columns=columns)


# ----------------------------------------------------------------------------- ranking
def ranking_columns(result) -> list[list[Any]]:
    """Units ranked on the kind's key indicators, best first on the first one; a unit with no
    value is not ranked and comes last. Equal values share a rank. Column by column: code,
    name, group, then rank and value of each key indicator."""
    refs = list(result.plan.kind.ranked)
    units = result.merged_units
    if not refs or not units:
        return [[] for _ in range(3 + 2 * len(refs))]
    cols = {}
    for ref in refs:
        src = result.unit_ratios if ref in result.unit_ratios.columns else result.frame
        s = src[ref]
        cols[ref] = (_clean_all(s.tolist()), _clean_all(s.rank(ascending=False, method="min").tolist()))
    first = cols[refs[0]][0]
    keys = [(v is None, -(v if v is not None else 0), i) for i, v in enumerate(first)]
    order = sorted(range(len(units)), key=keys.__getitem__)
    ranked = [units[i] for i in order]
    out = [[u.code for u in ranked], [u.name for u in ranked], [u.group or None for u in ranked]]
    for ref in refs:
        vals, ranks = cols[ref]
        out += [[ranks[i] for i in order], [vals[i] for i in order]]
    return out


def _sheet_ranking(wb: Workbook, result) -> BulkRows | None:
    refs = list(result.plan.kind.ranked)
    if not refs:
        return None
    cat = result.catalogue
    ws = wb.create_sheet(SHEET_RANKING)
    rows_cat = [cat.row(ref) for ref in refs]
    cols = ["Mã ĐVHC", "Đơn vị", "Nhóm"]
    for row in rows_cat:
        cols += [f"Hạng theo {row.ref}", f"{row.ref} {row.short or row.label}"]
    last_col = get_column_letter(len(cols))
    _title(ws, "XẾP HẠNG CÁC ĐƠN VỊ THEO CÁC CHỈ TIÊU CHÍNH",
           f"{result.period_text}; xếp theo {refs[0]} từ cao xuống thấp, đơn vị không có số liệu không xếp hạng",
           last_col)
    # Distribution: units per 10-point band, one series per key indicator; the chart reads it.
    r0 = 4
    _header_cell(ws, r0, 2, "Khoảng tỷ lệ")
    for j, row in enumerate(rows_cat):
        _header_cell(ws, r0, 3 + j, f"{row.ref} {row.short}")
    series = {}
    for ref in refs:
        src = result.unit_ratios if ref in result.unit_ratios.columns else result.frame
        series[ref] = band_counts(src[ref].tolist()) if len(src) else [0] * len(BANDS)
    styles = _styles(ws)
    for i, (lo, hi) in enumerate(BANDS):
        styles.apply(ws.cell(r0 + 1 + i, 2, band_label(lo, hi)), "band", _style_band)
        for j, ref in enumerate(refs):
            styles.apply(ws.cell(r0 + 1 + i, 3 + j, series[ref][i]), "band", _style_band)
    last_band = r0 + len(BANDS)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = "Số đơn vị theo khoảng tỷ lệ"
    chart.y_axis.title = "Số đơn vị"
    chart.x_axis.title = "Khoảng tỷ lệ"
    data = Reference(ws, min_col=3, max_col=2 + len(refs), min_row=r0, max_row=last_band)
    cats = Reference(ws, min_col=2, min_row=r0 + 1, max_row=last_band)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    chart.height = 7.5
    chart.width = 22
    ws.add_chart(chart, ws.cell(r0, 4 + len(refs)).coordinate)

    header = last_band + 5
    for c, text in enumerate(cols, start=1):
        _header_cell(ws, header, c, text)
    ws.row_dimensions[header].height = 45
    _widths(ws, [10, 30, 18] + [10, 16] * len(refs))
    formats: list[str | None] = ["@", None, None]
    for row in rows_cat:
        formats += ["0", _value_format(row.type)]
    _proto_row(ws, header + 1, formats)
    columns = ranking_columns(result)
    n = len(columns[0])
    ws.freeze_panes = ws.cell(header + 1, 3).coordinate
    ws.auto_filter.ref = f"A{header}:{last_col}{max(header + n, header + 1)}"
    return BulkRows(SHEET_RANKING, header + 1, None, len(cols), columns=columns)


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
    ranking = _sheet_ranking(wb, result)
    if ranking is not None:
        bulk.append(ranking)
    for table in result.tables:
        bulk.append(_sheet_table(wb, table))
    wb.active = 0
    props = wb.properties
    props.title = f"Tổng hợp {result.catalogue.title} {result.period_text}"
    props.creator = props.lastModifiedBy = "cchc"
    props.keywords = f"cchc;tong_hop;{result.catalogue.id};{result.catalogue.version}"
    skeleton = io.BytesIO()  # openpyxl's package, each long table a prototype row: small
    wb.save(skeleton)
    with atomic_write(out) as final:
        inject_rows(skeleton, final, bulk)
    return out
