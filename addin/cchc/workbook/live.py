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
from cchc.cells import write_value
from cchc.workbook import style as S
from cchc.workbook.formulas import (ERROR_LABEL, NOT_COMPILED, NOT_COMPILED_NOTE, TOTAL_NAMES, Program, count_name,
                                    render)

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_ERROR_FONT, _WARNING_FONT, _OK_FONT = "9C0006", "9C5700", "006100"
# Number formats a conditional format puts on a whole value, so that Excel never shows a
# trailing separator («2.700,»): the value's own format keeps the decimals of the others.
WHOLE_FORMATS = {"#,##0.##": "#,##0", '0.00"%"': '0"%"', "0.##": "0"}
_FORMAT_IDS = {fmt: 300 + i for i, fmt in enumerate(WHOLE_FORMATS.values())}


def _font(size: float = 12, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=S.FONT_NAME, size=size, bold=bold, italic=italic, color=color)


# ----------------------------------------------------------------------------- the program
def program_rows(program: Program, cat: Catalogue) -> dict[str, int]:
    """The row of «_kiemtra» that holds each program cell, then each display line."""
    keys = [c.key for c in program.cells] + [key for key, _ in display_lines(cat)]
    return {key: i + 2 for i, key in enumerate(keys)}


def display_lines(cat: Catalogue) -> list[tuple[str, str]]:
    """(key, formula) of the texts the sheets show, computed once in «_kiemtra» so that the
    sheets a merge reads stay small: the unit and period line, and each form's count line."""
    out = []
    unit = unit_period_formula(cat)
    if unit is not None:
        out += [(LINE_UNIT, unit), (LINE_AFTER_TITLE, unit_period_formula(cat, missing=""))]
    for form in cat.forms:
        err, warn = count_name(form.sheet, "error"), count_name(form.sheet, "warning")
        out.append((f"{LINE_COUNTS}:{form.sheet}", (
            f'"Kiểm tra tự động: "&IF({err}+{warn}=0,"không có lỗi, không có cảnh báo.",{err}&" lỗi, "&{warn}'
            '&" cảnh báo (ô tô đỏ: lỗi; ô tô cam: cảnh báo; lời nhắn ở cột «Kiểm tra»).")')))
    return out


LINE_UNIT, LINE_AFTER_TITLE, LINE_COUNTS = "dòng:đơn vị, kỳ", "dòng:sau tiêu đề", "dòng:kiểm tra"


def write_program(wb, program: Program, cat: Catalogue) -> None:
    """The hidden sheet «_kiemtra»: one program cell per row, then the display lines. The
    formulas name the input cells by their defined names (BM3_2_3_1, TT_NAM): readable, and
    they follow a moved cell."""
    ws = wb.create_sheet(S.SHEET_CHECKS)
    rows = program_rows(program, cat)
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
        write_value(ws.cell(r, 1), c.key)
        ws.cell(r, 2).value = "=" + render(c.formula, address)
        if c.rule_id:
            write_value(ws.cell(r, 3), c.rule_id)
        if c.sheet:
            write_value(ws.cell(r, 4), c.sheet)
            if c.cell:
                write_value(ws.cell(r, 5), c.cell)
        if c.message:
            write_value(ws.cell(r, 6), c.message)
        if c.name:
            wb.defined_names[c.name] = DefinedName(c.name, attr_text=f"{quote_sheetname(ws.title)}!$B${r}")
    for key, formula in display_lines(cat):
        write_value(ws.cell(rows[key], 1), key)
        ws.cell(rows[key], 2).value = "=" + formula
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


def _add_rules(ws, coordinate: str, rules: list[tuple[str, DifferentialStyle]]) -> None:
    for formula, dxf in rules:
        ws.conditional_formatting.add(coordinate, Rule(type="expression", dxf=dxf, formula=[formula]))


def whole_number_format(ws, cell) -> None:
    """A cell outside the checked rows (a maximum, a total) shown as the report writes it:
    «100%», not «100.00%»; «10», not «10,»."""
    whole = WHOLE_FORMATS.get(cell.number_format)
    if whole:
        _add_rules(ws, cell.coordinate, [(_is_whole(cell.coordinate), DifferentialStyle(**_whole_format(whole)))])


def checked_rows(ws, value_col: str, status_col: str, rows: list, program_rows: dict[str, int]) -> None:
    """The live marks of a table's consecutive rows, each (row, number format of its value cell,
    the Target of its value cell or None): the messages in `status_col` (errors first), and the
    conditional formats of the value and status columns, which read those messages: red when
    they start with «Lỗi:», orange when there is any. Rows whose whole-number formats agree
    share one set of rules (a per-row column of severities made the sheets every merge reads
    10 % slower to read; conditional formats cost the reader nothing)."""
    for r, _, target in rows:
        if target is not None:
            ws[f"{status_col}{r}"] = "=" + program_ref(program_rows, target.status)
    if not rows:
        return
    runs: list[list] = []  # [first row, last row, whole-number format or None]
    for r, fmt, _ in sorted(rows, key=lambda x: x[0]):
        whole = WHOLE_FORMATS.get(fmt)
        run = runs[-1] if runs else None
        if run and run[1] == r - 1 and (whole is None or run[2] in (None, whole)):
            run[1], run[2] = r, run[2] or whole
        else:
            runs.append([r, r, whole])
    err = dict(fill=PatternFill(bgColor=S.ERROR_FILL_RGB), font=Font(color=_ERROR_FONT))
    warn = dict(fill=PatternFill(bgColor=S.WARNING_FILL_RGB), font=Font(color=_WARNING_FONT))
    for first, last, whole in runs:
        status, value = f"${status_col}{first}", f"{value_col}{first}"
        is_error, is_warning = f'LEFT({status},{len(ERROR_LABEL) + 1})="{ERROR_LABEL}:"', f"LEN({status})>0"
        rules = []
        # LibreOffice applies only the first true rule: each colour comes with and without the format.
        for cond, colour in ((is_error, err), (is_warning, warn)):
            if whole:
                rules.append((f"AND({cond},{_is_whole(value)})", DifferentialStyle(**colour, **_whole_format(whole))))
            rules.append((cond, DifferentialStyle(**colour)))
        if whole:
            rules.append((_is_whole(value), DifferentialStyle(**_whole_format(whole))))
        _add_rules(ws, f"{value_col}{first}:{value_col}{last}", rules)
    first, last = runs[0][0], runs[-1][1]
    status = f"${status_col}{first}"
    _add_rules(ws, f"{status_col}{first}:{status_col}{last}", [
        (f'LEFT({status},{len(ERROR_LABEL) + 1})="{ERROR_LABEL}:"', DifferentialStyle(font=Font(color=_ERROR_FONT))),
        (f"LEN({status})>0", DifferentialStyle(font=Font(color=_WARNING_FONT))),
    ])


def longest_message(program: Program, target) -> int:
    """Characters of the longest line the «Kiểm tra» cell of `target` may show."""
    return max(len(program.cell(key).message) for key in target.checks) + len("Cảnh báo: ")


def style_status(cell, size: float = 9) -> None:
    cell.font = _font(size)
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    cell.border = _BORDER


def _counts(err: str, warn: str) -> str:
    return f'={err}&" lỗi, "&{warn}&" cảnh báo"'


def colour_by_counts(ws, coordinate: str, err: str, warn: str, fill: bool = False) -> None:
    """A count line in dark red, dark orange or green (on a red or orange ground with `fill`)."""
    rules = []
    for cond, ground, font in ((f"{err}>0", S.ERROR_FILL_RGB, _ERROR_FONT), (f"{warn}>0", S.WARNING_FILL_RGB, _WARNING_FONT)):
        rules.append((cond, DifferentialStyle(font=Font(color=font, bold=True),
                                              **({"fill": PatternFill(bgColor=ground)} if fill else {}))))
    rules.append(("TRUE", DifferentialStyle(font=Font(color=_OK_FONT, bold=True))))
    _add_rules(ws, coordinate, rules)


def form_count_line(ws, sheet: str, coordinate: str, program_rows: dict[str, int]) -> None:
    cell = ws[coordinate]
    cell.value = "=" + program_ref(program_rows, f"{LINE_COUNTS}:{sheet}")
    cell.font = _font(11, bold=True)
    cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
    colour_by_counts(ws, coordinate, count_name(sheet, "error"), count_name(sheet, "warning"))


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
    lines = [(S.SHEET_INFO, S.SHEET_INFO, "tên, số, ngày, kỳ báo cáo"),
             (S.SHEET_NARRATIVE, S.SHEET_NARRATIVE, "phần I–IV của báo cáo")]
    lines += [(f.title, f.sheet, f.subtitle) for f in cat.forms]
    for label, sheet, about in lines + [("Tổng cộng", "", "")]:
        a, b, c = ws.cell(r, 1), ws.cell(r, 2), ws.cell(r, 3)
        write_value(a, label)
        if sheet:
            a.font = _font(11, color="0563C1")
            a.hyperlink = Hyperlink(ref=a.coordinate, location=f"{quote_sheetname(sheet)}!A1", display=label)
        else:
            a.font = _font(11, bold=True)
        if sheet == S.SHEET_NARRATIVE:
            b.value = "Dùng nút «Kiểm tra số liệu»."
            b.font = _font(11, italic=True)
        else:
            err, warn = (count_name(sheet, "error"), count_name(sheet, "warning")) if sheet else \
                (TOTAL_NAMES["error"], TOTAL_NAMES["warning"])
            b.value = _counts(err, warn)
            b.font = _font(11, bold=True)
            colour_by_counts(ws, b.coordinate, err, warn, fill=True)
        ws.merge_cells(start_row=r, start_column=3, end_row=r, end_column=4)
        write_value(c, about)
        c.font = _font(11, italic=True)
        for x in (a, b, c, ws.cell(r, 4)):
            x.border = _BORDER
            x.alignment = Alignment(vertical="center")
        r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    not_compiled = "; ".join(text for _, text in NOT_COMPILED)
    note = ws.cell(r, 1)
    write_value(note, "Ô tô đỏ là lỗi (phải sửa), ô tô cam là cảnh báo (cần xem lại); lời nhắn ở cột «Kiểm tra» "
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
