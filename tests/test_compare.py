"""`cchc report CUR --compare PREV`: one appendix column per earlier report, headed by its name,
and the changes of the main indicators in the generated sentences; a blank on either side says
nothing. The comparison works on stored values (ReportData, a JSON export) as on workbooks."""

from __future__ import annotations

import copy
import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from cchc import app
from cchc.cli import main
from cchc.errors import CchcError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Q1_2024 = {"ky": "Quý I", "nam": 2024, "tu_ngay": "2023-12-11", "den_ngay": "2024-03-10", "ngay_ky": "2024-03-08",
           "so": 28}
# The seed's Quý I/2025 has 7:3.1 = 71, 7:3.2 = 70 (98,59%); 3:2.3.1 = 3:2.3.2 = 71 (100%);
# 1:2.1 = 14, 1:2.2 = 8 (57,14%); 1:1 = 4; 6:1.1 = 2.700, 6:1.2 = 0 (0%).
EARLIER = {"7:3.1": 60, "7:3.2": 45, "3:2.3.1": 59, "3:2.3.2": 55, "1:2.1": 12, "1:2.2": 5, "1:1": 3,
           "6:1.1": 2500, "6:1.2": 300}


def paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body, table cells included, in order."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    out = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
        out.append(text.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"'))
    return [t for t in out if t.strip()]


def table_rows(path: Path, form_title: str) -> list[list[str]]:
    """The rows (cell texts) of the appendix table that follows `form_title`."""
    doc = Document(str(path))
    body = list(doc.element.body.iterchildren())
    for i, el in enumerate(body):
        if el.tag.endswith("}p") and "".join(t.text or "" for t in el.iter(f"{W}t")).strip() == form_title:
            tbl = next(e for e in body[i:] if e.tag.endswith("}tbl"))
            from docx.table import Table

            return [[c.text for c in row.cells] for row in Table(tbl, doc).rows]
    raise AssertionError(form_title)


def grid_mm(path: Path) -> list[list[float]]:
    doc = Document(str(path))
    return [[round(int(c.get(f"{W}w")) * 25.4 / 1440, 1)
             for c in t._tbl.tblGrid.iterchildren()] for t in doc.tables if len(t.columns) >= 5]


def test_seed_against_quarter_i_2024_has_the_column_and_the_changes(filled, seed_workbook, tmp_path, capsys):
    earlier = filled("Quy_I_2024.xlsx", Q1_2024, EARLIER)
    out = tmp_path / "so_sanh.docx"
    assert main(["report", str(seed_workbook), "--compare", str(earlier), "-o", str(out)]) == 0
    assert f"Đã tạo báo cáo: {out}" in capsys.readouterr().out
    text = paragraphs(out)
    whole = "\n".join(text)
    # 7:3.1 and 3:2.3.1 (counts), 3:2.3 (ratio, điểm phần trăm), in section II.2.3 after its sentence.
    # (the officer's text already states 71/70/71 dossiers: only the online rate is generated)
    assert ("Trong Quý I năm 2025, tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%. "
            "Số hồ sơ TTHC tiếp nhận tăng 11 hồ sơ (18,33%) so với "
            "cùng kỳ năm 2024; số hồ sơ do UBND cấp xã tiếp nhận đã giải quyết tăng 12 hồ sơ (20,34%) so với cùng "
            "kỳ năm 2024; tỷ lệ hồ sơ do UBND cấp xã tiếp nhận được giải quyết đúng hạn tăng 6,78 điểm phần trăm "
            "so với cùng kỳ năm 2024.") in text
    # 7:3 (II.6): 98,59% − 75% ; 1:2 (I): 57,14% − 41,67%; 6:1 (II.5): 0% − 12%.
    assert "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến tăng 23,59 điểm phần trăm so với cùng kỳ năm 2024." in whole
    assert ("Số văn bản chỉ đạo, điều hành CCHC đã ban hành tăng 1 văn bản (33,33%) so với cùng kỳ năm 2024; tỷ lệ "
            "hoàn thành Kế hoạch CCHC năm tăng 15,47 điểm phần trăm so với cùng kỳ năm 2024.") in whole
    assert ("Tỷ lệ thực hiện Kế hoạch giải ngân vốn đầu tư công giảm 12 điểm phần trăm so với cùng kỳ năm 2024."
            in whole)
    # The appendix: "Kết quả thống kê" over unit, this period and the earlier one.
    bm3 = table_rows(out, "Biểu mẫu 3")
    assert bm3[0][2:5] == ["Kết quả thống kê"] * 3
    assert bm3[1][2:6] == ["Đơn vị tính", "Quý I năm 2025", "Cùng kỳ năm 2024", "Ghi chú"]
    rows = {r[0]: r for r in bm3[2:]}
    assert rows["2.3"][3:5] == ["100%", "93,22%"] and rows["2.3.1"][3:5] == ["71", "59"]
    assert rows["2.1.1"][3:5] == ["", ""]  # blank stays blank
    assert rows["2"][3:5] == ["", ""]  # a heading row has no value
    # The label column gave the compared column its width: the table keeps the page's width.
    assert all(sum(g) == pytest.approx(257, abs=0.2) for g in grid_mm(out))
    assert grid_mm(out)[0] == pytest.approx([15, 105, 47, 28, 24, 38], abs=0.1)


def test_without_comparison_the_tables_are_the_national_form(seed_workbook, tmp_path):
    out = app.report(app.load(seed_workbook), tmp_path / "r.docx").docx
    bm3 = table_rows(out, "Biểu mẫu 3")
    assert bm3[1][2:5] == ["Đơn vị tính", "Số liệu", "Ghi chú"]
    assert all(g == pytest.approx([15, 129, 47, 28, 38], abs=0.1) for g in grid_mm(out))
    assert "so với cùng kỳ" not in "\n".join(paragraphs(out))


def test_a_blank_on_either_side_says_nothing(filled, seed_workbook, tmp_path):
    earlier = filled("q1_2024.xlsx", Q1_2024, {**EARLIER, "7:3.1": None, "1:2.1": None, "3:2.3.2": None})
    out = app.report(app.load(seed_workbook), tmp_path / "r.docx", compare_with=[app.load(earlier)]).docx
    whole = "\n".join(paragraphs(out))
    # 7:3.1 blank then: neither the received count nor the online ratio; 1:2.1 blank: no plan ratio;
    # 3:2.3.2 blank: no on-time ratio. What both sides have is still said.
    for gone in ("Số hồ sơ TTHC tiếp nhận tăng", "trực tuyến tăng", "Kế hoạch CCHC năm tăng", "đúng hạn tăng"):
        assert gone not in whole, gone
    assert "Số hồ sơ do UBND cấp xã tiếp nhận đã giải quyết tăng 12 hồ sơ (20,34%) so với cùng kỳ năm 2024." in whole
    assert "Số văn bản chỉ đạo, điều hành CCHC đã ban hành tăng 1 văn bản (33,33%) so với cùng kỳ năm 2024." in whole
    rows = {r[0]: r for r in table_rows(out, "Biểu mẫu 7")[2:]}
    assert rows["3"][3:5] == ["98,59%", ""] and rows["3.1"][3:5] == ["71", ""]


def test_two_earlier_reports_two_columns_in_the_order_given(filled, tmp_path):
    six = filled("6_thang_2025.xlsx", {"ky": "6 tháng", "tu_ngay": "2024-12-11", "den_ngay": "2025-06-10",
                                     "ngay_ky": "2025-06-12"},
               {"7:3.1": 150, "7:3.2": 140, "3:2.3.1": 150, "3:2.3.2": 150})
    q1 = filled("q1_2025.xlsx")
    six_2024 = filled("6_thang_2024.xlsx", {"ky": "6 tháng", "nam": 2024, "tu_ngay": "2023-12-11",
                                          "den_ngay": "2024-06-10", "ngay_ky": "2024-06-12"},
                    {"7:3.1": 160, "7:3.2": 120, "3:2.3.1": 150, "3:2.3.2": 149})
    out = app.report(app.load(six), tmp_path / "r.docx", compare_with=[app.load(six_2024), app.load(q1)]).docx
    bm7 = table_rows(out, "Biểu mẫu 7")
    assert bm7[1][2:7] == ["Đơn vị tính", "6 tháng đầu năm 2025", "Cùng kỳ năm 2024", "Quý I năm 2025", "Ghi chú"]
    assert {r[0]: r for r in bm7[2:]}["3.1"][3:6] == ["150", "160", "71"]
    whole = "\n".join(paragraphs(out))
    assert ("Số hồ sơ TTHC tiếp nhận giảm 10 hồ sơ (6,25%) so với cùng kỳ năm 2024 và tăng 79 hồ sơ (111,27%) so "
            "với Quý I năm 2025") in whole
    assert ("tỷ lệ hồ sơ do UBND cấp xã tiếp nhận được giải quyết đúng hạn tăng 0,67 điểm phần trăm so với cùng kỳ "
            "năm 2024 và không thay đổi so với Quý I năm 2025") in whole
    assert grid_mm(out)[0] == pytest.approx([15, 81, 47, 28, 24, 24, 38], abs=0.1)


def test_a_province_template_without_the_column_loop_still_renders(filled, seed_workbook, tmp_path):
    """A template edited before the comparison existed: no column for the earlier period, but it
    renders, and its sentences (from the context) still state the changes."""
    from cchc.report.nd30 import BODY, P, bordered_table, control_row, nd30_document, paragraph_loop, save

    doc = nd30_document(title="Mẫu cũ", subject="Mẫu cũ của tỉnh")
    P(doc, "{{ trich_yeu }}", BODY)
    P(doc, "{%p for m in muc %}")
    P(doc, "{{ m.heading }}", BODY)
    paragraph_loop(doc, "m.tu_dong")
    P(doc, "{%p endfor %}")
    P(doc, "{%p for f in bieu_mau %}")
    P(doc, "{{ f.title }}", BODY)
    t = bordered_table(doc, [Mm(20), Mm(100), Mm(30), Mm(30)])
    for cell, text in zip(t.rows[0].cells, ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu")):
        cell.text = text
    control_row(t, "{%tr for r in f.rows %}")
    row = t.add_row()
    for cell, text in zip(row.cells, ("{{ r.stt }}", "{{ r.label }}", "{{ r.unit }}", "{{ r.value }}")):
        cell.text = text
    control_row(t, "{%tr endfor %}")
    P(doc, "{%p endfor %}")
    old = save(doc, tmp_path / "mau_cu.docx")

    earlier = filled("q1_2024.xlsx", Q1_2024, EARLIER)
    out = app.report(app.load(seed_workbook), tmp_path / "r.docx", template=old,
                     compare_with=[app.load(earlier)]).docx
    whole = "\n".join(paragraphs(out))
    assert "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến tăng 23,59 điểm phần trăm so với cùng kỳ năm 2024." in whole
    assert "Cùng kỳ năm 2024" not in whole  # no column: the province's table is as it was
    assert all(g == pytest.approx([20, 100, 30, 30], abs=0.1) for g in grid_mm(out) if len(g) == 4)
    assert table_rows(out, "Biểu mẫu 3")[1] == ["1", "Thống kê TTHC", "Thủ tục", "173"]


@pytest.mark.parametrize("case, info, message", [
    ("a later period", {"ky": "6 tháng", "tu_ngay": "2024-12-11", "den_ngay": "2025-06-10", "ngay_ky": "2025-06-12"},
     "Tệp «khac.xlsx» là báo cáo 6 tháng đầu năm 2025, không trước Quý I năm 2025 của tệp «dung_kno.xlsx»: chỉ so "
     "sánh với kỳ trước (cùng kỳ năm trước, hoặc một kỳ đã qua). Có thể đã đảo thứ tự hai tệp?"),
    ("the same report", {},
     "Tệp «khac.xlsx» là báo cáo Quý I năm 2025, không trước Quý I năm 2025 của tệp «dung_kno.xlsx»: chỉ so sánh "
     "với kỳ trước (cùng kỳ năm trước, hoặc một kỳ đã qua). Có thể đã đảo thứ tự hai tệp?"),
    ("another unit", {**Q1_2024, "don_vi": "UBND xã Lát"},
     "Tệp «khac.xlsx» là báo cáo của UBND xã Lát, khác đơn vị của tệp «dung_kno.xlsx» (UBND xã Đưng K’Nớ): chỉ so "
     "sánh các báo cáo của cùng một đơn vị."),
])
def test_what_cannot_be_compared_is_refused_with_exit_2(filled, seed_workbook, tmp_path, capsys, case, info, message):
    other = filled("khac.xlsx", info)
    out = tmp_path / "r.docx"
    assert main(["report", str(seed_workbook), "--compare", str(other), "-o", str(out)]) == 2, case
    assert capsys.readouterr().err.strip() == f"Lỗi: {message}"
    assert not out.exists()


def test_compare_works_on_stored_values(filled, seed_workbook, tmp_path):
    """The portal's use: the unit's stored exports, no workbook at hand."""
    earlier = filled("q1_2024.xlsx", Q1_2024, EARLIER)
    stored_now = app.export(seed_workbook)
    stored_then = json.loads(json.dumps(app.export(earlier)))  # as it comes back from storage
    comparison = app.compare(stored_now, [stored_then])
    assert [(c.heading, c.name, c.label) for c in comparison.columns] == [
        ("Cùng kỳ năm 2024", "cùng kỳ năm 2024", "Quý I năm 2024")]
    assert comparison.clause("3:2.3.1", 0) == "tăng 12 hồ sơ (20,34%) so với cùng kỳ năm 2024"
    assert comparison.clause("3:2.1.1", 0) == ""  # blank on both sides
    rows = {r["ref"]: r for r in comparison.to_json()["rows"]}
    assert rows["7:3"]["text"] == "98,59%" and rows["7:3"]["earlier"] == [
        {"value": 75.0, "text": "75%", "change": {"diff": 23.59, "relative": None,
                                                  "phrase": "tăng 23,59 điểm phần trăm"}}]
    assert rows["3:2.1.1"]["earlier"][0]["change"] is None
    # The same from loaded workbooks and from ReportData.
    loaded = app.load(seed_workbook)
    assert app.compare(loaded.data, [app.load(earlier).data]).to_json()["rows"] == comparison.to_json()["rows"]
    with pytest.raises(CchcError, match="là báo cáo Quý I năm 2025, không trước Quý I năm 2024"):
        app.compare(stored_then, [stored_now])


def test_the_annual_index_report_gains_last_years_score_per_field(tmp_path):
    from cchc.demo import demo_data, write_demo_workbook

    now = write_demo_workbook(tmp_path, "chi_so", "cs_2025.xlsx")
    before = copy.deepcopy(demo_data("chi_so"))
    before["info"].update(nam=2024, par_tong=60.2)
    before["values"]["PAR"].update({"1": 7, "3": 12.5, "9": None})
    then = write_demo_workbook(tmp_path, "chi_so", "cs_2024.xlsx", data=before)
    out = app.report(app.load(now), tmp_path / "r.docx", compare_with=[app.load(then)]).docx
    text = paragraphs(out)
    assert ("- Về công tác chỉ đạo, điều hành công tác cải cách hành chính: Đạt 7,75/10 điểm (năm 2024: 7/10 điểm, "
            "tăng 0,75 điểm).") in text
    assert "- Về cải cách thủ tục hành chính: Đạt 12/15 điểm (năm 2024: 12,5/15 điểm, giảm 0,5 điểm)." in text
    assert "- Về cải cách thể chế: Đạt 7/7 điểm (năm 2024: 7/7 điểm, không thay đổi)." in text
    # No score in 2024: nothing is said of it.
    assert ("- Về tác động của cải cách hành chính đến phát triển kinh tế - xã hội: Đạt 2,3/10 điểm.") in text
    assert any("Tổng điểm tăng 5,31 điểm so với năm 2024 (60,2 điểm). Cụ thể:" in t for t in text)
