"""Shared fixtures: the catalogue, a built template, the seed-filled workbook, LibreOffice."""

from __future__ import annotations

import copy
import random
import os
from pathlib import Path

import pytest

from cchc.catalogue import load_catalogue
from cchc.demo import demo_data
from cchc.office import find_soffice
from cchc.workbook.fill import fill_workbook
from cchc.workbook.template import build_template

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CCHC_SHARED", ROOT.parent / "shared"))
SEED_REPORT = SHARED / "seeds" / "003_dd4f502cabb39d96.txt"


def _clear_cchc_caches() -> None:
    """Empty every memo of the package: lru_cache'd functions, PerCatalogue results, the
    reader's plans of named cells and its labels per form."""
    import sys

    from cchc.catalogue.rules import PerCatalogue

    for name, module in list(sys.modules.items()):
        if name != "cchc" and not name.startswith("cchc."):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, PerCatalogue):
                value.clear()
            elif callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
    from cchc.workbook import reader

    reader._PLANS.clear()
    reader._LABELS.clear()


@pytest.fixture(scope="session", autouse=True)
def _fresh_caches_under_mutation():
    """Under the mutation tester (scripts/mutation.py), each mutant's tests run in a process
    forked from one that already ran them on the original code: a memoised result of the
    original code (a parsed rule, a folded label, the loaded catalogue) would hide the mutant.
    Start every such session with empty caches. Outside a mutation run this does nothing."""
    if os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats", "fail", "mutant_generation"):
        return
    _clear_cchc_caches()


@pytest.fixture(autouse=True)
def _each_test_calls_what_it_needs_while_measured():
    """The mutation tester runs a mutant only with the tests that called the mutated function
    in its first, measuring run ("stats"). A memoised function is called by the first test that
    needs its result only: empty the caches before every test of that run, so that each test
    that depends on a function is known to."""
    if os.environ.get("MUTANT_UNDER_TEST", "") == "stats":
        _clear_cchc_caches()
        # Fill again what every check needs, here in the set-up: it still counts as this test's
        # (what a test calls is noted from set-up to tear-down), but not in its duration, by
        # which the mutation runs order the tests (fastest first).
        from cchc.catalogue import load_catalogue
        from cchc.checks.prepared import prepared_for

        prepared_for(load_catalogue("ky"))
    yield


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue("ky")


@pytest.fixture(scope="session")
def template_path(tmp_path_factory, catalogue) -> Path:
    path = tmp_path_factory.mktemp("template") / "mau.xlsx"
    build_template(path, catalogue)
    return path


@pytest.fixture(scope="session")
def seed_data() -> dict:
    return demo_data("ky")


@pytest.fixture(scope="session")
def seed_workbook(tmp_path_factory, template_path, seed_data, catalogue) -> Path:
    out = tmp_path_factory.mktemp("seed") / "dung_kno.xlsx"
    fill_workbook(template_path, seed_data, out, catalogue)
    return out


@pytest.fixture
def make_workbook(tmp_path, template_path, seed_data, catalogue):
    """Build a filled workbook from the seed data changed by `edit(data)`; return its path."""

    def make(edit=None, name="wb.xlsx") -> Path:
        data = copy.deepcopy(seed_data)
        if edit:
            edit(data)
        out = tmp_path / name
        fill_workbook(template_path, data, out, catalogue)
        return out

    return make


@pytest.fixture
def filled(tmp_path, template_path, seed_data, catalogue):
    """A filled workbook of the seed (Quý I/2025 of xã Đưng K'Nớ) with `info` updated, `values`
    (the whole {form: {code: value}}) replaced and `changes` ({"3:2.3.1": 70}) applied."""

    def build(name: str, info: dict | None = None, changes: dict | None = None, *, values: dict | None = None,
              folder: Path | None = None) -> Path:
        data = copy.deepcopy(seed_data)
        data["info"].update(info or {})
        if values is not None:
            data["values"] = copy.deepcopy(values)
        for ref, v in (changes or {}).items():
            form, _, code = ref.partition(":")
            data["values"].setdefault(form, {})[code] = v
        out = (folder or tmp_path) / name
        fill_workbook(template_path, data, out, catalogue)
        return out

    return build


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice is required: CI installs it (.ci/run). Fail loudly rather than skip."""
    path = find_soffice()
    if not path:
        pytest.fail("LibreOffice (soffice) is not installed; run .ci/run or apt-get install libreoffice-calc libreoffice-writer")
    return path


def random_values(cat, rng: random.Random) -> dict[str, dict[str, object]]:
    """Input values of every row of `cat`, one in seven left blank (for generated communes)."""
    values: dict[str, dict[str, object]] = {}
    for row in cat.input_rows():
        blank = rng.random() < 0.15
        if row.type == "count":
            v = None if blank else rng.randint(0, 300)
        elif row.type == "money":
            v = None if blank else round(rng.uniform(0, 5000), 3)
        elif row.type == "pct":
            v = None if blank else round(rng.uniform(0, 100), 2)
        elif row.type in ("flag", "choice"):
            v = None if blank else rng.choice([c for c, _ in row.choices])
        else:
            v = None
        values.setdefault(row.form, {})[row.code] = v
    return values
