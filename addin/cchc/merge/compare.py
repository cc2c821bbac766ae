"""`cchc merge … --compare PREV.json`: the province totals beside an earlier merge (its --json).

The totals of this merge become a ReportData (the period, the summed values, the ratios
recomputed from the summed numerators and denominators) and go through the same comparison as
a commune's report (cchc.report.compare): the same changes, the same names of the earlier
periods, nothing said where either side is blank (a percent typed by each unit has no province
total). What the outputs gain:

- «Tổng hợp»: two columns per earlier merge after the existing ones, its value and the change;
- the province Word report: the change after each ratio of «Kết quả», and a table of every
  row with its earlier value and change (through the report's extra tables, `bang_them`);
- the JSON: the comparison under "so_sanh".
"""

from __future__ import annotations

from copy import copy
from typing import Any

from cchc.merge.tables import Column, Table
from cchc.model import ReportData
from cchc.report.compare import Comparison, compare, raw
from cchc.report.facts import format_value


def merged_data(result, source: str = "") -> ReportData:
    """The totals of a merge as one report's data (`source`: the consolidated workbook)."""
    cat = result.catalogue
    return ReportData(source=source or "tong_hop", kind=cat.id, catalogue_version=cat.version, template_version="",
                      info=dict(result.plan.period), values=result.totals.values, ratios=result.totals.ratios)


def compare_merge(result, earlier, source: str = "") -> Comparison:
    """The comparison of a merge with earlier merges (ReportData of their --json)."""
    return compare(merged_data(result, source), result.catalogue, earlier)


def _rows(comparison: Comparison):
    return [row for row in comparison.catalogue.rows() if row.type != "group"]


def add_totals_columns(ws, comparison: Comparison) -> None:
    """Two columns per earlier merge at the right of «Tổng hợp» (its value, the change), beside
    each row found by its STT code under each form's header row."""
    from openpyxl.utils import get_column_letter

    first = ws.max_column + 1
    forms = iter(comparison.catalogue.forms)
    form = None
    value_col = 4
    for r in range(1, ws.max_row + 1):
        a = ws.cell(r, 1).value
        if a == "STT":  # a form's header row: the next form begins
            form = next(forms, None)
            header_style = ws.cell(r, first - 1)._style
            for c in range(1, first):
                if ws.cell(r, c).value == "Số liệu tổng hợp":
                    value_col = c
            for i, col in enumerate(comparison.columns):
                for k, text in enumerate((col.heading, f"Thay đổi so với {col.name}")):
                    cell = ws.cell(r, first + 2 * i + k, text)
                    cell._style = copy(header_style)
            continue
        if form is None or a is None:
            continue
        code = str(a)
        try:
            row = form.row(code)
        except KeyError:
            continue
        value_style, text_style = ws.cell(r, value_col)._style, ws.cell(r, first - 1)._style
        for i, col in enumerate(comparison.columns):
            value_cell = ws.cell(r, first + 2 * i)
            change_cell = ws.cell(r, first + 2 * i + 1)
            value_cell._style = copy(value_style)
            change_cell._style = copy(text_style)
            if row.type == "group":
                continue
            before = raw(col.data, row)
            value_cell.value = before if isinstance(before, (int, float)) and row.type != "choice" else None
            ch = comparison.change(row.ref, i)
            change_cell.value = ch.phrase if ch else None
    last = first + 2 * len(comparison.columns) - 1
    for c in range(first, last + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16 if (c - first) % 2 == 0 else 30
    ws.print_area = f"A1:{get_column_letter(last)}{ws.max_row}"


def ratio_clause(comparison: Comparison, ref: str) -> str:
    """"; tăng 1,2 điểm phần trăm so với Quý I năm 2024" for a sentence of «Kết quả»."""
    clauses = [c for c in (comparison.clause(ref, i) for i in range(len(comparison.columns))) if c]
    return f"; {' và '.join(clauses)}" if clauses else ""


def comparison_table(comparison: Comparison) -> Table:
    """Every row with a value on either side: this period, each earlier one and the change."""
    columns = [Column("STT", width=8), Column("Chỉ tiêu thống kê", width=50), Column("Đơn vị tính", width=14),
               Column(comparison.label[:1].upper() + comparison.label[1:], width=16)]
    for col in comparison.columns:
        columns += [Column(col.heading, width=16), Column(f"Thay đổi so với {col.name}", width=30)]
    rows: list[list[Any]] = []
    for row in _rows(comparison):
        now = raw(comparison.current, row)
        befores = [raw(c.data, row) for c in comparison.columns]
        if now is None and all(b is None for b in befores):
            continue
        line = [row.ref, row.label, row.unit, format_value(row, now)]
        for i, before in enumerate(befores):
            ch = comparison.change(row.ref, i)
            line += [format_value(row, before), ch.phrase if ch else ""]
        rows.append(line)
    names = " và ".join(c.name for c in comparison.columns)
    return Table(key="so_sanh", title=f"So sánh số liệu tổng hợp {comparison.label} với {names}",
                 sheet="So sánh", columns=columns, rows=rows,
                 note="Ô trống: một trong hai kỳ không có số liệu, không so sánh.")


__all__ = ["merged_data", "compare_merge", "add_totals_columns", "ratio_clause", "comparison_table"]
