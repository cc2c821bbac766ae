"""Interpreting one raw cell value according to the catalogue's kind.

Excel, LibreOffice and openpyxl hand back different types for the same typed thing: numbers
as floats, dates as datetimes or serial numbers, text where the officer typed into a text
cell. Each function returns (value, problem) where problem is None or a short Vietnamese
phrase of what was wrong; the caller adds the cell and the code.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from cchc.catalogue import Row
from cchc.numbers import NumberParseError, as_int_if_whole, parse_vn_number

EXCEL_EPOCH = dt.date(1899, 12, 30)

# Larger than any figure of a commune (counts, triệu đồng, points) by far: a typo of a few
# zeros, or a crafted value that would make a province total overflow.
MAX_PLAUSIBLE = 10**9

EXPECTED = {
    "count": "số nguyên ≥ 0",
    "money": "số ≥ 0 (triệu đồng)",
    "pct": "tỷ lệ từ 0 đến 100",
    "score": "số điểm ≥ 0",
}


def norm_text(s: Any) -> str:
    """NFC, collapsed spaces, typographic apostrophes made plain: for comparing labels and names."""
    t = unicodedata.normalize("NFC", str(s)).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", t).strip()


def fold(s: Any) -> str:
    """Case- and tone-placement-insensitive key ("Hòa" == "Hoà", "K'Nớ" == "K’Nớ")."""
    return _fold(s if type(s) is str else str(s))


def _fold_text(s: str) -> str:
    t = unicodedata.normalize("NFD", norm_text(s).casefold())
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Mn")
    return t.replace("đ", "d")


# The same few hundred labels, choices and unit names are folded for every file of a merge.
# Memoised by wrapping rather than decorating: the mutation tester (scripts/mutation.py) leaves
# decorated functions alone, and this one must be tested.
_fold = lru_cache(maxsize=8192)(_fold_text)


def clean_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = unicodedata.normalize("NFC", str(v)).replace("\r\n", "\n").replace("\r", "\n")
    return s.strip()


def special_reason(found: str) -> str:
    """Why a cell that reads blank is not empty: it shows an error value, or holds a formula
    saved without its result (cchc.workbook.bounds finds both in the sheet's XML)."""
    if found.startswith("="):
        return ("ô chứa công thức chưa có kết quả tính (tệp được lưu bằng một công cụ không tính công thức); "
                "hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại")
    return f"ô báo lỗi {found} (công thức tính sai hoặc tham chiếu tới ô không còn)"


def shorten(v: Any, limit: int = 120) -> Any:
    """A value as quoted in a message: long text cut, so a message stays one screen; a whole
    float without its ".0"; NaN and infinities named."""
    if isinstance(v, str) and len(v) > limit:
        return v[:limit] + "…"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "vô cùng" if v > 0 else "âm vô cùng"
        return as_int_if_whole(v)
    return v


def expected_for(row: Row) -> str:
    if row.type in EXPECTED:
        return EXPECTED[row.type]
    return "một trong: " + "; ".join(f"{label} ({code})" for code, label in row.choices)


def read_indicator(row: Row, raw: Any) -> tuple[Any, str | None]:
    """(value, problem). Blank → (None, None). Unreadable → (None, why). Readable-but-wrong →
    (value, why): the value is kept so nothing is silently lost."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if row.type in ("flag", "choice"):
        return _read_choice(row, raw)
    if isinstance(raw, bool):
        return None, "giá trị TRUE/FALSE, không phải số"
    if isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return None, "ô chứa ngày tháng (Excel tự đổi?), không phải số"
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        try:
            value = parse_vn_number(str(raw), allow_percent=row.type == "pct")
        except NumberParseError as exc:
            return None, f"không đọc được thành số: {exc}"
    if not math.isfinite(value):
        return None, NOT_FINITE
    return _range(row, value)


NOT_FINITE = "không phải một số (NaN hoặc vô cùng)"
TOO_LARGE = "số lớn bất thường (từ 1 tỷ trở lên): kiểm tra lại đơn vị tính hoặc số chữ số 0"


def _range(row: Row, value: float) -> tuple[Any, str | None]:
    value = as_int_if_whole(value)
    if value < 0:
        return value, "số âm"
    if value >= MAX_PLAUSIBLE:
        return None, TOO_LARGE  # not kept: summed over a province it could overflow
    if row.type == "count" and not isinstance(value, int):
        return value, "không phải số nguyên"
    if row.type == "pct" and value > 100:
        return value, "tỷ lệ lớn hơn 100"
    return value, None


def _read_choice(row: Row, raw: Any) -> tuple[Any, str | None]:
    codes = {c for c, _ in row.choices}
    if isinstance(raw, bool):
        raw = int(raw)
    if isinstance(raw, (int, float)):
        if float(raw).is_integer() and int(raw) in codes:
            return int(raw), None
        return as_int_if_whole(float(raw)), "mã không có trong danh sách"
    text = fold(raw)
    by_label = {fold(label): code for code, label in row.choices}
    if text in by_label:
        return by_label[text], None
    # "1", "1 - Có", "Có = 1", "Có (1)"
    m = re.fullmatch(r"(\d+)(?:\s*[-–:.=)]\s*.*)?", text) or re.fullmatch(r".*?[=(]\s*(\d+)\)?", text)
    if m and int(m.group(1)) in codes:
        return int(m.group(1)), None
    return None, "không có trong danh sách lựa chọn"


def read_date(raw: Any) -> tuple[dt.date | None, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:  # Excel serial day numbers (1900 system)
            return EXCEL_EPOCH + dt.timedelta(days=int(raw)), None
        return None, "không phải ngày hợp lệ"
    text = norm_text(raw)
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        d, mth, y = map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
        if not m:
            m2 = re.fullmatch(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", text.casefold())
            if not m2:
                return None, "không phải ngày (cần dạng ngày/tháng/năm)"
            d, mth, y = map(int, m2.groups())
        else:
            y, mth, d = map(int, m.groups())
    try:
        return dt.date(y, mth, d), None
    except ValueError:
        return None, "ngày không tồn tại"


def read_int(raw: Any) -> tuple[int | None, str | None]:
    """A general-information whole number (the report's «Số», the year): 1 or more."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool):
        return None, "không phải số nguyên"
    if isinstance(raw, (int, float)):
        v = as_int_if_whole(float(raw))
    else:
        try:
            v = as_int_if_whole(parse_vn_number(str(raw)))
        except NumberParseError:
            return None, "không phải số nguyên"
    if not isinstance(v, int):
        return None, "không phải số nguyên"
    if v < 1:
        return v, "không phải số nguyên dương"
    if v >= MAX_PLAUSIBLE:
        return None, TOO_LARGE
    return v, None


def read_number(raw: Any) -> tuple[int | float | None, str | None]:
    """A general-information number (a published total such as 65,51): ≥ 0, decimals allowed."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return None, "không phải số"
    if isinstance(raw, (int, float)):
        v = as_int_if_whole(float(raw))
    else:
        try:
            v = as_int_if_whole(parse_vn_number(str(raw)))
        except NumberParseError as exc:
            return None, f"không đọc được thành số: {exc}"
    if not math.isfinite(v):
        return None, NOT_FINITE
    if v < 0:
        return v, "số âm"
    if v >= MAX_PLAUSIBLE:
        return None, TOO_LARGE
    return v, None
