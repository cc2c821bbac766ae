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


def totals_columns(comparison: Comparison):
    """The columns «Tổng hợp» gains, two per earlier merge: its value and the change
    (cchc.merge.total_rows.TotalColumn; the keys say how the cells are styled)."""
    from cchc.merge.total_rows import TotalColumn

    out = []
    for col in comparison.columns:
        out += [TotalColumn("value", col.heading, 14), TotalColumn("how", f"Thay đổi so với {col.name}", 30)]
    return out


def totals_values(comparison: Comparison, row) -> list[Any]:
    """The cells of those columns for one catalogue row: the earlier value as a number (blank for
    a heading, a choice or no value) and the change in words (blank when either side is)."""
    out: list[Any] = []
    for i, col in enumerate(comparison.columns):
        if row.type == "group":
            out += [None, None]
            continue
        before = raw(col.data, row)
        ch = comparison.change(row.ref, i)
        out += [before if isinstance(before, (int, float)) and row.type != "choice" else None,
                ch.phrase if ch else None]
    return out


def ratio_clause(comparison: Comparison, ref: str) -> str:
    """"; tăng 1,2 điểm phần trăm so với Quý I năm 2024" for a sentence of «Kết quả»."""
    clauses = [c for c in (comparison.clause(ref, i) for i in range(len(comparison.columns))) if c]
    return f"; {' và '.join(clauses)}" if clauses else ""


def comparison_table(comparison: Comparison) -> Table:
    """Every row with a value on either side: this period, each earlier one and the change."""
    columns = [Column("Biểu mẫu", width=8), Column("STT", width=8), Column("Chỉ tiêu thống kê", width=46),
               Column("Đơn vị tính", width=14),
               Column(comparison.label[:1].upper() + comparison.label[1:], width=16)]
    for col in comparison.columns:
        columns += [Column(col.heading, width=16), Column(f"Thay đổi so với {col.name}", width=30)]
    rows: list[list[Any]] = []
    for row in _rows(comparison):
        now = raw(comparison.current, row)
        befores = [raw(c.data, row) for c in comparison.columns]
        if now is None and all(b is None for b in befores):
            continue
        line = [row.form, row.code, row.label, row.unit, format_value(row, now)]
        for i, before in enumerate(befores):
            ch = comparison.change(row.ref, i)
            line += [format_value(row, before), ch.phrase if ch else ""]
        rows.append(line)
    names = " và ".join(c.name for c in comparison.columns)
    return Table(key="so_sanh", title=f"So sánh số liệu tổng hợp {comparison.label} với {names}",
                 sheet="So sánh", columns=columns, rows=rows,
                 note="Ô trống: một trong hai kỳ không có số liệu, không so sánh.")


__all__ = ["merged_data", "compare_merge", "totals_columns", "totals_values", "ratio_clause", "comparison_table"]
