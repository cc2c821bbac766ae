"""The standardized workbook: layout, protection, validation, names, print setup, freshness."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

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
    assert wb.sheetnames == ["Thông tin chung", "Thuyết minh", "BM1", "BM2a", "BM3", "BM4", "BM5", "BM6", "BM7", "_cchc"]
    assert wb["_cchc"].sheet_state == "hidden"
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
    assert ws.print_title_rows == "$4:$5"


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
            assert dv.type == "list"
            assert dv.formula1 == '"' + ",".join(label for _, label in row.choices) + '"'
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
