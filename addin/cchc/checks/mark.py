"""`cchc check --mark`: a copy of the workbook with the findings shown where they are.

- Each offending input cell is filled red (an error) or amber (a warning) and carries a
  comment with the message(s); a finding on a cell that is not an input (a ratio) gets the
  comment only.
- A sheet "Kiểm tra" (first, active) lists every finding with a hyperlink to its cell, the
  summary on top: the rows of `cchc.checks.sheet.findings_rows`, as the Excel adapter writes.
- Marking a marked copy again first removes the old marks: the old "Kiểm tra" sheet, the
  comments this module wrote (recognised by their author) and the red/amber fills on named
  input cells, which get the template's input fill back. Nothing else is touched, and the
  original file is never written.
"""

from __future__ import annotations

from pathlib import Path

from cchc.findings import SEVERITY_LABELS, Finding
from cchc.checks.sheet import COLUMN_WIDTHS, HEADER_ROW, findings_links, findings_rows
from cchc.errors import CchcError
from cchc.files import refuse_overwriting
from cchc.workbook import style as S
from cchc.atomic import atomic_write
from cchc.cells import MAX_CELL_TEXT, parse_a1, write_value
from cchc.workbook.raw import check_bounds, parse_name_ref

MARK_AUTHOR = "cchc – Kiểm tra số liệu"
_MARK_FILLS = {S.ERROR_FILL_RGB.upper(), S.WARNING_FILL_RGB.upper()}
_RANK = {"error": 0, "warning": 1, "info": 2}


def default_output(src: str | Path) -> Path:
    src = Path(src)
    return src.with_name(f"{src.stem}_kiem_tra{src.suffix}")


def _rgb(cell) -> str:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return ""
    rgb = fill.fgColor.rgb if fill.fgColor is not None else None
    return rgb[-6:].upper() if isinstance(rgb, str) else ""


def _named_cells(wb) -> set[tuple[str, int, int]]:
    """Every cell under a workbook-level defined name: the template's input and ratio cells."""
    out = set()
    for name in list(wb.defined_names):
        ref = parse_name_ref(wb.defined_names[name].attr_text or "")
        if ref is None or ref.sheet not in wb.sheetnames:
            continue
        for r in range(ref.r0, ref.r1 + 1):
            for c in range(ref.c0, ref.c1 + 1):
                out.add((ref.sheet, r, c))
    return out


def clear_marks(wb) -> None:
    """Remove what an earlier marking left; give marked input cells their input fill back."""
    from openpyxl.styles import PatternFill

    if S.SHEET_FINDINGS in wb.sheetnames:
        wb.remove(wb[S.SHEET_FINDINGS])
    named = _named_cells(wb)
    for ws in wb.worksheets:
        # The cells the file holds, not the rectangle from A1 to the farthest one (a comment
        # at a far corner would make that rectangle millions of cells).
        for cell in list(ws._cells.values()):
            if cell.comment is not None and cell.comment.author == MARK_AUTHOR:
                cell.comment = None
            if (ws.title, cell.row - 1, cell.column - 1) in named and _rgb(cell) in _MARK_FILLS:
                cell.fill = PatternFill("solid", fgColor=S.INPUT_FILL_RGB)


def _safe(v):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(v, str):
        return ILLEGAL_CHARACTERS_RE.sub("", v)[:MAX_CELL_TEXT]
    return v


def apply_marks(wb, findings: list[Finding]) -> int:
    """Fill and comment the cells of the findings; return how many cells were marked."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.sheet in wb.sheetnames and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    for (sheet, a1), group in by_cell.items():
        group.sort(key=lambda f: _RANK.get(f.severity, 3))
        r0, c0 = parse_a1(a1)
        cell = wb[sheet].cell(r0 + 1, c0 + 1)
        worst = group[0].severity
        if worst in ("error", "warning") and _rgb(cell) == S.INPUT_FILL_RGB.upper():
            colour = S.ERROR_FILL_RGB if worst == "error" else S.WARNING_FILL_RGB
            cell.fill = PatternFill("solid", fgColor=colour)
        if cell.comment is None:  # never overwrite an officer's own comment
            text = "\n\n".join(f"[{SEVERITY_LABELS.get(f.severity, f.severity)}] {f.message}" for f in group)
            comment = Comment(_safe(text), MARK_AUTHOR)
            comment.width, comment.height = 420, min(80 + 18 * (len(text) // 60), 400)
            cell.comment = comment
    return len(by_cell)


def write_findings_sheet(wb, findings: list[Finding]):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(S.SHEET_FINDINGS, 0)
    rows = findings_rows(findings)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            write_value(ws.cell(r, c), _safe(v))  # officer text, never a formula
    font = S.FONT_NAME
    ws["A1"].font = Font(name=font, size=14, bold=True)
    for r in range(2, 5):
        ws.cell(r, 1).font = Font(name=font, bold=True)
    ws["A5"].font = Font(name=font, bold=True, italic=True)
    header = HEADER_ROW + 1
    for c in range(1, len(rows[HEADER_ROW]) + 1):
        cell = ws.cell(header, c)
        cell.font = Font(name=font, bold=True)
        cell.fill = PatternFill("solid", fgColor=S.HEADER_FILL_RGB)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    fills = {"error": S.ERROR_FILL_RGB, "warning": S.WARNING_FILL_RGB}
    for i, f in enumerate(findings):
        r = header + 1 + i
        for c in range(1, len(rows[HEADER_ROW]) + 1):
            ws.cell(r, c).alignment = Alignment(vertical="top", wrap_text=c in (6, 7))
        if f.severity in fills:
            ws.cell(r, 2).fill = PatternFill("solid", fgColor=fills[f.severity])
    for r0, c0, target in findings_links(findings):
        cell = ws.cell(r0 + 1, c0 + 1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target, display=str(cell.value))
        cell.font = Font(name=font, color="0563C1", underline="single")
    ws.freeze_panes = ws.cell(header + 1, 1).coordinate
    if findings:
        ws.auto_filter.ref = f"A{header}:{get_column_letter(len(rows[HEADER_ROW]))}{header + len(findings)}"
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    return ws


def mark_workbook(src: str | Path, findings: list[Finding], out: str | Path) -> Path:
    """Write a marked copy of `src` to `out` (atomically). The original is never written."""
    from openpyxl import load_workbook

    src, out = Path(src), Path(out)
    refuse_overwriting([out], [src])
    suffix = src.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise CchcError(f"Chỉ đánh dấu được tệp .xlsx hoặc .xlsm; hãy mở «{src.name}» bằng Excel và lưu dạng .xlsx.")
    if out.suffix.lower() != suffix:
        raise CchcError(f"Bản đánh dấu phải cùng loại với tệp gốc ({suffix}); hãy đặt tên kết thúc bằng {suffix}.")
    why = check_bounds(src)  # what openpyxl would expand, before it loads the file
    if why:
        raise CchcError(why)
    try:
        wb = load_workbook(src, keep_vba=suffix == ".xlsm", rich_text=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise CchcError(f"Không mở được «{src}» để đánh dấu ({type(exc).__name__}).") from None
    clear_marks(wb)
    apply_marks(wb, findings)
    write_findings_sheet(wb, findings)
    with atomic_write(out) as tmp:
        wb.save(tmp)
    return out
