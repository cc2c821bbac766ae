"""Built-in sample data: the seed commune's real report (UBND xã Đưng K'Nớ, 31/BC-UBND, Quý I/2025)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from cchc.catalogue import load_catalogue
from cchc.workbook.fill import fill_workbook
from cchc.workbook.template import build_template


def demo_data(kind: str = "ky") -> dict[str, Any]:
    text = resources.files("cchc.data").joinpath(f"demo_{kind}.json").read_text(encoding="utf-8")
    return json.loads(text)


def write_demo_workbook(directory: str | Path, kind: str = "ky", name: str | None = None) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    cat = load_catalogue(kind)
    template = directory / f".mau_{kind}.xlsx"
    out = directory / (name or "bao_cao_cchc_quy_I_2025_Dung_KNo.xlsx")
    build_template(template, cat)
    try:
        fill_workbook(template, demo_data(kind), out, cat)
    finally:
        template.unlink(missing_ok=True)
    return out
