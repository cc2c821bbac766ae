"""Deciding which files are merged, and saying why the others are not.

In order: unreadable files; files of another kind of report (one kind per merge); another
catalogue version whose indicator codes differ (same codes: merged, with a warning); another
period or year; files whose unit cannot be told; units outside the --units list; and two or
more files for one unit (none merged, unless --prefer-newest: then the newest, by signing
date and then file time). Nothing is dropped silently: every file ends with a state and a
Vietnamese reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.catalogue import Catalogue, load_catalogue
from cchc.errors import CchcError
from cchc.files import shown
from cchc.merge import records as S
from cchc.findings import Finding
from cchc.merge.records import FileRecord, Unit
from cchc.merge.units import UnitIndex, name_keys, norm_code, sort_key, unit_id
from cchc.registry import ReportKind, default_kind, kind_by_id, kind_by_name
from cchc.workbook.values import fold

@dataclass
class Plan:
    catalogue: Catalogue
    kind: ReportKind
    period: dict[str, Any]  # {"ky": "Quý I", "nam": 2025}
    period_chosen_by: str  # "options" or "majority"
    units: list[Unit]  # in output order
    files: list[FileRecord]  # every file met, in path order
    notes: list[str] = field(default_factory=list)

    @property
    def merged(self) -> list[FileRecord]:
        return [u.merged for u in self.units if u.merged is not None]


def period_text(period: dict[str, Any]) -> str:
    ky, nam = period.get("ky"), period.get("nam")
    if ky and nam:
        return f"{ky} năm {nam}"
    return str(ky or (f"năm {nam}" if nam else ""))


def _short(path: str) -> str:
    return Path(path).name


def _label(kind_id: str) -> str:
    return kind_by_id(kind_id).label or kind_id


def period_keys(kind: ReportKind, cat: Catalogue) -> tuple[str, ...]:
    """The general-information keys merged files must agree on: the kind's, else those of
    ("ky", "nam") — period and year — that the catalogue declares."""
    if kind.period_keys is not None:
        return tuple(kind.period_keys)
    declared = {f.key for f in cat.info}
    return tuple(k for k in ("ky", "nam") if k in declared)


def _choose_kind(readable: list[FileRecord], kind: str | None) -> str:
    kinds = Counter(r.kind for r in readable)
    if kind:
        return kind_by_name(kind).id
    if len(kinds) > 1:
        parts = ", ".join(f"{_label(k)} «{k}»: {n} tệp" for k, n in kinds.most_common())
        raise CchcError(
            f"Các tệp thuộc nhiều loại báo cáo khác nhau ({parts}). Mỗi lần tổng hợp chỉ một loại: "
            f"hãy để riêng mỗi loại một thư mục, hoặc chọn loại bằng --kind "
            f"(ví dụ --kind {kinds.most_common(1)[0][0]})."
        )
    return next(iter(kinds)) if kinds else default_kind().id


def _canonical_period(cat: Catalogue, ky: str | None) -> str | None:
    if ky is None:
        return None
    try:
        choices = cat.info_field("ky").choices
    except KeyError:
        choices = ()
    for c in choices:
        if fold(c) == fold(ky):
            return c
    if choices:
        raise CchcError(f"Kỳ báo cáo «{ky}» không hợp lệ; chọn một trong: {', '.join(choices)}.")
    return ky


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return fold(a or "") == fold(b or "")
    return a == b


def plan_merge(
    records: list[FileRecord],
    skipped: list[Path],
    *,
    kind: str | None = None,
    period: str | None = None,
    year: int | None = None,
    expected: list[Unit] | None = None,
    prefer_newest: bool = False,
) -> Plan:
    files = list(records)
    for p in skipped:
        files.append(FileRecord(path=shown(p), state=S.SKIPPED,
                                reason="Chỉ đọc tệp Excel .xlsx hoặc .xlsm; tệp này không được đọc."))
    for r in records:
        if r.error:
            r.state, r.reason = S.UNREADABLE, r.error

    live = [r for r in records if not r.state]
    kind = _choose_kind(live, kind)
    cat = load_catalogue(kind)
    report_kind = kind_by_id(kind)
    keys = period_keys(report_kind, cat)
    for r in live:
        if r.kind != kind:
            r.state = S.WRONG_KIND
            r.reason = (f"Tệp là {_label(r.kind)} («{r.kind}»), không phải "
                        f"{_label(kind)} («{kind}») đang tổng hợp.")

    # Catalogue versions: another version is merged only when its codes agree.
    for r in (r for r in records if not r.state):
        if r.catalogue_version == cat.version:
            continue
        was = f"phiên bản «{r.catalogue_version}»" if r.catalogue_version else "phiên bản không rõ"
        if r.missing_codes or r.extra_codes:
            diff = []
            if r.missing_codes:
                diff.append("thiếu " + ", ".join(r.missing_codes[:6]) + (" …" if len(r.missing_codes) > 6 else ""))
            if r.extra_codes:
                diff.append("thừa " + ", ".join(r.extra_codes[:6]) + (" …" if len(r.extra_codes) > 6 else ""))
            r.state = S.WRONG_VERSION
            r.reason = (f"Tệp làm theo biểu mẫu {was}, khác phiên bản «{cat.version}» đang tổng hợp, và các mã "
                        f"chỉ tiêu không khớp ({'; '.join(diff)}). Hãy nhập lại số liệu vào biểu mẫu mới.")
        else:
            r.findings.append(Finding("warning", "", "", "", "", "merge.other_version", (
                f"Tệp làm theo biểu mẫu {was}, khác phiên bản «{cat.version}»; các mã chỉ tiêu trùng khớp "
                f"nên vẫn được tổng hợp.")))

    # The period: from the options, else the one most files carry.
    want: dict[str, Any] = {}
    chosen_by = "options"
    ky = _canonical_period(cat, period)
    if "ky" in keys and ky is not None:
        want["ky"] = ky
    if "nam" in keys and year is not None:
        want["nam"] = int(year)
    missing_keys = [k for k in keys if k not in want]
    live = [r for r in records if not r.state]
    if missing_keys and live:
        chosen_by = "majority"
        pool = [r for r in live if all(_same(r.info.get(k), v) for k, v in want.items())]
        counts = Counter(tuple(r.info.get(k) for k in missing_keys) for r in pool
                         if all(r.info.get(k) not in (None, "") for k in missing_keys))
        if counts:
            top = counts.most_common(2)
            if len(top) > 1 and top[0][1] == top[1][1]:
                options = "; ".join(period_text(dict(zip(missing_keys, k))) for k, _ in top)
                raise CchcError(
                    f"Các tệp thuộc nhiều kỳ báo cáo với số tệp bằng nhau ({options}). "
                    "Hãy chọn kỳ bằng --period và --year, ví dụ --period \"Quý I\" --year 2025."
                )
            want.update(dict(zip(missing_keys, top[0][0])))
    for r in live:
        got = {k: r.info.get(k) for k in keys}
        if any(got[k] in (None, "") for k in keys):
            r.state = S.WRONG_PERIOD
            r.reason = "Tệp không ghi đủ kỳ và năm báo cáo (trang «Thông tin chung»)."
        elif not all(_same(got[k], want.get(k)) for k in keys if k in want):
            r.state = S.WRONG_PERIOD
            r.reason = f"Tệp là báo cáo {period_text(got)}, không phải {period_text(want)} đang tổng hợp."

    # Units. Files excluded above for their kind, version or period still show under their
    # unit ("sent, but could not be merged"); they take no part in the duplicate rule.
    index = UnitIndex(list(expected or []))
    have_list = expected is not None
    wrong = (S.WRONG_KIND, S.WRONG_VERSION, S.WRONG_PERIOD)
    live = [r for r in records if not r.state or r.state in wrong]
    # Files with a code first: a unit that a file without one finds by its name has its code.
    live.sort(key=lambda r: (norm_code(r.info.get("ma_dvhc")) is None, r.path))
    for r in live:
        code = norm_code(r.info.get("ma_dvhc"))
        name = str(r.info.get("don_vi") or "").strip()
        if not code and not name:
            if not r.state:
                r.state = S.NO_UNIT
                r.reason = "Tệp không ghi tên đơn vị và mã đơn vị hành chính (trang «Thông tin chung»)."
            continue
        unit = index.find(code, name)
        if unit is None and have_list:
            if not r.state:
                r.state = S.NOT_EXPECTED
                r.reason = (f"Đơn vị «{name or code}»{f' (mã {code})' if code and name else ''} không có "
                            "trong danh sách đơn vị (--units).")
            continue
        if unit is None:
            unit = index.add(Unit(id=unit_id(code, name), code=code, name=name))
        if have_list and name and unit.name and name_keys(name)[3] != name_keys(unit.name)[3]:
            r.findings.append(Finding("warning", "Thông tin chung", "", "", "don_vi", "merge.unit_name", (
                f"Tên đơn vị trong tệp «{name}» khác tên trong danh sách «{unit.name}»"
                f"{f' (cùng mã {code})' if code else ''}.")))
        r.unit_id = unit.id
        unit.files.append(r)

    # One file per unit.
    for unit in index.units:
        candidates = [f for f in unit.files if not f.state]
        if len(candidates) == 1:
            unit.merged = candidates[0]
            unit.merged.state = S.MERGED
            continue
        if not candidates:
            continue
        names = ", ".join(f"«{_short(f.path)}»" for f in candidates)
        n = len(candidates)
        if prefer_newest:
            def age(f: FileRecord):
                return (str(f.info.get("ngay_ky") or ""), f.mtime)

            ordered = sorted(candidates, key=age, reverse=True)
            if age(ordered[0]) != age(ordered[1]):
                unit.merged = ordered[0]
                unit.merged.state = S.MERGED
                for f in ordered[1:]:
                    f.state = S.SUPERSEDED
                    f.reason = (f"Đơn vị có {n} tệp cùng kỳ ({names}); "
                                f"đã dùng tệp mới hơn «{_short(ordered[0].path)}» (--prefer-newest).")
                continue
            for f in candidates:
                f.state = S.DUPLICATE
                f.reason = (f"Đơn vị có {n} tệp cùng kỳ ({names}) cùng ngày ký và cùng thời điểm lưu, "
                            "không biết tệp nào mới hơn; chưa tổng hợp tệp nào.")
            continue
        for f in candidates:
            f.state = S.DUPLICATE
            f.reason = (f"Đơn vị có {n} tệp cùng kỳ ({names}); chưa tổng hợp tệp nào. "
                        "Hãy giữ lại một tệp, hoặc chạy lại với --prefer-newest để dùng tệp mới nhất.")

    units = sorted(index.units, key=sort_key)
    for u in units:
        u.files.sort(key=lambda f: f.path)
    order = {u.id: i for i, u in enumerate(units)}
    files.sort(key=lambda f: (order.get(f.unit_id, len(order)), f.path))
    return Plan(catalogue=cat, kind=report_kind, period=want, period_chosen_by=chosen_by, units=units, files=files)


# States of a file that stays listed under the unit that sent it (sent, whether merged or not),
# as plan_merge leaves them; the other refusals (unreadable, no unit, another unit) are not
# that unit's report.
UNDER_UNIT = (S.MERGED, S.WRONG_KIND, S.WRONG_VERSION, S.WRONG_PERIOD)


def admit_one(record: FileRecord, unit: Unit, *, kind: str, period: str | None = None,
              year: int | None = None) -> FileRecord:
    """Admit one file that one unit sent for one period, by the rules of `plan_merge` (the
    merge of that unit alone): on return `record.state` is MERGED when it would be merged, else
    the refusal and its Vietnamese reason. For adapters that receive files one at a time (the
    portal) and merge them later with `plan_admitted`, without reading or admitting again."""
    expected = [Unit(id=unit.id, code=unit.code, name=unit.name, group=unit.group, expected=True)]
    plan = plan_merge([record], [], kind=kind, period=period, year=year, expected=expected)
    chosen = period_text(plan.period)
    if record.state == S.WRONG_PERIOD and all(record.info.get(k) not in (None, "") for k in period_keys(plan.kind, plan.catalogue)):
        got = period_text({k: record.info.get(k) for k in period_keys(plan.kind, plan.catalogue)})
        record.reason = (f"Tệp là báo cáo {got}, không phải {chosen} đã chọn khi nộp. Hãy chọn đúng kỳ "
                         "báo cáo, hoặc nộp tệp của kỳ này.")
    elif record.state == S.WRONG_KIND:
        record.reason = (f"Tệp là {_label(record.kind)}, không phải "
                         f"{_label(kind)} của kỳ {chosen} đã chọn khi nộp.")
    elif record.state == S.NOT_EXPECTED:
        code = norm_code(record.info.get("ma_dvhc"))
        name = str(record.info.get("don_vi") or "").strip()
        record.reason = (f"Tệp là báo cáo của đơn vị «{name or code}»{f' (mã {code})' if code and name else ''}, "
                         f"không phải của «{unit.name}»{f' (mã {unit.code})' if unit.code else ''}. "
                         "Mỗi đơn vị chỉ nộp báo cáo của chính mình.")
    return record


def plan_admitted(records: list[FileRecord], units: list[Unit], *, kind: str,
                  period: dict[str, Any]) -> Plan:
    """The Plan of a merge whose files were admitted one by one (`admit_one`), each when it
    arrived: every record already carries its `unit_id`, `state` and `reason`; nothing is read
    or admitted again. `units` are the units that should report (expected=True); at most one
    record per unit is MERGED. The result is what `plan_merge` gives for the same files."""
    cat = load_catalogue(kind)
    report_kind = kind_by_id(kind)
    by_id = {u.id: u for u in units}
    for r in records:
        unit = by_id.get(r.unit_id) if r.state in UNDER_UNIT else None
        if unit is None:
            if r.state == S.MERGED:
                raise ValueError(f"merged record {r.path} without a unit")
            r.unit_id = ""
            continue
        if r.state == S.MERGED:
            if unit.merged is not None:
                raise ValueError(f"two merged records for unit {unit.id}")
            unit.merged = r
        unit.files.append(r)
    ordered = sorted(units, key=sort_key)
    for u in ordered:
        u.files.sort(key=lambda f: f.path)
    order = {u.id: i for i, u in enumerate(ordered)}
    files = sorted(records, key=lambda f: (order.get(f.unit_id, len(order)), f.path))
    want = {k: period[k] for k in period_keys(report_kind, cat) if period.get(k) not in (None, "")}
    return Plan(catalogue=cat, kind=report_kind, period=want, period_chosen_by="options", units=ordered, files=files)
