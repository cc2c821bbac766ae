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
