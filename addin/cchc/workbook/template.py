"""Build the standardized commune workbook from the catalogue.

Sheets: "Thông tin chung", "Thuyết minh", one sheet per form ("BM1" … "BM7") laid out like the
paper form, a hidden "_cchc" sheet recording the catalogue and template versions, and a hidden
"_kiemtra" sheet holding the checks compiled into formulas (`cchc.workbook.live`).
Input cells are unlocked, yellow, validated and carry workbook-level defined names
(BM3_2_3_1, TT_DON_VI, TM_II_2_3 …). Ratio cells hold live formulas so officers see them as
they type; Python never trusts those cached results and recomputes from the inputs. Every
figure is shown as the Word report writes it (2.700, 98,59%, 100%).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from cchc.catalogue import Catalogue, Form, InfoField, Row
from cchc.workbook import live
from cchc.workbook import style as S
from cchc.atomic import atomic_write
from cchc.workbook.formulas import compile_checks
from cchc.workbook.layout import layout_of, status_column
from cchc.workbook.rows import fit_rows, reserve_rows

# Bump when the layout changes in a way a reader or a province would notice.
TEMPLATE_VERSION = "2"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = PatternFill("solid", fgColor=S.INPUT_FILL_RGB)
_COMPUTED_FILL = PatternFill("solid", fgColor=S.COMPUTED_FILL_RGB)
_HEADER_FILL = PatternFill("solid", fgColor=S.HEADER_FILL_RGB)
_UNLOCKED = Protection(locked=False)


def _font(size: float = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=S.FONT_NAME, size=size, bold=bold, italic=italic)


# Number formats of input cells by row type. Excel shows them with the officer's locale
# separators, so a Vietnamese Windows displays 2.700 and 98,5. A whole value gets the format
# without decimals through a conditional format (live.WHOLE_FORMATS): «2.700», never «2.700,»;
# percentages as the report writes them: «87,70%», «100%».
_NUMBER_FORMATS = {"count": "#,##0.##", "money": "#,##0.##", "pct": '0.00"%"', "ratio": '0.00"%"',
                   "score": "0.##"}

_TYPE_HELP = {
    "count": ("Số nguyên", "Nhập số nguyên không âm (0, 1, 2, …). Để trống nếu chưa có số liệu."),
    "money": ("Số tiền (triệu đồng)", "Nhập số tiền bằng triệu đồng, không âm, có thể có phần thập phân."),
    "pct": ("Tỷ lệ %", "Nhập tỷ lệ phần trăm từ 0 đến 100, không gõ dấu %."),
}
_TYPE_ERROR = {
    "count": "Giá trị phải là số nguyên không âm.",
    "money": "Giá trị phải là số không âm (đơn vị: triệu đồng).",
    "pct": "Tỷ lệ phải nằm trong khoảng từ 0 đến 100.",
}


def _validation(rtype: str, choices: tuple[str, ...] = (), codes: tuple[tuple[int, str], ...] = ()) -> DataValidation:
    """`codes`: a yes/no or choice row's (code, label) pairs: the officer may pick the label or
    type the code the form prints («Có = 1; Không = 0»)."""
    if rtype == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    elif rtype == "money":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    elif rtype == "pct":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    else:  # list
        items = list(choices) + [str(code) for code, _ in codes]
        dv = DataValidation(type="list", formula1='"' + ",".join(items) + '"')
    dv.allow_blank = True
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "Giá trị không hợp lệ"
    if rtype in _TYPE_HELP:
        dv.promptTitle, dv.prompt = _TYPE_HELP[rtype]
        dv.error = _TYPE_ERROR[rtype]
    elif codes:
        pairs = "; ".join(f"{label} = {code}" for code, label in codes)
        dv.promptTitle = "Chọn hoặc gõ mã"
        dv.prompt = f"Bấm mũi tên để chọn, hoặc gõ mã: {pairs}."
        dv.error = f"Chỉ được chọn hoặc gõ một trong: {pairs}."
    else:
        dv.promptTitle = "Chọn trong danh sách"
        dv.prompt = "Bấm mũi tên để chọn: " + "; ".join(choices) + "."
        dv.error = "Chỉ được chọn một trong: " + "; ".join(choices) + "."
    return dv


def _text_validation(title: str, prompt: str, max_len: int = 32767) -> DataValidation:
    """Free text still gets a prompt telling the officer what goes there (and Excel's cell limit)."""
    dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(max_len))
    dv.allow_blank = True
    dv.showInputMessage = dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.promptTitle, dv.prompt = title[:32], prompt[:255]
    dv.errorTitle = "Nội dung quá dài"
    dv.error = f"Ô này nhận tối đa {max_len:,} ký tự.".replace(",", ".")
    return dv


def _name(wb: Workbook, name: str, ws, first: str, last: str | None = None) -> None:
    ref = f"{quote_sheetname(ws.title)}!${first[0]}${first[1:]}"
    if last:
        ref += f":${last[0]}${last[1:]}"
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _protect(ws) -> None:
    # No password: an officer who needs to change the layout can lift it (Review → Unprotect).
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False


def _print_setup(ws, last_col: str, last_row: int, title_rows: str | None, orientation: str = "portrait") -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{last_col}{last_row}"
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    live.header_footer(ws)


def _title(ws, text: str, subtitle: str, last_col: str) -> None:
    ws.merge_cells(f"A1:{last_col}1")
    ws.merge_cells(f"A2:{last_col}2")
    ws["A1"] = text
    ws["A1"].font = _font(14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws["A2"] = subtitle
    ws["A2"].font = _font(13, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 33


# ----------------------------------------------------------------------------- info
def _running_line(ws, cat: Catalogue, coordinate: str, lead: str, rows: dict[str, int]) -> None:
    """The line every printed page repeats: `lead` and the unit and period from
    «Thông tin chung» (a page header cannot read a cell, a formula can)."""
    from cchc.workbook.formulas import text_constant

    if live.LINE_UNIT not in rows or len(lead) > 200:
        return
    if lead:
        ws[coordinate] = f"={text_constant(lead)}&{live.program_ref(rows, live.LINE_AFTER_TITLE)}"
    else:
        ws[coordinate] = "=" + live.program_ref(rows, live.LINE_UNIT)


INFO_STATUS_SIZE = 10


def _build_info(wb: Workbook, cat: Catalogue, program, rows: dict[str, int]) -> None:
    ws = wb.create_sheet(S.SHEET_INFO)
    lay = layout_of(cat)
    _title(ws, "THÔNG TIN CHUNG CỦA BÁO CÁO", cat.title, "D")
    _running_line(ws, cat, "A2", cat.title, rows)
    ws["A3"] = "Nhập vào các ô màu vàng. Dấu * là thông tin bắt buộc. Rê chuột vào ô để xem hướng dẫn."
    ws["A3"].font = _font(11, italic=True)
    for col, width in (("A", 40), ("B", 46), ("C", 40), ("D", 40)):
        ws.column_dimensions[col].width = width
    live.summary(ws, cat, lay.summary_row)
    head = lay.info_first_row - 1
    for col, text in enumerate(("Thông tin", "Nội dung", "Hướng dẫn", "Kiểm tra"), start=1):
        c = ws.cell(head, col, text)
        c.font = _font(12, bold=True)
        c.fill = _HEADER_FILL
        c.border = _BORDER
        c.alignment = Alignment(horizontal="center", vertical="center")
    reserved: dict[int, int] = {}
    checked: list = []
    for field in cat.info:
        (sheet, first), *_ = lay.info[field.key]
        r = int(first[1:])
        _info_field(wb, ws, field, r, cat)
        for i in range(len(lay.info[field.key])):
            live.style_status(ws.cell(r + i, 4), INFO_STATUS_SIZE)
        target = program.target(S.SHEET_INFO, first)
        if target is not None:
            reserved[r] = live.longest_message(program, target)
        checked += [(r + i, ws[f"B{r + i}"].number_format, target if i == 0 else None)
                    for i in range(len(lay.info[field.key]))]
    last = max(int(cells[-1][1][1:]) for cells in lay.info.values()) if lay.info else head
    live.checked_rows(ws, "B", "D", checked, rows)
    ws.freeze_panes = f"A{S.INFO_FIRST_ROW}"
    fit_rows(ws, S.INFO_FIRST_ROW)
    reserve_rows(ws, reserved, ws.column_dimensions["D"].width, INFO_STATUS_SIZE)
    _print_setup(ws, "D", last, "1:2", "landscape")
    _protect(ws)


def _info_field(wb: Workbook, ws, field: InfoField, r: int, cat: Catalogue) -> None:
    label = ws.cell(r, 1, field.label + (" *" if field.required else ""))
    label.font = _font(12, bold=field.required)
    label.alignment = Alignment(vertical="top", wrap_text=True)
    label.border = _BORDER
    n = max(field.rows, 1) if field.type == "list" else 1
    for i in range(n):
        c = ws.cell(r + i, 2)
        c.fill = _INPUT_FILL
        c.protection = _UNLOCKED
        c.border = _BORDER
        c.font = _font(12)
        c.alignment = Alignment(vertical="top", wrap_text=True)
    hint = field.help or (f"Ví dụ: {field.example}" if field.example else "")
    if hint:
        h = ws.cell(r, 3, hint)
        h.font = _font(10, italic=True)
        h.alignment = Alignment(vertical="top", wrap_text=True)
    first = f"B{r}"
    _name(wb, field.name, ws, first, f"B{r + n - 1}" if n > 1 else None)

    dv = None
    if field.type == "date":
        ws[first].number_format = "dd/mm/yyyy"
        dv = DataValidation(type="date", operator="between",
                            formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)")
        dv.promptTitle, dv.prompt = "Ngày", "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 07/03/2025."
        dv.error = "Giá trị phải là một ngày hợp lệ (ngày/tháng/năm)."
    elif field.type == "int":
        lo, hi = ("2000", "2100") if field.key == "nam" else ("1", "99999")
        dv = DataValidation(type="whole", operator="between", formula1=lo, formula2=hi)
        dv.promptTitle, dv.prompt = "Số nguyên", f"Nhập số nguyên từ {lo} đến {hi}."
        dv.error = f"Giá trị phải là số nguyên từ {lo} đến {hi}."
    elif field.type == "choice":
        dv = _validation("list", field.choices)
    elif field.type == "number":
        ws[first].number_format = "0.##"
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        dv.promptTitle, dv.prompt = "Số", "Nhập một số không âm, phần thập phân gõ theo cách của máy (65,51)."
        dv.error = "Giá trị phải là một số không âm."
    elif field.key == "ma_dvhc":
        ws[first].number_format = "@"  # keep leading zeros
        dv = DataValidation(type="textLength", operator="equal", formula1="5")
        dv.promptTitle, dv.prompt = "Mã đơn vị hành chính", "Nhập đủ 5 chữ số, kể cả số 0 ở đầu."
        dv.error = "Mã đơn vị hành chính gồm đúng 5 chữ số."
    if field.type == "multiline":
        ws.row_dimensions[r].height = 33
    if dv is None and field.type in ("text", "multiline", "list"):
        how = " Xuống dòng trong ô bằng Alt+Enter." if field.type == "multiline" else ""
        each = " Mỗi ô một mục." if field.type == "list" else ""
        dv = _text_validation(field.label.split(" (")[0], (hint or f"Nhập {field.label.lower()}.") + how + each, 1000)
    if dv is not None:
        dv.allow_blank = True
        dv.showInputMessage = dv.showErrorMessage = True
        dv.errorTitle = dv.errorTitle or "Giá trị không hợp lệ"
        ws.add_data_validation(dv)
        dv.add(f"{first}:B{r + n - 1}" if n > 1 else first)


# ----------------------------------------------------------------------------- narrative
# The text column is wide and its font a little smaller than the forms', so that a long
# section (section I of the seed: 3.101 characters in 14 paragraphs) fits in Excel's tallest
# row (409 points) and prints on a landscape page.
NARRATIVE_TEXT_WIDTH, NARRATIVE_TEXT_SIZE = 118, 11
NARRATIVE_EMPTY_HEIGHT = 60


def _build_narrative(wb: Workbook, cat: Catalogue, rows: dict[str, int]) -> None:
    ws = wb.create_sheet(S.SHEET_NARRATIVE)
    subtitle = cat.extra.get("narrative_subtitle", "Nội dung phần I–IV của báo cáo")
    _title(ws, "THUYẾT MINH BÁO CÁO", subtitle, "C")
    _running_line(ws, cat, "A2", subtitle, rows)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = NARRATIVE_TEXT_WIDTH
    ws.column_dimensions["C"].width = 14
    hdr = S.NARRATIVE_FIRST_ROW - 1
    for col, text in enumerate(
        ("Mục", "Nội dung (xuống dòng trong ô bằng Alt+Enter; mỗi dòng thành một đoạn)",
         "Thêm câu số liệu tự động"), start=1
    ):
        c = ws.cell(hdr, col, text)
        c.font = _font(12, bold=True)
        c.fill = _HEADER_FILL
        c.border = _BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    switch = _validation("list", (S.SWITCH_ON, S.SWITCH_OFF))
    switch.promptTitle = "Câu số liệu tự động"
    switch.prompt = ("Có: báo cáo thêm câu số liệu từ biểu mẫu cho những số liệu nội dung của bạn chưa nêu "
                     "(số đã nêu không nhắc lại; số khác biểu mẫu được báo ở trang Kiểm tra). "
                     "Không: chỉ dùng nội dung bạn nhập.")
    ws.add_data_validation(switch)
    text = _text_validation(
        "Nội dung thuyết minh",
        "Gõ hoặc dán nội dung của mục này. Xuống dòng trong ô bằng Alt+Enter: mỗi dòng thành một đoạn văn của báo cáo.",
    )
    ws.add_data_validation(text)
    r = S.NARRATIVE_FIRST_ROW
    for sec in cat.sections:
        h = ws.cell(r, 1, sec.heading)
        h.font = _font(12, bold=sec.level == 1 or not sec.input)
        h.alignment = Alignment(vertical="top", wrap_text=True, indent=sec.level - 1)
        h.border = _BORDER
        if sec.input:
            t = ws.cell(r, 2)
            t.fill = _INPUT_FILL
            t.protection = _UNLOCKED
            t.font = _font(NARRATIVE_TEXT_SIZE)
            t.alignment = Alignment(vertical="top", wrap_text=True)
            t.border = _BORDER
            _name(wb, sec.name, ws, f"B{r}")
            text.add(f"B{r}")
            s = ws.cell(r, 3, S.SWITCH_ON)
            s.fill = _INPUT_FILL
            s.protection = _UNLOCKED
            s.font = _font(12)
            s.border = _BORDER
            s.alignment = Alignment(horizontal="center", vertical="top")
            switch.add(f"C{r}")
            _name(wb, sec.switch_name, ws, f"C{r}")
            ws.row_dimensions[r].height = NARRATIVE_EMPTY_HEIGHT
        else:
            for col in (2, 3):
                ws.cell(r, col).fill = _COMPUTED_FILL
                ws.cell(r, col).border = _BORDER
        r += 1
    ws.freeze_panes = f"A{S.NARRATIVE_FIRST_ROW}"
    fit_rows(ws, hdr)  # the header and the long headings, which overlapped the next row
    _print_setup(ws, "C", r - 1, f"1:{hdr}", "landscape")
    _protect(ws)


# ----------------------------------------------------------------------------- forms
def _form_header(ws, cat: Catalogue) -> None:
    top, bottom = S.FORM_HEADER_ROWS
    cells = {
        (top, 1): "STT",
        (top, 2): "Chỉ tiêu thống kê\n" + cat.extra.get("column_subtitle", ""),
        (top, 3): "Kết quả thống kê",
        (bottom, 3): "Đơn vị tính",
        (bottom, 4): "Số liệu",
        (top, 5): "Ghi chú",
    }
    for (r, c), text in cells.items():
        ws.cell(r, c, text.strip())
    ws.merge_cells(start_row=top, start_column=1, end_row=bottom, end_column=1)
    ws.merge_cells(start_row=top, start_column=2, end_row=bottom, end_column=2)
    ws.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
    ws.merge_cells(start_row=top, start_column=5, end_row=bottom, end_column=5)
    for r in (top, bottom):
        for c in range(1, 6):
            cell = ws.cell(r, c)
            cell.font = _font(12, bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[top].height = 36


def _form_header_custom(ws, form: Form) -> None:
    """One-row header for a form with its own column titles or extra columns (annual index):
    STT | label | unit | value | note | extra columns…, over both header rows."""
    top = S.FORM_HEADER_ROWS[0]
    h = form.headers
    texts = [h.get("stt", "STT"), h.get("label", "Chỉ tiêu"), h.get("unit", "Đơn vị tính"),
             h.get("value", "Số liệu"), h.get("note", "Ghi chú")] + [c.heading for c in form.columns]
    for c, text in enumerate(texts, start=1):
        _header_column(ws, c, text)
    ws.row_dimensions[top].height = 36


def _header_column(ws, col: int, text: str) -> None:
    """A column heading over both header rows."""
    top, bottom = S.FORM_HEADER_ROWS
    ws.cell(top, col, text)
    ws.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
    for r in (top, bottom):
        cell = ws.cell(r, col)
        cell.font = _font(12, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _score_validation(maximum: float) -> DataValidation:
    dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=f"{maximum:g}")
    dv.allow_blank = True
    dv.showInputMessage = dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "Giá trị không hợp lệ"
    shown = f"{maximum:g}".replace(".", ",")
    dv.promptTitle = "Số điểm"
    dv.prompt = f"Nhập số điểm đạt được, từ 0 đến {shown} (điểm tối đa)."
    dv.error = f"Số điểm phải từ 0 đến {shown}."
    return dv


def _extra_columns(wb: Workbook, ws, form: Form, rows_at: dict[str, int]) -> None:
    """The extra columns (after "Ghi chú") of each row, and the total row."""
    first_extra = S.COL_NOTE + 1
    for i, col in enumerate(form.columns):
        ws.column_dimensions[get_column_letter(first_extra + i)].width = col.width
    for row in form.rows:
        r = rows_at[row.code]
        for i, col in enumerate(form.columns):
            c = ws.cell(r, first_extra + i)
            c.border = _BORDER
            c.font = _font(12)
            if col.type == "text":
                c.fill = _INPUT_FILL
                c.protection = _UNLOCKED
                c.alignment = Alignment(vertical="top", wrap_text=True)
                _name(wb, form.column_name(row.code, col.key), ws, c.coordinate)
            else:  # pct_of_max: value / maximum × 100, shown live, never read
                v, m = f"D{r}", f"C{r}"
                c.value = f'=IF(AND(ISNUMBER({v}),ISNUMBER({m}),{m}<>0),{v}/{m}*100,"")'
                c.number_format = _NUMBER_FORMATS["ratio"]
                live.whole_number_format(ws, c)
                c.fill = _COMPUTED_FILL
                c.alignment = Alignment(horizontal="center", vertical="center")
        if any(col.type == "text" for col in form.columns):
            ws.row_dimensions[r].height = 120


def _total_row(ws, form: Form, r: int, first: int, last: int) -> None:
    ws.cell(r, S.COL_LABEL, form.total)
    ncols = S.COL_NOTE + len(form.columns)
    for c in range(1, ncols + 1):
        cell = ws.cell(r, c)
        cell.border = _BORDER
        cell.font = _font(12, bold=True)
        if c != S.COL_LABEL:
            cell.fill = _COMPUTED_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center")
    for col in ("C", "D"):
        rng = f"{col}{first}:{col}{last}"
        ws[f"{col}{r}"] = f'=IF(COUNT({rng})=0,"",SUM({rng}))'
        ws[f"{col}{r}"].number_format = _NUMBER_FORMATS["score"]
        live.whole_number_format(ws, ws[f"{col}{r}"])
    for i, col in enumerate(form.columns):
        if col.type == "pct_of_max":
            cell = ws.cell(r, S.COL_NOTE + 1 + i)
            cell.value = f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(C{r}),C{r}<>0),D{r}/C{r}*100,"")'
            cell.number_format = _NUMBER_FORMATS["ratio"]
            live.whole_number_format(ws, cell)


def _ratio_formula(row: Row, rows_at: dict[str, int]) -> str:
    num = f"D{rows_at[row.num]}"
    den = f"D{rows_at[row.den]}"
    # Blank when the denominator is 0 or empty, or an input is not a number.
    return f'=IF(AND(ISNUMBER({num}),ISNUMBER({den}),{den}<>0),{num}/{den}*100,"")'


# «Kiểm tra» column: wide enough for a rule's message in two or three lines of small type.
STATUS_WIDTH, STATUS_SIZE = 46, 10


def _build_form(wb: Workbook, cat: Catalogue, form: Form, program, rows: dict[str, int]) -> None:
    ws = wb.create_sheet(form.sheet)
    custom = bool(form.headers or form.columns)
    status_col = status_column(form)
    last_col = get_column_letter(status_col)
    _title(ws, form.title, form.subtitle, last_col)
    if custom:
        _form_header_custom(ws, form)
    else:
        _form_header(ws, cat)
    _header_column(ws, status_col, "Kiểm tra")
    widths = {"A": 8, "B": 60, "C": 17, "D": 14, "E": 22}
    status_width = STATUS_WIDTH
    if form.columns:  # already wide with its text columns: a narrower «Kiểm tra»
        widths["B"], status_width = 44, STATUS_WIDTH * 0.6
    widths[last_col] = status_width
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    # Row 3, repeated on every printed page: the unit and the period, and the sheet's checks.
    middle = get_column_letter(S.COL_UNIT - 1)
    ws.merge_cells(f"A3:{middle}3")
    ws.merge_cells(f"{get_column_letter(S.COL_UNIT)}3:{last_col}3")
    _running_line(ws, cat, "A3", "", rows)
    ws["A3"].font = _font(11, bold=True)
    ws["A3"].alignment = Alignment(vertical="center", wrap_text=True)
    live.form_count_line(ws, form.sheet, f"{get_column_letter(S.COL_UNIT)}3", rows)
    ws.row_dimensions[3].height = 30

    rows_at = {row.code: S.FORM_FIRST_ROW + i for i, row in enumerate(form.rows)}
    validations: dict[str, DataValidation] = {}
    notes = _text_validation("Ghi chú", "Ghi chú cho chỉ tiêu này, nếu có (ví dụ: Trừ văn bản mật).", 1000)
    ws.add_data_validation(notes)
    reserved: dict[int, int] = {}  # row → characters of the longest message it may show
    for row in form.rows:
        r = rows_at[row.code]
        strong = row.level == 1 or row.type == "group" or row.heading
        stt = ws.cell(r, S.COL_STT, row.code)
        stt.number_format = "@"
        stt.font = _font(12, bold=strong)
        stt.alignment = Alignment(horizontal="center", vertical="center")
        label = ws.cell(r, S.COL_LABEL, row.label)
        label.font = _font(12, bold=strong, italic=row.type == "ratio")
        label.alignment = Alignment(vertical="center", wrap_text=True, indent=row.level - 1)
        unit = ws.cell(r, S.COL_UNIT, row.max if row.type == "score" else (row.unit or None))
        unit.font = _font(11 if row.type in ("flag", "choice") else 12)
        unit.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        value = ws.cell(r, S.COL_VALUE)
        value.font = _font(12, bold=strong)
        value.alignment = Alignment(horizontal="center", vertical="center")
        note = ws.cell(r, S.COL_NOTE)
        note.font = _font(11)
        note.alignment = Alignment(vertical="center", wrap_text=True)
        note.protection = _UNLOCKED
        notes.add(note.coordinate)
        status = ws.cell(r, status_col)
        live.style_status(status, STATUS_SIZE)
        for c in (stt, label, unit, value, note):
            c.border = _BORDER

        if row.is_input:
            value.fill = _INPUT_FILL
            value.protection = _UNLOCKED
            if row.type in _NUMBER_FORMATS:
                value.number_format = _NUMBER_FORMATS[row.type]
            if row.type == "score":
                unit.number_format = _NUMBER_FORMATS["score"]
                live.whole_number_format(ws, unit)
                key = f"score:{row.max:g}"
                if key not in validations:
                    validations[key] = _score_validation(row.max)
                    ws.add_data_validation(validations[key])
            else:
                key = row.type if row.type in _TYPE_HELP else "list:" + "|".join(l for _, l in row.choices)
                if key not in validations:
                    choices = tuple(l for _, l in row.choices)
                    validations[key] = (_validation(row.type, choices) if row.type in _TYPE_HELP
                                        else _validation("list", choices, row.choices))
                    ws.add_data_validation(validations[key])
            validations[key].add(value.coordinate)
            _name(wb, row.name, ws, value.coordinate)
            target = program.target(form.sheet, value.coordinate)
            if target is not None:
                reserved[r] = live.longest_message(program, target)
        elif row.type == "ratio":
            value.value = _ratio_formula(row, rows_at)
            value.number_format = _NUMBER_FORMATS["ratio"]
            value.fill = _COMPUTED_FILL
            # Named too, so other tools can find the computed cell; never read as input.
            _name(wb, row.name, ws, value.coordinate)
        else:
            value.fill = _COMPUTED_FILL
    last = S.FORM_FIRST_ROW + len(form.rows) - 1
    value_col = get_column_letter(S.COL_VALUE)
    checked = [(r, ws.cell(r, S.COL_VALUE).number_format, program.target(form.sheet, f"{value_col}{r}"))
               for r in rows_at.values()]
    live.checked_rows(ws, value_col, last_col, checked, rows)
    if form.columns:
        _extra_columns(wb, ws, form, rows_at)
    if form.total:
        _total_row(ws, form, last + 1, S.FORM_FIRST_ROW, last)
        last += 1
    if form.note:
        n = ws.cell(last + 2, 1, form.note)
        n.font = _font(11, italic=True)
        last += 2
    ws.freeze_panes = f"A{S.FORM_FIRST_ROW}"
    fit_rows(ws, S.FORM_FIRST_ROW)
    # A message appears only when a check fires, and a row's height does not follow a formula:
    # each row keeps room for the longest message it may show.
    reserve_rows(ws, reserved, status_width, STATUS_SIZE)
    _print_setup(ws, last_col, last, f"3:{S.FORM_HEADER_ROWS[1]}", "landscape")
    _protect(ws)


def _build_meta(wb: Workbook, cat: Catalogue) -> None:
    ws = wb.create_sheet(S.SHEET_META)
    for i, (k, v) in enumerate(
        (
            ("catalogue_id", cat.id),
            ("catalogue_version", cat.version),
            ("template_version", TEMPLATE_VERSION),
            ("generator", "cchc"),
        ),
        start=1,
    ):
        ws.cell(i, 1, k)
        ws.cell(i, 2, v)
    ws.sheet_state = "hidden"
    _protect(ws)


def build_workbook(cat: Catalogue) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    program = compile_checks(cat)
    rows = live.program_rows(program, cat)
    _build_info(wb, cat, program, rows)
    _build_narrative(wb, cat, rows)
    for form in cat.forms:
        _build_form(wb, cat, form, program, rows)
    _build_meta(wb, cat)
    live.write_program(wb, program, cat)
    wb.active = 0
    # openpyxl writes no cached results: ask Excel/LibreOffice to compute formulas on open.
    wb.calculation.fullCalcOnLoad = True
    props = wb.properties
    props.title = cat.title
    props.creator = "cchc"
    props.lastModifiedBy = "cchc"
    props.keywords = f"cchc;{cat.id};{cat.version}"
    fixed = dt.datetime(2025, 1, 1)  # reproducible bytes for the committed templates
    props.created = props.modified = fixed
    return wb


def build_template(path: str | Path, catalogue: Catalogue, *, macros: bool = False) -> Path:
    """Write the standardized workbook to `path` (atomically). With macros, an .xlsm."""
    path = Path(path)
    wb = build_workbook(catalogue)
    if macros:
        from cchc.vba.package import make_macro_workbook  # noqa: PLC0415 - optional path

        with atomic_write(path.with_suffix(".xlsx.tmp-src")) as tmp:
            wb.save(tmp)
        src = path.with_suffix(".xlsx.tmp-src")
        try:
            make_macro_workbook(src, path)
        finally:
            src.unlink(missing_ok=True)
        return path
    with atomic_write(path) as tmp:
        wb.save(tmp)
    return path
