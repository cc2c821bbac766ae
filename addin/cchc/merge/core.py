"""The merge, end to end but without output: find, read and check (in parallel), admit,
aggregate. `merge(...)` returns a MergeResult that the workbook, JSON and Word writers read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from cchc.merge import records as S
from cchc.merge.admit import Plan, period_text, plan_merge
from cchc.merge.discover import discover
from cchc.merge.records import FileRecord, Unit
from cchc.merge.pool import read_isolated


@dataclass
class MergeResult:
    plan: Plan
    frame: Any  # pandas DataFrame: merged units × input refs
    unit_ratios: Any  # pandas DataFrame: merged units × ratio refs
    totals: Any  # cchc.merge.aggregate.Totals
    tables: list = field(default_factory=list)  # cchc.merge.tables.Table from the kind module
    # With --compare: cchc.report.compare.Comparison of the totals with earlier merges (set by
    # cchc.app.write_merge; cchc.merge.compare adds it to the outputs).
    comparison: Any = None
    # {indicator ref: {unit id: the first error about it}} (cchc.merge.flags)
    value_errors: dict = field(default_factory=dict)

    @cached_property
    def rankings(self) -> list:
        """One cchc.merge.ranking.Ranking per key indicator of the kind."""
        from cchc.merge.ranking import rankings

        return rankings(self)

    @property
    def catalogue(self):
        return self.plan.catalogue

    @property
    def units(self) -> list[Unit]:
        return self.plan.units

    @property
    def files(self) -> list[FileRecord]:
        return self.plan.files

    @property
    def merged_units(self) -> list[Unit]:
        return [u for u in self.plan.units if u.merged is not None]

    @property
    def expected_units(self) -> list[Unit]:
        """The units that should report: the --units list, else every unit found."""
        listed = [u for u in self.plan.units if u.expected]
        return listed if listed else list(self.plan.units)

    @property
    def excluded_files(self) -> list[FileRecord]:
        return [f for f in self.plan.files if f.state in S.EXCLUDED_STATES]

    @property
    def skipped_files(self) -> list[FileRecord]:
        return [f for f in self.plan.files if f.state == S.SKIPPED]

    @property
    def reporting(self) -> tuple[int, int]:
        """(units merged among those expected, units expected)."""
        exp = self.expected_units
        return sum(1 for u in exp if u.merged is not None), len(exp)

    @property
    def submitted(self) -> tuple[int, int]:
        """(units expected that sent a file, merged or not, units expected)."""
        exp = self.expected_units
        return sum(1 for u in exp if u.files), len(exp)

    @property
    def period_text(self) -> str:
        return period_text(self.plan.period)

    @property
    def exit_code(self) -> int:
        if not self.merged_units:
            return 2
        return 1 if self.excluded_files else 0


def _preload() -> None:
    try:
        import cchc.merge.aggregate  # noqa: F401
        import cchc.merge.workbook  # noqa: F401
        import pandas  # noqa: F401
    except Exception:  # pragma: no cover - the real import later reports it
        pass


def read_files(paths: list[Path], workers: int | None = None,
               progress: Callable[[int], None] | None = None, file_timeout: float | None = None) -> list[FileRecord]:
    """Read and check every file, in worker processes that a crash or a hang on one file
    cannot take down (cchc.merge.pool): that file is refused with its reason."""
    import threading

    items = [str(p) for p in paths]
    if not items:
        return []
    workers = workers or os.cpu_count() or 1

    def started() -> None:
        # The main process only waits while workers read: let it import what aggregating
        # and writing need (pandas, openpyxl: ~1 s) meanwhile, after the workers are forked.
        threading.Thread(target=_preload, daemon=True).start()

    out = read_isolated(items, workers, file_timeout=file_timeout, progress=progress, started=started)
    out.sort(key=lambda r: r.path)
    return out


def merge(
    paths: list[str | Path],
    *,
    units_csv: str | Path | None = None,
    period: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    prefer_newest: bool = False,
    workers: int | None = None,
    file_timeout: float | None = None,
    exclude: set[Path] = frozenset(),
    on_found: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> MergeResult:
    from cchc.merge.units import read_units_csv

    expected = read_units_csv(units_csv) if units_csv else None
    workbooks, skipped = discover(paths, exclude)
    if on_found:
        on_found(len(workbooks))
    records = read_files(workbooks, workers, progress, file_timeout)
    plan = plan_merge(records, skipped, kind=kind, period=period, year=year,
                      expected=expected, prefer_newest=prefer_newest)
    return merge_plan(plan)


def merge_plan(plan: Plan) -> MergeResult:
    """Aggregate the units a Plan merges (the per-unit table, ratios, totals, kind tables)."""
    from cchc.merge.aggregate import aggregate, build_frame, unit_ratios
    from cchc.merge.flags import value_errors

    merged = [u for u in plan.units if u.merged is not None]
    frame = build_frame(plan.catalogue, [u.id for u in merged], [u.merged.values for u in merged])
    ratios = unit_ratios(plan.catalogue, frame)
    errors = value_errors(plan.catalogue, merged)
    result = MergeResult(plan=plan, frame=frame, unit_ratios=ratios,
                         totals=aggregate(plan.catalogue, frame, ratios, errors), value_errors=errors)
    result.tables = list(plan.kind.merge_tables(result) or [])
    return result
