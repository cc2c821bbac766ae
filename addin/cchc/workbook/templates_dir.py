"""The templates committed in workbook_templates/: which files, built how.

Each entry: (file name, catalogue kind, build options). scripts/build_templates.py writes
them and a test checks the committed files are up to date with the catalogue.
"""

from __future__ import annotations

from pathlib import Path

from cchc.catalogue import load_catalogue
from cchc.workbook.template import build_template

TEMPLATES: list[tuple[str, str, dict]] = [
    ("bao_cao_cchc_ky.xlsx", "ky", {}),
    ("bao_cao_cchc_ky.xlsm", "ky", {"macros": True}),
]


def build_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, kind, options in TEMPLATES:
        path = directory / name
        build_template(path, load_catalogue(kind), **options)
        out.append(path)
    return out
