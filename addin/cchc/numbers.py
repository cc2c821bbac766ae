"""Numbers the Vietnamese way: reading what officers type, and printing for people.

Vietnamese writes a decimal comma and a thousands dot: 98,59% and 2.700. Officers also type
numbers as text (a cell formatted as text, a paste from Word), so the reader accepts text
when its meaning is unambiguous and refuses it otherwise. "2.700" is 2700 (dot groups of
three digits), "1.234,5" is 1234.5, "98,5%" is 98.5. "2.5" (an English decimal?) or "1,234"
(1.234 or 1234?) are ambiguous and are reported, never guessed.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
# Integer part with optional dot (or space) thousands groups, optional comma decimals.
_VN_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_VN_PLAIN = re.compile(r"^[+-]?\d+(,\d+)?$")
_AMBIGUOUS_COMMA = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$")  # 1,234: 1.234 or 1234?


class NumberParseError(ValueError):
    """The text is not a number, or its meaning is ambiguous. The message is Vietnamese."""


def parse_vn_number(text: str, *, allow_percent: bool = False) -> float:
    """Read a number typed as text, the Vietnamese way. Raise NumberParseError if unsure."""
    s = _SPACES.sub(" ", str(text)).strip()
    if not s:
        raise NumberParseError("ô trống")
    percent = s.endswith("%")
    if percent:
        if not allow_percent:
            raise NumberParseError("có dấu % ở chỉ tiêu không phải tỷ lệ")
        s = s[:-1].strip()
    # "1 234" with a space as the thousands separator.
    if re.fullmatch(r"[+-]?\d{1,3}( \d{3})+(,\d+)?", s):
        s = s.replace(" ", ".")
    if " " in s:
        raise NumberParseError("không phải một số")
    if _AMBIGUOUS_COMMA.match(s):
        raise NumberParseError("không rõ dấu phẩy là phần thập phân hay phân cách hàng nghìn")
    if _VN_DOTS.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if _VN_PLAIN.match(s):
        return float(s.replace(",", "."))
    if re.fullmatch(r"[+-]?\d+\.\d+", s):
        raise NumberParseError(
            "dấu chấm không rõ nghĩa (theo cách viết Việt Nam, phần thập phân dùng dấu phẩy)"
        )
    raise NumberParseError("không phải một số")


def as_number(v) -> int | float | None:
    """A value as a number: None for a blank, a flag's True/False, NaN or anything not a number."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
        return None
    return v


def as_int_if_whole(x: float) -> int | float:
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def round_half_up(x: float | int, decimals: int = 2) -> float | int:
    """`x` to `decimals` places, a half away from zero, taken on its shortest decimal form: the
    rounding Excel and LibreOffice show in a cell (29/32 = 90,625% shows 90,63%), so that a
    sentence and the cell beside it print one figure. Python's round() rounds the binary value
    half to even (90,62%)."""
    if isinstance(x, int) and not isinstance(x, bool):
        return x
    x = float(x)
    if not math.isfinite(x) or abs(x) >= 1e15:  # no decimals left to round (and Decimal's 28 digits)
        return x
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def format_number(x: float | int | None, decimals: int = 2) -> str:
    """2700 → "2.700"; 1234.5 → "1.234,5"; None → "". Trailing zeros are dropped."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return ""
    neg = x < 0
    x = round_half_up(abs(x), decimals)
    text = f"{x:,.{decimals}f}" if decimals else f"{round(x):,}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")
    if text in ("", "0", "-0"):
        text = "0"
    return ("-" if neg and text != "0" else "") + text


def format_pct(x: float | None, decimals: int = 2) -> str:
    """57.142857 → "57,14%"; 87.7 → "87,70%"; 100.0 → "100%"; None → "" (a blank ratio stays blank).

    Official texts write percentages with two decimals unless whole (shared/spec/van-ban.md).
    """
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return ""
    r = float(round_half_up(float(x), decimals))
    if r.is_integer():
        return format_number(r, 0) + "%"
    text = f"{abs(r):,.{decimals}f}".replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")
    return ("-" if r < 0 else "") + text + "%"
