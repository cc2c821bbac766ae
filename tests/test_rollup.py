"""`cchc roll-up 6T.xlsx Q3.xlsx -o 9T.xlsx`: the 9-month workbook from the 6-month and the
Quý III ones. Flows summed, stocks and cumulative rows from the latest, ratios live formulas
that LibreOffice computes as Python does; what cannot be rolled up is refused with exit 2 and
nothing is written."""

from __future__ import annotations

import math
import random

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from cchc.cli import main
from cchc.office import convert
from cchc.ratios import compute_ratios
from cchc.workbook.reader import read_workbook
from cchc.workbook.style import SHEET_META

SIX = {"ky": "6 tháng", "tu_ngay": "2024-12-11", "den_ngay": "2025-06-10", "ngay_ky": "2025-06-12", "so": 52}
Q3 = {"ky": "Quý III", "tu_ngay": "2025-06-11", "den_ngay": "2025-09-10", "ngay_ky": "2025-09-12", "so": 80}


def _every_value(catalogue, seed: int) -> dict:
    """A value in every input row, consistent enough (parts below their whole) to be a report."""
    rnd = random.Random(seed)
    values: dict[str, dict] = {}
    for row in catalogue.input_rows():
        if row.type in ("flag", "choice"):
            v = rnd.choice([c for c, _ in row.choices])
        elif row.type == "pct":
            v = rnd.choice([35, 60.5, 88, 100])
        elif row.type == "money":
            v = round(rnd.uniform(10, 3000), 3)
        else:
            v = rnd.randint(1, 60)
        values.setdefault(row.form, {})[row.code] = v
    return values


def test_9_months_from_6_months_and_quarter_iii(filled, catalogue, tmp_path, soffice, capsys):
    six_values, q3_values = _every_value(catalogue, 6), _every_value(catalogue, 3)
    six = filled("6_thang.xlsx", SIX, values=six_values)
    q3 = filled("quy_III.xlsx", Q3, values=q3_values)
    out = tmp_path / "9_thang.xlsx"
    assert main(["roll-up", str(q3), str(six), "-o", str(out)]) == 0  # in any order
    printed = capsys.readouterr()
    assert printed.out.startswith(f"Đã cộng dồn «6_thang.xlsx» và «quy_III.xlsx» thành báo cáo 9 tháng năm 2025: {out}")
    assert printed.err == ""  # every row has both values: nothing to warn about

    nine = read_workbook(out)
    assert nine.problems == []
    flows = stocks = 0
    for row in catalogue.input_rows():
        got, a, b = nine.value(row.ref), six_values[row.form][row.code], q3_values[row.form][row.code]
        if row.period == "flow" and row.type in ("count", "money"):
            assert got == pytest.approx(a + b, abs=1e-9), row.ref
            flows += 1
        else:  # stock, cumulative, and every flag, choice or percent: the latest
            assert got == b, row.ref
            stocks += row.period == "stock"
    assert flows > 40 and stocks > 15
    assert nine.info["ky"] == "9 tháng" and nine.info["nam"] == 2025
    assert (str(nine.info["tu_ngay"]), str(nine.info["den_ngay"])) == ("2024-12-11", "2025-09-10")
    assert nine.info["so"] is None and nine.info["ngay_ky"] is None  # the new report's own
    assert nine.info["don_vi"] == "UBND xã Đưng K’Nớ" and nine.info["nguoi_ky"] == "Nguyễn Vũ Hoàng"
    assert all(not text for text in nine.narrative.values())  # left for the officer

    # The ratio cells are live formulas: LibreOffice computes what Python computes.
    expected = compute_ratios(catalogue, nine.values)
    book = CalamineWorkbook.from_path(str(convert(out, "xlsx", tmp_path / "lo")))
    checked = 0
    for form in catalogue.forms:
        for row in form.rows:
            if row.type != "ratio":
                continue
            at = nine.cells[row.ref]
            cached = book.get_sheet_by_name(at.sheet).to_python(skip_empty_area=False)[at.r0][at.c0]
            assert math.isclose(cached, expected[form.id][row.code], abs_tol=1e-9), row.ref
            checked += 1
    assert checked == len([r for r in catalogue.rows() if r.type == "ratio"]) == 9


def test_a_blank_beside_a_number_gives_the_number_with_a_warning(filled, tmp_path, capsys):
    six = filled("six.xlsx", SIX, {"3:2.3.1": 150, "3:2.3.2": 140, "7:3.2": 140, "4:2.2": 18})
    q3 = filled("q3.xlsx", Q3, {"3:2.3.1": 80, "3:2.3.2": 77, "7:3.2": None, "4:2.2": None})
    out = tmp_path / "nine.xlsx"
    assert main(["roll-up", str(six), str(q3), "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "Cảnh báo: BM4 mục 2.2 «Biên chế có mặt»: tệp mới nhất «q3.xlsx» để trống; lấy số của tệp «six.xlsx» "
        "(18): hãy kiểm tra lại.",
        "Cảnh báo: BM7 mục 3.2 «Hồ sơ tiếp nhận trực tuyến»: «q3.xlsx» để trống, «six.xlsx»: 140; số cộng dồn ghi "
        "140 (coi ô trống là 0): hãy kiểm tra lại.",
    ]
    nine = read_workbook(out)
    assert (nine.value("3:2.3.1"), nine.value("3:2.3.2"), nine.value("7:3.2"), nine.value("4:2.2")) == (230, 217, 140, 18)
    # Blank in both stays blank (3:2.1.1 is blank in the seed): not 0.
    assert nine.value("3:2.1.1") is None and nine.ratios["3"]["2.1"] is None


def _with_version(path, version: str):
    wb = load_workbook(path)
    ws = wb[SHEET_META]
    for row in ws.iter_rows():
        if row[0].value == "catalogue_version":
            row[1].value = version
    wb.save(path)
    return path


@pytest.mark.parametrize("case, first, second, message", [
    ("overlapping windows", {"ky": "Quý I"}, SIX,
     "kỳ «Quý I» (15/12 năm trước – 14/3) của tệp «a.xlsx» và kỳ «6 tháng» (15/12 năm trước – 14/6) của tệp «b.xlsx» "
     "trùng nhau một phần: số liệu phần trùng sẽ bị cộng hai lần"),
    ("gapped windows", {"ky": "Quý I"}, Q3,
     "giữa kỳ «Quý I» (15/12 năm trước – 14/3) của tệp «a.xlsx» và kỳ «Quý III» (15/6 – 14/9) của tệp «b.xlsx» "
     "còn một khoảng không có số liệu"),
    ("the same period twice", SIX, SIX,
     "kỳ «6 tháng» (15/12 năm trước – 14/6) của tệp «a.xlsx» và kỳ «6 tháng» (15/12 năm trước – 14/6) của tệp "
     "«b.xlsx» trùng nhau một phần: số liệu phần trùng sẽ bị cộng hai lần"),
    ("different units", SIX, {**Q3, "don_vi": "UBND xã Lát"},
     "Tệp «b.xlsx» là báo cáo của UBND xã Lát, khác đơn vị của tệp «a.xlsx» (UBND xã Đưng K’Nớ): chỉ cộng dồn "
     "các báo cáo của cùng một đơn vị."),
    ("different years", SIX, {**Q3, "nam": 2024},
     "các tệp thuộc các năm khác nhau («a.xlsx»: năm 2025, «b.xlsx»: năm 2024); chỉ cộng dồn các kỳ của cùng "
     "một năm"),
    ("data windows with a gap", SIX, {**Q3, "tu_ngay": "2025-06-16"},
     "tệp «a.xlsx» lấy số liệu đến ngày 10/6/2025, tệp «b.xlsx» từ ngày 16/6/2025: còn 5 ngày ở giữa không có "
     "số liệu"),
    ("data windows counted twice", SIX, {**Q3, "tu_ngay": "2025-06-01"},
     "tệp «a.xlsx» lấy số liệu đến ngày 10/6/2025, tệp «b.xlsx» từ ngày 01/6/2025: 10 ngày được tính ở cả hai kỳ"),
    ("different catalogue versions", SIX, Q3,
     "các tệp làm theo các phiên bản biểu mẫu khác nhau («a.xlsx»: phiên bản 2025.1, «b.xlsx»: phiên bản 2024.9); "
     "hãy chép số liệu sang cùng một phiên bản biểu mẫu (cchc template) trước"),
])
def test_what_cannot_be_rolled_up_is_refused_and_nothing_is_written(filled, tmp_path, capsys, case, first, second,
                                                                    message):
    folder = tmp_path / "xa"
    folder.mkdir()
    a = filled("a.xlsx", first, folder=folder)
    b = filled("b.xlsx", second, folder=folder)
    if case == "different catalogue versions":
        _with_version(b, "2024.9")
    before = sorted(p.name for p in folder.iterdir())
    assert main(["roll-up", str(a), str(b), "-o", str(folder / "9_thang.xlsx")]) == 2, case
    err = capsys.readouterr().err.strip()
    if case == "different units":
        assert err == f"Lỗi: {message}"
    else:
        assert err == f"Lỗi: Không cộng dồn được: {message}. Không có tệp nào được ghi."
    assert sorted(p.name for p in folder.iterdir()) == before


def test_one_file_an_input_as_output_and_an_unreadable_cell_are_refused(filled, tmp_path, capsys):
    six = filled("six.xlsx", SIX)
    q3 = filled("q3.xlsx", Q3)
    assert main(["roll-up", str(six), "-o", str(tmp_path / "x.xlsx")]) == 2
    assert "cần ít nhất hai báo cáo của các kỳ liền nhau" in capsys.readouterr().err
    before = six.read_bytes()
    assert main(["roll-up", str(six), str(q3), "-o", str(six)]) == 2
    assert "trùng với một tệp nguồn" in capsys.readouterr().err and six.read_bytes() == before
    link = tmp_path / "ban_khac.xlsx"
    link.hardlink_to(six)  # the same file under another name
    assert main(["roll-up", str(six), str(q3), "-o", str(link)]) == 2
    assert "trùng với một tệp nguồn" in capsys.readouterr().err and six.read_bytes() == before
    broken = filled("q3_hong.xlsx", Q3, {"3:2.3.1": "tám mươi"})
    assert main(["roll-up", str(six), str(broken), "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    at = read_workbook(broken).cells["3:2.3.1"].address
    assert f"có ô không đọc được số liệu («q3_hong.xlsx» {at})" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_macro_workbook_comes_out_with_its_buttons(filled, tmp_path):
    import zipfile

    out = tmp_path / "9_thang.xlsm"
    assert main(["roll-up", str(filled("six.xlsx", SIX)), str(filled("q3.xlsx", Q3)), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    assert read_workbook(out).info["ky"] == "9 tháng"
