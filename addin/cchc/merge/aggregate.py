"""Province totals from the merged units, each row as its catalogue says it adds up (`aggregate`,
DHIS2's aggregation type; the default follows the row type):

- sum (count, money): the total of the units that gave a value; no unit gave one → blank.
- mean (pct, score, and counts such as 3:1, the procedures a commune publishes, where a sum
  means nothing): the average of the units that gave a value.
- none: no province figure; the number of units, the lowest and the highest value only.
- ratio: recomputed from the summed numerator and the summed denominator (the totals shown
  beside it), never averaged (`cchc.ratios.compute_ratios` on the sums); blank when either is
  not summed.
- flag: how many units answered 1, out of how many answered; choice: how many chose each code.

Every numeric row and every ratio also has the number of units with a value and the lowest
and highest unit value. A unit whose value the checks found wrong (`cchc.merge.flags`: 448
on time of 443 resolved) is counted in the totals, as the report says, but never shows as the
lowest or highest: `excluded` counts those units.
Blank is not 0: a unit that left a row blank is not counted as reporting it.

All units of a merge are of one period (the admission step refuses the others), so stock and
flow rows add up alike across units; the stock/flow/cumulative rule of the catalogue matters
only when adding periods of one unit together, which the merge does not do.

pandas is imported here only (the single-report click path never loads it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cchc.catalogue import Catalogue
from cchc.numbers import as_int_if_whole
from cchc.ratios import compute_ratios


@dataclass
class Totals:
    values: dict[str, dict[str, Any]]  # export shape: every input row; sums for count/money, else None
    ratios: dict[str, dict[str, float | None]]
    summaries: dict[str, dict[str, Any]]  # "form:code" → {"type", "n", …}
    n_units: int
    extra: dict[str, Any] = field(default_factory=dict)

    def value(self, ref: str):
        form, _, code = ref.partition(":")
        return self.values.get(form, {}).get(code)

    def ratio(self, ref: str):
        form, _, code = ref.partition(":")
        return self.ratios.get(form, {}).get(code)


def _num(x) -> int | float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return as_int_if_whole(round(float(x), 9))


def build_frame(catalogue: Catalogue, ids: list[str], rows: list[tuple]):
    """One row per unit (index = unit id), one float column per input ref; NaN = blank."""
    import numpy as np
    import pandas as pd

    refs = [r.ref for r in catalogue.input_rows()]
    if rows:
        arr = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype="float64")
    else:
        arr = np.empty((0, len(refs)), dtype="float64")
    return pd.DataFrame(arr, index=pd.Index(ids, name="unit"), columns=refs)


def unit_ratios(catalogue: Catalogue, frame):
    """Each unit's ratios, recomputed from its own numerator and denominator (NaN = blank)."""
    import numpy as np
    import pandas as pd

    out = {}
    for row in (r for r in catalogue.rows() if r.type == "ratio"):
        num = frame[f"{row.form}:{row.num}"].to_numpy()
        den = frame[f"{row.form}:{row.den}"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            out[row.ref] = np.where((den > 0) & ~np.isnan(num), num / den * 100.0, np.nan)
    return pd.DataFrame(out, index=frame.index)


def _spread(col, excluded) -> tuple[int, Any, Any, int]:
    """(units with a value, lowest, highest, units left out of lowest and highest) of a column,
    leaving out the units in `excluded`."""
    n = int(col.count())
    kept = col.drop(index=[u for u in excluded if u in col.index]) if excluded else col
    kept = kept.dropna()
    left_out = n - len(kept)
    if not len(kept):
        return n, None, None, left_out
    return n, _num(kept.min()), _num(kept.max()), left_out


def aggregate(catalogue: Catalogue, frame, ratio_frame=None, errors=None) -> Totals:
    """The province figure of every row. `ratio_frame`: each unit's own ratios (for their
    lowest and highest); `errors`: cchc.merge.flags.value_errors of the merged units."""
    errors = errors or {}
    values: dict[str, dict[str, Any]] = {f.id: {} for f in catalogue.forms}
    sums: dict[str, dict[str, Any]] = {f.id: {} for f in catalogue.forms}
    summaries: dict[str, dict[str, Any]] = {}
    for row in catalogue.input_rows():
        col = frame[row.ref]
        s: dict[str, Any] = {"type": row.type, "aggregate": row.aggregate}
        total = None
        if row.type == "flag":
            s["n"] = int(col.count())
            s["yes"] = int((col == 1).sum())
            s["no"] = int((col == 0).sum())
        elif row.type == "choice":
            s["n"] = int(col.count())
            s["counts"] = {str(code): int((col == code).sum()) for code, _ in row.choices}
        else:
            s["n"], s["min"], s["max"], s["excluded"] = _spread(col, errors.get(row.ref))
            if row.aggregate == "sum":
                total = s["sum"] = _num(col.sum(min_count=1))
                sums[row.form][row.code] = total
            elif row.aggregate == "mean":
                total = s["mean"] = _num(col.mean()) if s["n"] else None
        values[row.form][row.code] = total
        summaries[row.ref] = s
    ratios = compute_ratios(catalogue, sums)
    for row in (r for r in catalogue.rows() if r.type == "ratio"):
        parts = [catalogue.row(f"{row.form}:{code}") for code in (row.num, row.den)]
        s = {
            "type": "ratio",
            "aggregate": "ratio",
            "num": sums[row.form].get(row.num),
            "den": sums[row.form].get(row.den),
            "value": ratios[row.form][row.code],
            # False when the catalogue does not sum its numerator or denominator: no ratio.
            "parts_summed": all(p.aggregate == "sum" for p in parts),
        }
        if ratio_frame is not None and row.ref in ratio_frame.columns:
            s["n"], s["min"], s["max"], s["excluded"] = _spread(ratio_frame[row.ref], errors.get(row.ref))
        summaries[row.ref] = s
    return Totals(values=values, ratios=ratios, summaries=summaries, n_units=len(frame))
