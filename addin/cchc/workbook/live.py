"""The live checks in the workbook: what an officer sees while typing, with no macro and no Python.

- the hidden sheet «_kiemtra» holds the compiled program (`cchc.workbook.formulas`), one cell
  per line: its key, its value (the formula), and for a check its rule id, the sheet and cell
  it points at and its message;
- each form sheet: a «Kiểm tra» column with the messages of the row, a hidden column with the
  row's severity, red (error) and orange (warning) input cells through conditional formatting,
  and a line under the title counting the sheet's errors and warnings;
- «Thông tin chung»: the same column for the fields, and on top the totals of every sheet with
  a hyperlink to it, and what only the «Kiểm tra số liệu» button checks;
- workbook-level names for the counts: KT_LOI, KT_CANH_BAO, KT_BM<form>_LOI,
  KT_BM<form>_CANH_BAO, KT_TT_LOI, KT_TT_CANH_BAO.

Every text from the catalogue (messages, labels) is written as a text cell, never as a formula.
"""

from __future__ import annotations

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName

from cchc.catalogue import Catalogue
from cchc.workbook import style as S
from cchc.workbook.formulas import NOT_COMPILED, NOT_COMPILED_NOTE, TOTAL_NAMES, Program, count_name, render

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_ERROR_FONT, _WARNING_FONT, _OK_FONT = "9C0006", "9C5700", "006100"
# Number formats a conditional format puts on a whole value, so that Excel never shows a
# trailing separator («2.700,»): the value's own format keeps the decimals of the others.
WHOLE_FORMATS = {"#,##0.##": "#,##0", '0.00"%"': '0"%"', "0.##": "0"}
_FORMAT_IDS = {fmt: 300 + i for i, fmt in enumerate(WHOLE_FORMATS.values())}


def put_text(cell, text: str) -> None:
    """A text cell, even when the text starts with «=» (openpyxl would make it a formula)."""
    cell.value = text
    cell.data_type = "s"


def _font(size: float = 12, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=S.FONT_NAME, size=size, bold=bold, italic=italic, color=color)


# ----------------------------------------------------------------------------- the program
def program_rows(program: Program) -> dict[str, int]:
    """The row of «_kiemtra» that holds each program cell."""
    return {c.key: i + 2 for i, c in enumerate(program.cells)}


def write_program(wb, program: Program, cat: Catalogue) -> None:
    """The hidden sheet «_kiemtra»: one program cell per row. The formulas name the input cells
    by their defined names (BM3_2_3_1, TT_NAM): readable, and they follow a moved cell."""
    ws = wb.create_sheet(S.SHEET_CHECKS)
    rows = program_rows(program)
    for col, (head, width) in enumerate((("Khóa", 34), ("Giá trị", 12), ("Quy tắc", 30), ("Trang", 16),
                                         ("Ô", 8), ("Lời nhắn", 80)), start=1):
        ws.cell(1, col, head).font = _font(11, bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    indicator = {r.ref: r.name for r in cat.rows()}
    info = {f.key: f for f in cat.info}

    def address(kind: str, arg: str) -> str:
        if kind == "in":
            return indicator[arg]
        if kind == "info":
            key, _, i = arg.rpartition(":")
            field = info[key]
            many = field.type == "list" and field.rows > 1
            return f"INDEX({field.name},{int(i) + 1})" if many else field.name
        return f"${'B' if kind == 'c' else 'F'}${rows[arg]}"

    for c in program.cells:
        r = rows[c.key]
        put_text(ws.cell(r, 1), c.key)
        ws.cell(r, 2).value = "=" + render(c.formula, address)
        if c.rule_id:
            put_text(ws.cell(r, 3), c.rule_id)
        if c.sheet:
            put_text(ws.cell(r, 4), c.sheet)
            if c.cell:
                put_text(ws.cell(r, 5), c.cell)
        if c.message:
            put_text(ws.cell(r, 6), c.message)
        if c.name:
            wb.defined_names[c.name] = DefinedName(c.name, attr_text=f"{quote_sheetname(ws.title)}!$B${r}")
    ws.freeze_panes = "A2"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def program_ref(rows: dict[str, int], key: str) -> str:
    return f"{quote_sheetname(S.SHEET_CHECKS)}!$B${rows[key]}"


# ----------------------------------------------------------------------------- on the sheets
def _is_whole(coordinate: str) -> str:
    return f"AND(ISNUMBER({coordinate}),ROUND({coordinate},2)=INT(ROUND({coordinate},2)))"


def _whole_format(whole: str) -> dict:
    return {"numFmt": NumberFormat(numFmtId=_FORMAT_IDS[whole], formatCode=whole)}


def _severity_rules(coordinate: str, severity: str, whole: str | None) -> list[tuple[str, DifferentialStyle]]:
    """The conditional formats of one checked cell, first match first: LibreOffice applies only
    the first true one, so the whole-number format rides along with each colour."""
    err = dict(fill=PatternFill(bgColor=S.ERROR_FILL_RGB), font=Font(color=_ERROR_FONT))
    warn = dict(fill=PatternFill(bgColor=S.WARNING_FILL_RGB), font=Font(color=_WARNING_FONT))
    out = []
    if whole:
        out.append((f"AND({severity}=2,{_is_whole(coordinate)})", DifferentialStyle(**err, **_whole_format(whole))))
    out.append((f"{severity}=2", DifferentialStyle(**err)))
    if whole:
        out.append((f"AND({severity}=1,{_is_whole(coordinate)})", DifferentialStyle(**warn, **_whole_format(whole))))
    out.append((f"{severity}=1", DifferentialStyle(**warn)))
    if whole:
        out.append((_is_whole(coordinate), DifferentialStyle(**_whole_format(whole))))
    return out


def _add_rules(ws, coordinate: str, rules: list[tuple[str, DifferentialStyle]]) -> None:
    for formula, dxf in rules:
        ws.conditional_formatting.add(coordinate, Rule(type="expression", dxf=dxf, formula=[formula]))


def whole_number_format(ws, cell) -> None:
    """A cell that no check points at (a ratio, a maximum, a total) shown as the report writes
    it: «100%», not «100.00%»; «10», not «10,»."""
    whole = WHOLE_FORMATS.get(cell.number_format)
    if whole:
        _add_rules(ws, cell.coordinate, [(_is_whole(cell.coordinate), DifferentialStyle(**_whole_format(whole)))])


def mark_checked_cell(ws, value_cell, status_cell, severity_cell, program_rows: dict[str, int], target) -> None:
    """The live marks of one checked cell: its status text, its hidden severity and the
    conditional formats reading it."""
    status_cell.value = "=" + program_ref(program_rows, target.status)
    severity_cell.value = "=" + program_ref(program_rows, target.severity)
    sev = f"${severity_cell.column_letter}${severity_cell.row}"
    whole = WHOLE_FORMATS.get(value_cell.number_format)
    _add_rules(ws, value_cell.coordinate, _severity_rules(value_cell.coordinate, sev, whole))
    _add_rules(ws, status_cell.coordinate, [
        (f"{sev}=2", DifferentialStyle(font=Font(color=_ERROR_FONT))),
        (f"{sev}=1", DifferentialStyle(font=Font(color=_WARNING_FONT))),
    ])


def longest_message(program: Program, target) -> int:
    """Characters of the longest line the «Kiểm tra» cell of `target` may show."""
    return max(len(program.cell(key).message) for key in target.checks) + len("Cảnh báo: ")


def style_status(cell, size: float = 9) -> None:
    cell.font = _font(size)
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    cell.border = _BORDER


def count_text(sheet: str, lead: str = "", trail: str = "") -> str:
    """"1 lỗi, 2 cảnh báo" of a sheet, as a formula over its defined names."""
    err, warn = count_name(sheet, "error"), count_name(sheet, "warning")
    return _count_formula(err, warn, lead, trail)


def _count_formula(err: str, warn: str, lead: str, trail: str) -> str:
    none = "không có lỗi, không có cảnh báo." if lead else "Không có lỗi, không có cảnh báo"
    return f'="{lead}"&IF({err}+{warn}=0,"{none}",{err}&" lỗi, "&{warn}&" cảnh báo{trail}")'


def colour_by_counts(ws, coordinate: str, err: str, warn: str, fill: bool = True) -> None:
    styles = []
    for cond, colour, font in ((f"{err}>0", S.ERROR_FILL_RGB, _ERROR_FONT), (f"{warn}>0", S.WARNING_FILL_RGB, _WARNING_FONT)):
        kw = {"fill": PatternFill(bgColor=colour)} if fill else {}
        styles.append((cond, DifferentialStyle(font=Font(color=font, bold=True), **kw)))
    styles.append(("TRUE", DifferentialStyle(font=Font(color=_OK_FONT, bold=True))))
    _add_rules(ws, coordinate, styles)


def form_count_line(ws, sheet: str, coordinate: str) -> None:
    cell = ws[coordinate]
    cell.value = count_text(sheet, "Kiểm tra tự động: ",
                            " (ô tô đỏ: lỗi; ô tô cam: cảnh báo; lời nhắn ở cột «Kiểm tra»).")
    cell.font = _font(11, bold=True)
    cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
    colour_by_counts(ws, coordinate, count_name(sheet, "error"), count_name(sheet, "warning"), fill=False)


def summary(ws, cat: Catalogue, first_row: int) -> int:
    """The totals of every sheet on «Thông tin chung», from `first_row`; returns the next row."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    r = first_row
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    head = ws.cell(r, 1, "KIỂM TRA SỐ LIỆU TỰ ĐỘNG (sổ tính tự kiểm tra khi nhập, không cần macro)")
    head.font = _font(12, bold=True)
    head.fill = PatternFill("solid", fgColor=S.HEADER_FILL_RGB)
    head.alignment = Alignment(vertical="center")
    r += 1
    lines = [(S.SHEET_INFO, S.SHEET_INFO, "tên, số, ngày, kỳ báo cáo", True),
             (S.SHEET_NARRATIVE, S.SHEET_NARRATIVE, "phần I–IV của báo cáo", False)]
    lines += [(f.title, f.sheet, f.subtitle, True) for f in cat.forms]
    for label, sheet, about, counted in lines:
        a = ws.cell(r, 1)
        put_text(a, label)
        a.font = _font(11, color="0563C1")
        a.hyperlink = Hyperlink(ref=a.coordinate, location=f"{quote_sheetname(sheet)}!A1", display=label)
        b = ws.cell(r, 2)
        if counted:
            b.value = count_text(sheet)
            b.font = _font(11, bold=True)
            colour_by_counts(ws, b.coordinate, count_name(sheet, "error"), count_name(sheet, "warning"))
        else:
            b.value = "Dùng nút «Kiểm tra số liệu»."
            b.font = _font(11, italic=True)
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=4)
        c = ws.cell(r, 3)
        put_text(c, about)
        c.font = _font(11, italic=True)
        for x in (a, b, c, ws.cell(r, 4)):
            x.border = _BORDER
            x.alignment = Alignment(vertical="center")
        r += 1
    a, b = ws.cell(r, 1, "Tổng cộng"), ws.cell(r, 2)
    a.font = _font(11, bold=True)
    b.value = _count_formula(TOTAL_NAMES["error"], TOTAL_NAMES["warning"], "", "")
    b.font = _font(11, bold=True)
    colour_by_counts(ws, b.coordinate, TOTAL_NAMES["error"], TOTAL_NAMES["warning"])
    for c in (a, b):
        c.border = _BORDER
    r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    not_compiled = "; ".join(text for _, text in NOT_COMPILED)
    note = ws.cell(r, 1)
    put_text(note, "Ô tô đỏ là lỗi (phải sửa), ô tô cam là cảnh báo (cần xem lại); lời nhắn ở cột «Kiểm tra» "
                   f"cạnh ô. Những nội dung sau {NOT_COMPILED_NOTE}: {not_compiled}.")
    note.font = _font(10, italic=True)
    note.alignment = Alignment(vertical="top", wrap_text=True)
    return r + 1


def unit_period_formula(cat: Catalogue, missing: str | None = None) -> str | None:
    """"UBND xã Đưng K'Nớ – Quý I năm 2025" from «Thông tin chung», as a formula (no "="), for
    the line every printed page repeats; None when the catalogue has no unit field. With
    `missing=""`: " – UBND xã … – Quý I năm 2025", or nothing before the unit is typed."""
    from cchc.workbook.formulas import norm_label, text_constant

    names = {f.key: f.name for f in cat.info}
    if "don_vi" not in names:
        return None
    unit = f"TRIM({names['don_vi']})"
    period = '""'
    if "ky" in names and "nam" in names:
        ky, nam = f"TRIM({names['ky']})", names["nam"]
        period = f'IF(LEN({ky})=0,""," – "&{ky}&IF(ISNUMBER({nam})," năm "&{nam},""))'
        for p in reversed(cat.periods):
            if "{year}" in p.this and "{next_year}" not in p.this:
                before, _, after = p.this.partition("{year}")
                said = f"IF(ISNUMBER({nam}),{text_constant(before)}&{nam}&{text_constant(after)},{text_constant(p.name)})"
                period = f'IF({ky}={text_constant(norm_label(p.name))}," – "&{said},{period})'
    elif "nam" in names:
        period = f'IF(ISNUMBER({names["nam"]})," – năm "&{names["nam"]},"")'
    if missing is None:
        return f'IF(LEN({unit})=0,"(chưa nhập tên đơn vị ở trang «{S.SHEET_INFO}»)",{unit})&{period}'
    return f'IF(LEN({unit})=0,{text_constant(missing)}," – "&{unit}&{period})'


def header_footer(ws) -> None:
    """Sheet name and page number on every printed page (the unit and the period are on the
    repeated line at the top: a page header cannot read a cell)."""
    for part, text in ((ws.oddFooter.left, "&A"), (ws.oddFooter.right, "Trang &P/&N")):
        part.text, part.font, part.size = text, f"{S.FONT_NAME},Regular", 9
