"""Units ranked on the kind's key indicators (`ReportKind.ranked`), one ranking per indicator,
for the «Xếp hạng» sheet, the JSON and the province report.

A unit is ranked on an indicator when it has a value and the checks found no error in it
(`cchc.merge.flags`); the others are listed under the ranking with the reason: "no value", or
the error (448 dossiers on time of 443 resolved is 101,13%, not the best commune). Equal
values share a rank (1, 2, 2, 4); among them, units keep the merge's order (by code).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NO_VALUE = "Không có số liệu"


@dataclass(frozen=True)
class Place:
    unit: Any  # cchc.merge.records.Unit
    value: float | None
    num: float | None = None  # a ratio's numerator and denominator, else None
    den: float | None = None
    rank: int | None = None  # None: not ranked
    reason: str = ""  # why not ranked


@dataclass
class Ranking:
    ref: str
    row: Any  # the catalogue row
    province: float | None  # the province figure the units compare with (None: none)
    ranked: list[Place] = field(default_factory=list)
    not_ranked: list[Place] = field(default_factory=list)

    @property
    def below_province(self) -> list[Place]:
        """Ranked units whose value is below the province figure, lowest last."""
        if self.province is None:
            return []
        return [p for p in self.ranked if p.value < self.province - 1e-9]

    @property
    def errors(self) -> list[Place]:
        return [p for p in self.not_ranked if p.reason != NO_VALUE]


def _clean(v) -> float | None:
    if v is None or v != v:
        return None
    return float(v)


def province_figure(result, ref: str) -> float | None:
    """What a unit's value compares with: a ratio recomputed from the sums, or the mean of a
    typed number; None for a summed count (a unit's count is not comparable with a total)."""
    s = result.totals.summaries.get(ref) or {}
    if s.get("type") == "ratio":
        return s.get("value")
    return s.get("mean")


def rank(result, ref: str) -> Ranking:
    cat = result.catalogue
    row = cat.row(ref)
    units = result.merged_units
    src = result.unit_ratios if ref in result.unit_ratios.columns else result.frame
    values = [_clean(v) for v in src[ref].tolist()] if len(units) else []
    if row.type == "ratio":
        nums = [_clean(v) for v in result.frame[f"{row.form}:{row.num}"].tolist()]
        dens = [_clean(v) for v in result.frame[f"{row.form}:{row.den}"].tolist()]
    else:
        nums = dens = [None] * len(units)
    wrong = result.value_errors.get(ref, {})
    out = Ranking(ref, row, province_figure(result, ref))
    candidates = []
    for i, u in enumerate(units):
        place = dict(unit=u, value=values[i], num=nums[i], den=dens[i])
        if values[i] is None:
            out.not_ranked.append(Place(**place, reason=NO_VALUE))
        elif u.id in wrong:
            out.not_ranked.append(Place(**place, reason=wrong[u.id].message))
        else:
            candidates.append((i, place))
    candidates.sort(key=lambda c: (-round(c[1]["value"], 9), c[0]))
    previous, position = None, 0
    for k, (_, place) in enumerate(candidates, start=1):
        key = round(place["value"], 9)
        if key != previous:
            position, previous = k, key
        out.ranked.append(Place(**place, rank=position))
    # Errors first (they need fixing), then the units without a value.
    out.not_ranked.sort(key=lambda p: p.reason == NO_VALUE)
    return out


def rankings(result) -> list[Ranking]:
    return [rank(result, ref) for ref in result.plan.kind.ranked]
