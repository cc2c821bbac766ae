"""The rows of «Tổng hợp» as the workbook and the province report show them: one dict per
catalogue row (value, units with a value, lowest, highest, how it was made), and the columns,
in order, as data: a column added here (a comparison with another period) appears in the
workbook sheet; the Word appendix lists its own columns (cchc.merge.word_template)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cchc.numbers import format_number, format_pct


@dataclass(frozen=True)
class TotalColumn:
    key: str  # the key of total_row's dict
    header: str
    width: float  # workbook column width (characters)


TOTAL_COLUMNS = (
    TotalColumn("stt", "STT", 7),
    TotalColumn("label", "Chỉ tiêu thống kê", 56),
    TotalColumn("unit", "Đơn vị tính", 13),
    TotalColumn("value", "Số liệu tổng hợp", 14),
    TotalColumn("n", "Số đơn vị có số liệu", 11),
    TotalColumn("min", "Thấp nhất", 11),
    TotalColumn("max", "Cao nhất", 11),
    TotalColumn("how", "Cách tổng hợp", 44),
)


def _how(row, s: dict[str, Any]) -> str:
    k, agg = row.type, s.get("aggregate")
    n = s.get("n") or 0
    if k == "ratio":
        num, den, v = s["num"], s["den"], s["value"]
        if v is None:
            text = ("Để trống: tổng mẫu số bằng 0 hoặc không có số liệu" if s.get("parts_summed", True)
                    else "Để trống: tử số hoặc mẫu số không được cộng (xem cách tổng hợp của hai dòng đó)")
        else:
            text = (f"Tính lại từ tổng: {format_number(num)} / {format_number(den)} × 100 = {format_pct(v)} "
                    "(không lấy trung bình các tỷ lệ)")
    elif k == "flag":
        text = f"{format_number(s['yes'])}/{format_number(n)} đơn vị trả lời «{row.choice_label(1) or '1'}»"
    elif k == "choice":
        parts = [f"{label}: {format_number(s['counts'].get(str(code), 0))}" for code, label in row.choices]
        text = "Số đơn vị chọn — " + "; ".join(parts)
    elif not n:
        text = "Không đơn vị nào có số liệu"
    elif agg == "sum":
        text = f"Tổng của {format_number(n)} đơn vị có số liệu"
    elif agg == "mean":
        what = " (tỷ lệ do đơn vị tự nhập, không có tử số và mẫu số)" if k == "pct" else ""
        text = f"Trung bình cộng của {format_number(n)} đơn vị{what}"
    else:
        text = "Không cộng, không lấy trung bình: mỗi đơn vị một số riêng (xem «Chi tiết theo đơn vị»)"
    if s.get("excluded"):
        text += (f"; thấp nhất, cao nhất không tính {format_number(s['excluded'])} đơn vị có lỗi số liệu "
                 "ở chỉ tiêu này")
    return text


def _how_short(row, s: dict[str, Any]) -> str:
    """The explanation in a few words, for the printed appendix (the counts are in their own
    columns there)."""
    k, agg, n = row.type, s.get("aggregate"), s.get("n") or 0
    if k == "ratio":
        text = ("Tính lại từ tổng tử số, tổng mẫu số" if s.get("value") is not None
                else "Trống: mẫu số bằng 0 hoặc không có số liệu")
    elif k == "flag":
        text = f"Số đơn vị «{row.choice_label(1) or '1'}»"
    elif k == "choice":
        text = "; ".join(f"{label}: {format_number(s['counts'].get(str(code), 0))}" for code, label in row.choices)
    elif not n:
        text = "Không có số liệu"
    else:
        text = {"sum": "Tổng", "mean": "Trung bình"}.get(agg, "Không cộng")
    if s.get("excluded"):
        text += f"; thấp nhất, cao nhất không tính {format_number(s['excluded'])} đơn vị có lỗi"
    return text


def total_row(row, s: dict[str, Any] | None) -> dict[str, Any]:
    """One row of «Tổng hợp»: raw values (numbers or None) and the explanation, long (the
    workbook) and short (the printed appendix)."""
    out = {"stt": row.code, "label": row.label, "unit": row.unit or None, "type": row.type, "level": row.level,
           "value": None, "n": None, "min": None, "max": None, "how": None, "how_short": None}
    if row.type == "group" or not s:
        return out
    if row.type == "ratio":
        out["value"] = s.get("value")
    elif row.type == "flag":
        out["value"] = s["yes"]
    elif row.type != "choice":
        out["value"] = s.get("sum") if s.get("aggregate") == "sum" else s.get("mean")
    out["n"] = s.get("n")
    out["min"], out["max"] = s.get("min"), s.get("max")
    out["how"] = _how(row, s)
    out["how_short"] = _how_short(row, s)
    return out


def formatted(cells: dict[str, Any], row) -> dict[str, str]:
    """total_row as texts, Vietnamese style (the Word appendix): 57,14%; 2.700; "12/27" for a
    flag (units answering «Có» of those answering)."""
    out = {}
    for key, value in cells.items():
        if value is None:
            out[key] = ""
        elif key in ("value", "min", "max") and row.type in ("pct", "ratio"):
            out[key] = format_pct(value)
        elif key == "value" and row.type == "flag":
            out[key] = f"{format_number(value)}/{format_number(cells.get('n') or 0)}"
        elif key in ("value", "min", "max", "n") and isinstance(value, (int, float)):
            out[key] = format_number(value)
        else:
            out[key] = str(value)
    return out
