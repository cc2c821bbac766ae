"""Province-level aggregation of many communes' annual index workbooks (used by `cchc merge`
through the kind's hook `merge_tables`).

`province_tables(catalogue, units)` takes, per merged unit, its name, code and input values
(ref "PAR:1" → number or None) and returns four tables:

- "chi_so_diem": every commune's field scores, total, percentage, rating (from the bands) and
  rank, ordered by rank (ties share a rank: 1, 2, 2, 4); a commune with a blank field has no
  total, no rank, and is listed last as "Chưa đủ điểm";
- "chi_so_xep_loai": the distribution of ratings;
- "chi_so_linh_vuc": per field, the mean score, its percentage of the maximum, min, max and the
  number of communes with a score; a last row for the total;
- "chi_so_sipas": the mean, min and max of the SIPAS overall figure and of each criterion.

Means are plain means over the communes that have a value (a PAR score is not a ratio of
counts, so there is no numerator to add up).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cchc.kinds.chi_so.analysis import scheme_of

NOT_COMPLETE = "Chưa đủ điểm"


@dataclass(frozen=True)
class UnitScores:
    name: str
    code: str | None
    values: dict[str, float | None]  # "PAR:1" → 7.75, "SIPAS:1" → 87.7 …


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f  # NaN → None


def _stats(values: list[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    return sum(values) / len(values), min(values), max(values)


def province_tables(catalogue, units: list[UnitScores]) -> list:
    from cchc.merge.tables import Column, Table

    scheme = scheme_of(catalogue)
    fields = scheme.fields
    par = scheme.par.id
    max_total = scheme.max_total

    # ---- per commune
    rows = []
    for u in units:
        scores = [_num(u.values.get(f"{par}:{f.code}")) for f in fields]
        total = sum(scores) if all(s is not None for s in scores) else None
        pct = total / max_total * 100.0 if total is not None and max_total else None
        rows.append({"unit": u, "scores": scores, "total": total, "pct": pct,
                     "rating": scheme.rating(pct) if pct is not None else NOT_COMPLETE})
    ranked = sorted((r for r in rows if r["total"] is not None), key=lambda r: -round(r["total"], 2))
    for i, r in enumerate(ranked):
        prev = ranked[i - 1] if i else None
        same = prev is not None and round(prev["total"], 2) == round(r["total"], 2)
        r["rank"] = prev["rank"] if same else i + 1
    rest = [r for r in rows if r["total"] is None]
    for r in rest:
        r["rank"] = None

    score_cols = [Column(f"{f.code}. {f.short} ({f.max:g})", "number", 12) for f in fields]
    diem = Table(
        key="chi_so_diem",
        title=f"Điểm Chỉ số cải cách hành chính của các đơn vị (tối đa {max_total:g} điểm), xếp theo thứ hạng",
        sheet="Điểm PAR Index",
        columns=[Column("Xếp hạng", "int", 9), Column("Đơn vị", "text", 28), Column("Mã ĐVHC", "text", 10),
                 *score_cols, Column("Tổng điểm", "number", 10), Column("Tỷ lệ", "pct", 10),
                 Column("Xếp loại", "text", 12)],
        rows=[[r["rank"], r["unit"].name, r["unit"].code or "", *r["scores"], r["total"], r["pct"], r["rating"]]
              for r in ranked + rest],
        note="Tổng điểm là tổng điểm các lĩnh vực; xếp loại theo thang trong danh mục chi_so. "
             "Đơn vị có lĩnh vực chưa có điểm không được xếp hạng.",
    )

    # ---- distribution of ratings
    n = len(rows)
    names = [b.name for b in scheme.bands] + ([NOT_COMPLETE] if rest else [])
    counts = {name: sum(1 for r in rows if r["rating"] == name) for name in names}
    xep_loai = Table(
        key="chi_so_xep_loai", title="Phân bố xếp loại Chỉ số cải cách hành chính", sheet="Phân bố xếp loại",
        columns=[Column("Xếp loại", "text", 16), Column("Số đơn vị", "int", 11), Column("Tỷ lệ", "pct", 10)],
        rows=[[name, counts[name], counts[name] / n * 100.0 if n else None] for name in names]
             + [["Tổng số", n, 100.0 if n else None]],
    )

    # ---- mean per field
    lv_rows = []
    for i, f in enumerate(fields):
        vals = [r["scores"][i] for r in rows if r["scores"][i] is not None]
        mean, lo, hi = _stats(vals)
        lv_rows.append([f.code, f.label, f.max, mean, mean / f.max * 100.0 if mean is not None else None,
                        lo, hi, len(vals)])
    totals = [r["total"] for r in ranked]
    mean, lo, hi = _stats(totals)
    lv_rows.append(["", "Tổng số điểm", max_total, mean,
                    mean / max_total * 100.0 if mean is not None and max_total else None, lo, hi, len(totals)])
    linh_vuc = Table(
        key="chi_so_linh_vuc", title="Điểm trung bình theo lĩnh vực", sheet="Trung bình lĩnh vực",
        columns=[Column("STT", "text", 6), Column("Lĩnh vực", "text", 40), Column("Điểm tối đa", "number", 10),
                 Column("Điểm trung bình", "number", 12), Column("Tỷ lệ trung bình", "pct", 12),
                 Column("Thấp nhất", "number", 10), Column("Cao nhất", "number", 10),
                 Column("Số đơn vị có điểm", "int", 12)],
        rows=lv_rows,
        note="Trung bình cộng trên các đơn vị có điểm; dòng tổng chỉ tính các đơn vị đủ điểm.",
    )
    tables = [diem, xep_loai, linh_vuc]

    # ---- SIPAS
    if scheme.sipas is not None:
        sid = scheme.sipas.id
        s_rows = []
        for row in (r for r in scheme.sipas.rows if r.is_input):
            vals = [v for v in (_num(u.values.get(f"{sid}:{row.code}")) for u in units) if v is not None]
            mean, lo, hi = _stats(vals)
            s_rows.append([row.code, row.label, mean, lo, hi, len(vals)])
        tables.append(Table(
            key="chi_so_sipas", title="Chỉ số hài lòng (SIPAS): trung bình các đơn vị", sheet="SIPAS trung bình",
            columns=[Column("STT", "text", 6), Column("Chỉ số, tiêu chí", "text", 44),
                     Column("Trung bình", "pct", 11), Column("Thấp nhất", "pct", 11),
                     Column("Cao nhất", "pct", 11), Column("Số đơn vị", "int", 10)],
            rows=s_rows,
        ))
    return tables


def tables_from_merge(result) -> list:
    """The kind hook of `cchc merge`: the tables of the merged units of a MergeResult."""
    frame = result.frame
    units = []
    for u in result.merged_units:
        values: dict[str, float | None] = {}
        if frame is not None and u.id in frame.index:
            row = frame.loc[u.id]
            values = {str(ref): _num(row[ref]) for ref in frame.columns}
        units.append(UnitScores(name=u.name, code=u.code, values=values))
    return province_tables(result.catalogue, units)


__all__ = ["UnitScores", "province_tables", "tables_from_merge"]
