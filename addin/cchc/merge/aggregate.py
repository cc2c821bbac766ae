"""Province totals from the merged units, by the kind of each catalogue row.

- count, money: summed over the units that gave a value; no unit gave one → blank.
- ratio: recomputed from the summed numerator and the summed denominator (the totals shown
  beside it), never averaged (`cchc.ratios.compute_ratios` on the totals).
- pct: a percent each unit typed; it cannot be summed, and without its numerator and
  denominator it cannot be recomputed either. Reported as mean, minimum and maximum, with
  the number of units that gave it. Any other typed number (a "score") likewise.
- flag: how many units answered 1, out of how many answered.
- choice: how many units chose each code, out of how many answered.
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


def aggregate(catalogue: Catalogue, frame) -> Totals:
    n_reporting = frame.count()
    sums = frame.sum(min_count=1)
    values: dict[str, dict[str, Any]] = {f.id: {} for f in catalogue.forms}
    summaries: dict[str, dict[str, Any]] = {}
    for row in catalogue.input_rows():
        col = frame[row.ref]
        n = int(n_reporting[row.ref])
        s: dict[str, Any] = {"type": row.type, "n": n}
        total = None
        if row.type in ("count", "money"):
            total = _num(sums[row.ref])
            s["sum"] = total
        elif row.type not in ("flag", "choice"):  # pct, score and any other typed number
            s["mean"] = _num(col.mean()) if n else None
            s["min"] = _num(col.min()) if n else None
            s["max"] = _num(col.max()) if n else None
        if row.type == "flag":
            s["yes"] = int((col == 1).sum())
            s["no"] = int((col == 0).sum())
        elif row.type == "choice":
            s["counts"] = {str(code): int((col == code).sum()) for code, _ in row.choices}
        values[row.form][row.code] = total
        summaries[row.ref] = s
    ratios = compute_ratios(catalogue, values)
    for row in (r for r in catalogue.rows() if r.type == "ratio"):
        summaries[row.ref] = {
            "type": "ratio",
            "num": values[row.form].get(row.num),
            "den": values[row.form].get(row.den),
            "value": ratios[row.form][row.code],
        }
    return Totals(values=values, ratios=ratios, summaries=summaries, n_units=len(frame))
