"""Row heights for wrapped text (openpyxl writes none, and LibreOffice does not compute them)."""

from __future__ import annotations

MAX_HEIGHT = 409  # Excel's tallest row, in points


def fit_rows(ws, first_row: int, last_row: int | None = None) -> None:
    """Give rows of wrapped text (labels, units, hints, filled entries) a height that shows it all.

    Row heights are not computed when a file is opened (LibreOffice keeps the default), so
    long labels would be cut off on screen and in print. The estimate counts characters per
    line from the column width (Excel's unit is about one digit of the default font).
    `last_row`: the last row to fit (all rows when None); a workbook from outside may hold a
    cell far below the rows that matter.
    """
    from openpyxl.utils import get_column_letter

    def width_of(col: int) -> float:
        return ws.column_dimensions[get_column_letter(col)].width or 8.43

    # A merged cell wraps over the width of its columns; the cells it covers hold nothing.
    spans: dict[tuple[int, int], float] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row:
            spans[(rng.min_row, rng.min_col)] = sum(width_of(c) for c in range(rng.min_col, rng.max_col + 1))
        covered.update((r, c) for r, c in rng.cells)
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        lines = 1
        size = 12.0
        for cell in row:
            if not isinstance(cell.value, str) or cell.value.startswith("="):
                continue
            if not (cell.alignment and cell.alignment.wrap_text):
                continue
            where = (cell.row, cell.column)
            if where in covered and where not in spans:
                continue
            width = spans.get(where) or width_of(cell.column)
            fsize = float(cell.font.sz or 12)
            per_line = max(4, int((width - 1.5 - 2 * (cell.alignment.indent or 0)) * 12.0 / fsize * 1.05))
            n = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
            if n > lines:
                lines, size = n, fsize
        r = row[0].row
        current = ws.row_dimensions[r].height
        needed = min(round(lines * size * 1.32 + 3, 1), MAX_HEIGHT)
        if lines > 1 and (current is None or current < needed):
            ws.row_dimensions[r].height = needed


def reserve_rows(ws, longest: dict[int, int], width: float, size: float) -> None:
    """Rows tall enough for a text of `longest[row]` characters in a wrapped column of `width`
    and font `size`: room for a message a formula may show later (a row's height does not
    follow a formula's result)."""
    per_line = max(4, int((width - 1.5) * 12.0 / size * 1.05))
    for r, chars in longest.items():
        lines = max(1, -(-chars // per_line))
        needed = min(round(lines * size * 1.32 + 3, 1), MAX_HEIGHT)
        current = ws.row_dimensions[r].height
        if current is None or current < needed:
            ws.row_dimensions[r].height = needed

