"""Dates written the way Nghị định 30/2020/NĐ-CP writes them.

- In prose and on the place-and-date line: "ngày 07 tháng 3 năm 2025" (days below 10 and
  months 1 and 2 take a leading zero; other months do not).
- In references to other documents: "07/3/2025" (same padding rule).

Reporting periods ("Quý I", "6 tháng", "Quý III", "9 tháng", "Năm") as they read in a title.
The period after each (section IV) is catalogue data (`Period.next`).
"""

from __future__ import annotations

import datetime as _dt

__all__ = [
    "day_str",
    "month_str",
    "format_date_prose",
    "format_date_ref",
    "period_phrase",
]


def day_str(day: int) -> str:
    """Day of month with a leading zero below 10: 7 → "07", 15 → "15"."""
    return f"{day:02d}"


def month_str(month: int) -> str:
    """Month per ND30: January and February get a leading zero ("01", "02"), others not."""
    return f"{month:02d}" if month <= 2 else str(month)


def format_date_prose(d: _dt.date | None) -> str:
    """"ngày 07 tháng 3 năm 2025"; "" for None."""
    if d is None:
        return ""
    return f"ngày {day_str(d.day)} tháng {month_str(d.month)} năm {d.year}"


def format_date_ref(d: _dt.date | None) -> str:
    """"07/3/2025", "16/01/2025"; "" for None."""
    if d is None:
        return ""
    return f"{day_str(d.day)}/{month_str(d.month)}/{d.year}"


def period_phrase(period: str, year: int | None) -> str:
    """The period as it reads in a title or a sentence: "Quý I năm 2025",
    "6 tháng đầu năm 2025", "9 tháng năm 2025", "năm 2025". Other names are kept as typed."""
    p = " ".join(str(period or "").split())
    y = f" năm {year}" if year else ""
    key = p.casefold()
    if key == "6 tháng":
        return f"6 tháng đầu năm {year}" if year else "6 tháng đầu năm"
    if key in ("năm", "cả năm"):
        return f"năm {year}" if year else "năm"
    if not p:
        return y.strip()
    return f"{p}{y}"
