"""So sánh với kỳ trước: a report beside earlier reports of the same unit (the same period of an
earlier year, or an earlier period), from their values alone.

    comparison = compare(current, catalogue, [earlier, …])    # ReportData in, Comparison out
    comparison.columns[0].heading                               # "Cùng kỳ năm 2024"
    comparison.change("3:2.3.1", 0).phrase                      # "tăng 12 hồ sơ (16,90%)"
    comparison.clause("3:2.3", 0)      # "tăng 6,78 điểm phần trăm so với cùng kỳ năm 2024"

Counts and money change by a number of their unit (and a percentage of the earlier value when it
is not 0); ratios and percents by điểm phần trăm, computed from the values as the tables print
them (two decimals) so that a sentence never disagrees with its table. A blank on either side
gives no change at all: nothing is said rather than something invented. How an earlier report
is named is catalogue data (cchc.periods.compared_name).

The Word report puts one appendix column per earlier report (`so_sanh`, `r.so_sanh`), the
portal shows `Comparison.to_json()`; both work from ReportData, which a workbook or a stored
JSON export gives alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from cchc.catalogue import Catalogue, Row
from cchc.errors import CchcError
from cchc.numbers import as_number, format_number, format_pct
from cchc.periods import compared_name, ends_before, heading, period_label, report_period, window
from cchc.report.facts import format_value, table_value
from cchc.workbook.unit_names import file_name, require_same_unit

CHANGING = ("count", "money", "score", "pct", "ratio")  # the types a change is stated for
POINTS = ("pct", "ratio")  # changes in điểm phần trăm
DECIMALS = 2  # as the tables print percentages (cchc.numbers.format_pct)


def raw(data, row: Row):
    """A row's value in a report: its recomputed ratio, or its input value."""
    if row.type == "ratio":
        return (data.ratios.get(row.form) or {}).get(row.code)
    return (data.values.get(row.form) or {}).get(row.code)


def unit_word(row: Row) -> str:
    """"Hồ sơ" → "hồ sơ": the unit inside a sentence (points for a score)."""
    if row.type == "score":
        return "điểm"
    u = row.unit.strip()
    return u[:1].lower() + u[1:] if u else ""


@dataclass(frozen=True)
class Change:
    """How a row changed from an earlier report to the current one."""

    row: Row
    now: float
    before: float
    diff: float  # in the row's unit, or in điểm phần trăm for a ratio or percent

    @property
    def relative(self) -> float | None:
        """The change as a percentage of the earlier value; None for a ratio, a score (its
        points say it) or from 0."""
        if self.row.type in POINTS or self.row.type == "score" or not self.before:
            return None
        return self.diff / self.before * 100

    @property
    def phrase(self) -> str:
        """"tăng 12 hồ sơ (16,90%)", "giảm 1,5 điểm phần trăm", "không thay đổi"."""
        if self.diff == 0:
            return "không thay đổi"
        verb = "tăng" if self.diff > 0 else "giảm"
        size = format_number(abs(self.diff))
        if self.row.type in POINTS:
            return f"{verb} {size} điểm phần trăm"
        unit = unit_word(self.row)
        text = f"{verb} {size}{f' {unit}' if unit else ''}"
        rel = self.relative
        return f"{text} ({format_pct(abs(rel))})" if rel is not None else text

    def to_json(self) -> dict[str, Any]:
        return {"diff": self.diff, "relative": self.relative, "phrase": self.phrase}


def change(row: Row, now, before) -> Change | None:
    """The change of `row` from `before` to `now`; None when either is blank or the row is
    not a quantity (a flag, a choice, a heading)."""
    now, before = as_number(now), as_number(before)
    if row.type not in CHANGING or now is None or before is None:
        return None
    if row.type in POINTS:  # as printed: 98,59% − 91,53% = 7,06 điểm phần trăm
        now, before = round(now, DECIMALS), round(before, DECIMALS)
        return Change(row, now, before, round(now - before, DECIMALS))
    return Change(row, now, before, round(now - before, 6))


@dataclass(frozen=True)
class Compared:
    """One earlier report beside the current one."""

    data: Any  # ReportData
    name: str  # in a sentence: "cùng kỳ năm 2024", "Quý I năm 2025"
    label: str  # its own period: "Quý I năm 2024"

    @property
    def heading(self) -> str:
        """Over its column: "Cùng kỳ năm 2024"."""
        return heading(self.name)

    @property
    def source(self) -> str:
        return self.data.source


@dataclass
class Comparison:
    """The current report and the earlier ones it is compared with, in the order given."""

    catalogue: Catalogue
    current: Any  # ReportData
    label: str  # the current period: "Quý I năm 2025"
    columns: list[Compared]

    def __bool__(self) -> bool:
        return bool(self.columns)

    def change(self, ref: str, i: int) -> Change | None:
        row = self.catalogue.row(ref)
        return change(row, raw(self.current, row), raw(self.columns[i].data, row))

    def clause(self, ref: str, i: int) -> str:
        """"tăng 12 hồ sơ (16,90%) so với cùng kỳ năm 2024"; "" when there is nothing to say."""
        c = self.change(ref, i)
        return f"{c.phrase} so với {self.columns[i].name}" if c is not None else ""

    def sentence(self, subject: str, ref: str) -> str:
        """"<subject> tăng 12 hồ sơ (16,90%) so với cùng kỳ năm 2024 và giảm 3 hồ sơ (3,45%) so
        với Quý IV năm 2024"; "" when no earlier report has the value."""
        clauses = [c for c in (self.clause(ref, i) for i in range(len(self.columns))) if c]
        return f"{subject} {' và '.join(clauses)}" if clauses else ""

    def texts(self, row: Row) -> list[str]:
        """The row's value in each earlier report, as the appendix tables print it."""
        return [table_value(row, raw(c.data, row)) for c in self.columns]

    def to_json(self) -> dict[str, Any]:
        """Every row with a value (input or ratio): the current value and, per earlier report,
        its value and the change (null where either side is blank)."""
        rows = []
        for row in self.catalogue.rows():
            if row.type == "group":
                continue
            now = raw(self.current, row)
            rows.append({
                "ref": row.ref, "label": row.label, "unit": row.unit, "type": row.type,
                "value": now, "text": format_value(row, now),
                "earlier": [{"value": raw(c.data, row), "text": format_value(row, raw(c.data, row)),
                             "change": (ch.to_json() if (ch := change(row, now, raw(c.data, row))) else None)}
                            for c in self.columns],
            })
        return {
            "kind": self.catalogue.id,
            "current": {"label": self.label, "source": self.current.source},
            "columns": [{"heading": c.heading, "name": c.name, "label": c.label, "source": c.source}
                        for c in self.columns],
            "rows": rows,
        }


def compare(current, catalogue: Catalogue, earlier: Sequence) -> Comparison:
    """`current` (ReportData) beside `earlier` (ReportData of the same unit, each ending before
    it); CchcError in Vietnamese for one of another kind or unit, or not earlier."""
    p_cur, y_cur = report_period(catalogue, current.info)
    if y_cur is None:
        raise CchcError(f"Tệp «{file_name(current)}» chưa ghi năm báo cáo: chưa so sánh được với kỳ trước.")
    if catalogue.periods and p_cur is None:
        raise CchcError(f"Tệp «{file_name(current)}» chưa ghi kỳ báo cáo (hoặc ghi không đúng danh sách): "
                        "chưa so sánh được với kỳ trước.")
    now_label = period_label(p_cur, y_cur)
    columns = []
    for e in earlier:
        require_same_unit(current, e, catalogue.id, what="so sánh")
        p_old, y_old = report_period(catalogue, e.info)
        if y_old is None or (catalogue.periods and p_old is None):
            missing = "năm báo cáo" if y_old is None else "kỳ báo cáo"
            raise CchcError(f"Tệp «{file_name(e)}» chưa ghi {missing} (hoặc ghi không đúng danh sách): "
                            "chưa so sánh được.")
        old_label = period_label(p_old, y_old)
        if not ends_before((p_old, y_old), (p_cur, y_cur)):
            raise CchcError(f"Tệp «{file_name(e)}» là báo cáo {old_label}, không trước {now_label} của tệp "
                            f"«{file_name(current)}»: chỉ so sánh với kỳ trước (cùng kỳ năm trước, hoặc một kỳ "
                            "đã qua). Có thể đã đảo thứ tự hai tệp?")
        columns.append(Compared(e, compared_name(catalogue, (p_cur, y_cur), (p_old, y_old)), old_label))
    return Comparison(catalogue, current, now_label, columns)


def earlier_of(current, catalogue: Catalogue, candidates: Sequence) -> list:
    """What a unit's history shows beside `current` (ReportData), among `candidates` (its
    reports of other periods): the same period of the year before, then the latest other
    report that ends before it (the period just gone). Either may be missing; reports without a
    period or year, or of another kind, are passed over."""
    p_cur, y_cur = report_period(catalogue, current.info)
    if y_cur is None or (catalogue.periods and p_cur is None):
        return []
    same, before = None, []
    for c in candidates:
        if (c.kind or catalogue.id) != catalogue.id:
            continue
        p_old, y_old = report_period(catalogue, c.info)
        if y_old is None or (catalogue.periods and p_old is None):
            continue
        if y_old == y_cur - 1 and (p_old.name if p_old else None) == (p_cur.name if p_cur else None):
            same = c
        elif ends_before((p_old, y_old), (p_cur, y_cur)):
            end = window(p_old, y_old)[1] if p_old is not None else None
            before.append(((end, y_old), c))
    latest = max(before, key=lambda b: (b[0][1], b[0][0] or dt.date(b[0][1], 12, 31)))[1] if before else None
    return [c for c in (same, latest) if c is not None]


__all__ = ["Change", "change", "Compared", "Comparison", "compare", "earlier_of", "raw", "unit_word"]
