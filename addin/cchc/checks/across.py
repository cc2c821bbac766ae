"""Kiểm tra đối chiếu với kỳ trước: a report against earlier reports of the same unit and year
whose periods it contains (`cchc check CUR.xlsx --previous EARLIER.xlsx`).

A 6-month report contains the first quarter: what happened in the quarter (a flow) and what
has been done since the start of the year (a cumulative row) cannot be smaller six months in.
What exists at the report date (a stock) may fall, but seldom by more than the catalogue's
`stock_drop_warning` share. The catalogue says which row is which (`period`), and which
period contains which (the windows, cchc.periods); nothing here names a period or a row.

Every finding points at the current report's cell and names the earlier file and its value.
A file that cannot be compared (another kind, unit or year, a period that is not contained)
is refused with a CchcError that says why: comparing it would only mislead.
"""

from __future__ import annotations

from typing import Sequence

from cchc.catalogue import Catalogue, Row
from cchc.errors import CchcError
from cchc.findings import Finding
from cchc.numbers import as_number, format_number, format_pct
from cchc.periods import contains, nested_in, period_label, report_period, stock_drop, window_text
from cchc.workbook.unit_names import file_name, require_same_unit

EPS = 1e-9
NUMERIC = ("count", "money", "pct", "score")


def row_name(row: Row) -> str:
    """"BM3 mục 2.3.1 «Hồ sơ đã giải quyết (cấp xã)»" (Row.title)."""
    return row.title


def _show(row: Row, v: float) -> str:
    return format_pct(v) if row.type == "pct" else format_number(v)


def _require_nested(current, earlier, catalogue: Catalogue):
    """(current period, earlier period, year) after refusing what cannot be checked."""
    mine, theirs = file_name(current), file_name(earlier)
    if not catalogue.periods:
        raise CchcError(f"Loại báo cáo «{catalogue.id}» không có các kỳ lồng nhau trong năm: "
                        "không có gì để đối chiếu với kỳ trước.")
    require_same_unit(current, earlier, catalogue.id, what="đối chiếu")
    (p_cur, y_cur), (p_old, y_old) = report_period(catalogue, current.info), report_period(catalogue, earlier.info)
    for data, period, year in ((current, p_cur, y_cur), (earlier, p_old, y_old)):
        if period is None or year is None:
            missing = "kỳ báo cáo" if period is None else "năm báo cáo"
            raise CchcError(f"Tệp «{file_name(data)}» chưa ghi {missing} (trang «Thông tin chung») hoặc ghi "
                            "không đúng danh sách: chưa đối chiếu được giữa các kỳ.")
    if y_old != y_cur:
        raise CchcError(f"Tệp «{theirs}» là báo cáo năm {y_old}, tệp «{mine}» năm {y_cur}: chỉ đối chiếu "
                        "các kỳ trong cùng một năm (so với năm trước, dùng «cchc report --compare»).")
    if not contains(p_cur, p_old):
        inner = nested_in(catalogue, p_cur)
        hint = (f"Kỳ «{p_cur.name}» chỉ đối chiếu được với: {', '.join(f'«{p.name}»' for p in inner)}."
                if inner else f"Kỳ «{p_cur.name}» không chứa kỳ báo cáo nào khác.")
        raise CchcError(f"Kỳ «{p_old.name}» ({window_text(p_old)}) của tệp «{theirs}» không nằm trong kỳ "
                        f"«{p_cur.name}» ({window_text(p_cur)}) của tệp «{mine}», nên không đối chiếu được. {hint}")
    return p_cur, p_old, y_cur


def across_findings(current, catalogue: Catalogue, earlier: Sequence) -> list[Finding]:
    """The findings of `current` (ReportData) against each of `earlier` (ReportData of the same
    unit and year, of periods it contains). CchcError for a report that cannot be compared."""
    checked = [(e, *_require_nested(current, e, catalogue)) for e in earlier]
    drop = stock_drop(catalogue)
    out: list[Finding] = []
    for e, p_cur, p_old, year in checked:
        now_label, old_label = period_label(p_cur, year), period_label(p_old, year)
        theirs = file_name(e)
        for row in catalogue.input_rows():
            if row.type not in NUMERIC:
                continue
            now, old = as_number(current.value(row.ref)), as_number(e.value(row.ref))
            if now is None or old is None:
                continue
            values = {row.ref: now, old_label: old, "tệp": theirs}
            lead = (f"{row_name(row)}: {now_label} ghi {_show(row, now)}, nhỏ hơn {old_label} "
                    f"({_show(row, old)}, tệp «{theirs}»).")
            if row.period == "flow" and now < old - EPS:
                out.append(_finding(current, row, "error", "across.flow",
                                    f"{lead} Số liệu {now_label} đã gồm cả {old_label} nên không thể nhỏ hơn: "
                                    "hãy kiểm tra lại số liệu của hai kỳ.", values))
            elif row.period == "cumulative" and now < old - EPS:
                out.append(_finding(current, row, "error", "across.cumulative",
                                    f"{lead} Đây là số lũy kế nên không thể giảm giữa hai kỳ của cùng một năm: "
                                    "hãy kiểm tra lại số liệu của hai kỳ.", values))
            elif row.period == "stock" and old > 0 and now < old * drop - EPS:
                fall = (f"{format_number(old - now)} điểm phần trăm" if row.type == "pct"
                        else format_pct((old - now) / old * 100))
                out.append(_finding(current, row, "warning", "across.stock",
                                    f"{row_name(row)}: {now_label} ghi {_show(row, now)}, giảm {fall} so với "
                                    f"{old_label} ({_show(row, old)}, tệp «{theirs}»). Số liệu tại thời điểm báo "
                                    "cáo ít khi giảm mạnh như vậy trong một năm: hãy kiểm tra lại.", values))
    return out


def _finding(data, row: Row, severity: str, rule_id: str, message: str, values: dict) -> Finding:
    at = data.cells.get(row.ref)
    sheet, cell = (at.sheet, at.a1) if at is not None else (f"BM{row.form}", "")
    return Finding(severity, sheet, cell, row.form, row.code, rule_id, message, values)


__all__ = ["across_findings", "row_name"]
