"""The "Kiểm tra" sheet, as plain rows: `cchc check --mark` and the Excel adapter write
exactly these, so an officer sees the same thing whichever way the check was run.

Layout (0-based rows): a title, the summary (số lỗi, số cảnh báo, số thông tin, a verdict),
a blank row, the header at HEADER_ROW, then one row per finding. Column LINK_COL holds the
cell address; `findings_links` gives, for each finding row, the in-workbook hyperlink target
("'BM3'!D18") to attach to that cell.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cchc.findings import SEVERITY_LABELS, Finding, counts
from cchc.numbers import format_number
from cchc.vn_dates import format_date_ref
from cchc.workbook.style import ERROR_FILL_RGB, SHEET_FINDINGS, WARNING_FILL_RGB

# The names the Excel adapter looks for.
ERROR_FILL = ERROR_FILL_RGB
WARNING_FILL = WARNING_FILL_RGB

TITLE = "KẾT QUẢ KIỂM TRA SỐ LIỆU"
HEADER = ["STT", "Mức độ", "Ô", "Trang", "Chỉ tiêu", "Nội dung", "Giá trị liên quan", "Mã kiểm tra"]
HEADER_ROW = 6
LINK_COL = 2
COLUMN_WIDTHS = [6, 11, 24, 16, 12, 90, 40, 30]

_HIDDEN_VALUES = {"text", "section", "expected", "phrase"}


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def show_value(v: Any, key: str = "") -> str:
    if isinstance(v, int) and not isinstance(v, bool) and (key == "nam" or "year" in key):
        return str(v)  # a year is not a quantity: 2025, not 2.025
    if isinstance(v, str) and _ISO_DATE.match(v):
        # A date that went through JSON (a finding stored by the portal) reads as a date still.
        try:
            v = dt.date.fromisoformat(v)
        except ValueError:
            return v
    if v is None:
        return "trống"
    if isinstance(v, bool):
        return "có" if v else "không"
    if isinstance(v, (int, float)):
        return format_number(v, 4 if isinstance(v, float) and abs(v) < 1 else 2)
    if isinstance(v, dt.date):
        return format_date_ref(v)
    return str(v)


def values_text(f: Finding) -> str:
    """"4:2.3 = trống; 4:2.1 = 20" — what was involved, in Vietnamese number style."""
    return "; ".join(f"{k} = {show_value(v, k)}" for k, v in f.values.items() if k not in _HIDDEN_VALUES)


def summary(findings: list[Finding]) -> str:
    n = counts(findings)
    if n["error"]:
        return f"Có {n['error']} lỗi cần sửa trước khi gửi báo cáo" + (
            f", và {n['warning']} cảnh báo cần xem lại." if n["warning"] else ".")
    if n["warning"]:
        return f"Không có lỗi. Có {n['warning']} cảnh báo: hãy xem lại từng điểm, sửa nếu cần."
    return "Không có lỗi hay cảnh báo."


def link_target(f: Finding) -> str | None:
    """"'BM3'!D18" for an in-workbook hyperlink; None when the finding has no cell."""
    if not f.sheet or not f.cell:
        return None
    return "'" + f.sheet.replace("'", "''") + "'!" + f.cell


def findings_rows(findings: list[Finding]) -> list[list[Any]]:
    n = counts(findings)
    rows: list[list[Any]] = [
        [TITLE],
        ["Số lỗi", n["error"]],
        ["Số cảnh báo", n["warning"]],
        ["Số thông tin", n["info"]],
        [summary(findings)],
        [],
        list(HEADER),
    ]
    for i, f in enumerate(findings, start=1):
        rows.append([
            i,
            SEVERITY_LABELS.get(f.severity, f.severity),
            f.address,
            f.sheet,
            f.ref,
            f.message,
            values_text(f),
            f.rule_id,
        ])
    return rows


def findings_links(findings: list[Finding]) -> list[tuple[int, int, str]]:
    """(row, column, target), 0-based, for the address cell of each finding that has a cell."""
    out = []
    for i, f in enumerate(findings):
        target = link_target(f)
        if target:
            out.append((HEADER_ROW + 1 + i, LINK_COL, target))
    return out


__all__ = ["findings_rows", "findings_links", "summary", "values_text", "link_target", "ERROR_FILL_RGB",
           "WARNING_FILL_RGB", "ERROR_FILL", "WARNING_FILL", "SHEET_FINDINGS", "HEADER_ROW", "LINK_COL"]
