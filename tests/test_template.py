"""The standardized workbook: layout, protection, validation, names, print setup, freshness."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cchc.workbook import style as S
from cchc.app import build_workbook_templates
from cchc.workbook.template import TEMPLATE_VERSION

from conftest import ROOT


@pytest.fixture(scope="module")
def wb(template_path):
    return load_workbook(template_path)


def _validation_for(ws, coord):
    for dv in ws.data_validations.dataValidation:
        if coord in dv.sqref:
            return dv
    return None


def test_sheets(wb):
    assert wb.sheetnames == ["Thông tin chung", "Thuyết minh", "BM1", "BM2a", "BM3", "BM4", "BM5", "BM6", "BM7", "_cchc",
                             "_kiemtra"]
    assert wb["_cchc"].sheet_state == "hidden" and wb["_kiemtra"].sheet_state == "hidden"
    meta = {r[0].value: r[1].value for r in wb["_cchc"].iter_rows(max_col=2)}
    assert meta["catalogue_id"] == "ky" and meta["catalogue_version"] == "2025.1"
    assert meta["template_version"] == TEMPLATE_VERSION


def test_form_sheet_looks_like_the_paper_form(wb, catalogue):
    ws = wb["BM3"]
    assert ws["A1"].value == "Biểu mẫu 3"
    assert ws["A2"].value == "Cải cách thủ tục hành chính"
    assert [ws.cell(4, c).value for c in (1, 3, 5)] == ["STT", "Kết quả thống kê", "Ghi chú"]
    assert ws["B4"].value.startswith("Chỉ tiêu thống kê")
    assert [ws.cell(5, c).value for c in (3, 4)] == ["Đơn vị tính", "Số liệu"]
    codes = [ws.cell(r, 1).value for r in range(6, 6 + len(catalogue.form("3").rows))]
    assert codes == [r.code for r in catalogue.form("3").rows]
    # Hierarchy: level-1 rows bold, deeper rows indented.
    assert ws["B6"].font.b and ws["B6"].font.name == "Times New Roman"
    assert ws["B7"].alignment.indent == 1 and not ws["B7"].font.b
    assert ws.freeze_panes == "A6"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # Every printed page repeats the unit and period line (row 3) and the column headings.
    assert ws.print_title_rows == "$3:$5"
    assert ws.page_setup.orientation == "landscape"
    assert ws.oddFooter.right.text == "Trang &P/&N" and ws.oddFooter.left.text == "&A"


def test_input_cells_are_unlocked_marked_named_and_validated(wb, catalogue):
    names = wb.defined_names
    for row in catalogue.input_rows():
        dn = names[row.name]
        (sheet, coord), = list(dn.destinations)
        assert sheet == f"BM{row.form}"
        ws = wb[sheet]
        cell = ws[coord.replace("$", "")]
        assert ws.cell(cell.row, 1).value == row.code
        assert cell.protection.locked is False, row.ref
        assert cell.fill.fgColor.rgb.endswith(S.INPUT_FILL_RGB), row.ref
        dv = _validation_for(ws, cell.coordinate)
        assert dv is not None and dv.showErrorMessage and dv.showInputMessage, row.ref
        assert dv.prompt and dv.error, row.ref
        if row.type == "count":
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        elif row.type == "money":
            assert (dv.type, dv.formula1) == ("decimal", "0")
        elif row.type == "pct":
            assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "100")
        else:
            # The labels, and the codes the form prints («Có = 1; Không = 0»).
            assert dv.type == "list"
            assert dv.formula1 == '"' + ",".join([label for _, label in row.choices]
                                                 + [str(code) for code, _ in row.choices]) + '"'
            assert all(f"{label} = {code}" in dv.prompt for code, label in row.choices)
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title


def test_ratio_cells_hold_formulas_and_are_locked(wb, catalogue):
    for row in catalogue.rows():
        if row.type != "ratio":
            continue
        ws = wb[f"BM{row.form}"]
        r = next(c.row for c in ws["A"] if c.value == row.code)
        num = next(c.row for c in ws["A"] if c.value == row.num)
        den = next(c.row for c in ws["A"] if c.value == row.den)
        cell = ws.cell(r, 4)
        assert cell.value == f'=IF(AND(ISNUMBER(D{num}),ISNUMBER(D{den}),D{den}<>0),D{num}/D{den}*100,"")'
        assert cell.protection.locked is not False


def test_info_and_narrative_sheets(wb, catalogue):
    ws = wb["Thông tin chung"]
    for field in catalogue.info:
        dn = wb.defined_names[field.name]
        (sheet, coord), = list(dn.destinations)
        assert sheet == "Thông tin chung"
    (_, period), = list(wb.defined_names["TT_KY"].destinations)
    dv = _validation_for(ws, period.replace("$", ""))
    assert dv.type == "list" and "Quý I" in dv.formula1 and "9 tháng" in dv.formula1
    (_, day), = list(wb.defined_names["TT_NGAY_KY"].destinations)
    assert _validation_for(ws, day.replace("$", "")).type == "date"
    assert ws[day.replace("$", "")].number_format == "dd/mm/yyyy"
    (_, code), = list(wb.defined_names["TT_MA_DVHC"].destinations)
    assert _validation_for(ws, code.replace("$", "")).type == "textLength"
    nar = wb["Thuyết minh"]
    headings = [c.value for c in nar["A"][S.NARRATIVE_FIRST_ROW - 1:]]
    assert headings == [s.heading for s in catalogue.sections]
    for sec in catalogue.sections:
        assert (sec.name in wb.defined_names) == sec.input


def test_committed_templates_are_up_to_date(tmp_path):
    """workbook_templates/ must match the catalogue: run scripts/build_templates.py after editing it."""
    fresh = build_workbook_templates(tmp_path)
    assert sorted(p.name for p in fresh) == sorted(p.name for p in (ROOT / "workbook_templates").glob("*.xls*"))
    for built in fresh:
        name = built.name
        committed = ROOT / "workbook_templates" / name
        assert committed.exists(), f"{committed} missing: run scripts/build_templates.py"
        with zipfile.ZipFile(committed) as a, zipfile.ZipFile(built) as b:
            assert sorted(a.namelist()) == sorted(b.namelist()), name
            for member in a.namelist():
                if member == "docProps/core.xml":  # holds the save time
                    continue
                assert a.read(member) == b.read(member), f"{name}: {member} is stale; run scripts/build_templates.py"


def test_every_unlocked_cell_has_a_vietnamese_prompt_and_error(wb):
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.protection.locked is False:
                    dv = _validation_for(ws, cell.coordinate)
                    assert dv is not None, f"{ws.title}!{cell.coordinate}"
                    assert dv.prompt and dv.error and dv.showInputMessage, f"{ws.title}!{cell.coordinate}"
                    assert len(dv.promptTitle or "") <= 32 and len(dv.prompt) <= 255
                    checked += 1
    assert checked > 150


# ---------------------------------------------------------------------------- live checks, display
def test_group_rows_that_carry_a_value_have_an_input_cell(wb, catalogue):
    # The seed prints «0» on these group rows (shared/spec/bieu-mau.md): named, unlocked, whole ≥ 0.
    for ref in ("2a:2", "2a:3", "4:3"):
        row = catalogue.row(ref)
        assert row.heading and row.type == "count" and row.is_input
        (sheet, coord), = list(wb.defined_names[row.name].destinations)
        cell = wb[sheet][coord.replace("$", "")]
        assert cell.protection.locked is False and cell.font.b
        assert (_validation_for(wb[sheet], cell.coordinate).type) == "whole"
    assert not catalogue.row("2a:1").heading and catalogue.row("3:2").type == "group"


def test_counts_are_named_and_each_form_has_its_check_column(wb, catalogue):
    names = {n for n in wb.defined_names if n.startswith("KT_")}
    assert names == {"KT_LOI", "KT_CANH_BAO", "KT_TT_LOI", "KT_TT_CANH_BAO"} | {
        f"KT_BM{f.id}_{s}" for f in catalogue.forms for s in ("LOI", "CANH_BAO")}
    for name in names:
        (sheet, _), = list(wb.defined_names[name].destinations)
        assert sheet == "_kiemtra"
    ws = wb["BM3"]
    assert ws["F4"].value == "Kiểm tra"
    (_, coord), = list(wb.defined_names["BM3_2_3_2"].destinations)
    r = int(coord.split("$")[-1])
    # «Kiểm tra» reads the row's messages (errors first); nothing else is added to the row.
    assert ws[f"F{r}"].value.startswith("='_kiemtra'!$B$") and ws[f"G{r}"].value is None
    ratio = next(c.row for c in ws["A"] if c.value == "2.3")
    assert ws[f"F{ratio}"].value is None
    assert ws["C3"].value.startswith("='_kiemtra'!$B$") and ws["A3"].value.startswith("='_kiemtra'!$B$")
    # The value column's conditional formats read the messages: red when they start with «Lỗi:»,
    # orange when there is any, each with the format of a whole number of the run of rows
    # («2.700», «100%», never «2.700,» or «100.00%»), then the format alone.
    runs = _rules_by_range(ws)
    (key,) = [k for k in runs if k[0] == "D" and k[1] <= r <= k[2]]
    first = key[1]
    whole = f"AND(ISNUMBER(D{first}),ROUND(D{first},2)=INT(ROUND(D{first},2)))"
    error, warning = f'LEFT($F{first},4)="Lỗi:"', f"LEN($F{first})>0"
    assert [f for f, _ in runs[key]] == [f"AND({error},{whole})", error, f"AND({warning},{whole})", warning, whole]
    assert [d.numFmt.formatCode if d.numFmt else None for _, d in runs[key]] == [
        "#,##0", None, "#,##0", None, "#,##0"]
    assert runs[key][0][1].fill.bgColor.rgb.endswith(S.ERROR_FILL_RGB)
    assert runs[key][2][1].fill.bgColor.rgb.endswith(S.WARNING_FILL_RGB)
    (key,) = [k for k in runs if k[0] == "D" and k[1] <= ratio <= k[2]]
    assert runs[key][-1][1].numFmt.formatCode == '0"%"' and ws[f"D{ratio}"].number_format == '0.00"%"'
    (status,) = [k for k in runs if k[0] == "F"]
    assert status[1] <= r <= status[2]
    assert [f for f, _ in runs[status]] == [f'LEFT($F{status[1]},4)="Lỗi:"', f"LEN($F{status[1]})>0"]
    assert ws[f"D{r}"].number_format == "#,##0.##"


def _rules_by_range(ws) -> dict[tuple[str, int, int], list[tuple[str, object]]]:
    """(column, first row, last row) → [(formula, dxf)] of each conditional-format range."""
    from openpyxl.utils.cell import range_boundaries

    out = {}
    for cf in ws.conditional_formatting:
        for rng in cf.sqref.ranges:
            c0, r0, _, r1 = range_boundaries(str(rng))
            out[(get_column_letter(c0), r0, r1)] = [(x.formula[0], x.dxf) for x in cf.rules]
    return out


def test_narrative_rows_show_each_section_whole(seed_workbook, seed_data):
    from cchc.workbook.rows import MAX_HEIGHT

    wb = load_workbook(seed_workbook)
    ws = wb["Thuyết minh"]
    assert ws.row_dimensions[S.NARRATIVE_FIRST_ROW - 1].height >= 30  # the heading row, two lines
    (_, coord), = list(wb.defined_names["TM_I"].destinations)
    r = int(coord.split("$")[-1])
    # Section I of the seed: 3.101 characters in 14 paragraphs, about 30 lines of the text column.
    assert len(seed_data["narrative"]["I"]) == 3101
    assert 380 <= ws.row_dimensions[r].height <= MAX_HEIGHT
    headings = [r for r in range(S.NARRATIVE_FIRST_ROW, ws.max_row + 1) if len(str(ws.cell(r, 1).value or "")) > 60]
    assert headings and all(ws.row_dimensions[h].height and ws.row_dimensions[h].height >= 30 for h in headings)


def test_catalogue_texts_stay_text_in_the_workbook(tmp_path, catalogue):
    """A province's message or choice label with «=» or quotes never becomes a formula."""
    import dataclasses

    from cchc.workbook.template import build_workbook

    rules = [dict(r) for r in catalogue.rules]
    rules[0]["message"] = '=HYPERLINK("http://x","bấm")'
    forms = list(catalogue.forms)
    f1 = forms[0]
    rows = [dataclasses.replace(r, choices=((1, 'Có "đủ"'), (0, "Không"))) if r.ref == "1:5" else r for r in f1.rows]
    forms[0] = dataclasses.replace(f1, rows=tuple(rows))
    cat = dataclasses.replace(catalogue, rules=tuple(rules), forms=tuple(forms))
    book = build_workbook(cat)
    ws = book["_kiemtra"]
    texts = [c for c in ws["F"] if c.value == '=HYPERLINK("http://x","bấm")']
    assert texts and all(c.data_type == "s" for c in texts)
    value_1_5 = next(c.value for c in ws["B"] if isinstance(c.value, str) and 'TRIM(BM1_5)="Có ""đủ"""' in c.value)
    assert value_1_5.startswith("=")
