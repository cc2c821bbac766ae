"""The Excel button «So sánh với kỳ trước» (cchc.excel.compare_report) through xlwings' real
object model (the remote engine, as in test_excel): the report of the open workbook with one
more column per earlier workbook and the changes in its sentences, written beside it."""

from __future__ import annotations

import copy
import re
import zipfile

from test_excel import _book, _remote_engine, _saved_copy, payload_for  # noqa: F401 - the fixture too

import cchc.excel as excel
from cchc.workbook.fill import fill_workbook


def _earlier(tmp_path, template_path, seed_data, catalogue, **info):
    data = copy.deepcopy(seed_data)
    data["info"].update({"ky": "Quý I", "nam": 2024, "tu_ngay": "2023-12-11", "den_ngay": "2024-03-10",
                         "ngay_ky": "2024-03-08", **info})
    data["values"]["7"].update({"3.1": 60, "3.2": 45})
    out = tmp_path / "Quy_I_2024.xlsx"
    fill_workbook(template_path, data, out, catalogue)
    return out


def _text(docx) -> str:
    with zipfile.ZipFile(docx) as zf:
        return re.sub(r"<[^>]+>", "", zf.read("word/document.xml").decode("utf-8"))


def test_compare_report_writes_the_compared_report_beside_the_workbook(tmp_path, seed_workbook, soffice,
                                                                      template_path, seed_data, catalogue):
    payload, _ = payload_for(seed_workbook, soffice, tmp_path)
    earlier = _earlier(tmp_path, template_path, seed_data, catalogue)
    book = _book(_saved_copy(seed_workbook, payload, tmp_path / "xa"))
    docx = excel.compare_report(earlier=earlier)  # what the file picker hands over
    assert docx.parent == tmp_path / "xa" and docx.suffix == ".docx"
    text = _text(docx)
    assert "Cùng kỳ năm 2024" in text
    assert "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến tăng 23,59 điểm phần trăm so với cùng kỳ năm 2024." in text
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert alert["args"][0].startswith(f"Đã tạo báo cáo Word (so sánh với cùng kỳ năm 2024):\n{docx}")


def test_compare_report_with_a_workbook_of_another_unit_says_why_and_writes_nothing(
        tmp_path, seed_workbook, soffice, template_path, seed_data, catalogue):
    payload, _ = payload_for(seed_workbook, soffice, tmp_path)
    other = _earlier(tmp_path, template_path, seed_data, catalogue, don_vi="UBND xã Lát")
    book = _book(_saved_copy(seed_workbook, payload, tmp_path / "xa"))
    assert excel.compare_report(earlier=[other]) is None
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert alert["args"][0] == ("Tệp «Quy_I_2024.xlsx» là báo cáo của UBND xã Lát, khác đơn vị của tệp "
                                "«bao_cao_xa.xlsx» (UBND xã Đưng K’Nớ): chỉ so sánh các báo cáo của cùng một đơn vị.")
    assert alert["args"][3] == "critical"
    assert sorted(p.name for p in (tmp_path / "xa").iterdir()) == ["bao_cao_xa.xlsx"]


def test_compare_report_needs_a_saved_workbook_and_an_earlier_one(tmp_path, seed_workbook, soffice):
    payload, _ = payload_for(seed_workbook, soffice, tmp_path)
    book = _book(dict(payload, book=dict(payload["book"], name="Book1")))
    assert excel.compare_report(earlier=seed_workbook) is None
    book2 = _book(_saved_copy(seed_workbook, payload, tmp_path / "xa"))
    assert excel.compare_report() is None  # no file picker outside Windows Excel, no file given
    first = [a for a in book.json()["actions"] if a["func"] == "alert"][0]["args"][0]
    second = [a for a in book2.json()["actions"] if a["func"] == "alert"][0]["args"][0]
    assert "chưa được lưu" in first
    assert second == "Hãy chọn tệp báo cáo kỳ trước (cùng đơn vị) để so sánh."
