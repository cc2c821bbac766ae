"""The reader (cchc.workbook.reader) pinned on the seed workbook's own cells, changed in memory:
what is read from where, by defined name and, when the names are gone, by the layout (STT codes
in column A, labels, headings); every finding it gives, with its exact Vietnamese message; the
hidden «_cchc» sheet and the catalogue version.

The cells are the seed workbook's as calamine reads them (row 0 = Excel row 1), built and read
once per process (pins.py); each test changes a copy and reads it with `interpret`, so the
behaviour pinned is the reader's alone.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pins import put, raw_of, seed_cells, seed_workbook

from cchc.catalogue import load_catalogue
from cchc.errors import WorkbookError
from cchc.findings import Finding
from cchc.workbook.reader import catalogue_for, interpret, read_meta, read_workbook

D = dt.date
INFO = "Thông tin chung"
NARR = "Thuyết minh"
KY = load_catalogue("ky")


def read(grids, names, cat=KY, **kw):
    return interpret(raw_of(grids, names), cat, **kw)


def without(names: dict, *prefixes: str) -> dict:
    """The defined names less those starting with any of `prefixes` ("BM1_", "TT_SO")."""
    return {k: v for k, v in names.items() if not k.startswith(prefixes)}


def at(data, ref):
    c = data.cells[ref]
    return c.sheet, c.a1


# ============================================================================ the seed as it is
def test_the_seed_is_read_from_its_named_cells():
    data = read(*seed_cells())
    assert (data.source, data.kind, data.catalogue_version, data.template_version) == ("bc.xlsx", "ky", "2025.1", "2")
    assert data.problems == []
    assert data.values["1"] == {"1": 4, "2.1": 14, "2.2": 8, "3.1": None, "3.2.1": None, "3.2.2": None, "4.1": None,
                                "4.2": None, "4.3": None, "4.4": None, "5": 0, "5.1": None, "5.2": None, "6": 0}
    assert data.values["7"] == {"1": 1, "2.1": None, "2.2": 90, "3.1": 71, "3.2": 70}
    assert data.notes == {"7": {"2.2": "Trừ văn bản mật"}}
    assert data.file_ratios == {r: None for r in ("1:2", "1:3.2", "2a:2.2", "2a:3.2", "3:2.1", "3:2.2", "3:2.3",
                                                  "6:1", "7:3")}
    assert data.ratios["3"]["2.3"] == 100.0 and data.ratios["1"]["2"] == pytest.approx(800 / 14)
    assert at(data, "1:1") == ("BM1", "D6") and at(data, "1:2") == ("BM1", "D7") and at(data, "7:3.2") == ("BM7", "D12")
    assert data.info["don_vi"] == "UBND xã Đưng K’Nớ" and data.info["so"] == 31 and data.info["nam"] == 2025
    assert data.info["ngay_ky"] == D(2025, 3, 7) and data.info["ky"] == "Quý I" and data.info["cap"] == "Xã"
    assert data.info["ma_dvhc"] is None and data.info["cong_nop"] is None
    assert data.info["co_quan_ban_hanh"] == "ỦY BAN NHÂN DÂN\nXÃ ĐƯNG K’NỚ"
    assert data.info["noi_nhan"] == ["Ủy ban nhân dân huyện;", "Văn phòng HĐND & UBND huyện;", "Phòng Nội vụ;",
                                     "Thường trực Đảng ủy;", "Thường trực HĐND xã;", "Các công chức chuyên môn xã;",
                                     "Lưu: VT."]
    assert (data.info_cells["so"].sheet, data.info_cells["so"].a1) == (INFO, "B24")
    assert [c.a1 for c in data.info_item_cells["can_cu"]] == ["B35", "B36"]
    assert [c.a1 for c in data.info_item_cells["noi_nhan"]] == [f"B{r}" for r in range(42, 49)]
    assert data.info["loi_dan"].startswith("Trong quá trình thực hiện đã bám sát")
    assert {k: c.a1 for k, c in data.narrative_cells.items()} == {
        "I": "B4", "II.1": "B6", "II.2.1": "B8", "II.2.2": "B9", "II.2.3": "B10", "II.2.4": "B11", "II.3": "B12",
        "II.4": "B13", "II.5": "B14", "II.6": "B15", "III.1": "B17", "III.2": "B18", "IV": "B19"}
    assert data.narrative["II.2.3"].startswith("Tổ chức thực hiện kế hoạc")
    assert set(data.auto_sentences.values()) == {True} and len(data.auto_sentences) == 13
    assert data.extra == {}


def test_read_workbook_reads_the_file_with_the_catalogue_it_records():
    data = read_workbook(seed_workbook())
    assert data.kind == "ky" and data.values == read(*seed_cells()).values and data.narrative["I"]
    assert read_workbook(seed_workbook(), narrative=False).narrative == {}
    assert read_workbook(seed_workbook(), KY).values == data.values


def test_without_the_narrative_nothing_of_it_is_read():
    grids, names = seed_cells()
    del grids[NARR]
    data = read(grids, names, narrative=False)
    assert data.narrative == {} and data.narrative_cells == {} and data.problems == []


# ============================================================================ «_cchc» and the catalogue
def test_the_hidden_sheet_records_catalogue_and_template():
    grids, names = seed_cells()
    assert read_meta(raw_of(grids, names)) == {"catalogue_id": "ky", "catalogue_version": "2025.1",
                                               "template_version": "2", "generator": "cchc"}
    grids["_cchc"] = [["catalogue_id", " chi_so "], ["template_version", 2.0], ["lẻ"], ["", "x"], [None, "y"],
                      ["catalogue_version", "2026.1", "thừa"]]
    assert read_meta(raw_of(grids, names)) == {"catalogue_id": "chi_so", "template_version": "2",
                                               "catalogue_version": "2026.1"}
    del grids["_cchc"]
    assert read_meta(raw_of(grids, names)) == {}


@pytest.mark.parametrize("meta, kind", [([["catalogue_id", "chi_so"]], "chi_so"), ([["catalogue_id", "ky"]], "ky"),
                                        ([["catalogue_id", ""]], "ky"), ([], "ky"), (None, "ky")])
def test_the_catalogue_is_the_one_recorded_else_the_default_kind(meta, kind):
    grids, names = seed_cells()
    if meta is None:
        del grids["_cchc"]
    else:
        grids["_cchc"] = meta
    assert catalogue_for(raw_of(grids, names)).id == kind


@pytest.mark.parametrize("recorded, shown", [("bao_cao_tinh", "bao_cao_tinh"), ("x" * 40, "x" * 40),
                                             ("y" * 41, "y" * 40 + "…"), ("../../etc", "../../etc")])
def test_an_unknown_catalogue_is_refused_naming_it(recorded, shown):
    grids, names = seed_cells()
    grids["_cchc"] = [["catalogue_id", recorded]]
    with pytest.raises(WorkbookError) as exc:
        catalogue_for(raw_of(grids, names))
    assert str(exc.value) == f"Tệp «bc.xlsx» được tạo từ loại biểu mẫu «{shown}» mà phiên bản cchc này không có."


# ============================================================================ values and their findings
def test_an_unreadable_value_is_a_finding_at_its_cell_and_stays_blank():
    grids, names = seed_cells()
    put(grids, "BM3", "D6", "bảy")
    data = read(grids, names)
    assert data.problems == [Finding(
        "error", "BM3", "D6", "3", "1", "read.value",
        "Ô BM3!D6 (3:1): không đọc được thành số: không phải một số; giá trị «bảy», cần số nguyên ≥ 0.",
        {"found": "bảy", "expected": "số nguyên ≥ 0"})]
    assert data.values["3"]["1"] is None


def test_a_readable_but_wrong_value_is_kept_with_its_finding():
    grids, names = seed_cells()
    put(grids, "BM3", "D6", -3.0)
    put(grids, "BM7", "D9", 101.0)
    data = read(grids, names)
    assert data.values["3"]["1"] == -3 and data.values["7"]["2.2"] == 101
    assert [(p.cell, p.message) for p in data.problems] == [
        ("D6", "Ô BM3!D6 (3:1): số âm; giá trị «-3», cần số nguyên ≥ 0."),  # a whole float quoted without .0
        ("D9", "Ô BM7!D9 (7:2.2): tỷ lệ lớn hơn 100; giá trị «101», cần tỷ lệ từ 0 đến 100.")]


def test_a_choice_row_reads_labels_and_codes_and_names_its_choices_when_wrong():
    grids, names = seed_cells()
    put(grids, "BM1", "D20", "có")
    put(grids, "BM1", "D22", "Kết hợp = 2")
    put(grids, "BM1", "D23", "Có lẽ")
    data = read(grids, names)
    assert data.values["1"]["5"] == 1 and data.values["1"]["5.2"] == 2 and data.values["1"]["6"] is None
    assert [(p.rule_id, p.cell, p.message, p.values) for p in data.problems] == [
        ("read.value", "D23", "Ô BM1!D23 (1:6): không có trong danh sách lựa chọn; giá trị «Có lẽ», cần một trong: "
                              "Không (0); Có (1).", {"found": "Có lẽ", "expected": "một trong: Không (0); Có (1)."[:-1]})]


def test_the_note_beside_a_value_is_kept_cleaned_and_blank_notes_are_not():
    grids, names = seed_cells()
    put(grids, "BM1", "E9", "  Lũy kế \r\n từ đầu năm ")
    put(grids, "BM1", "E8", "   ")
    put(grids, "BM7", "E9", "")
    data = read(grids, names)
    assert data.notes == {"1": {"2.2": "Lũy kế \n từ đầu năm"}}


def test_a_ratio_cell_is_kept_as_the_file_holds_it_and_never_used_as_data():
    grids, names = seed_cells()
    put(grids, "BM3", "D17", 97.5)
    put(grids, "BM1", "D7", "57%")
    data = read(grids, names)
    assert data.file_ratios["3:2.3"] == 97.5 and data.file_ratios["1:2"] == "57%"
    assert data.ratios["3"]["2.3"] == 100.0 and "2.3" not in data.values["3"] and data.problems == []


# ============================================================================ by layout, when the names are gone
def _codes_as_typed(grids):
    """Column A of BM1 as officers and old tools leave it: trailing dots, spaces, numbers."""
    for cell, code in (("A6", 1.0), ("A8", "2.1."), ("A9", " 2.2 . "), ("A11", 3.1), ("A16", "4.1.")):
        put(grids, "BM1", cell, code)


def test_without_names_the_rows_are_found_by_their_stt_codes_even_with_a_trailing_dot():
    grids, names = seed_cells()
    _codes_as_typed(grids)
    put(grids, "BM1", "D11", 2.0)
    put(grids, "BM1", "D16", 5.0)
    put(grids, "BM1", "E9", "ghi chú")
    data = read(grids, without(names, "BM1_"))
    assert data.problems == []
    assert data.values["1"] == {**read(*seed_cells()).values["1"], "3.1": 2, "4.1": 5}
    assert [at(data, r) for r in ("1:1", "1:2", "1:2.1", "1:2.2", "1:3.1", "1:4.1")] == [
        ("BM1", "D6"), ("BM1", "D7"), ("BM1", "D8"), ("BM1", "D9"), ("BM1", "D11"), ("BM1", "D16")]
    assert data.notes["1"] == {"2.2": "ghi chú"}


def test_a_text_that_only_starts_like_a_code_is_not_that_code():
    grids, names = seed_cells()
    put(grids, "BM1", "A8", "2.1X")
    data = read(grids, without(names, "BM1_"))
    assert [(p.rule_id, p.code) for p in data.problems] == [("read.missing_row", "2.1")]


def test_a_name_that_points_at_another_sheet_is_not_trusted():
    grids, names = seed_cells()
    names["BM1_1"] = names["BM2a_1"]
    data = read(grids, names)
    assert at(data, "1:1") == ("BM1", "D6") and data.values["1"]["1"] == 4


def test_without_names_the_value_column_is_the_one_headed_so_lieu():
    grids, names = seed_cells()
    for r, line in enumerate(grids["BM1"]):
        line.insert(3, "")  # a column inserted before «Số liệu»: the values move to E
    data = read(grids, without(names, "BM1_"))
    assert at(data, "1:2.1") == ("BM1", "E8") and data.values["1"]["2.1"] == 14 and data.values["1"]["1"] == 4
    put(grids, "BM1", "E5", "SỐ LIỆU")  # folded: the case does not matter
    assert read(grids, without(names, "BM1_")).values["1"]["2.1"] == 14


@pytest.mark.parametrize("header_row, col", [(12, "F"), (13, "D")])
def test_the_so_lieu_heading_is_looked_for_in_the_first_12_rows_only(header_row, col):
    grids, names = seed_cells()
    put(grids, "BM1", "D5", "")
    put(grids, "BM1", f"F{header_row}", "Số liệu")
    put(grids, "BM1", "F8", 99.0)
    data = read(grids, without(names, "BM1_"))
    assert at(data, "1:2.1") == ("BM1", f"{col}8")
    assert data.values["1"]["2.1"] == (99 if col == "F" else 14)


def test_the_first_row_with_a_code_is_the_one_read():
    grids, names = seed_cells()
    put(grids, "BM1", "A40", "2.1")
    put(grids, "BM1", "D40", 99.0)
    data = read(grids, without(names, "BM1_"))
    assert data.values["1"]["2.1"] == 14


def test_a_row_found_neither_by_name_nor_by_code_is_an_error_and_blank():
    grids, names = seed_cells()
    put(grids, "BM1", "A9", "")  # 2.2
    put(grids, "BM1", "A7", "")  # 2, a ratio row: nothing to read, nothing to say
    data = read(grids, without(names, "BM1_"))
    assert data.problems == [Finding(
        "error", "BM1", "", "1", "2.2", "read.missing_row",
        "Trang BM1: không tìm thấy dòng chỉ tiêu 1:2.2 (tên ô BM1_2_2 và mã STT «2.2» ở cột A đều không có).",
        {"found": None, "expected": "một dòng có mã 2.2"})]
    assert data.values["1"]["2.2"] is None and "1:2.2" not in data.cells
    assert "1:2" not in data.file_ratios and "1:2" not in data.cells and data.ratios["1"]["2"] is None


def test_a_missing_form_sheet_is_refused_naming_every_one():
    grids, names = seed_cells()
    del grids["BM3"], grids["BM5"]
    with pytest.raises(WorkbookError) as exc:
        read(grids, names)
    assert str(exc.value) == ("Tệp «bc.xlsx» thiếu trang biểu mẫu: BM3, BM5. Hãy dùng biểu mẫu chuẩn (cchc template) "
                              "và không xóa hay đổi tên các trang BM.")


def test_two_workbooks_with_other_names_are_each_read_by_their_own():
    grids, names = seed_cells()
    put(grids, "BM1", "E6", 99.0)
    first = read(grids, names)
    moved = dict(names)
    moved["BM1_1"] = names["BM1_1"]._replace(c0=4, c1=4)  # E6: the row of 1:1 still
    second = read(grids, moved)
    assert first.values["1"]["1"] == 4 and second.values["1"]["1"] == 99 and second.problems == []
    assert read(grids, names).values["1"]["1"] == 4


def test_a_name_that_points_at_another_rows_cell_is_not_believed():
    grids, names = seed_cells()
    moved = dict(names)
    moved["BM1_1"] = names["BM1_2_1"]
    data = read(grids, moved)
    assert data.values["1"]["1"] == 4 and data.cells["1:1"].a1 == "D6"
    assert data.problems == [Finding(
        "warning", "BM1", "D8", "1", "1", "read.name",
        "Tên ô BM1_1 trỏ tới ô BM1!D8, dòng có mã STT «2.1», không phải dòng của chỉ tiêu 1:1: số liệu được đọc ở dòng "
        "có mã STT «1» (cột A). Hãy dùng biểu mẫu chuẩn (cchc template) hoặc sửa lại tên ô (Công thức → Trình quản lý "
        "tên).", {"found": "BM1!D8", "expected": "dòng có mã STT 1"})]


# ============================================================================ «Thông tin chung»
def test_a_missing_information_sheet_is_refused():
    grids, names = seed_cells()
    del grids[INFO]
    with pytest.raises(WorkbookError) as exc:
        read(grids, names)
    assert str(exc.value) == "Tệp «bc.xlsx» thiếu trang «Thông tin chung». Hãy dùng biểu mẫu chuẩn (cchc template)."


@pytest.mark.parametrize("cell, typed, key, message, expected", [
    ("B24", "abc", "so", "Ô Thông tin chung!B24 (TT_SO): không phải số nguyên; giá trị «abc», cần một số nguyên dương.",
     "một số nguyên dương"),
    ("B27", "31/2/2025", "ngay_ky", "Ô Thông tin chung!B27 (TT_NGAY_KY): ngày không tồn tại; giá trị «31/2/2025», "
                                    "cần một ngày (ngày/tháng/năm).", "một ngày (ngày/tháng/năm)"),
    ("B19", "Tỉnh", "cap", "Ô Thông tin chung!B19 (TT_CAP): không có trong danh sách; giá trị «Tỉnh», cần một trong: "
                          "Xã; Phường; Đặc khu; Thị trấn; Huyện; Sở, ban, ngành.",
     "một trong: Xã; Phường; Đặc khu; Thị trấn; Huyện; Sở, ban, ngành"),
])
def test_an_unreadable_information_field_is_a_finding_at_its_cell(cell, typed, key, message, expected):
    grids, names = seed_cells()
    put(grids, INFO, cell, typed)
    data = read(grids, names)
    assert data.problems == [Finding("error", INFO, cell, "", key, "read.info", message,
                                      {"found": typed, "expected": expected})]
    assert data.info[key] is None if key != "cap" else data.info[key] == "Tỉnh"


def test_information_values_are_read_by_their_type():
    grids, names = seed_cells()
    for cell, v in (("B19", "phường"), ("B20", 5014.0), ("B17", "  Lâm  Đồng "), ("B21", "   "), ("B24", "12"),
                    ("B27", "ngày 7 tháng 3 năm 2025"), ("B29", 2025.0), ("B32", "kt.")):
        put(grids, INFO, cell, v)
    data = read(grids, names)
    assert data.problems == []
    assert (data.info["cap"], data.info["ma_dvhc"], data.info["tinh"], data.info["co_quan_chu_quan"]) == (
        "Phường", "05014", "Lâm  Đồng", None)
    assert (data.info["so"], data.info["ngay_ky"], data.info["nam"], data.info["tham_quyen"]) == (
        12, D(2025, 3, 7), 2025, "KT.")


@pytest.mark.parametrize("typed, value", [("05014", "05014"), ("5014", "5014"), (5014, "05014"), (12345678.0, "12345678"),
                                          (True, "True")])
def test_an_administrative_code_saved_as_a_number_gets_its_leading_zero_back(typed, value):
    grids, names = seed_cells()
    put(grids, INFO, "B20", typed)
    assert read(grids, names).info["ma_dvhc"] == value


def test_a_list_field_is_one_item_per_line_of_each_of_its_cells():
    grids, names = seed_cells()
    put(grids, INFO, "B35", "  Căn cứ A;\n\n  Căn cứ B; \r\n")
    put(grids, INFO, "B36", "")
    put(grids, INFO, "B37", "Căn cứ C")
    put(grids, INFO, "B40", "Căn cứ F")
    data = read(grids, names)
    assert data.info["can_cu"] == ["Căn cứ A;", "Căn cứ B;", "Căn cứ C", "Căn cứ F"]
    assert [c.a1 for c in data.info_item_cells["can_cu"]] == ["B35", "B35", "B37", "B40"]
    assert data.info_cells["can_cu"].a1 == "B35"


def test_without_names_the_fields_are_found_by_their_labels():
    grids, names = seed_cells()
    put(grids, INFO, "B40", "Căn cứ F")
    data = read(grids, without(names, "TT_"))
    seed = read(*seed_cells())
    assert data.problems == []
    assert {k: v for k, v in data.info.items() if k != "can_cu"} == {k: v for k, v in seed.info.items() if k != "can_cu"}
    assert data.info["can_cu"] == seed.info["can_cu"] + ["Căn cứ F"]  # 6 cells: B35 to B40, then «Lời dẫn»
    assert data.info_cells["don_vi"].a1 == "B18"  # its label ends with " *"
    assert [c.a1 for c in data.info_item_cells["noi_nhan"]] == [f"B{r}" for r in range(42, 49)]


def test_a_name_wins_over_the_label_and_reads_its_own_cells_only():
    grids, names = seed_cells()
    put(grids, INFO, "A24", "Số của báo cáo")  # the label edited: the name still finds the cell
    put(grids, INFO, "A35", "Các căn cứ")
    put(grids, INFO, "C35", "Ví dụ: Căn cứ Luật …")  # a hint beside the list, not an item
    data = read(grids, names)
    assert data.info["so"] == 31 and data.info["can_cu"] == read(*seed_cells()).info["can_cu"]


def test_a_label_with_more_after_it_is_another_label():
    grids, names = seed_cells()
    put(grids, INFO, "A24", "Số báo cáo X")
    assert read(grids, without(names, "TT_SO")).info["so"] is None


def test_a_field_found_neither_by_name_nor_by_label_is_blank_without_a_finding():
    grids, names = seed_cells()
    put(grids, INFO, "A24", "Số")
    put(grids, INFO, "A35", "Căn cứ")
    data = read(grids, without(names, "TT_SO", "TT_CAN_CU"))
    assert data.info["so"] is None and data.info["can_cu"] == [] and data.problems == []
    assert "so" not in data.info_cells and "can_cu" not in data.info_cells


def test_a_name_on_a_sheet_that_is_not_there_falls_back_to_the_label():
    grids, names = seed_cells()
    names["TT_SO"] = names["TT_SO"]._replace(sheet="Thông tin")
    data = read(grids, names)
    assert data.info["so"] == 31 and data.info_cells["so"].a1 == "B24"


def test_a_number_field_is_at_least_zero_and_may_have_decimals():
    cat = load_catalogue("chi_so")
    grids, names = seed_cells("chi_so")
    assert read(grids, names, cat).info["par_tong"] == 65.51
    put(grids, INFO, "B25", "-5")
    data = read(grids, names, cat)
    assert data.info["par_tong"] == -5
    assert [(p.rule_id, p.code, p.message) for p in data.problems] == [
        ("read.info", "par_tong", "Ô Thông tin chung!B25 (TT_PAR_TONG): số âm; giá trị «-5», cần một số ≥ 0.")]


# ============================================================================ «Thuyết minh»
def test_a_missing_narrative_sheet_is_one_warning():
    grids, names = seed_cells()
    del grids[NARR]
    data = read(grids, names)
    assert data.problems == [Finding(
        "warning", NARR, "", "", "", "read.sheet",
        "Tệp không có trang «Thuyết minh»: báo cáo sẽ không có phần thuyết minh.",
        {"found": None, "expected": "trang Thuyết minh"})]
    assert data.narrative == {}


@pytest.mark.parametrize("switch, on", [("Có", True), ("", True), ("Không", False), ("KHÔNG", False), ("khong", False),
                                        (0.0, False), ("0", False), ("False", False), ("FALSE", False), (1.0, True),
                                        ("x", True)])
def test_the_generated_sentences_are_off_only_when_the_switch_says_so(switch, on):
    grids, names = seed_cells()
    put(grids, NARR, "C10", switch)
    assert read(grids, names).auto_sentences["II.2.3"] is on
    assert read(grids, without(names, "TM_", "TD_")).auto_sentences["II.2.3"] is on


def test_a_section_name_wins_over_its_heading():
    grids, names = seed_cells()
    put(grids, NARR, "A10", "2.3. Một cửa")
    data = read(grids, names)
    assert data.narrative["II.2.3"].startswith("Tổ chức thực hiện kế hoạc") and data.narrative_cells["II.2.3"].a1 == "B10"


def test_without_the_switch_names_the_sentences_stay_on():
    grids, names = seed_cells()
    put(grids, NARR, "C10", "Không")
    assert read(grids, without(names, "TD_")).auto_sentences["II.2.3"] is True


def test_without_names_the_sections_are_found_by_their_headings():
    grids, names = seed_cells()
    grids[NARR].insert(3, [])  # a row without cells: every row below moves down one
    put(grids, NARR, "B11", "  Văn bản của mục 2.3 \r\n dòng hai ")
    put(grids, NARR, "A12", "2.4. Một mục khác")
    data = read(grids, without(names, "TM_", "TD_"))
    assert data.narrative["II.2.3"] == "Văn bản của mục 2.3 \n dòng hai"
    assert data.narrative_cells["II.2.3"].a1 == "B11" and data.narrative_cells["IV"].a1 == "B20"
    assert "II.2.4" not in data.narrative and "II.2.4" not in data.narrative_cells
    assert "II" not in data.narrative_cells  # a heading with no text of its own
    seed = read(*seed_cells())
    assert {k: v for k, v in data.narrative.items() if k != "II.2.3"} == {
        k: v for k, v in seed.narrative.items() if k not in ("II.2.3", "II.2.4")}


# ============================================================================ catalogue versions
def _version(grids, version):
    grids["_cchc"] = [["catalogue_id", "ky"], ["catalogue_version", version], ["template_version", "1"]]


def test_another_version_with_every_row_is_one_information():
    grids, names = seed_cells()
    _version(grids, "2024.2")
    data = read(grids, names)
    assert data.problems == [Finding(
        "info", "", "", "", "", "read.version",
        "Tệp làm theo biểu mẫu phiên bản «2024.2», cchc đang dùng phiên bản «2025.1»; các dòng chỉ tiêu đều khớp nên số "
        "liệu vẫn đọc được. Lần sau hãy dùng biểu mẫu mới.", {"found": "2024.2", "expected": "2025.1"})]


def _drop_rows(grids, names, codes):
    for code in codes:
        for r, line in enumerate(grids["BM1"]):
            if line and line[0] == code:
                line[0] = ""
    return without(names, "BM1_")


@pytest.mark.parametrize("codes, listed", [
    (["2.1", "2.2"], "1:2.1, 1:2.2"),
    (["1", "2.1", "2.2", "3.1", "3.2.1", "3.2.2", "4.1", "4.2"], "1:1, 1:2.1, 1:2.2, 1:3.1, 1:3.2.1, 1:3.2.2, 1:4.1, 1:4.2"),
    (["1", "2.1", "2.2", "3.1", "3.2.1", "3.2.2", "4.1", "4.2", "4.3"],
     "1:1, 1:2.1, 1:2.2, 1:3.1, 1:3.2.1, 1:3.2.2, 1:4.1, 1:4.2 và 1 dòng khác"),
    (["1", "2.1", "2.2", "3.1", "3.2.1", "3.2.2", "4.1", "4.2", "4.3", "4.4"],
     "1:1, 1:2.1, 1:2.2, 1:3.1, 1:3.2.1, 1:3.2.2, 1:4.1, 1:4.2 và 2 dòng khác"),
])
def test_another_version_lacking_rows_is_one_error_listing_at_most_8(codes, listed):
    grids, names = seed_cells()
    _version(grids, "2024.2")
    data = read(grids, _drop_rows(grids, names, codes))
    assert data.problems == [Finding(
        "error", "", "", "", "", "read.version",
        f"Tệp làm theo biểu mẫu phiên bản «2024.2», cchc đang dùng phiên bản «2025.1»: tệp thiếu {len(codes)} dòng chỉ "
        f"tiêu của phiên bản mới ({listed}), các dòng này được coi là chưa có số liệu. Hãy chép số liệu sang biểu mẫu "
        "mới (cchc template) rồi nhập các dòng còn thiếu.", {"found": "2024.2", "expected": "2025.1"})]


@pytest.mark.parametrize("version", ["2025.1", ""])
def test_the_same_or_an_unrecorded_version_reports_each_missing_row(version):
    grids, names = seed_cells()
    _version(grids, version)
    data = read(grids, _drop_rows(grids, names, ["2.1", "2.2"]))
    assert [(p.rule_id, p.code) for p in data.problems] == [("read.missing_row", "2.1"), ("read.missing_row", "2.2")]
    assert data.catalogue_version == version


def test_a_workbook_without_its_record_has_no_versions_and_no_version_finding():
    grids, names = seed_cells()
    grids["_cchc"] = [["catalogue_id", "ky"]]
    data = read(grids, names)
    assert (data.catalogue_version, data.template_version, data.problems) == ("", "", [])


def test_the_version_finding_comes_before_the_others():
    grids, names = seed_cells()
    _version(grids, "2024.2")
    put(grids, "BM3", "D6", "bảy")
    assert [p.rule_id for p in read(grids, names).problems] == ["read.version", "read.value"]


# ============================================================================ text columns (annual index)
def test_text_columns_are_read_by_name_and_blank_ones_left_out():
    cat = load_catalogue("chi_so")
    grids, names = seed_cells("chi_so")
    put(grids, "BMPAR", "H7", "  Hạn chế của lĩnh vực 2 \r\n ")
    put(grids, "BMPAR", "I8", "   ")
    texts = read(grids, names, cat).extra["texts"]
    assert set(texts) == {"PAR"}  # the only form with text columns
    assert set(texts["PAR"]) == {str(i) for i in range(1, 10)}
    assert texts["PAR"]["2"]["HC"] == "Hạn chế của lĩnh vực 2"
    assert set(texts["PAR"]["3"]) == {"KQ", "HC"} and texts["PAR"]["3"]["KQ"].startswith("Việc kiểm soát quy định TTHC")
    assert "TL" not in texts["PAR"]["1"]  # a number column, not text


def test_without_names_text_columns_are_found_by_row_code_and_column_heading():
    cat = load_catalogue("chi_so")
    grids, names = seed_cells("chi_so")
    named = read(grids, names, cat).extra["texts"]
    for line in grids["BMPAR"]:
        line[6], line[7] = line[7], line[6]  # «Hạn chế» before «Kết quả đạt được»
    grids["BMPAR"][3][7] = "KẾT QUẢ ĐẠT ĐƯỢC"
    put(grids, "BMPAR", "A7", "2.")
    data = read(grids, {k: v for k, v in names.items() if not k.endswith(("_KQ", "_HC", "_GP"))}, cat)
    assert data.extra["texts"] == named
    put(grids, "BMPAR", "G4", "")  # the heading «Hạn chế» gone: that column is not read, the others are
    texts = read(grids, {k: v for k, v in names.items() if not k.endswith(("_KQ", "_HC", "_GP"))}, cat).extra["texts"]
    assert all("HC" not in t for t in texts["PAR"].values()) and texts["PAR"]["1"]["KQ"] == named["PAR"]["1"]["KQ"]
    assert texts["PAR"]["1"]["GP"] == named["PAR"]["1"]["GP"]


def test_text_columns_by_name_need_no_headings():
    cat = load_catalogue("chi_so")
    grids, names = seed_cells("chi_so")
    named = read(grids, names, cat).extra["texts"]
    for c in "GHI":
        put(grids, "BMPAR", f"{c}4", "")
    assert read(grids, names, cat).extra["texts"] == named


@pytest.mark.parametrize("row, found", [(12, True), (13, False)])
def test_text_column_headings_are_looked_for_in_the_first_12_rows(row, found):
    cat = load_catalogue("chi_so")
    grids, names = seed_cells("chi_so")
    put(grids, "BMPAR", "H4", "")
    put(grids, "BMPAR", f"J{row}", "Hạn chế")
    put(grids, "BMPAR", "J6", "Hạn chế ở cột J")
    texts = read(grids, {k: v for k, v in names.items() if not k.endswith("_HC")}, cat).extra["texts"]["PAR"]
    assert texts["1"].get("HC") == ("Hạn chế ở cột J" if found else None)


# ============================================================================ cells that read blank but are not
def read_special(grids, names, special, cat=KY, **kw):
    return interpret(raw_of(grids, names, special=special), cat, **kw)


@pytest.mark.parametrize("held, why", [
    ("#DIV/0!", "ô báo lỗi #DIV/0! (công thức tính sai hoặc tham chiếu tới ô không còn)"),
    ("#REF!", "ô báo lỗi #REF! (công thức tính sai hoặc tham chiếu tới ô không còn)"),
    ("=D7/D8", "ô chứa công thức chưa có kết quả tính (tệp được lưu bằng một công cụ không tính công thức); hãy mở "
               "tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại"),
])
def test_an_indicator_cell_with_an_error_or_an_unsaved_formula_is_a_finding_and_blank(held, why):
    grids, names = seed_cells()
    put(grids, "BM3", "D6", "")
    data = read_special(grids, names, {("BM3", "D6"): held})
    assert data.values["3"]["1"] is None
    assert data.problems == [Finding("error", "BM3", "D6", "3", "1", "read.value",
                                     f"Ô BM3!D6 (3:1): {why}; giá trị «{held}», cần số nguyên ≥ 0.",
                                     {"found": held, "expected": "số nguyên ≥ 0"})]


def test_a_value_is_believed_over_what_the_cell_might_hide():
    grids, names = seed_cells()
    data = read_special(grids, names, {("BM3", "D6"): "#N/A", ("BM3", "D7"): "#N/A"})
    assert data.values["3"]["1"] == 173 and data.problems == []
    put(grids, "BM3", "D6", "")
    data = read_special(grids, names, {("BM3", "D7"): "#N/A"})
    assert data.values["3"]["1"] is None and data.problems == []  # a blank that hides nothing


def test_information_cells_with_an_error_are_findings():
    grids, names = seed_cells()
    for cell in ("B17", "B24", "B35", "B36"):
        put(grids, INFO, cell, "")
    data = read_special(grids, names, {(INFO, "B17"): "#VALUE!", (INFO, "B24"): "=B23+1", (INFO, "B36"): "#NAME?"})
    assert [(p.cell, p.code, p.rule_id, p.message, p.values) for p in data.problems] == [
        ("B17", "tinh", "read.info", "Ô Thông tin chung!B17 (TT_TINH): ô báo lỗi #VALUE! (công thức tính sai hoặc tham "
                                     "chiếu tới ô không còn); giá trị «#VALUE!», cần văn bản.",
         {"found": "#VALUE!", "expected": "văn bản"}),
        ("B24", "so", "read.info", "Ô Thông tin chung!B24 (TT_SO): ô chứa công thức chưa có kết quả tính (tệp được lưu "
                                   "bằng một công cụ không tính công thức); hãy mở tệp bằng Excel hoặc LibreOffice, lưu "
                                   "lại rồi gửi lại; giá trị «=B23+1», cần một số nguyên dương.",
         {"found": "=B23+1", "expected": "một số nguyên dương"}),
        ("B36", "can_cu", "read.info", "Ô Thông tin chung!B36 (TT_CAN_CU): ô báo lỗi #NAME? (công thức tính sai hoặc "
                                       "tham chiếu tới ô không còn); giá trị «#NAME?», cần văn bản.",
         {"found": "#NAME?", "expected": "văn bản"})]
    assert data.info["tinh"] is None and data.info["so"] is None and data.info["can_cu"] == []


def test_a_narrative_cell_with_an_error_is_a_finding():
    grids, names = seed_cells()
    put(grids, NARR, "B10", "")
    data = read_special(grids, names, {(NARR, "B10"): "#REF!"})
    assert data.problems == [Finding(
        "error", NARR, "B10", "", "II.2.3", "read.narrative",
        "Ô Thuyết minh!B10 (mục II.2.3 «2.3. Kết quả thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết "
        "TTHC»): ô báo lỗi #REF! (công thức tính sai hoặc tham chiếu tới ô không còn); giá trị «#REF!», cần nội dung "
        "thuyết minh.", {"found": "#REF!", "expected": "nội dung thuyết minh"})]
    assert data.narrative["II.2.3"] == ""


def test_a_long_value_is_quoted_cut_in_a_message():
    grids, names = seed_cells()
    put(grids, "BM3", "D6", "x" * 121)
    [p] = read(grids, names).problems
    assert p.message == f"Ô BM3!D6 (3:1): không đọc được thành số: không phải một số; giá trị «{'x' * 120}…», cần số " \
                        "nguyên ≥ 0."
    put(grids, "BM3", "D6", "x" * 120)
    assert f"«{'x' * 120}»" in read(grids, names).problems[0].message


@pytest.mark.parametrize("typed, value", [(0.0, "00000"), (999_999_999_999.0, "999999999999"),
                                          (1e12, "1000000000000"), (-1.0, "-1")])
def test_only_a_plausible_number_is_taken_for_a_code_that_lost_its_zeros(typed, value):
    grids, names = seed_cells()
    put(grids, INFO, "B20", typed)
    assert read(grids, names).info["ma_dvhc"] == value


# ============================================================================ names that point elsewhere
def test_a_name_on_a_row_without_a_code_is_believed_unless_its_label_is_another_rows():
    grids, names = seed_cells()
    put(grids, "BM1", "A6", "")  # 1:1 has no STT: its label decides
    assert read(grids, names).problems == []
    moved = {**names, "BM1_2_1": names["BM1_1"]}  # 2.1's name on the row labelled as 1:1 (names never change)
    put(grids, "BM1", "A8", "2.1")
    data = read(grids, moved)
    assert [(p.rule_id, p.cell, p.message) for p in data.problems] == [(
        "read.name", "D6",
        "Tên ô BM1_2_1 trỏ tới ô BM1!D6, dòng có nhãn «Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, công…» "
        "của chỉ tiêu 1:1, không phải dòng của chỉ tiêu 1:2.1: số liệu được đọc ở dòng có mã STT «2.1» (cột A). Hãy dùng biểu mẫu chuẩn (cchc template) hoặc sửa lại tên ô (Công thức → Trình quản lý "
        "tên).")]
    assert data.values["1"]["2.1"] == 14
    put(grids, "BM1", "B6", "Một nhãn khác")  # an unknown label: the name is believed
    assert read(grids, moved).values["1"]["2.1"] == 4 and read(grids, moved).problems == []


def test_a_code_written_with_a_trailing_dot_agrees_with_its_name():
    grids, names = seed_cells()
    put(grids, "BM1", "A6", "1.")
    put(grids, "BM1", "A8", 2.1)
    assert read(grids, names).problems == [] and read(grids, names).values["1"]["2.1"] == 14


def test_a_name_past_the_last_row_is_believed_as_nothing_there_says_otherwise():
    grids, names = seed_cells()
    moved = {**names, "BM1_1": names["BM1_1"]._replace(r0=500, r1=500)}
    data = read(grids, moved)
    assert data.values["1"]["1"] is None and data.cells["1:1"].a1 == "D501" and data.problems == []


def test_a_name_on_the_row_just_past_the_last_or_on_an_empty_row_is_believed():
    grids, names = seed_cells()
    past = len(grids["BM1"])  # the first row the sheet does not hold
    data = read(grids, {**names, "BM1_1": names["BM1_1"]._replace(r0=past, r1=past)})
    assert (data.values["1"]["1"], data.cells["1:1"].a1, data.problems) == (None, f"D{past + 1}", [])
    grids["BM1"].append([])  # now held, and empty
    data = read(grids, {**names, "BM1_1": names["BM1_1"]._replace(r0=past, r1=past)})
    assert (data.values["1"]["1"], data.cells["1:1"].a1, data.problems) == (None, f"D{past + 1}", [])


def test_a_name_on_a_row_holding_only_another_rows_code_is_read_from_that_rows_line():
    grids, names = seed_cells()
    past = len(grids["BM1"])
    grids["BM1"].append(["2.1"])  # a line of one cell: the STT of 1:2.1
    data = read(grids, {**names, "BM1_1": names["BM1_1"]._replace(r0=past, r1=past)})
    assert [(p.rule_id, p.sheet, p.cell) for p in data.problems] == [("read.name", "BM1", f"D{past + 1}")]
    assert "dòng có mã STT «2.1»" in data.problems[0].message


def test_a_long_code_is_quoted_in_the_message_to_20_characters():
    grids, names = seed_cells()
    put(grids, "BM1", "A6", "1.2.3.4.5.6.7.8.9.10.11")  # 23 characters, on 1:1's line
    problems = read(grids, names).problems
    assert [(p.rule_id, p.cell) for p in problems] == [("read.name", "D6"), ("read.missing_row", "")]
    assert "dòng có mã STT «1.2.3.4.5.6.7.8.9.10…», không phải dòng của chỉ tiêu 1:1" in problems[0].message


def test_a_moved_name_and_a_missing_one_on_the_same_form_are_each_reported():
    grids, names = seed_cells()
    names = without({**names, "BM1_2_1": names["BM1_1"]}, "BM1_5")  # 2.1's name on 1:1's line; 5's gone
    data = read(grids, names)
    assert [(p.rule_id, p.cell) for p in data.problems] == [("read.name", "D6")]
    assert (data.values["1"]["2.1"], data.values["1"]["5"]) == (14, 0)  # both read from their STT lines
