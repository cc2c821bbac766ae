"""What the checks need from one catalogue, worked out once per catalogue object.

`cchc merge` checks thousands of workbooks against the same catalogue: the row index, the
folded levels of the rules, the blocks of the blank-versus-zero check and the order of the
sheets are the same for every file, so they are computed here once and shared. Everything
here is read-only after construction.
"""

from __future__ import annotations

from functools import lru_cache

from cchc.catalogue import Catalogue, Form, Row
from cchc.catalogue.rules import PerCatalogue, Rules, rules_for
from cchc.workbook import style as S
from cchc.cells import parse_a1
from cchc.workbook.values import fold

_NO_REFS: frozenset[str] = frozenset()

# One blank-versus-zero layout per form: (form, its input rows that apply, blocks of sibling rows).
BlankLayout = tuple[tuple[Form, tuple[Row, ...], tuple[tuple[Row, ...], ...]], ...]


class Prepared:
    def __init__(self, cat: Catalogue):
        self.rules: Rules = rules_for(cat)
        self.rows: dict[str, Row] = {r.ref: r for r in cat.rows()}
        self.input_rows: tuple[Row, ...] = tuple(r for r in self.rows.values() if r.is_input)
        # (form id, its codes, their refs): to lay every value of a file out by its ref.
        self.form_refs = tuple((f.id, tuple(r.code for r in f.rows), tuple(r.ref for r in f.rows))
                               for f in cat.forms)
        self.choice_codes: dict[str, tuple[int, ...]] = {
            r.ref: tuple(c for c, _ in r.choices) for r in self.input_rows if r.type in ("flag", "choice")}
        # A ratio row with the refs of its numerator and denominator.
        self.ratio_rows = tuple((r, f"{r.form}:{r.num}", f"{r.form}:{r.den}") for r in cat.rows() if r.type == "ratio")
        self.required_info = tuple(f for f in cat.info if f.required)
        # Levels ("Cấp đơn vị") as folded keys: of each compare rule, and the refs that do not
        # apply to a unit of each level.
        self.rule_levels = {r.id: frozenset(fold(x) for x in r.levels) for r in self.rules.compare}
        na: dict[str, set[str]] = {}
        for rule in self.rules.not_applicable:
            for level in {fold(x) for x in rule.levels}:
                na.setdefault(level, set()).update(rule.refs)
        self.na_by_level = {level: frozenset(refs) for level, refs in na.items()}
        self.sheet_order = {S.SHEET_INFO: 0, S.SHEET_NARRATIVE: 1}
        for i, f in enumerate(cat.forms):
            self.sheet_order[f.sheet] = 2 + i
        self.forms = cat.forms
        self._blank_layouts: dict[frozenset[str], BlankLayout] = {}

    def not_applicable(self, level: str) -> frozenset[str]:
        """Refs that do not apply to a unit of this (folded) level."""
        return self.na_by_level.get(level, _NO_REFS) if level else _NO_REFS

    def blank_layout(self, na: frozenset[str]) -> BlankLayout:
        """Per form, the input rows that apply and their blocks (rows under one parent code),
        for the units whose not-applicable refs are `na`."""
        layout = self._blank_layouts.get(na)
        if layout is None:
            layout = tuple(_form_layout(form, na) for form in self.forms)
            self._blank_layouts[na] = layout
        return layout


def _parent(code: str) -> str:
    return code.rpartition(".")[0]


def _form_layout(form: Form, na: frozenset[str]):
    rows = tuple(r for r in form.rows if r.is_input and r.ref not in na)
    blocks: dict[str, list[Row]] = {}
    for r in rows:
        blocks.setdefault(_parent(r.code), []).append(r)
    return form, rows, tuple(tuple(members) for members in blocks.values())


_prepared = PerCatalogue(Prepared)


def prepared_for(cat: Catalogue) -> Prepared:
    """The Prepared of a catalogue object, made at its first check."""
    return _prepared(cat)


def _cell_position(cell: str) -> tuple[int, int]:
    """(row, column) of an A1 address for sorting; (-1, -1) for none or an unreadable one."""
    if not cell:
        return -1, -1
    try:
        return parse_a1(cell)
    except ValueError:
        return -1, -1


# Memoised by wrapping, not decorating, so that the mutation tester reaches the body.
cell_position = lru_cache(maxsize=8192)(_cell_position)

