"""Shared by the test_pins_* files: the seed report read once per process, handed out as copies.

Building and filling a workbook takes about a second; the mutation run (scripts/mutation.py)
runs these tests once per planted fault, in processes forked from one that already built it,
so it is memoised here, outside the package (whose caches each mutant's session empties)."""

from __future__ import annotations

import atexit
import copy
import dataclasses
import shutil
import tempfile
from functools import cache
from pathlib import Path

from cchc.catalogue import load_catalogue
from cchc.cells import parse_a1
from cchc.checks import run_checks
from cchc.demo import demo_data
from cchc.workbook.fill import fill_workbook
from cchc.workbook.raw import RawWorkbook, open_raw
from cchc.workbook.reader import read_workbook
from cchc.workbook.template import build_template


@cache
def seed_workbook() -> Path:
    """The seed commune's filled workbook (Quý I/2025, UBND xã Đưng K'Nớ); do not modify it."""
    folder = Path(tempfile.mkdtemp(prefix="cchc-pins-"))
    atexit.register(shutil.rmtree, folder, True)
    cat = load_catalogue("ky")
    build_template(folder / "mau.xlsx", cat)
    fill_workbook(folder / "mau.xlsx", demo_data("ky"), folder / "seed.xlsx", cat)
    return folder / "seed.xlsx"


def make_workbook(folder: Path, edit=None, name: str = "wb.xlsx") -> Path:
    """The seed data changed by `edit(data)` (the export JSON shape), filled into a new workbook."""
    data = demo_data("ky")
    if edit:
        edit(data)
    cat = load_catalogue("ky")
    out = folder / name
    fill_workbook(_template(), data, out, cat)
    return out


@cache
def _template() -> Path:
    return seed_workbook().with_name("mau.xlsx")


@cache
def _seed_report():
    return read_workbook(seed_workbook())


def copy_report(data):
    """A copy of a ReportData whose every dict and list can be changed without touching the
    original (what a deep copy gives, in a tenth of its time: the mutation runs copy it
    thousands of times). Cells, dates and findings are shared: replace them, do not change them."""
    def fresh(v):
        if isinstance(v, dict):
            return {k: fresh(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fresh(x) for x in v]
        return v

    return dataclasses.replace(data, **{f.name: fresh(getattr(data, f.name)) for f in dataclasses.fields(data)})


def seed_report(**values):
    """A copy of the seed report as read; `values` sets indicators by ref with "_" for ":" and
    "__" for "." (`x3_2__3__1=5` sets 3:2.3.1)."""
    data = copy_report(_seed_report())
    set_values(data, {k.removeprefix("x").replace("__", ".").replace("_", ":", 1): v for k, v in values.items()})
    return data


def set_values(data, values: dict) -> None:
    for ref, v in values.items():
        form, _, code = ref.partition(":")
        assert code in data.values[form], ref
        data.values[form][code] = v


def check(data, rule: str | None = None):
    findings = run_checks(data)
    return [f for f in findings if rule is None or f.rule_id == rule or f.rule_id.startswith(rule + ".")]


# ------------------------------------------------------------------ raw cells, for the reader
@cache
def chi_so_workbook() -> Path:
    """The annual-index demo workbook (text columns, a number field); do not modify it."""
    folder = seed_workbook().parent
    cat = load_catalogue("chi_so")
    build_template(folder / "mau_chi_so.xlsx", cat)
    fill_workbook(folder / "mau_chi_so.xlsx", demo_data("chi_so"), folder / "chi_so.xlsx", cat)
    return folder / "chi_so.xlsx"


@cache
def _raw_cells(kind: str):
    raw = open_raw(seed_workbook() if kind == "ky" else chi_so_workbook())
    return {s: raw.grid(s) for s in raw.sheet_names}, dict(raw.names)


def seed_cells(kind: str = "ky") -> tuple[dict, dict]:
    """A copy of the seed workbook's cells by sheet (row 0 = Excel row 1) and its defined names."""
    grids, names = _raw_cells(kind)
    return copy.deepcopy(grids), dict(names)


def put(grids: dict, sheet: str, cell: str, value) -> None:
    """Write one cell of a copy of seed_cells ("" is an empty cell, as calamine reads it)."""
    r0, c0 = parse_a1(cell)
    grid = grids[sheet]
    while len(grid) <= r0:
        grid.append([])
    while len(grid[r0]) <= c0:
        grid[r0].append("")
    grid[r0][c0] = value


def raw_of(grids: dict, names: dict, source: str = "bc.xlsx", special: dict | None = None) -> RawWorkbook:
    """A workbook of these cells and names; `special` gives what a cell that reads blank holds
    ({(sheet, "D6"): "#DIV/0!"}): an error value or a formula saved without its result."""
    raw = RawWorkbook.from_grids(source, grids, names)
    if special:
        at = {(sheet, *parse_a1(cell)): v for (sheet, cell), v in special.items()}
        raw.special_loader = lambda sheet, r0, c0: at.get((sheet, r0, c0))
    return raw
