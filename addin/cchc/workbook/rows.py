"""Row heights for wrapped text (openpyxl writes none, and LibreOffice does not compute them)."""

from __future__ import annotations


def fit_rows(ws, first_row: int, last_row: int | None = None) -> None:
    """Give rows of wrapped text (labels, units, hints, filled entries) a height that shows it all.

    Row heights are not computed when a file is opened (LibreOffice keeps the default), so
    long labels would be cut off on screen and in print. The estimate counts characters per
    line from the column width (Excel's unit is about one digit of the default font).
    `last_row`: the last row to fit (all rows when None); a workbook from outside may hold a
    cell far below the rows that matter.
    """
    merged = {c for rng in ws.merged_cells.ranges for row in rng.rows for c in row}
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        lines = 1
        size = 12.0
        for cell in row:
            if not isinstance(cell.value, str) or cell.value.startswith("=") or cell.coordinate in merged:
                continue
            if not (cell.alignment and cell.alignment.wrap_text):
                continue
            width = ws.column_dimensions[cell.column_letter].width or 8.43
            fsize = float(cell.font.sz or 12)
            per_line = max(4, int((width - 1.5 - 2 * (cell.alignment.indent or 0)) * 12.0 / fsize * 1.05))
            n = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
            if n > lines:
                lines, size = n, fsize
        r = row[0].row
        current = ws.row_dimensions[r].height
        needed = round(lines * size * 1.32 + 3, 1)
        if lines > 1 and (current is None or current < needed):
            ws.row_dimensions[r].height = needed

