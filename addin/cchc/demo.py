"""Built-in sample data as filled workbooks: each report kind's `demo_data()` poured into its
standard template (for `cchc demo` and the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cchc.catalogue import load_catalogue
from cchc.errors import CchcError
from cchc.registry import default_kind, kind_by_id
from cchc.workbook.fill import fill_workbook
from cchc.workbook.template import build_template


def demo_data(kind_id: str | None = None) -> dict[str, Any]:
    """The demo data of a kind (the default kind when None)."""
    kind = kind_by_id(kind_id) if kind_id else default_kind()
    data = kind.demo_data()
    if data is None:
        raise CchcError(f"Loại báo cáo «{kind.name}» không có số liệu mẫu.")
    return data


def write_demo_workbook(directory: str | Path, kind_id: str | None = None, name: str | None = None, *,
                        data: dict[str, Any] | None = None) -> Path:
    """The standard workbook of `kind_id` filled with `data` (its demo data by default)."""
    kind = kind_by_id(kind_id) if kind_id else default_kind()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    cat = load_catalogue(kind.id)
    template = directory / f".mau_{kind.id}.xlsx"
    out = directory / (name or kind.demo_workbook or f"{kind.id}_mau.xlsx")
    build_template(template, cat)
    try:
        fill_workbook(template, data if data is not None else demo_data(kind.id), out, cat)
    finally:
        template.unlink(missing_ok=True)
    return out
