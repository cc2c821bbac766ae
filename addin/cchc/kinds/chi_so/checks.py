"""Checks of the annual SIPAS / PAR Index workbook, as `cchc.checks.Finding`s.

    from cchc.kinds.chi_so.checks import check_chi_so
    findings = check_chi_so(data, catalogue)

Rule ids (stable, for filters and tests):

chi_so.score_missing     error    a field has no score (the total cannot be computed)
chi_so.score_max         error    a field's score exceeds its maximum
chi_so.total             warning  the published total differs from the sum of the fields by > 0,01
chi_so.rating            warning  the published rating is not the band of the total
chi_so.rank              error    the rank is above the number of units ranked (or below 1)
chi_so.rank_units        warning  a rank without the number of units, or the reverse
chi_so.limitation_text   warning  a field below its maximum has no "Hạn chế" text
chi_so.solution_text     warning  a field below the overall percentage has no "Giải pháp" text
chi_so.sipas_overall     warning  SIPAS sub-criteria are given but the overall figure is not
chi_so.sipas_below       info     a SIPAS sub-criterion below the overall figure (a limitation)
chi_so.summary           info     the total, its percentage and rating, the weakest fields

The reader's own problems (a value that is not a number, a negative score …) are not repeated
here; `cchc.checks.run_checks` adds them.
"""

from __future__ import annotations

from typing import Any

from cchc.kinds.chi_so.analysis import TOTAL_TOLERANCE, analyse
from cchc.kinds.chi_so.text import field_phrase, pct as fpct, points, score_of
from cchc.cells import a1
from cchc.findings import Finding
from cchc.numbers import format_number
from cchc.workbook import style as S


def _finding(severity, sheet, cell, form, code, rule_id, message, **values):
    return Finding(severity=severity, sheet=sheet, cell=cell, form=form, code=code,
                   rule_id=rule_id, message=message, values=values)


def _cell(data, ref: str, fallback_sheet: str) -> tuple[str, str]:
    at = data.cells.get(ref)
    return (at.sheet, at.a1) if at is not None else (fallback_sheet, "")


def _info_cell(data, key: str) -> tuple[str, str]:
    at = data.info_cells.get(key)
    return (at.sheet, at.a1) if at is not None else (S.SHEET_INFO, "")


def _text_cell(data, form, code: str, key: str) -> str:
    """A1 address of a text column's cell: the row of the field's score cell (as the reader
    found it), the column of the text in the template's layout (after "Ghi chú")."""
    at = data.cells.get(f"{form.id}:{code}")
    keys = [c.key for c in form.columns]
    if at is None or key not in keys:
        return ""
    return a1(at.r0, S.COL_NOTE + keys.index(key))


def check_chi_so(data, catalogue) -> list[Any]:
    a = analyse(data, catalogue)
    par = a.scheme.par
    out: list[Any] = []
    texts = (data.extra.get("texts") or {}).get(par.id, {})

    # ---- field scores
    for f in a.fields:
        ref = f"{par.id}:{f.code}"
        sheet, cell = _cell(data, ref, par.sheet)
        if f.score is None:
            if any(p.ref == ref for p in data.problems):
                continue  # the reader already said why the cell could not be read
            out.append(_finding(
                "error", sheet, cell, par.id, f.code, "chi_so.score_missing",
                f"Lĩnh vực «{f.label}» chưa có điểm đạt được: chưa tính được tổng điểm. "
                f"Hãy nhập điểm theo văn bản công bố (tối đa {format_number(f.max)} điểm).",
                max=f.max))
            continue
        if f.score > f.max + 1e-9:
            out.append(_finding(
                "error", sheet, cell, par.id, f.code, "chi_so.score_max",
                f"Lĩnh vực «{f.label}» ghi {format_number(f.score)} điểm, lớn hơn điểm tối đa "
                f"{format_number(f.max)}. Hãy đối chiếu lại với văn bản công bố.",
                score=f.score, max=f.max))

    # ---- total against the published total
    total = a.total
    if a.total_disagrees:
        sheet, cell = _info_cell(data, "par_tong")
        diff = abs(total - a.published_total)
        out.append(_finding(
            "warning", sheet, cell, "", "par_tong", "chi_so.total",
            f"Tổng điểm do tỉnh công bố là {format_number(a.published_total)}, nhưng cộng điểm "
            f"{len(a.fields)} lĩnh vực được {format_number(total)} (chênh {format_number(diff)} điểm). "
            "Hãy đối chiếu điểm từng lĩnh vực với văn bản công bố.",
            published=a.published_total, computed=total, tolerance=TOTAL_TOLERANCE))

    # ---- rating against the bands
    basis = total if total is not None else a.published_total
    if a.published_rating and basis is not None and a.max_total:
        pct = basis / a.max_total * 100.0
        band = a.scheme.rating(pct)
        if band and band != a.published_rating:
            sheet, cell = _info_cell(data, "par_xep_loai")
            out.append(_finding(
                "warning", sheet, cell, "", "par_xep_loai", "chi_so.rating",
                f"Xếp loại ghi là «{a.published_rating}», nhưng {format_number(basis)}/"
                f"{format_number(a.max_total)} điểm ({fpct(pct)}) thuộc mức «{band}» "
                f"({_band_range(a.scheme, band)}). Hãy kiểm tra lại xếp loại hoặc thang xếp loại "
                "trong danh mục.",
                published=a.published_rating, computed=band, pct=pct))

    # ---- rank
    if a.rank is not None and a.units is not None:
        if a.rank < 1 or a.rank > a.units:
            sheet, cell = _info_cell(data, "par_xep_hang")
            out.append(_finding(
                "error", sheet, cell, "", "par_xep_hang", "chi_so.rank",
                f"Xếp hạng {a.rank} không hợp lệ: phải từ 1 đến số đơn vị được xếp hạng ({a.units}).",
                rank=a.rank, units=a.units))
    elif (a.rank is None) != (a.units is None):
        key = "par_so_don_vi" if a.units is None else "par_xep_hang"
        sheet, cell = _info_cell(data, key)
        out.append(_finding(
            "warning", sheet, cell, "", key, "chi_so.rank_units",
            "Cần nhập cả thứ hạng và số đơn vị được xếp hạng để báo cáo ghi «xếp hạng …/…».",
            rank=a.rank, units=a.units))

    # ---- texts the analysis needs
    weak = {f.code for f in a.weak_fields()}
    for f in a.fields:
        if f.score is None or f.score > f.max + 1e-9:
            continue
        t = texts.get(f.code, {})
        if f.score < f.max - 1e-9 and not t.get("HC") and any(c.key == "HC" for c in par.columns):
            out.append(_finding(
                "warning", par.sheet, _text_cell(data, par, f.code, "HC"), par.id, f.code,
                "chi_so.limitation_text",
                f"Lĩnh vực «{f.label}» đạt {score_of(f)} điểm (bị trừ {format_number(f.lost)} điểm) "
                "nhưng chưa nêu hạn chế (cột «Hạn chế»).",
                score=f.score, max=f.max))
        if f.code in weak and not t.get("GP") and any(c.key == "GP" for c in par.columns):
            out.append(_finding(
                "warning", par.sheet, _text_cell(data, par, f.code, "GP"), par.id, f.code,
                "chi_so.solution_text",
                f"Lĩnh vực «{f.label}» đạt {fpct(f.pct)} số điểm tối đa, thấp hơn mức chung "
                f"({fpct(a.total_pct)}), nhưng chưa có giải pháp (cột «Giải pháp»).",
                pct=f.pct))

    # ---- SIPAS
    sipas = a.scheme.sipas
    if sipas is not None:
        if a.sipas_overall is None and any(c.pct is not None for c in a.criteria):
            sheet, cell = _cell(data, f"{sipas.id}:{a.scheme.sipas_overall}", sipas.sheet)
            out.append(_finding(
                "warning", sheet, cell, sipas.id, a.scheme.sipas_overall, "chi_so.sipas_overall",
                "Đã nhập tỷ lệ các tiêu chí SIPAS nhưng chưa nhập chỉ số hài lòng chung: "
                "không xác định được tiêu chí nào thấp hơn mức chung."))
        for c in a.criteria_below():
            sheet, cell = _cell(data, f"{sipas.id}:{c.code}", sipas.sheet)
            out.append(_finding(
                "info", sheet, cell, sipas.id, c.code, "chi_so.sipas_below",
                f"Tiêu chí «{c.label}» đạt {fpct(c.pct)}, thấp hơn chỉ số hài lòng chung "
                f"({fpct(a.sipas_overall)}): báo cáo nêu là hạn chế.",
                pct=c.pct, overall=a.sipas_overall))

    # ---- summary
    if total is not None:
        weakest = a.weak_fields() or a.weakest(2)
        names = "; ".join(f"{field_phrase(f, short=True)} ({points(f)}, {fpct(f.pct)})"
                          for f in weakest)
        out.append(_finding(
            "info", par.sheet, "", par.id, "", "chi_so.summary",
            f"Tổng điểm tính lại: {format_number(total)}/{format_number(a.max_total)} "
            f"({fpct(a.total_pct)}), xếp loại {a.rating}. Lĩnh vực thấp nhất: {names}.",
            total=total, pct=a.total_pct, rating=a.rating,
            weakest=[f.code for f in weakest]))
    return out


def _band_range(scheme, name: str) -> str:
    bands = scheme.bands
    for i, b in enumerate(bands):
        if b.name != name:
            continue
        lo = fpct(b.min)
        if i == 0:
            return f"từ {lo} trở lên"
        hi = fpct(bands[i - 1].min)
        return f"dưới {hi}" if b.min <= 0 else f"từ {lo} đến dưới {hi}"
    return ""


__all__ = ["check_chi_so"]
