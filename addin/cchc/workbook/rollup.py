"""Cộng dồn: the report of a longer period made from reports of adjacent periods of the same
unit and year (`cchc roll-up 6T.xlsx Q3.xlsx -o 9T.xlsx`), instead of typing it again.

Which periods may be combined, and into which, comes from the catalogue's windows
(cchc.periods.cover): they must be adjacent, without overlap or gap, and together exactly cover
a catalogue period. Each row adds up as its `period` says:

- flow (what happened in the period): the sum; blank when every source is blank; a blank
  beside a number gives the number, with a warning (the blank is taken as 0);
- stock, cumulative (what exists at the report date, or is counted from the start of the
  year), and every flag, choice or percent: the latest source's value; when the latest is
  blank, the latest number before it, with a warning.

The new workbook is the standard template of the catalogue: ratios are live formulas there as
in every workbook; the general information is the latest source's, with the period and the
data window set and the fields that belong to one report (its number, its signing date:
`rollup_blank`) left blank; the narrative is left for the officer.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from cchc.catalogue import Catalogue, Period
from cchc.errors import CchcError
from cchc.files import same_file
from cchc.numbers import as_int_if_whole, as_number, format_number
from cchc.periods import cover, period_label, report_period, rollup_blank, window
from cchc.vn_dates import format_date_ref
from cchc.workbook.unit_names import file_name, require_same_unit

ADDED = ("count", "money", "score")  # types whose flows add up (a percent never does)


@dataclass
class RollUp:
    """The roll-up of some reports, before it is written."""

    catalogue: Catalogue
    period: Period  # the period covered
    year: int
    sources: list  # ReportData, in the order of their windows
    data: dict[str, Any]  # the new workbook's data, in the shape of `cchc export` (cchc fill)
    warnings: list[str] = field(default_factory=list)  # Vietnamese, one per row concerned

    @property
    def label(self) -> str:
        """"9 tháng năm 2025"."""
        return period_label(self.period, self.year)


def _refuse(msg: str) -> CchcError:
    return CchcError(f"Không cộng dồn được: {msg}. Không có tệp nào được ghi.")


def _ordered(sources: Sequence, catalogue: Catalogue) -> tuple[list, Period, int]:
    """The sources in the order of their windows, the period they cover and the year; refuses
    (CchcError) what cannot be rolled up."""
    if len(sources) < 2:
        raise _refuse("cần ít nhất hai báo cáo của các kỳ liền nhau (ví dụ 6 tháng và Quý III)")
    if not catalogue.periods:
        raise _refuse(f"loại báo cáo «{catalogue.id}» không có các kỳ trong năm")
    first = sources[0]
    for other in sources[1:]:
        require_same_unit(first, other, catalogue.id, what="cộng dồn")
    versions = {file_name(d): d.catalogue_version for d in sources if d.catalogue_version}
    if len(set(versions.values())) > 1:
        listed = ", ".join(f"«{n}»: phiên bản {v}" for n, v in versions.items())
        raise _refuse(f"các tệp làm theo các phiên bản biểu mẫu khác nhau ({listed}); hãy chép số liệu sang "
                      "cùng một phiên bản biểu mẫu (cchc template) trước")
    parts = []
    for d in sources:
        period, year = report_period(catalogue, d.info)
        if period is None or year is None:
            missing = "kỳ báo cáo" if period is None else "năm báo cáo"
            raise _refuse(f"tệp «{file_name(d)}» chưa ghi {missing} (trang «Thông tin chung») hoặc ghi không "
                          "đúng danh sách")
        parts.append((d, period, year))
    years = {y for _, _, y in parts}
    if len(years) > 1:
        listed = ", ".join(f"«{file_name(d)}»: năm {y}" for d, _, y in parts)
        raise _refuse(f"các tệp thuộc các năm khác nhau ({listed}); chỉ cộng dồn các kỳ của cùng một năm")
    year = years.pop()
    covered = cover(catalogue, [(p, f"tệp «{file_name(d)}»") for d, p, _ in parts], year)
    if covered.period is None:
        raise _refuse(covered.problem)
    parts.sort(key=lambda t: window(t[1], year))
    for (a, _, _), (b, _, _) in zip(parts, parts[1:]):
        _adjacent_windows(a, b)
    unread = [(d, f) for d in sources for f in d.problems if f.severity == "error"]
    if unread:
        shown = "; ".join(f"«{file_name(d)}» {f.address or f.message}" for d, f in unread[:5])
        raise _refuse(f"có ô không đọc được số liệu ({shown}{' …' if len(unread) > 5 else ''}); hãy sửa các ô "
                      "này (cchc check) rồi cộng dồn lại")
    return [d for d, _, _ in parts], covered.period, year


def _adjacent_windows(a, b) -> None:
    """The data windows the officers typed («Số liệu từ/đến ngày») must meet too, when both
    are given: a province may move the windows, but not leave days out or count them twice."""
    end, start = a.info.get("den_ngay"), b.info.get("tu_ngay")
    if not isinstance(end, dt.date) or not isinstance(start, dt.date):
        return
    gap = (start - end).days - 1
    if gap == 0:
        return
    where = (f"tệp «{file_name(a)}» lấy số liệu đến ngày {format_date_ref(end)}, tệp «{file_name(b)}» "
             f"từ ngày {format_date_ref(start)}")
    if gap > 0:
        raise _refuse(f"{where}: còn {gap} ngày ở giữa không có số liệu")
    raise _refuse(f"{where}: {-gap} ngày được tính ở cả hai kỳ")


def _sum(numbers: list) -> int | float:
    total = sum(numbers)
    return total if isinstance(total, int) else as_int_if_whole(round(total, 6))


def roll_up(sources: Sequence, catalogue: Catalogue) -> RollUp:
    """The roll-up of `sources` (ReportData of one unit and year, of adjacent periods); a
    CchcError in Vietnamese when they cannot be rolled up."""
    ordered, period, year = _ordered(sources, catalogue)
    latest = ordered[-1]
    warnings: list[str] = []
    values: dict[str, dict[str, Any]] = {}
    for row in catalogue.input_rows():
        got = [(d, as_number(d.value(row.ref))) for d in ordered]
        given = [(d, v) for d, v in got if v is not None]
        blank = [d for d, v in got if v is None]
        if row.period == "flow" and row.type in ADDED:
            value = _sum([v for _, v in given]) if given else None
            if given and blank:
                warnings.append(
                    f"{row.title}: {', '.join(f'«{file_name(d)}»' for d in blank)} để trống, "
                    f"{', '.join(f'«{file_name(d)}»: {format_number(v)}' for d, v in given)}; "
                    f"số cộng dồn ghi {format_number(value)} (coi ô trống là 0): hãy kiểm tra lại.")
        else:
            value = given[-1][1] if given else None
            if given and given[-1][0] is not latest:
                warnings.append(
                    f"{row.title}: tệp mới nhất «{file_name(latest)}» để trống; lấy số của tệp "
                    f"«{file_name(given[-1][0])}» ({format_number(value)}): hãy kiểm tra lại.")
        values.setdefault(row.form, {})[row.code] = value
    notes: dict[str, dict[str, str]] = {}
    for d in ordered:  # the latest note of a row wins
        for form_id, by_code in d.notes.items():
            notes.setdefault(form_id, {}).update(by_code)
    first_window, last_window = window(period, year)
    info = dict(latest.info)
    for key in rollup_blank(catalogue):
        if key in info:
            info[key] = None
    info["ky"] = period.name
    info["tu_ngay"] = ordered[0].info.get("tu_ngay") or first_window
    info["den_ngay"] = latest.info.get("den_ngay") or last_window
    data = {"info": info, "values": values, "notes": notes,
            "auto_sentences": dict(latest.auto_sentences)}
    return RollUp(catalogue, period, year, ordered, data, warnings)


def write_rollup(rollup: RollUp, out: str | Path, *, inputs: Sequence[str | Path] = ()) -> Path:
    """The roll-up as the catalogue's standard workbook (.xlsx, or .xlsm with the buttons),
    written atomically; never over one of `inputs`."""
    from cchc.workbook.fill import fill_workbook
    from cchc.workbook.template import build_template

    out = Path(out)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise _refuse(f"tệp kết quả phải có đuôi .xlsx hoặc .xlsm (đang là «{out.name}»)")
    for src in inputs:
        if same_file(src, out):  # also through a hard link or another spelling of the path
            raise _refuse(f"tệp kết quả «{out}» trùng với một tệp nguồn; hãy chọn tên khác (-o)")
    if not out.resolve().parent.is_dir():
        raise _refuse(f"thư mục để ghi «{out.parent}» không tồn tại")
    with tempfile.TemporaryDirectory(prefix="cchc-cong-don-") as tmp:
        template = Path(tmp) / f"mau{out.suffix.lower()}"
        build_template(template, rollup.catalogue, macros=out.suffix.lower() == ".xlsm")
        fill_workbook(template, rollup.data, out, rollup.catalogue)
    return out


__all__ = ["RollUp", "roll_up", "write_rollup"]
