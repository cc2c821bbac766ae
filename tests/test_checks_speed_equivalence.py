"""The check engine's caches change nothing: what is prepared once per catalogue, memoised per
text or laid out once per file gives the same findings as working everything out afresh.

(Speed itself is measured in scripts/bench_check.py, never asserted here.)
"""

from __future__ import annotations

import copy
import gc

import pytest

from cchc.catalogue import load_catalogue
from cchc.catalogue import rules
from cchc.checks import narrative, prepared, run_checks
from cchc.workbook import values
from cchc.checks.engine import Context, _sort_key
from cchc.checks.prepared import cell_position, prepared_for
from cchc.model import CellAt
from cchc.cells import a1
from cchc.workbook.reader import read_workbook
from cchc.workbook.values import fold


def _clear_caches():
    for cache in (narrative._clauses, narrative._document_refs, narrative._period_phrases,
                  narrative._stated_numbers, cell_position, values._fold):
        cache.cache_clear()
    prepared._prepared.clear()


def _dump(findings):
    return [f.to_json() for f in findings]


@pytest.fixture(scope="module")
def seed_report(seed_workbook):
    return read_workbook(seed_workbook)


def _variants(report):
    """The seed report, and versions that make other checks speak: another level, odd values,
    a repeated narrative, a report with no data at all."""
    out = [report]
    d = copy.deepcopy(report)
    d.info["cap"] = "Sở, ban, ngành"
    d.values["3"]["2.3.2"] = 1000
    d.values["1"]["2.2"] = "bảy"
    out.append(d)
    d = copy.deepcopy(report)
    d.info["cap"] = "XÃ"
    for form in d.values.values():
        for code in list(form)[::3]:
            form[code] = None
    d.narrative = {k: v + "\nKế hoạch CCHC năm 2031; tiếp nhận 12 hồ sơ" for k, v in d.narrative.items()}
    out.append(d)
    d = copy.deepcopy(report)
    d.values = {}
    d.info["can_cu"] = []
    out.append(d)
    return out


def test_cold_and_warm_caches_give_the_same_findings(seed_report, catalogue):
    variants = _variants(seed_report)
    cold = []
    for d in variants:
        _clear_caches()
        cold.append(_dump(run_checks(d, catalogue)))
    warm = [_dump(run_checks(d, catalogue)) for d in variants]
    again = [_dump(run_checks(d, catalogue)) for d in reversed(variants)][::-1]
    assert cold == warm == again
    assert len({str(x) for x in cold}) == len(variants)  # the variants do differ


def test_values_by_ref_are_what_the_report_says(seed_report, catalogue):
    d = copy.deepcopy(seed_report)
    del d.values["2a"]  # a form missing altogether reads as blank
    ctx = Context(d, catalogue)
    for row in catalogue.rows():
        assert ctx.raw(row.ref) == d.value(row.ref), row.ref
    assert ctx.raw("9:1") is None  # not in the catalogue: asked of the report itself


def test_prepared_once_per_catalogue_object():
    cat = load_catalogue("ky")
    assert prepared_for(cat) is prepared_for(cat)
    from cchc.catalogue import _load, catalogue_path

    other = _load.__wrapped__(str(catalogue_path("ky")))  # the same data, another object: prepared anew
    p = prepared_for(other)
    assert p is not prepared_for(cat) and p.rows.keys() == prepared_for(cat).rows.keys()
    assert other in prepared._prepared and other in rules._parsed
    n_prepared, n_rules = len(prepared._prepared), len(rules._parsed)
    del other, p
    gc.collect()
    # dropped with its catalogue (which nothing else keeps alive)
    assert (len(prepared._prepared), len(rules._parsed)) == (n_prepared - 1, n_rules - 1)


def test_levels_and_blank_layout_match_the_catalogue(catalogue):
    prep = prepared_for(catalogue)
    for level in ("Xã", "xã", "Phường", "Huyện", "Sở, ban, ngành", ""):
        key = fold(level) if level else ""
        na = set()
        for rule in prep.rules.not_applicable:
            if key and key in {fold(x) for x in rule.levels}:
                na.update(rule.refs)
        assert prep.not_applicable(key) == na
        layout = prep.blank_layout(frozenset(na))
        assert [form for form, _, _ in layout] == list(catalogue.forms)
        for form, rows, blocks in layout:
            assert rows == tuple(r for r in form.rows if r.is_input and r.ref not in na)
            by_parent: dict[str, list] = {}
            for r in rows:
                by_parent.setdefault(r.code.rpartition(".")[0], []).append(r)
            assert blocks == tuple(tuple(b) for b in by_parent.values())


def test_cached_addresses():
    at = CellAt("BM3", 17, 3)
    assert at.a1 == "D18" == a1(17, 3)
    at.r0, at.c0 = 9, 27  # a CellAt may be changed: its address follows
    assert at.a1 == "AB10" and at.address == "BM3!AB10"
    row = load_catalogue("ky").row("3:2.3.1")
    assert row.ref == "3:2.3.1" and row.is_input
    assert cell_position("AB10") == (9, 27) and cell_position("") == (-1, -1) and cell_position("??") == (-1, -1)


def test_findings_sorted_by_sheet_then_cell(seed_report, catalogue):
    from cchc.findings import Finding

    def f(sheet, cell, severity="warning"):
        return Finding(severity, sheet, cell, "", "", "x", "m")

    found = [f("BM3", "D100"), f("BM3", "D9"), f("BM3", "AA1"), f("BM1", "D9"), f("Thuyết minh", "B3"),
             f("BM3", ""), f("BM3", "D9", "error"), f("Kiểm tra", "A1"), f("BM3", "sai")]
    found.sort(key=_sort_key(prepared_for(catalogue)))
    assert [(x.sheet, x.cell, x.severity) for x in found] == [
        ("Thuyết minh", "B3", "warning"), ("BM1", "D9", "warning"), ("BM3", "", "warning"),
        ("BM3", "sai", "warning"), ("BM3", "AA1", "warning"), ("BM3", "D9", "error"), ("BM3", "D9", "warning"),
        ("BM3", "D100", "warning"), ("Kiểm tra", "A1", "warning")]  # by row, then column


def test_memoised_text_keeps_each_mention_at_its_own_place(catalogue, seed_report):
    """The same "Căn cứ" line in two places: each finding names its own place."""
    d = copy.deepcopy(seed_report)
    line = "Kế hoạch số 11/KH-UBND ngày 21/01/2025 về thực hiện công tác CCHC năm 2024."
    d.info["can_cu"] = [line, line]
    found = [x for x in run_checks(d, catalogue) if x.rule_id == "narrative.year" and x.code == "can_cu"]
    assert [x.message.split(":")[0] for x in found] == ["Căn cứ, dòng 1", "Căn cứ, dòng 2"]
