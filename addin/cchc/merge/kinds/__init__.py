"""Per-kind extension point of the merge, looked up by catalogue id.

The core merge (reading, admission, aggregation by row kind, the workbook, JSON and Word) is
the same for every catalogue. What differs between kinds of report lives in a module
`cchc.merge.kinds.<catalogue id>` (`ky.py` for the periodic report; `chi_so.py` for the
annual SIPAS/PAR Index workbooks). The core never imports a kind module by name, so adding
one never edits the core. Every attribute is optional:

    PERIOD_KEYS: tuple[str, ...]
        General-information keys that must agree across the merged files, in order, e.g.
        ("ky", "nam"); ("nam",) for an annual index. Default: those of ("ky", "nam") that the
        catalogue's info declares. --period sets "ky", --year sets "nam".

    RANKED: tuple[str, ...]
        Indicator refs ("7:3", "3:2.3", …) ranked on the "Xếp hạng" sheet, first one first.
        ratio, pct, count and money rows can be ranked (highest first). Default: none, and the
        sheet is not written.

    def extra_tables(result: MergeResult) -> list[Table]
        Province tables the kind adds (field scores, rating distribution, mean per field…).
        `result` gives the catalogue, the merged units in output order, the per-unit values
        (`result.frame`: a pandas DataFrame, one row per merged unit — index = unit id —
        one float column per input ref "form:code", NaN = blank), the per-unit ratios
        (`result.unit_ratios`), and the totals. Each Table becomes its own sheet of the
        consolidated workbook, a key of "tables" in --json, and an appendix table of --report.
        See `cchc.merge.tables.Table`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class KindHooks:
    period_keys: tuple[str, ...]
    ranked: tuple[str, ...] = ()
    extra_tables: Callable | None = None


def hooks_for(catalogue) -> KindHooks:
    name = f"{__name__}.{catalogue.id}"
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # the kind module exists but one of its imports is missing
            raise
        mod = None
    declared = {f.key for f in catalogue.info}
    default_keys = tuple(k for k in ("ky", "nam") if k in declared)
    return KindHooks(
        period_keys=tuple(getattr(mod, "PERIOD_KEYS", default_keys)),
        ranked=tuple(getattr(mod, "RANKED", ())),
        extra_tables=getattr(mod, "extra_tables", None),
    )
