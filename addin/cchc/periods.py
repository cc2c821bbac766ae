"""Reporting periods across one another, from the catalogue's windows alone.

A catalogue's periods (`[[periods]]` in `<id>.toml`) each have a data window: a start and an end
(month, day), the start possibly in December of the previous year. Everything here is worked
out from those windows, never from the periods' names, so a province that adds "Quý II" or
moves a window gets the right nesting, roll-ups and names without a code change:

- `window(period, year)`: the dates of a period of a given year;
- `contains(outer, inner)`: the window of `inner` lies within that of `outer` (6 tháng ⊇ Quý I);
- `cover(parts)`: the catalogue period whose window the adjacent windows of `parts` exactly make
  up (6 tháng + Quý III = 9 tháng), or why they do not (an overlap, a gap);
- `compared_name(...)`: how an earlier report is named beside the current one ("cùng kỳ năm
  2024", "Quý I năm 2025").

The catalogue keys read here (documented at the top of ky.toml): `same_period`,
`stock_drop_warning`, `rollup_blank`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cchc.catalogue import Catalogue, Period
from cchc.vn_dates import period_phrase

# Used when a catalogue does not say: how a report of the same period of another year is named.
DEFAULT_SAME_PERIOD = "cùng kỳ năm {year}"
# Used when a catalogue does not say: a stock falling below this share of an earlier value of
# the same year is worth a second look.
DEFAULT_STOCK_DROP = 0.5


def _day(year: int, month_day: tuple[int, int]) -> dt.date:
    m, d = month_day
    try:
        return dt.date(year, m, d)
    except ValueError:  # 29/2 in a common year
        return dt.date(year, m, 28)


def window(period: Period, year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of `period` of report year `year` (both included)."""
    start = _day(year - 1 if period.start_prev_year else year, period.start)
    return start, _day(year, period.end)


def window_text(period: Period) -> str:
    """"15/12 năm trước – 14/6": the catalogue window, for messages."""
    (sm, sd), (em, ed) = period.start, period.end
    start = f"{sd:02d}/{sm}" + (" năm trước" if period.start_prev_year else "")
    return f"{start} – {ed:02d}/{em}"


def contains(outer: Period, inner: Period, year: int = 2001) -> bool:
    """Whether `inner`'s window lies within `outer`'s and is not the same window (a common year
    by default: no window is defined by 29/2)."""
    (os_, oe), (is_, ie) = window(outer, year), window(inner, year)
    return os_ <= is_ and ie <= oe and (os_, oe) != (is_, ie)


def nested_in(catalogue: Catalogue, outer: Period) -> list[Period]:
    """The catalogue periods an `outer` report contains (for messages: what it can be checked
    against)."""
    return [p for p in catalogue.periods if contains(outer, p)]


@dataclass(frozen=True)
class Cover:
    """What adjacent windows make up: the catalogue period (None when they make up none), or
    the reason they are not adjacent (`problem`, a Vietnamese sentence)."""

    period: Period | None
    problem: str = ""


def cover(catalogue: Catalogue, parts: list[tuple[Period, str]], year: int = 2001) -> Cover:
    """The catalogue period exactly covered by the windows of `parts` ((period, what names it
    in a message)) laid end to end. The parts may come in any order."""
    ordered = sorted(parts, key=lambda p: window(p[0], year))
    for (a, name_a), (b, name_b) in zip(ordered, ordered[1:]):
        a_end, b_start = window(a, year)[1], window(b, year)[0]
        if b_start <= a_end:
            return Cover(None, f"kỳ «{a.name}» ({window_text(a)}) của {name_a} và kỳ «{b.name}» "
                               f"({window_text(b)}) của {name_b} trùng nhau một phần: số liệu phần "
                               "trùng sẽ bị cộng hai lần")
        if b_start > a_end + dt.timedelta(days=1):
            return Cover(None, f"giữa kỳ «{a.name}» ({window_text(a)}) của {name_a} và kỳ «{b.name}» "
                               f"({window_text(b)}) của {name_b} còn một khoảng không có số liệu")
    start, end = window(ordered[0][0], year)[0], window(ordered[-1][0], year)[1]
    for p in catalogue.periods:
        if window(p, year) == (start, end):
            return Cover(p)
    known = "; ".join(f"{p.name} ({window_text(p)})" for p in catalogue.periods)
    return Cover(None, f"các kỳ này nối liền nhau nhưng không tạo thành một kỳ báo cáo nào của danh mục "
                       f"(các kỳ có: {known})")


def ends_before(earlier: tuple[Period | None, int], later: tuple[Period | None, int]) -> bool:
    """Whether a report (period or None for a whole-year report, year) ends before another."""
    (pe, ye), (pl, yl) = earlier, later
    end_e = window(pe, ye)[1] if pe is not None else dt.date(ye, 12, 31)
    end_l = window(pl, yl)[1] if pl is not None else dt.date(yl, 12, 31)
    return end_e < end_l


def compared_name(catalogue: Catalogue, current: tuple[Period | None, int],
                  earlier: tuple[Period | None, int]) -> str:
    """How the earlier report is named in a sentence: the same period of another year by the
    catalogue's `same_period` ("cùng kỳ năm 2024"), another period by its `this` ("Quý I năm
    2025"). The heading of its column is the same, capitalised (`heading`)."""
    (pc, _), (pe, ye) = current, earlier
    same = (pe.name if pe else None) == (pc.name if pc else None)
    if same:
        template = str(catalogue.extra.get("same_period") or DEFAULT_SAME_PERIOD)
        try:
            return template.format(year=ye)
        except (KeyError, IndexError, ValueError):
            return template
    return period_label(pe, ye)


def heading(name: str) -> str:
    """"cùng kỳ năm 2024" → "Cùng kỳ năm 2024"."""
    return name[:1].upper() + name[1:]


def stock_drop(catalogue: Catalogue) -> float:
    """The share of an earlier value below which a stock's fall is worth a warning."""
    v = catalogue.extra.get("stock_drop_warning", DEFAULT_STOCK_DROP)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 1 else DEFAULT_STOCK_DROP


def rollup_blank(catalogue: Catalogue) -> tuple[str, ...]:
    """Information fields a roll-up leaves for the officer: they belong to each report."""
    return tuple(str(k) for k in catalogue.extra.get("rollup_blank", ()) or ())


def report_period(catalogue: Catalogue, info: dict[str, Any]) -> tuple[Period | None, int | None]:
    """(the catalogue period, the year) a report's information names; None where unknown. A
    catalogue without periods has whole-year reports: its period is None."""
    year = info.get("nam")
    year = year if isinstance(year, int) and not isinstance(year, bool) else None
    name = info.get("ky")
    period = catalogue.period(name) if isinstance(name, str) and name else None
    return period, year


def period_label(period: Period | None, year: int | None) -> str:
    """"Quý I năm 2025", "6 tháng đầu năm 2025", "năm 2025" (its `this`)."""
    if period is None:
        return f"năm {year}" if year else ""
    return period.named(period.this, year) or period_phrase(period.name, year)


__all__ = ["window", "window_text", "contains", "nested_in", "Cover", "cover", "ends_before",
           "compared_name", "heading", "stock_drop", "rollup_blank", "report_period", "period_label"]
