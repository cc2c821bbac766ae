"""The computations of the annual SIPAS / PAR Index analysis, on data read from a workbook.

Everything the province can change is catalogue data (`catalogue/chi_so.toml`): the PAR fields
and their maxima, the rating bands, the SIPAS criteria. `scheme_of(catalogue)` turns it into a
`Scheme`; `analyse(data, catalogue)` gives an `Analysis`:

- each field's score, maximum and percentage of its maximum;
- the total (sum of the field scores), its percentage of the maximum total, and the rating
  from the bands; the published total, rating, rank and number of units beside them;
- the fields in order from the weakest (lowest percentage of its maximum) to the strongest,
  and the fields below the overall percentage ("weak");
- SIPAS: the overall percentage and the sub-criteria above and below it.

Nothing is rounded here; rounding happens when a number is printed (cchc.numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cchc.catalogue import Catalogue, Form, Row
from cchc.errors import CchcError

# Two totals that agree to this many points are the same published figure.
TOTAL_TOLERANCE = 0.01


@dataclass(frozen=True)
class Band:
    name: str
    min: float  # percentage of the maximum total, inclusive


@dataclass(frozen=True)
class Scheme:
    """The province's scheme: which forms hold PAR and SIPAS, the fields, the bands."""

    par: Form
    sipas: Form | None
    sipas_overall: str
    bands: tuple[Band, ...]
    # Whether the bands rate each field too (catalogue `rating_applies_to`); by default they
    # rate the index total only.
    rates_fields: bool = False

    @property
    def fields(self) -> tuple[Row, ...]:
        return tuple(r for r in self.par.rows if r.type == "score")

    @property
    def max_total(self) -> float:
        return sum(r.max or 0 for r in self.fields)

    @property
    def criteria(self) -> tuple[Row, ...]:
        if self.sipas is None:
            return ()
        return tuple(r for r in self.sipas.rows if r.is_input and r.code != self.sipas_overall)

    def rating(self, pct: float | None) -> str | None:
        """The band of a total given as a percentage of the maximum total."""
        if pct is None:
            return None
        for band in self.bands:
            if pct >= band.min - 1e-9:
                return band.name
        return self.bands[-1].name if self.bands else None


def _fail(cat: Catalogue, msg: str) -> CchcError:
    return CchcError(f"Danh mục chỉ số {cat.source or cat.id} không hợp lệ: {msg}")


def scheme_of(cat: Catalogue) -> Scheme:
    """The scheme of a chi_so catalogue; a CchcError in Vietnamese if it is inconsistent."""
    extra = cat.extra
    try:
        par = cat.form(str(extra.get("par_form", "PAR")))
    except KeyError:
        raise _fail(cat, f"không có biểu PAR Index «{extra.get('par_form', 'PAR')}».") from None
    if not any(r.type == "score" for r in par.rows):
        raise _fail(cat, f"biểu {par.id} không có dòng điểm (kind = \"score\").")
    sipas = None
    sipas_id = extra.get("sipas_form", "SIPAS")
    if sipas_id:
        try:
            sipas = cat.form(str(sipas_id))
        except KeyError:
            raise _fail(cat, f"không có biểu SIPAS «{sipas_id}».") from None
    overall = str(extra.get("sipas_overall", "1"))
    if sipas is not None and overall not in {r.code for r in sipas.rows}:
        raise _fail(cat, f"biểu {sipas.id} không có dòng chỉ số chung «{overall}».")
    raw_bands = extra.get("rating_bands") or []
    bands = []
    for b in raw_bands:
        try:
            bands.append(Band(str(b["name"]), float(b["min"])))
        except (KeyError, TypeError, ValueError):
            raise _fail(cat, "mỗi mức xếp loại (rating_bands) cần tên (name) và ngưỡng (min).") from None
    if not bands:
        raise _fail(cat, "chưa có các mức xếp loại (rating_bands).")
    mins = [b.min for b in bands]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise _fail(cat, "các mức xếp loại phải xếp từ cao xuống thấp, ngưỡng không trùng nhau.")
    if bands[-1].min > 0:
        raise _fail(cat, "mức xếp loại thấp nhất phải có ngưỡng 0.")
    try:
        choices = cat.info_field("par_xep_loai").choices
    except KeyError:
        choices = ()
    if choices and set(choices) != {b.name for b in bands}:
        raise _fail(cat, "các lựa chọn của ô «Xếp loại» phải đúng bằng tên các mức xếp loại.")
    applies = extra.get("rating_applies_to", "total")
    if applies not in ("total", "total_and_fields"):
        raise _fail(cat, "rating_applies_to phải là \"total\" (chỉ xếp loại tổng điểm) hoặc "
                         "\"total_and_fields\" (xếp loại cả từng lĩnh vực).")
    return Scheme(par=par, sipas=sipas, sipas_overall=overall, bands=tuple(bands),
                  rates_fields=applies == "total_and_fields")


@dataclass(frozen=True)
class FieldResult:
    code: str
    label: str
    short: str
    max: float
    score: float | None

    @property
    def pct(self) -> float | None:
        if self.score is None or not self.max:
            return None
        return self.score / self.max * 100.0

    @property
    def lost(self) -> float | None:
        """Points below the maximum."""
        return None if self.score is None else self.max - self.score


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    pct: float | None


@dataclass
class Analysis:
    scheme: Scheme
    fields: list[FieldResult]
    published_total: float | None = None
    published_rating: str | None = None
    rank: int | None = None
    units: int | None = None
    sipas_overall: float | None = None
    criteria: list[Criterion] = field(default_factory=list)

    # ------------------------------------------------------------------ PAR Index
    @property
    def complete(self) -> bool:
        return all(f.score is not None for f in self.fields)

    @property
    def total(self) -> float | None:
        """Sum of the field scores; None while any field is blank."""
        if not self.fields or not self.complete:
            return None
        return sum(f.score for f in self.fields)  # type: ignore[misc]

    @property
    def max_total(self) -> float:
        return sum(f.max for f in self.fields)

    @property
    def total_pct(self) -> float | None:
        t = self.total
        return None if t is None or not self.max_total else t / self.max_total * 100.0

    @property
    def rating(self) -> str | None:
        """The rating computed from the bands."""
        return self.scheme.rating(self.total_pct)

    @property
    def total_for_text(self) -> float | None:
        """The total a report states: the published one when given, else the computed one."""
        return self.published_total if self.published_total is not None else self.total

    @property
    def rating_for_text(self) -> str | None:
        if self.published_rating:
            return self.published_rating
        if self.published_total is not None and self.max_total:
            return self.scheme.rating(self.published_total / self.max_total * 100.0)
        return self.rating

    @property
    def total_disagrees(self) -> bool:
        t = self.total
        return (t is not None and self.published_total is not None
                and abs(t - self.published_total) > TOTAL_TOLERANCE + 1e-9)

    def weakest(self, n: int | None = None) -> list[FieldResult]:
        """Fields with a score, from the lowest percentage of its maximum; ties: more points
        lost first, then catalogue order."""
        order = {f.code: i for i, f in enumerate(self.fields)}
        scored = [f for f in self.fields if f.pct is not None]
        scored.sort(key=lambda f: (f.pct, -(f.lost or 0), order[f.code]))
        return scored[:n] if n is not None else scored

    def weak_fields(self) -> list[FieldResult]:
        """Fields whose percentage is below the overall percentage (total / maximum total),
        weakest first."""
        overall = self.total_pct
        if overall is None:
            return []
        return [f for f in self.weakest() if f.pct < overall - 1e-9]

    def strong_fields(self) -> list[FieldResult]:
        """Fields at or above the minimum of the highest band (80% in the default scheme),
        in catalogue order."""
        top = self.scheme.bands[0].min
        return [f for f in self.fields if f.pct is not None and f.pct >= top - 1e-9]

    # ------------------------------------------------------------------ SIPAS
    def criteria_below(self) -> list[Criterion]:
        """SIPAS sub-criteria below the overall percentage: the limitations, lowest first."""
        if self.sipas_overall is None:
            return []
        below = [c for c in self.criteria if c.pct is not None and c.pct < self.sipas_overall - 1e-9]
        order = {c.code: i for i, c in enumerate(self.criteria)}
        return sorted(below, key=lambda c: (c.pct, order[c.code]))

    def criteria_at_or_above(self) -> list[Criterion]:
        """SIPAS sub-criteria at or above the overall percentage, in catalogue order."""
        if self.sipas_overall is None:
            return []
        return [c for c in self.criteria if c.pct is not None and c.pct >= self.sipas_overall - 1e-9]


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return v


def analyse(data, catalogue: Catalogue) -> Analysis:
    """The analysis of one workbook's data (cchc.model.ReportData)."""
    scheme = scheme_of(catalogue)
    par_vals = data.values.get(scheme.par.id, {})
    fields = [
        FieldResult(code=r.code, label=r.label, short=r.short or r.label, max=float(r.max or 0),
                    score=_num(par_vals.get(r.code)))
        for r in scheme.fields
    ]
    info = data.info or {}
    rank = info.get("par_xep_hang")
    units = info.get("par_so_don_vi")
    analysis = Analysis(
        scheme=scheme,
        fields=fields,
        published_total=_num(info.get("par_tong")),
        published_rating=(str(info.get("par_xep_loai")).strip() or None) if info.get("par_xep_loai") else None,
        rank=rank if isinstance(rank, int) and not isinstance(rank, bool) else None,
        units=units if isinstance(units, int) and not isinstance(units, bool) else None,
    )
    if scheme.sipas is not None:
        sv = data.values.get(scheme.sipas.id, {})
        analysis.sipas_overall = _num(sv.get(scheme.sipas_overall))
        analysis.criteria = [Criterion(r.code, r.label, _num(sv.get(r.code))) for r in scheme.criteria]
    return analysis
