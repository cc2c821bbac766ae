"""Where the template puts each thing: the cell of every indicator and general-information
field, the rows of the live-check summary, the status columns.

One computation shared by the template builder (which writes there) and the formula compiler
(whose checks point at those cells, as the Python checks do after reading the file by name).
"""

from __future__ import annotations

from dataclasses import dataclass
from cchc.catalogue import Catalogue, Form
from cchc.catalogue.rules import PerCatalogue
from cchc.cells import col_letter
from cchc.workbook import style as S


@dataclass(frozen=True)
class Layout:
    # "3:2.3.1" → (sheet, "D18") for every input and ratio row.
    indicators: dict[str, tuple[str, str]]
    # 1-based row of every row of each form: "3:2.3.1" → 18.
    rows: dict[str, int]
    # Info key → its cells (sheet, "B12"), one per cell of a list block.
    info: dict[str, tuple[tuple[str, str], ...]]
    # «Thông tin chung»: the first row of the live-check summary and of the fields.
    summary_row: int
    info_first_row: int


def status_column(form: Form) -> int:
    """1-based column of a form sheet's «Kiểm tra» column: after «Ghi chú» and any extra
    column (the readers find extra columns from «Ghi chú» on)."""
    return S.COL_NOTE + len(form.columns) + 1


def summary_rows(cat: Catalogue) -> int:
    """Rows of the summary on «Thông tin chung»: heading, one per sheet with checks
    (the info sheet, the narrative, each form), total, and the note on what is not compiled."""
    return 1 + 2 + len(cat.forms) + 1 + 1


def _compute(cat: Catalogue) -> Layout:
    indicators: dict[str, tuple[str, str]] = {}
    rows: dict[str, int] = {}
    value = col_letter(S.COL_VALUE - 1)
    for form in cat.forms:
        for i, row in enumerate(form.rows):
            r = S.FORM_FIRST_ROW + i
            rows[row.ref] = r
            if row.is_input or row.type == "ratio":
                indicators[row.ref] = (form.sheet, f"{value}{r}")
    summary = S.INFO_FIRST_ROW
    first = summary + summary_rows(cat) + 1
    info: dict[str, tuple[tuple[str, str], ...]] = {}
    r = first
    for field in cat.info:
        n = max(field.rows, 1) if field.type == "list" else 1
        info[field.key] = tuple((S.SHEET_INFO, f"B{r + i}") for i in range(n))
        r += n
    return Layout(indicators, rows, info, summary, first)


_layouts = PerCatalogue(_compute)


def layout_of(cat: Catalogue) -> Layout:
    return _layouts(cat)
