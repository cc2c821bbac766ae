"""Sentences of the SIPAS / PAR Index analysis, in the style of the seed report
(UBND xã Nam Cường, 2025): "đạt 65,51 điểm, xếp loại Trung bình, xếp hạng 78/92 xã, phường".

Numbers go through cchc.numbers (decimal comma, no trailing zeros, "%" without a space).
"""

from __future__ import annotations

import re
import unicodedata

from cchc.kinds.chi_so.analysis import Analysis, Criterion, FieldResult
from cchc.numbers import format_number, format_pct


def lower_first(text: str) -> str:
    """"Cải cách thể chế" → "cải cách thể chế"; "CCHC …" and "SIPAS" stay as written."""
    s = unicodedata.normalize("NFC", text.strip())
    if len(s) >= 2 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


def score_of(f: FieldResult) -> str:
    """"7,75/10"."""
    return f"{format_number(f.score)}/{format_number(f.max)}"


def points(f: FieldResult) -> str:
    """"7,75/10 điểm"."""
    return f"{score_of(f)} điểm"


def field_phrase(f: FieldResult, *, short: bool = False) -> str:
    return lower_first(f.short if short else f.label)


def unit_short(don_vi: str) -> str:
    """"UBND xã Nam Cường" → "xã Nam Cường" (the seed's "chỉ số … xã Nam Cường năm 2025")."""
    s = " ".join(str(don_vi or "").split())
    return re.sub(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", s, flags=re.IGNORECASE)


def join_vi(items: list[str], sep: str = "; ") -> str:
    return sep.join(items)


# ---------------------------------------------------------------------------------------------
# PAR Index


def field_line(f: FieldResult) -> str:
    """"Về cải cách thể chế: Đạt 7/7 điểm." (the dash is the paragraph's)."""
    if f.score is None:
        return f"Về {field_phrase(f)}: chưa có điểm."
    return f"Về {field_phrase(f)}: Đạt {points(f)}."


def par_result(a: Analysis, unit: str, year: int | str | None, khoi: str = "") -> str:
    """"Kết quả chỉ số cải cách hành chính xã Nam Cường năm 2025 đạt 65,51 điểm, xếp loại
    Trung bình, xếp hạng 78/92 xã, phường." — published figures first, computed otherwise."""
    total = a.total_for_text
    subject = "Kết quả chỉ số cải cách hành chính"
    if unit:
        subject += f" {unit}"
    if year:
        subject += f" năm {year}"
    if total is None:
        return f"{subject} chưa đủ điểm các lĩnh vực để tổng hợp."
    parts = [f"{subject} đạt {format_number(total)} điểm"]
    rating = a.rating_for_text
    if rating:
        parts.append(f"xếp loại {rating}")
    if a.rank is not None and a.units is not None:
        parts.append(f"xếp hạng {a.rank}/{a.units} {khoi or 'đơn vị'}")
    return ", ".join(parts) + "."


def strong_sentence(a: Analysis) -> str:
    """Fields at or above the top band's threshold (3.1 Mặt ưu điểm)."""
    strong = a.strong_fields()
    if not strong:
        return ""
    top = a.scheme.bands[0]
    items = [f"{field_phrase(f)} (đạt {points(f)})" for f in strong]
    lead = (f"Các lĩnh vực đạt từ {pct(top.min)} số điểm tối đa trở lên" if len(items) > 1
            else f"Lĩnh vực đạt từ {pct(top.min)} số điểm tối đa trở lên")
    full = [f for f in strong if f.score is not None and abs(f.score - f.max) < 1e-9]
    tail = ""
    if full:
        names = ", ".join(field_phrase(f) for f in full)
        tail = f"; trong đó {names} đạt điểm tối đa"
    return f"{lead}: {join_vi(items)}{tail}."


def weak_sentence(a: Analysis) -> str:
    """Fields below the overall percentage, weakest first (3.2 Tồn tại, hạn chế)."""
    weak = a.weak_fields()
    if not weak:
        return ""
    items = [f"{field_phrase(f)} ({points(f)}, đạt {pct(f.pct)})" for f in weak]
    return ("Các lĩnh vực có tỷ lệ điểm đạt được thấp hơn mức chung "
            f"({pct(a.total_pct)}), theo thứ tự từ thấp đến cao: {join_vi(items)}.")


# ---------------------------------------------------------------------------------------------
# SIPAS


def sipas_results(a: Analysis, unit_full: str, year: int | str | None) -> str:
    """"Năm 2025, chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của UBND xã Nam
    Cường đạt 87,70%. Trong đó, các nội dung đạt từ mức chung trở lên: …"."""
    if a.sipas_overall is None:
        return ""
    lead = f"Năm {year}, chỉ số" if year else "Chỉ số"
    s = (f"{lead} hài lòng của người dân, tổ chức đối với sự phục vụ của {unit_full} "
         f"đạt {pct(a.sipas_overall)}.")
    high = a.criteria_at_or_above()
    if high:
        s += (" Trong đó, các nội dung đạt từ mức chung trở lên: "
              + "; ".join(_criterion_2(c) for c in high) + ".")
    return s


def sipas_limitations(a: Analysis) -> list[str]:
    """One "+ Tiêu chí về … chỉ đạt 83,38%, thấp hơn mức chung (87,70%)." per criterion."""
    out = []
    for c in a.criteria_below():
        out.append(f"+ Tiêu chí về {lower_first(c.label)} chỉ đạt {pct(c.pct)}, thấp hơn "
                   f"chỉ số hài lòng chung ({pct(a.sipas_overall)}).")
    return out


def pct(x: float | None) -> str:
    """A percentage as ND30 prose writes it: two decimals unless whole (87,70%; 100%)."""
    return format_pct(x)


def _criterion_2(c: Criterion) -> str:
    return f"{lower_first(c.label)} đạt {pct(c.pct)}"
