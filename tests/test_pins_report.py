"""The Word report's context pinned in memory: the sentences generated from the tables
(cchc.kinds.ky.sentences) word for word, the values as the tables print them
(cchc.report.facts) and the standard context (cchc.report.context): header, «Căn cứ», sections,
«Nơi nhận», signature, appendix rows.

The seed report: UBND xã Đưng K’Nớ, Quý I/2025, 31/BC-UBND signed 07/3/2025. `report(...)`
changes it in memory and recomputes its ratios; `only("1", …)` first blanks every row of the
forms named, so a test sees the sentences of the values it gives and nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pins import seed_report

from cchc.catalogue import load_catalogue
from cchc.ratios import compute_ratios
from cchc.report import report_context
from cchc.report.context import build_context, clean, paragraphs
from cchc.report.facts import Facts, format_value

KY = load_catalogue("ky")
D = dt.date


def _refs(kw: dict) -> dict:
    """x3_2__3__1=5 → {"3:2.3.1": 5}"""
    return {k.removeprefix("x").replace("__", ".").replace("_", ":", 1): v for k, v in kw.items()}


def report(info: dict | None = None, blank: tuple = (), narrative: dict | None = None, **values):
    """The seed with these values; its sections say «Nội dung.» (no figure) unless `narrative`
    gives their text: a sentence leaves out what the officer's text states."""
    data = seed_report()
    data.narrative = {key: "Nội dung." for key in data.narrative} | (narrative or {})
    data.info.update(info or {})
    for form in blank:
        data.values[form] = {code: None for code in data.values[form]}
    for ref, v in _refs(values).items():
        form, _, code = ref.partition(":")
        assert code in data.values[form], ref
        data.values[form][code] = v
    data.ratios = compute_ratios(KY, data.values)
    return data


def only(*forms: str, info: dict | None = None, **values):
    return report(info, blank=forms, **values)


def said(data, key: str) -> str:
    """The generated paragraph of one section, "" when there is none."""
    [section] = [s for s in report_context(data, KY)["muc"] if s["key"] == key]
    assert len(section["tu_dong"]) <= 1
    return section["tu_dong"][0] if section["tu_dong"] else ""


Q1 = "Trong Quý I năm 2025"
UB = "Ủy ban nhân dân xã"  # the subject of the sentences: the unit, by its level


# ============================================================================ the seed, section by section
def test_the_seed_reports_sentences():
    data = report()
    assert said(data, "I") == (
        f"{Q1}, {UB} đã ban hành 4 văn bản chỉ đạo, điều hành CCHC. Kế hoạch CCHC năm đề ra 14 nhiệm vụ, đến thời "
        f"điểm báo cáo đã hoàn thành 8 nhiệm vụ (đạt 57,14%). {UB} chưa tổ chức khảo sát sự hài lòng của người dân, "
        "tổ chức và chưa tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp.")  # the period once
    assert said(data, "II.1") == f"{Q1}, {UB} không ban hành văn bản quy phạm pháp luật nào."
    assert said(data, "II.2.1") == (f"{Q1}, không có TTHC được phê duyệt phương án đơn giản hóa, công bố mới hoặc bãi "
                                    "bỏ, thay thế.")
    assert said(data, "II.2.2") == f"Hiện nay, {UB} đã công bố, công khai 173 TTHC thuộc thẩm quyền giải quyết."
    assert said(data, "II.2.3") == (f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt "
                                    "98,59%); đã giải quyết 71 hồ sơ, đúng hạn 71 hồ sơ (đạt 100%).")
    assert said(data, "II.3") == ("Tổng số biên chế công chức được giao trong năm là 20 người, có mặt tại thời điểm báo "
                                  "cáo 19 người.")
    assert said(data, "II.4") == (
        f"Hiện nay, có 1 cơ quan, tổ chức hành chính đã được phê duyệt vị trí việc làm theo quy định. {Q1}, không có "
        "công chức, viên chức được tuyển dụng. Không có lãnh đạo, quản lý được tuyển chọn, bổ nhiệm thông qua thi "
        "tuyển. Không có cán bộ, công chức, viên chức bị kỷ luật.")
    assert said(data, "II.5") == ("Kế hoạch giải ngân vốn đầu tư công được giao 2.700 triệu đồng, đã thực hiện 0 triệu "
                                  "đồng (đạt 0%).")
    assert said(data, "II.6") == (f"{UB} đã xây dựng và vận hành Hệ thống họp trực tuyến. Tỷ lệ sử dụng văn bản điện "
                                  "tử của UBND cấp xã đạt 90%. Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59% "
                                  "(70/71 hồ sơ).")
    for key in ("II", "II.2", "II.2.4", "III", "III.1", "III.2", "IV"):
        assert said(data, key) == ""


# ============================================================================ I: Biểu mẫu 1
@pytest.mark.parametrize("values, text", [
    ({"x1_1": 0}, f"{Q1}, {UB} chưa ban hành văn bản chỉ đạo, điều hành CCHC."),
    ({"x1_1": 1}, f"{Q1}, {UB} đã ban hành 1 văn bản chỉ đạo, điều hành CCHC."),
    ({"x1_2__1": 14}, "Kế hoạch CCHC năm đề ra 14 nhiệm vụ."),
    ({"x1_2__1": 0, "x1_2__2": 0}, "Kế hoạch CCHC năm đề ra 0 nhiệm vụ, đến thời điểm báo cáo đã hoàn thành 0 nhiệm vụ."),
    ({"x1_2__2": 3}, ""),
    ({"x1_3__1": 3, "x1_3__2__1": 4, "x1_3__2__2": 2},
     f"{Q1}, {UB} đã kiểm tra công tác CCHC tại 3 cơ quan, đơn vị; phát hiện 4 vấn đề, đã xử lý xong 2 vấn đề (đạt 50%)."),
    ({"x1_3__1": 3}, f"{Q1}, {UB} đã kiểm tra công tác CCHC tại 3 cơ quan, đơn vị."),
    ({"x1_3__2__1": 4}, f"{Q1}, {UB} phát hiện 4 vấn đề."),
    ({"x1_3__2__2": 4}, ""),
    ({"x1_4__1": 5, "x1_4__2": 3, "x1_4__3": 1, "x1_4__4": 1},
     f"{UB} được cấp trên giao 5 nhiệm vụ, trong đó hoàn thành đúng hạn 3 nhiệm vụ, hoàn thành nhưng quá hạn 1 nhiệm vụ, quá "
     "hạn nhưng chưa hoàn thành 1 nhiệm vụ."),
    ({"x1_4__1": 5, "x1_4__3": 0}, f"{UB} được cấp trên giao 5 nhiệm vụ, trong đó hoàn thành nhưng quá hạn 0 nhiệm vụ."),
    ({"x1_4__1": 5}, f"{UB} được cấp trên giao 5 nhiệm vụ."),
    ({"x1_4__2": 5}, ""),
])
def test_section_i_states_what_was_entered(values, text):
    assert said(only("1", **values), "I") == text


@pytest.mark.parametrize("values, text", [
    ({"x1_5": 1, "x1_5__1": 120, "x1_5__2": 1, "x1_6": 0},
     f"{UB} đã tổ chức khảo sát sự hài lòng của người dân, tổ chức với 120 phiếu theo hình thức phát phiếu. {UB} chưa "
     "tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp."),
    ({"x1_5": 1, "x1_5__2": 2}, f"{UB} đã tổ chức khảo sát sự hài lòng của người dân, tổ chức theo hình thức kết hợp."),
    ({"x1_5": 1}, f"{UB} đã tổ chức khảo sát sự hài lòng của người dân, tổ chức."),
    ({"x1_5": 0, "x1_6": 1}, f"{Q1}, {UB} chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức. {UB} đã tổ "
                             "chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp."),
    ({"x1_5": 0}, f"{Q1}, {UB} chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức."),
    ({"x1_6": 0}, f"{UB} chưa tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp."),
    ({"x1_6": 1}, f"{UB} đã tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp."),
    ({"x1_5": 0, "x1_6": 0}, f"{Q1}, {UB} chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức và chưa tổ chức đối "
                             "thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp."),
    ({"x1_5": 0, "x1_5__1": 3, "x1_6": 0}, f"{Q1}, {UB} chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức và chưa tổ "
                                           "chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp."),
])
def test_section_i_survey_and_dialogue(values, text):
    assert said(only("1", **values), "I") == text


# ============================================================================ II.1: Biểu mẫu 2a
@pytest.mark.parametrize("values, text", [
    ({"x2a_1": 3, "x2a_1__1": 1, "x2a_1__2": 2},
     f"{Q1}, {UB} đã ban hành 3 văn bản quy phạm pháp luật (cấp huyện ban hành 1 văn bản, cấp xã ban hành 2 văn bản)."),
    ({"x2a_1": 3, "x2a_1__1": 0, "x2a_1__2": 3}, f"{Q1}, {UB} đã ban hành 3 văn bản quy phạm pháp luật (cấp xã ban hành 3 "
                                                 "văn bản)."),  # a level with none is not listed
    ({"x2a_1": 3, "x2a_1__1": 3, "x2a_1__2": 0}, f"{Q1}, {UB} đã ban hành 3 văn bản quy phạm pháp luật (cấp huyện ban hành "
                                                 "3 văn bản)."),
    ({"x2a_1": 3}, f"{Q1}, {UB} đã ban hành 3 văn bản quy phạm pháp luật."),
    ({"x2a_1": 0, "x2a_1__2": 0}, f"{Q1}, {UB} không ban hành văn bản quy phạm pháp luật nào."),
    ({"x2a_2__1": 5, "x2a_2__2__1": 2, "x2a_2__2__2": 1},
     f"{Q1}, {UB} đã kiểm tra 5 văn bản quy phạm pháp luật; 2 văn bản cần xử lý sau kiểm tra, đã xử lý xong 1 văn bản (đạt "
     "50%)."),
    ({"x2a_3__1": 4}, f"{Q1}, {UB} đã rà soát 4 văn bản quy phạm pháp luật."),
    ({"x2a_3__2__1": 0, "x2a_3__2__2": 0}, f"{Q1}, có 0 văn bản cần xử lý sau rà soát, đã xử lý xong 0 văn bản."),
    ({"x2a_3__2__2": 1}, ""),
])
def test_section_ii_1(values, text):
    assert said(only("2a", **values), "II.1") == text


# ============================================================================ II.2: Biểu mẫu 3 and 7
@pytest.mark.parametrize("values, text", [
    ({"x3_1__1": 2, "x3_1__2": 0, "x3_1__3": 0},
     f"{Q1}, có 2 TTHC được phê duyệt phương án đơn giản hóa; không có TTHC công bố mới hoặc bãi bỏ, thay thế."),
    ({"x3_1__1": 2, "x3_1__2": 3, "x3_1__3": 0},
     f"{Q1}, có 2 TTHC được phê duyệt phương án đơn giản hóa, 3 TTHC công bố mới; không có TTHC bãi bỏ, thay thế."),
    ({"x3_1__1": 0, "x3_1__2": 0}, f"{Q1}, không có TTHC được phê duyệt phương án đơn giản hóa hoặc công bố mới."),
    ({"x3_1__3": 1}, f"{Q1}, có 1 TTHC bãi bỏ, thay thế."),
    ({"x3_1": 5}, ""),
])
def test_section_ii_2_1_joins_the_procedures_it_did_not_have_with_hoac(values, text):
    assert said(only("3", **values), "II.2.1") == text


def test_section_ii_2_2():
    assert said(only("3", x3_1=1), "II.2.2") == f"Hiện nay, {UB} đã công bố, công khai 1 TTHC thuộc thẩm quyền giải quyết."
    assert said(only("3"), "II.2.2") == ""


@pytest.mark.parametrize("values, text", [
    ({"x3_2__2__1": 10, "x3_2__2__2": 9, "x3_2__3__1": 71, "x3_2__3__2": 71, "x7_3__1": 71, "x7_3__2": 70},
     f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt 98,59%); hồ sơ do UBND cấp huyện "
     "tiếp nhận: "
     "đã giải quyết 10 hồ sơ, đúng hạn 9 hồ sơ (đạt 90%); hồ sơ do UBND cấp xã tiếp nhận: đã giải quyết 71 hồ sơ, đúng "
     "hạn 71 hồ sơ (đạt 100%)."),
    ({"x3_2__1__1": 4, "x3_2__3__1": 6},
     f"{Q1}, hồ sơ do các sở, ngành tiếp nhận: đã giải quyết 4 hồ sơ; hồ sơ do UBND cấp xã tiếp nhận: đã giải quyết 6 "
     "hồ sơ."),
    ({"x3_2__3__1": 71, "x3_2__3__2": 71}, f"{Q1}, đã giải quyết 71 hồ sơ, đúng hạn 71 hồ sơ (đạt 100%)."),
    ({"x3_2__3__1": 0, "x3_2__3__2": 0}, f"{Q1}, đã giải quyết 0 hồ sơ, đúng hạn 0 hồ sơ."),
    ({"x7_3__1": 71}, f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC."),
    ({"x7_3__1": 0, "x7_3__2": 0}, f"{Q1}, {UB} đã tiếp nhận 0 hồ sơ TTHC, trong đó trực tuyến 0 hồ sơ."),
    ({"x7_3__2": 70, "x3_2__3__2": 71}, ""),
])
def test_section_ii_2_3_names_each_level_that_resolved_dossiers(values, text):
    assert said(only("3", "7", **values), "II.2.3") == text


def test_a_level_whose_label_names_no_receiver_is_stated_without_it():
    form = KY.form("3")
    rows = tuple(dataclasses.replace(r, label="Tỷ lệ hồ sơ giải quyết đúng hạn") if r.code == "2.2" else r
                 for r in form.rows)
    cat = dataclasses.replace(KY, forms=tuple(dataclasses.replace(f, rows=rows) if f.id == "3" else f
                                              for f in KY.forms))
    data = only("3", "7", x3_2__2__1=10, x3_2__3__1=6)
    [section] = [s for s in report_context(data, cat)["muc"] if s["key"] == "II.2.3"]
    assert section["tu_dong"] == [f"{Q1}, đã giải quyết 10 hồ sơ; hồ sơ do UBND cấp xã tiếp nhận: đã giải quyết 6 hồ sơ."]


# ============================================================================ II.3: Biểu mẫu 4
@pytest.mark.parametrize("values, text", [
    ({"x4_1__1": 80}, "Tỷ lệ việc hoàn thành việc sắp xếp các phòng chuyên môn đáp ứng các tiêu chí theo quy định của "
                      "Chính phủ đạt 80%."),
    ({"x4_1__2": 3, "x4_1__3": 10}, "Có 3 đơn vị sự nghiệp công lập; tỷ lệ đơn vị sự nghiệp công lập đã cắt giảm so với "
                                    "năm 2015 là 10%."),
    ({"x4_1__2": 3}, "Có 3 đơn vị sự nghiệp công lập."),
    ({"x4_1__3": 10}, ""),
    ({"x4_2__1": 20}, "Tổng số biên chế công chức được giao trong năm là 20 người."),
    ({"x4_2__2": 19}, "Tổng số biên chế công chức có mặt tại thời điểm báo cáo là 19 người."),
    ({"x4_2__3": 2}, "Có 2 người làm việc theo hợp đồng lao động tại các cơ quan, tổ chức hành chính (HĐ68)."),
    ({"x4_2__4": 1, "x4_2__5": 5.5}, "Trong kỳ tinh giản 1 biên chế; tỷ lệ biên chế đã tinh giản so với năm 2015 là 5,50%."),
    ({"x4_2__5": 5.5}, "Tỷ lệ biên chế đã tinh giản so với năm 2015 là 5,50%."),
    ({"x4_3__1": 30, "x4_3__2": 28, "x4_3__3": 1, "x4_3__4": 12},
     "Số người làm việc hưởng lương từ ngân sách nhà nước tại các đơn vị sự nghiệp công lập: được giao 30 người; có mặt "
     "tại thời điểm báo cáo 28 người; tinh giản trong kỳ 1 người; tỷ lệ đã tinh giản so với năm 2015 là 12%."),
    ({"x4_3__3": 0}, "Số người làm việc hưởng lương từ ngân sách nhà nước tại các đơn vị sự nghiệp công lập: tinh giản "
                     "trong kỳ 0 người."),
    ({}, ""),
])
def test_section_ii_3(values, text):
    assert said(only("4", **values), "II.3") == text


# ============================================================================ II.4: Biểu mẫu 5
@pytest.mark.parametrize("values, text", [
    ({"x5_1__1": 1, "x5_1__2": 2, "x5_1__3": 1},
     "Hiện nay, có 1 cơ quan, tổ chức hành chính đã được phê duyệt vị trí việc làm theo quy định; 2 đơn vị sự nghiệp đã "
     "được phê duyệt vị trí việc làm; 1 cơ quan, tổ chức có vi phạm trong thực hiện vị trí việc làm phát hiện qua thanh "
     "tra."),
    ({"x5_1__3": 0}, "Hiện nay, 0 cơ quan, tổ chức có vi phạm trong thực hiện vị trí việc làm phát hiện qua thanh tra."),
    ({"x5_2__1": 2, "x5_2__2": 0, "x5_2__4": 1},
     f"{Q1}, có 2 công chức được tuyển dụng (thi tuyển, xét tuyển); 1 viên chức được tuyển dụng (thi tuyển, xét "
     "tuyển)."),
    ({"x5_2__2": 1, "x5_2__3": 1, "x5_2__5": 1},
     f"{Q1}, có 1 công chức được tuyển dụng theo trường hợp đặc biệt; 1 cán bộ, công chức cấp xã được xét chuyển thành "
     "công chức cấp huyện trở lên; 1 viên chức được tuyển dụng theo trường hợp đặc biệt."),
    ({"x5_2__5": 0}, f"{Q1}, không có công chức, viên chức được tuyển dụng."),
    ({"x5_3": 1}, "Có 1 lãnh đạo, quản lý được tuyển chọn, bổ nhiệm thông qua thi tuyển (lũy kế từ đầu năm)."),
    ({"x5_3": 0}, "Không có lãnh đạo, quản lý được tuyển chọn, bổ nhiệm thông qua thi tuyển."),
    ({"x5_4": 3, "x5_4__1": 0, "x5_4__3": 2},
     "Có 3 cán bộ, công chức, viên chức bị kỷ luật, trong đó 2 người làm việc tại đơn vị sự nghiệp công lập."),
    ({"x5_4": 3, "x5_4__1": 1, "x5_4__2": 1, "x5_4__3": 1},
     "Có 3 cán bộ, công chức, viên chức bị kỷ luật, trong đó 1 lãnh đạo cấp sở, ngành và UBND cấp huyện, 1 lãnh đạo cấp "
     "phòng, 1 người làm việc tại đơn vị sự nghiệp công lập."),
    ({"x5_4": 3}, "Có 3 cán bộ, công chức, viên chức bị kỷ luật."),
    ({"x5_4": 0}, "Không có cán bộ, công chức, viên chức bị kỷ luật."),
    ({"x5_4__1": 1}, ""),
])
def test_section_ii_4(values, text):
    assert said(only("5", **values), "II.4") == text


# ============================================================================ II.5: Biểu mẫu 6
@pytest.mark.parametrize("values, text", [
    ({"x6_1__1": 2700}, "Kế hoạch giải ngân vốn đầu tư công được giao 2.700 triệu đồng."),
    ({"x6_1__1": 2700, "x6_1__2": 1350.5},
     "Kế hoạch giải ngân vốn đầu tư công được giao 2.700 triệu đồng, đã thực hiện 1.350,5 triệu đồng (đạt 50,02%)."),
    ({"x6_1__1": 0, "x6_1__2": 0}, "Kế hoạch giải ngân vốn đầu tư công được giao 0 triệu đồng, đã thực hiện 0 triệu "
                                   "đồng."),
    ({"x6_2__1": 4, "x6_2__2": 1, "x6_2__3": 0, "x6_2__4": 2, "x6_2__5": 1},
     "Có 4 đơn vị sự nghiệp công lập, trong đó: 1 đơn vị tự bảo đảm chi thường xuyên và chi đầu tư; 0 đơn vị tự bảo đảm "
     "chi thường xuyên; 2 đơn vị tự bảo đảm một phần chi thường xuyên; 1 đơn vị do Nhà nước bảo đảm chi thường xuyên."),
    ({"x6_2__1": 4, "x6_2__5": 4}, "Có 4 đơn vị sự nghiệp công lập, trong đó: 4 đơn vị do Nhà nước bảo đảm chi thường "
                                   "xuyên."),
    ({"x6_2__1": 4}, "Có 4 đơn vị sự nghiệp công lập."),
    ({"x6_2__6": 1}, "Có 1 đơn vị sự nghiệp đã chuyển đổi thành công ty cổ phần (lũy kế đến thời điểm báo cáo)."),
    ({"x6_2__6": 0}, ""),
    ({"x6_1__2": 5}, ""),
])
def test_section_ii_5(values, text):
    assert said(only("6", **values), "II.5") == text


# ============================================================================ II.6: Biểu mẫu 7
@pytest.mark.parametrize("values, text", [
    ({"x7_1": 0}, f"{UB} chưa có Hệ thống họp trực tuyến."),
    ({"x7_1": 1}, f"{UB} đã xây dựng và vận hành Hệ thống họp trực tuyến."),
    ({"x7_2__1": 95.5, "x7_2__2": 0},
     "Tỷ lệ sử dụng văn bản điện tử của các cơ quan đơn vị cấp huyện đạt 95,50%. Tỷ lệ sử dụng văn bản điện tử của UBND "
     "cấp xã đạt 0%."),
    ({"x7_3__1": 4, "x7_3__2": 1}, "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 25% (1/4 hồ sơ)."),
    ({"x7_3__1": 0, "x7_3__2": 0}, ""),
    ({}, ""),
])
def test_section_ii_6(values, text):
    assert said(only("7", **values), "II.6") == text


# ============================================================================ the period, on and off, a bare catalogue
@pytest.mark.parametrize("info, within", [
    ({"ky": "6 tháng"}, "Trong 6 tháng đầu năm 2025"), ({"ky": "Năm"}, "Trong năm 2025"),
    ({"ky": "Quý III", "nam": 2026}, "Trong Quý III năm 2026"), ({"ky": None}, "Trong kỳ"),
    ({"ky": "Quý IV"}, "Trong kỳ"), ({"nam": None}, "Trong kỳ"), ({"nam": "2025"}, "Trong kỳ"),
])
def test_the_sentences_name_the_period_as_the_catalogue_does(info, within):
    assert Facts(report(info), KY).within == within
    assert said(only("1", info=info, x1_1=2), "I") == f"{within}, {UB} đã ban hành 2 văn bản chỉ đạo, điều hành CCHC."


def test_no_sentences_where_the_officer_switched_them_off():
    data = report()
    data.auto_sentences["II.1"] = False
    assert said(data, "II.1") == "" and said(data, "I") != "" and said(data, "II.6") != ""
    del data.auto_sentences["II.5"]  # not recorded: on
    assert said(data, "II.5") != ""


def test_the_sentences_go_only_into_a_context_that_has_sections():
    from cchc.kinds.ky.sentences import add_sentences

    assert add_sentences(report(), KY, {"trich_yeu": "x"}) == {"trich_yeu": "x"}


@pytest.mark.parametrize("label", ["Khác.", "Khác!", "Khác?"])
def test_a_sentence_that_ends_in_a_stop_gets_no_second_one(label):
    form = KY.form("1")
    rows = tuple(dataclasses.replace(r, choices=((0, "Trực tuyến"), (1, label))) if r.code == "5.2" else r
                 for r in form.rows)
    cat = dataclasses.replace(KY, forms=tuple(dataclasses.replace(f, rows=rows) if f.id == "1" else f
                                              for f in KY.forms))
    [section] = [s for s in report_context(only("1", x1_5=1, x1_5__2=1), cat)["muc"] if s["key"] == "I"]
    assert section["tu_dong"] == [f"{UB} đã tổ chức khảo sát sự hài lòng của người dân, tổ chức theo hình thức "
                                  f"{label[0].lower()}{label[1:]}"]


def test_a_catalogue_lacking_a_row_a_section_speaks_of_gives_no_sentence_there():
    form = KY.form("7")
    cat = dataclasses.replace(KY, forms=tuple(
        dataclasses.replace(f, rows=tuple(r for r in f.rows if r.code != "3.2")) if f.id == "7" else f
        for f in KY.forms), rules=tuple(r for r in KY.rules if "7:3.2" not in str(r)))
    data = report()
    data.values["7"].pop("3.2")
    data.ratios = compute_ratios(cat, data.values)
    sections = {s["key"]: s["tu_dong"] for s in report_context(data, cat)["muc"]}
    assert sections["II.2.3"] == []  # it states 7:3.2
    assert sections["II.6"] == [f"{UB} đã xây dựng và vận hành Hệ thống họp trực tuyến. Tỷ lệ sử dụng văn bản điện "
                                "tử của UBND cấp xã đạt 90%."]  # 7:3 has no value without 7:3.2
    assert form.row("3.2")  # the real catalogue is untouched


# ============================================================================ what the officer's text says already
REST_I = ("Kế hoạch CCHC năm đề ra 14 nhiệm vụ, đến thời điểm báo cáo đã hoàn thành 8 nhiệm vụ (đạt 57,14%). "
          f"{Q1}, {UB} chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức và chưa tổ chức đối thoại giữa lãnh "
          "đạo với người dân, cộng đồng doanh nghiệp.")
ALL_I = f"{Q1}, {UB} đã ban hành 4 văn bản chỉ đạo, điều hành CCHC. " + REST_I.replace(f"{Q1}, {UB}", UB)


@pytest.mark.parametrize("section, text, values, paragraph", [
    # a number with a noun of its row's unit within two words, not part of a date or a document number
    ("I", "Ngày 21/01/2025 đã ban hành 4 văn bản.", {}, REST_I),
    ("I", "Ban hành 4 loại văn bản khác.", {}, REST_I),
    ("I", "Đã ban hành 4,0 văn bản.", {}, REST_I),
    ("I", "Ban hành 4 loại văn bản rất khác nhau.", {}, REST_I),
    ("I", "Ban hành 4 trong nhiều loại văn bản.", {}, ALL_I),
    ("I", "Ngày 4/3 ban hành văn bản.", {}, ALL_I),
    ("I", "Công văn số 4/UBND-VP là văn bản.", {}, ALL_I),
    ("I", "Đã ban hành 44 văn bản.", {}, ALL_I),
    ("I", "Đã ban hành 1.4 văn bản.", {}, ALL_I),
    ("I", "Đã ban hành 4 nhiệm vụ.", {}, ALL_I),
    # a percentage as the table prints it (two decimals)
    ("I", "Hoàn thành 57,14 % kế hoạch.", {}, ALL_I.replace(" (đạt 57,14%)", "")),
    ("I", "Hoàn thành 57,143% kế hoạch.", {}, ALL_I.replace(" (đạt 57,14%)", "")),
    ("I", "Hoàn thành 57,1% kế hoạch.", {}, ALL_I),
    # a whole stated: its rate instead
    ("I", "Có 14 nhiệm vụ.", {}, f"{Q1}, {UB} đã ban hành 4 văn bản chỉ đạo, điều hành CCHC. Tỷ lệ hoàn thành Kế hoạch "
                                 f"CCHC năm đến thời điểm báo cáo đạt 57,14%. {UB} chưa tổ chức khảo sát sự hài lòng "
                                 "của người dân, tổ chức và chưa tổ chức đối thoại giữa lãnh đạo với người dân, cộng "
                                 "đồng doanh nghiệp."),
    ("II.2.3", "Trong kỳ tiếp nhận 71 hồ sơ.", {},
     f"{Q1}, tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%; tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%."),
    ("II.2.3", "Đã tiếp nhận 71 hồ sơ, trực tuyến 70 trường hợp, đạt 98,59%.", {},
     f"{Q1}, tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%."),
    ("II.2.3", "Tỷ lệ trực tuyến 98,59 %.", {},
     f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ; đã giải quyết 71 hồ sơ, đúng hạn 71 hồ sơ "
     "(đạt 100%)."),
    ("II.2.3", "Trong kỳ tiếp nhận 12 hồ sơ.", {"x7_3__1": 71, "x3_2__3__1": 60, "x3_2__3__2": 59},
     f"{Q1}, tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%; đã giải quyết 60 hồ sơ, đúng hạn 59 hồ sơ (đạt "
     "98,33%)."),  # the catalogue's phrasing finds 7:3.1 stated, whatever the number (a finding of its own)
    ("II.2.3", "Giải quyết 60 hồ sơ.", {"x3_2__3__1": 60, "x3_2__3__2": 59},
     f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt 98,59%); tỷ lệ hồ sơ giải quyết đúng "
     "hạn đạt 98,33%."),
    ("II.2.3", "Đúng hạn 59 hồ sơ.", {"x3_2__3__1": 60, "x3_2__3__2": 59},
     f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt 98,59%); đã giải quyết 60 hồ sơ, tỷ lệ "
     "giải quyết đúng hạn đạt 98,33%."),
    ("II.2.3", "Giải quyết 60 hồ sơ.", {"x3_2__2__1": 5, "x3_2__3__1": 60, "x3_2__3__2": 59},
     f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt 98,59%); hồ sơ do UBND cấp huyện tiếp "
     "nhận: đã giải quyết 5 hồ sơ; hồ sơ do UBND cấp xã tiếp nhận: tỷ lệ hồ sơ giải quyết đúng hạn đạt 98,33%."),
    ("II.5", "Kế hoạch vốn 2.700 triệu đồng.", {}, ""),
    ("II.5", "Kế hoạch vốn 2700 triệu.", {}, ""),
    ("II.5", "Kế hoạch vốn 1.350,5 triệu đồng.", {"x6_1__1": 1350.5, "x6_1__2": None}, ""),
    ("II.5", "Giải ngân 0 triệu đồng.", {},  # a 0 is said only by the catalogue's phrasings
     "Kế hoạch giải ngân vốn đầu tư công được giao 2.700 triệu đồng, đã thực hiện 0 triệu đồng (đạt 0%)."),
    ("II.3", "Có 20 biên chế, 19 người có mặt.", {}, ""),
    ("II.3", "Có 20 VĂN BẢN.", {},
     "Tổng số biên chế công chức được giao trong năm là 20 người, có mặt tại thời điểm báo cáo 19 người."),
    ("II.3", "Có 20 : người.", {}, "Tổng số biên chế công chức có mặt tại thời điểm báo cáo là 19 người."),
    ("II.1", "Trong kỳ không ban hành văn bản quy phạm pháp luật.", {}, ""),
    ("II.6", "Đạt 90%.", {}, f"{UB} đã xây dựng và vận hành Hệ thống họp trực tuyến. Tỷ lệ hồ sơ TTHC được tiếp nhận "
                             "trực tuyến đạt 98,59% (70/71 hồ sơ)."),
    ("II.6", "Không có hệ thống họp trực tuyến.", {},
     "Tỷ lệ sử dụng văn bản điện tử của UBND cấp xã đạt 90%. Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59% "
     "(70/71 hồ sơ)."),
    ("II.6", "Trong kỳ tiếp nhận 71 hồ sơ, trực tuyến 70 hồ sơ.", {},
     f"{UB} đã xây dựng và vận hành Hệ thống họp trực tuyến. Tỷ lệ sử dụng văn bản điện tử của UBND cấp xã đạt 90%. "
     "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%."),
])
def test_a_figure_the_officers_text_states_is_left_out(section, text, values, paragraph):
    assert said(report(narrative={section: text}, **values), section) == paragraph


def test_what_one_section_says_does_not_silence_another():
    assert said(report(narrative={"II.1": "Đã ban hành 4 văn bản."}), "I") == ALL_I


@pytest.mark.parametrize("don_vi, subject", [
    ("UBND phường Bảo Lộc", "Ủy ban nhân dân phường"), ("UBND thị trấn Lạc Dương", "Ủy ban nhân dân thị trấn"),
    ("Ủy ban nhân dân đặc khu Côn Đảo", "Ủy ban nhân dân đặc khu"), ("UBND huyện A", "Ủy ban nhân dân huyện"),
    ("UBND quận 1", "Ủy ban nhân dân quận"), ("UBND thị xã B", "Ủy ban nhân dân thị xã"),
    ("UBND thành phố C", "Ủy ban nhân dân thành phố"), ("UBND tỉnh D", "Ủy ban nhân dân tỉnh"),
    ("UBND xãE", "Ủy ban nhân dân xãE"), ("Xã Nam Cường", "Xã Nam Cường"), (None, "Đơn vị"),
])
def test_the_sentences_name_the_unit_by_its_level(don_vi, subject):
    assert said(only("1", info={"don_vi": don_vi}, x1_1=2), "I") == (
        f"{Q1}, {subject} đã ban hành 2 văn bản chỉ đạo, điều hành CCHC.")


# ============================================================================ values as the tables print them
@pytest.mark.parametrize("ref, value, text", [
    ("3:1", 2700, "2.700"), ("6:1.1", 1350.5, "1.350,5"), ("7:2.2", 98.5, "98,50%"), ("7:3", 98.591549, "98,59%"),
    ("7:1", 1, "Đã có"), ("7:1", 1.0, "Đã có"), ("7:1", 0, "Chưa có"), ("1:5.2", 2, "Kết hợp"), ("1:5.2", 7, "7"),
    ("1:5.2", "nhiều", "nhiều"), ("1:5.2", None, ""), ("3:1", None, ""), ("4:1", 5, ""), ("3:1", 0, "0"),
])
def test_format_value(ref, value, text):
    assert format_value(KY.row(ref), value) == text


@pytest.mark.parametrize("ref, value, text", [
    ("7:1", 1, "1"), ("7:1", 0, "0"), ("1:5.2", 2, "2"), ("1:5.2", 2.0, "2"), ("1:5.2", True, "Phát phiếu"),
    ("1:5.2", "nhiều", "nhiều"), ("1:5.2", None, ""), ("3:1", 2700, "2.700"), ("7:3", 98.591549, "98,59%"),
])
def test_the_appendix_prints_a_yes_no_or_choice_row_by_its_code(ref, value, text):
    from cchc.report.facts import table_value

    assert table_value(KY.row(ref), value) == text


def test_facts_read_ratios_from_the_recomputed_ones_and_inputs_from_the_values():
    data = report(x7_3__1=4, x7_3__2=1)
    data.file_ratios["7:3"] = 99.0
    f = Facts(data, KY)
    assert f.raw("7:3") == 25.0 and f.raw("7:3.1") == 4 and f.text("7:3") == "25%"
    assert f.has("7:3", "7:3.1") and not f.has("7:3.1", "7:2.1") and f.has()
    assert f.label("7:3.1") == "Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp và trực tuyến)"
    del data.values["7"], data.ratios["7"]
    assert f.raw("7:3") is None and f.raw("7:3.1") is None


# ============================================================================ the standard context
def test_the_seed_context():
    c = build_context(seed_report(), KY)
    assert {k: v for k, v in c.items() if k not in ("muc", "bieu_mau", "can_cu", "noi_nhan")} == {
        "co_quan_chu_quan": "",
        "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN\nXÃ ĐƯNG K’NỚ",
        "so_ky_hieu": "31/BC-UBND",
        "dia_danh_ngay": "Đưng K’Nớ, ngày 07 tháng 3 năm 2025",
        "trich_yeu": "Kết quả công tác cải cách hành chính Quý I năm 2025",
        "loi_dan": "Trong quá trình thực hiện đã bám sát vào mục tiêu, yêu cầu nhiệm vụ, trách nhiệm và thời gian thực "
                   "hiện",
        "nhiem_vu_ky_toi": "phương hướng, nhiệm vụ Quý II năm 2025",
        "mo_dau": "Trong quá trình thực hiện đã bám sát vào mục tiêu, yêu cầu nhiệm vụ, trách nhiệm và thời gian thực "
                  "hiện, Ủy ban nhân dân xã Đưng K’Nớ báo cáo kết quả công tác cải cách hành chính Quý I năm 2025, cụ "
                  "thể như sau:",
        "ket_luan": "Trên đây là báo cáo kết quả công tác cải cách hành chính Quý I năm 2025; phương hướng, nhiệm vụ "
                    "Quý II năm 2025 của Ủy ban nhân dân xã Đưng K’Nớ./.",
        "phu_luc_ten": "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH TẠI UBND XÃ ĐƯNG K’NỚ",
        "kinh_gui": [],
        "don_vi": "UBND xã Đưng K’Nớ",
        "don_vi_day_du": "Ủy ban nhân dân xã Đưng K’Nớ",
        "ky": "Quý I",
        "nam": 2025,
        "ky_nam": "Quý I năm 2025",
        "ky_toi": "Quý II năm 2025",
        "ky_nay": "Quý I năm 2025",
        "tu_ngay": "11/12/2024",
        "den_ngay": "10/3/2025",
        "ngay_ky": "07/3/2025",
        "tham_quyen": "TM. ỦY BAN NHÂN DÂN",
        "chuc_vu": "CHỦ TỊCH",
        "nguoi_ky": "Nguyễn Vũ Hoàng",
        "phu_luc_kem_theo": "(Kèm theo Báo cáo số 31/BC-UBND ngày 07/3/2025 của UBND xã Đưng K’Nớ)",
        "so_sanh": [],
    }
    assert c["noi_nhan"] == ["- Ủy ban nhân dân huyện;", "- Văn phòng HĐND & UBND huyện;", "- Phòng Nội vụ;",
                             "- Thường trực Đảng ủy;", "- Thường trực HĐND xã;", "- Các công chức chuyên môn xã;",
                             "- Lưu: VT."]
    assert [(m["key"], m["level"], m["tu_dong"], len(m["doan"])) for m in c["muc"]][:4] == [
        ("I", 1, [], 14), ("II", 1, [], 0), ("II.1", 2, [], 3), ("II.2", 2, [], 0)]
    assert c["muc"][-1]["heading"] == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2025"
    assert c["muc"][2]["heading"] == "1. Cải cách thể chế"
    assert c["muc"][2]["doan"][1] == "Trong Quý I năm 2025, Ủy ban nhân dân xã Đưng K’Nớ không ban hành văn bản quy " \
                                     "phạm pháp luật nào."


@pytest.mark.parametrize("lead, opening", [
    ("  trong quá trình thực hiện đã bám sát mục tiêu, ; ", "Trong quá trình thực hiện đã bám sát mục tiêu, Ủy ban nhân "
                                                            "dân xã Đưng K’Nớ báo cáo kết quả"),
    ("Bám sát kế hoạch.", "Bám sát kế hoạch, Ủy ban nhân dân xã Đưng K’Nớ báo cáo kết quả"),
    ("Bám sát kế hoạch:", "Bám sát kế hoạch, Ủy ban nhân dân xã Đưng K’Nớ báo cáo kết quả"),
    ("", "Ủy ban nhân dân xã Đưng K’Nớ báo cáo kết quả"),
    (None, "Ủy ban nhân dân xã Đưng K’Nớ báo cáo kết quả"),
])
def test_the_opening_sentence_follows_the_officers_lead(lead, opening):
    c = build_context(report({"loi_dan": lead}), KY)
    assert c["mo_dau"] == f"{opening} công tác cải cách hành chính Quý I năm 2025, cụ thể như sau:"
    assert c["loi_dan"] == ("" if not lead else opening.split(", Ủy ban")[0])


def test_the_appendix_rows_print_each_value_as_its_table_does():
    data = report(x7_3__1=4, x7_3__2=1)
    data.notes = {"7": {"3.1": " Cả \t trực tiếp\x07 "}}
    [form7] = [f for f in build_context(data, KY)["bieu_mau"] if f["id"] == "7"]
    assert (form7["title"], form7["subtitle"], form7["note"]) == (
        "Biểu mẫu 7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "")
    assert [(r["code"], r["stt"], r["type"], r["level"], r["keep"], r["value"], r["note"], r["so_sanh"])
            for r in form7["rows"]] == [
        ("1", "1", "flag", 1, False, "1", "", []), ("2", "2", "group", 1, True, "", "", []),
        ("2.1", "2.1", "pct", 2, False, "", "", []), ("2.2", "2.2", "pct", 2, False, "90%", "", []),
        ("3", "3", "ratio", 1, True, "25%", "", []), ("3.1", "3.1", "count", 2, False, "4", "Cả   trực tiếp", []),
        ("3.2", "3.2", "count", 2, False, "1", "", [])]  # the last row of a form keeps nothing
    assert form7["rows"][5]["label"] == "Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp và trực tuyến)"
    assert form7["rows"][5]["unit"] == "Hồ sơ"


@pytest.mark.parametrize("so, ky_hieu, text", [(5, "BC-UBND", "05/BC-UBND"), (1, "BC", "01/BC"), (31.0, " BC-UBND ", "31/BC-UBND"),
                                               (123, "BC", "123/BC"), (0, "BC", "0/BC"), (2.5, "BC", "2.5/BC"),
                                               (None, "BC-UBND", "      /BC-UBND"), ("12a", "BC", "12a/BC"),
                                               (7, None, "07"), (-3, "BC", "-3/BC")])
def test_the_number_and_symbol(so, ky_hieu, text):
    c = build_context(report({"so": so, "ky_hieu": ky_hieu}), KY)
    assert c["so_ky_hieu"] == text
    assert c["phu_luc_kem_theo"] == f"(Kèm theo Báo cáo số {text} ngày 07/3/2025 của UBND xã Đưng K’Nớ)"


@pytest.mark.parametrize("info, line, ref", [
    ({"dia_danh": None}, "Ngày 07 tháng 3 năm 2025", "07/3/2025"),
    ({"ngay_ky": None}, "Đưng K’Nớ, ngày      tháng      năm 2025", "      /      /2025"),
    ({"ngay_ky": None, "nam": None}, "Đưng K’Nớ, ngày      tháng      năm", "      /      /"),
    ({"ngay_ky": None, "dia_danh": ""}, "Ngày      tháng      năm 2025", "      /      /2025"),
])
def test_the_place_and_date_line_leaves_room_for_the_clerk(info, line, ref):
    c = build_context(report(info), KY)
    assert c["dia_danh_ngay"] == line
    assert c["phu_luc_kem_theo"] == f"(Kèm theo Báo cáo số 31/BC-UBND ngày {ref} của UBND xã Đưng K’Nớ)"


def test_the_period_and_the_unit_in_the_title_and_the_prose():
    c = build_context(report({"ky": "6 tháng", "nam": 2025.0, "don_vi": "Xã Nam Cường", "loi_dan": None}), KY)
    assert (c["ky"], c["nam"], c["ky_nam"], c["ky_toi"], c["ky_nay"]) == (
        "6 tháng", 2025, "6 tháng đầu năm 2025", "6 tháng cuối năm 2025", "6 tháng đầu năm 2025")
    assert c["trich_yeu"] == "Kết quả công tác cải cách hành chính 6 tháng đầu năm 2025"
    assert c["mo_dau"] == ("Xã Nam Cường báo cáo kết quả công tác cải cách hành chính 6 tháng đầu năm 2025, cụ thể như "
                           "sau:")
    assert c["ket_luan"] == ("Trên đây là báo cáo kết quả công tác cải cách hành chính 6 tháng đầu năm 2025; phương "
                             "hướng, nhiệm vụ 6 tháng cuối năm 2025 của Xã Nam Cường./.")
    assert c["muc"][-1]["heading"] == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2025"
    assert c["phu_luc_ten"] == "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH TẠI XÃ NAM CƯỜNG"
    c = build_context(report({"ky": "Năm"}), KY)
    assert (c["ky_nam"], c["ky_nay"], c["ky_toi"], c["nhiem_vu_ky_toi"]) == (
        "năm 2025", "Năm 2025", "năm 2026", "phương hướng, nhiệm vụ năm 2026")
    c = build_context(report({"ky": None, "nam": "2025", "don_vi": None, "loi_dan": None}), KY)
    assert (c["ky"], c["nam"], c["ky_nam"], c["ky_toi"], c["ky_nay"], c["nhiem_vu_ky_toi"]) == ("", "", "", "", "", "")
    assert c["trich_yeu"] == "Kết quả công tác cải cách hành chính"
    assert c["mo_dau"] == "Đơn vị báo cáo kết quả công tác cải cách hành chính, cụ thể như sau:"
    assert c["ket_luan"] == "Trên đây là báo cáo kết quả công tác cải cách hành chính của đơn vị./."
    assert c["muc"][-1]["heading"] == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"
    assert c["phu_luc_ten"] == "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH"  # «TẠI …» left out
    c = build_context(report({"nam": None}), KY)
    assert (c["ky_nam"], c["ky_toi"], c["muc"][-1]["heading"]) == ("Quý I", "", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI")


def test_a_bare_catalogue_titles_the_report_with_its_own_title():
    cat = dataclasses.replace(KY, extra={})
    c = build_context(report(), cat)
    assert c["trich_yeu"] == "Báo cáo định kỳ công tác cải cách hành chính Quý I năm 2025"
    assert c["phu_luc_ten"] == "PHỤ LỤC SỐ LIỆU"


def test_the_appendix_title_names_the_unit_where_the_catalogue_says():
    from cchc.report.context import appendix_title

    for title, don_vi, text in [("Phụ lục tại {don_vi}", "UBND xã A", "PHỤ LỤC TẠI UBND XÃ A"),
                                ("Phụ lục tại {don_vi}", "", "PHỤ LỤC"),
                                ("Phụ lục cho {don_vi} năm nay", "", "PHỤ LỤC NĂM NAY"),
                                ("{don_vi}", "", ""), ("Phụ lục", "UBND xã A", "PHỤ LỤC")]:
        assert appendix_title(dataclasses.replace(KY, extra={"appendix_title": title}), don_vi) == text
    # With no unit given (the province's consolidated forms), the words naming it are left out.
    assert appendix_title(KY) == "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH"


def test_the_closing_names_the_next_periods_tasks_as_the_next_period_section_is_headed():
    sections = tuple(dataclasses.replace(s, heading="IV. NHIỆM VỤ TRỌNG TÂM") if s.key == "IV" else s
                     for s in KY.sections)
    c = build_context(report(), dataclasses.replace(KY, sections=sections))
    assert c["nhiem_vu_ky_toi"] == "" and c["muc"][-1]["heading"] == "IV. NHIỆM VỤ TRỌNG TÂM"
    assert c["ket_luan"] == ("Trên đây là báo cáo kết quả công tác cải cách hành chính Quý I năm 2025 của Ủy ban nhân "
                             "dân xã Đưng K’Nớ./.")
    sections = tuple(dataclasses.replace(s, next_period=False) for s in KY.sections)
    c = build_context(report(), dataclasses.replace(KY, sections=sections))
    assert c["nhiem_vu_ky_toi"] == "" and c["muc"][-1]["heading"] == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"


def test_the_appendix_has_one_column_per_earlier_report():
    from cchc.report.compare import compare

    earlier = report({"ky": "Quý I", "nam": 2024}, x7_3__1=50, x7_3__2=25)
    earlier.source = "/tmp/bao cao 2024.xlsx"
    data = report(x7_3__1=4, x7_3__2=1)
    c = build_context(data, KY, compare(data, KY, [earlier]))
    assert c["so_sanh"] == [{"ten": "Cùng kỳ năm 2024", "tep": "bao cao 2024.xlsx"}]
    [form7] = [f for f in c["bieu_mau"] if f["id"] == "7"]
    assert [(r["code"], r["value"], r["so_sanh"]) for r in form7["rows"]] == [
        ("1", "1", ["1"]), ("2", "", [""]), ("2.1", "", [""]), ("2.2", "90%", ["90%"]),
        ("3", "25%", ["50%"]), ("3.1", "4", ["50"]), ("3.2", "1", ["25"])]


@pytest.mark.parametrize("don_vi, full", [("UBND xã A", "Ủy ban nhân dân xã A"), ("UBNDxã A", "UBNDxã A"),
                                          ("Xã UBND A", "Xã UBND A"), ("  UBND phường B ", "Ủy ban nhân dân phường B")])
def test_prose_uses_the_full_name_of_the_unit(don_vi, full):
    assert build_context(report({"don_vi": don_vi}), KY)["don_vi_day_du"] == full


def test_authorities_are_written_in_capitals_line_by_line():
    c = build_context(report({"co_quan_chu_quan": "ubnd huyện lạc dương", "co_quan_ban_hanh": "Ủy ban nhân dân\n\n xã A ",
                              "kinh_gui": "UBND huyện;\r\n\nSở Nội vụ", "can_cu": [" Căn cứ A ", "", "Căn cứ B"]}), KY)
    assert c["co_quan_chu_quan"] == "UBND HUYỆN LẠC DƯƠNG"
    assert c["co_quan_ban_hanh"] == "ỦY BAN NHÂN DÂN\nXÃ A"
    assert c["kinh_gui"] == ["UBND huyện;", "Sở Nội vụ"]
    assert c["can_cu"] == ["Căn cứ A", "Căn cứ B"]
    assert build_context(report({"kinh_gui": None, "can_cu": None}), KY)["can_cu"] == []


@pytest.mark.parametrize("items, lines", [
    (["Ủy ban nhân dân huyện", "- Phòng Nội vụ;", "• Thường trực.", "+ Đảng ủy,"],
     ["- Ủy ban nhân dân huyện;", "- Phòng Nội vụ;", "- Thường trực;", "- Đảng ủy;", "- Lưu: VT."]),
    (["Lưu: VT, VP.", "Sở Nội vụ"], ["- Sở Nội vụ;", "- Lưu: VT, VP."]),
    (["LƯU VT", "lưu hồ sơ", "– Sở Nội vụ"], ["- Sở Nội vụ;", "- LƯU VT."]),
    (["Đội X", "Lưu: VT, X"], ["- Đội X;", "- Lưu: VT, X."]),
    ([" ; ", "-"], ["- Lưu: VT."]),
    ([], ["- Lưu: VT."]),
])
def test_the_recipients_follow_nd30(items, lines):
    assert build_context(report({"noi_nhan": items}), KY)["noi_nhan"] == lines


@pytest.mark.parametrize("tham_quyen, chuc_vu, lines", [
    ("TM.", "Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ("tm", "CHỦ TỊCH", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ("KT.", "PHÓ CHỦ TỊCH", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
    ("KT.", "Phó  Chủ tịch thường trực", ("KT. CHỦ TỊCH THƯỜNG TRỰC", "PHÓ  CHỦ TỊCH THƯỜNG TRỰC")),
    ("KT.", "ỦY VIÊN", ("KT. CHỦ TỊCH", "ỦY VIÊN")),
    ("Q.", "Chủ tịch", ("", "Q. CHỦ TỊCH")),
    ("TL.", "Chánh Văn phòng", ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
    ("TUQ.", "Trưởng phòng", ("TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG")),
    (None, "Chủ tịch", ("", "CHỦ TỊCH")),
])
def test_the_signature_block_follows_nd30(tham_quyen, chuc_vu, lines):
    c = build_context(report({"tham_quyen": tham_quyen, "chuc_vu": chuc_vu}), KY)
    assert (c["tham_quyen"], c["chuc_vu"]) == lines


def test_tm_without_an_issuing_authority():
    c = build_context(report({"tham_quyen": "TM.", "co_quan_ban_hanh": None}), KY)
    assert (c["tham_quyen"], c["co_quan_ban_hanh"]) == ("TM.", "")


def test_officer_text_is_made_safe_for_the_document():
    assert clean(None) == "" and clean(5) == "5"
    assert clean(" A\tB\x00\x08\x0b\x0c\x0e\x1f\ufffe\uffffC\n ") == "A BC"
    assert clean("Hoa\u0300") == "Hoà"
    assert paragraphs(None) == []
    assert paragraphs("Một\r\nHai\rBa\nBốn\u2028Năm\u2029Sáu\n\n \t \nBảy") == [
        "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy"]
    assert paragraphs(12) == ["12"]
    data = report()
    data.narrative["II.1"] = "  Đoạn một \n\n\tĐoạn hai\x01 "
    [sec] = [m for m in build_context(data, KY)["muc"] if m["key"] == "II.1"]
    assert sec["doan"] == ["Đoạn một", "Đoạn hai"]


# ============================================================================ what the officer's text already states
ONLINE = {"x7_3__1": 71, "x7_3__2": 70}


@pytest.mark.parametrize("narrative, text", [
    (None, f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt 98,59%)."),
    # The online count is the officer's: the rate is still given, as a rate.
    ("Tiếp nhận trực tuyến 70 hồ sơ.", f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, tỷ lệ tiếp nhận trực tuyến đạt 98,59%."),
    # The count followed by its unit's noun in any case is stated: only the rate is left.
    ("Tiếp nhận 71 Hồ Sơ.", f"{Q1}, tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%."),
])
def test_section_ii_2_3_leaves_out_what_the_officer_states(narrative, text):
    data = only("3", "7", **ONLINE)
    if narrative is None:
        del data.narrative["II.2.3"]  # a section the file does not hold at all: nothing stated
    else:
        data.narrative["II.2.3"] = narrative
    assert said(data, "II.2.3") == text


@pytest.mark.parametrize("narrative, text", [
    ("Nội dung.", "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59% (70/71 hồ sơ)."),
    # Either count stated: the fraction is not repeated.
    ("Có 70 hồ sơ trực tuyến.", "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%."),
    ("Tiếp nhận 71 hồ sơ.", "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%."),
    # A percentage is stated only as the table prints it, to the hundredth.
    ("Tỷ lệ trực tuyến đạt 98,6%.", "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59% (70/71 hồ sơ)."),
    ("Tỷ lệ trực tuyến đạt 98,59%.", ""),
])
def test_section_ii_6_leaves_out_what_the_officer_states(narrative, text):
    assert said(only("3", "7", narrative={"II.6": narrative}, **ONLINE), "II.6") == text


@pytest.mark.parametrize("info, text", [
    ({}, f"{Q1}, {UB} không ban hành văn bản quy phạm pháp luật nào."),  # 2024's figure is not this report's
    # With no usable year, every figure the text states counts, whatever its year.
    ({"nam": "2025"}, ""),
    ({"nam": True}, ""),
])
def test_a_figure_the_text_gives_for_another_year_is_not_this_reports(info, text):
    data = only("2a", info=info, x2a_1=0)
    data.narrative["II.1"] = "Năm 2024, không ban hành văn bản quy phạm pháp luật."
    assert said(data, "II.1") == text


def test_a_percentage_rounded_otherwise_than_the_table_is_not_stated():
    data = only("3", "7", narrative={"II.6": "Tỷ lệ trực tuyến đạt 99%."}, **ONLINE)
    assert said(data, "II.6") == "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59% (70/71 hồ sơ)."


def test_a_lead_ending_in_a_roman_numeral_keeps_it():
    lead = "Thực hiện Nghị quyết Đại hội Đảng bộ xã lần thứ XX;"
    c = build_context(report({"loi_dan": lead}), KY)
    assert c["loi_dan"] == "Thực hiện Nghị quyết Đại hội Đảng bộ xã lần thứ XX"


def test_an_earlier_report_without_a_file_name_is_named_by_its_period_only():
    from cchc.report.compare import compare

    earlier = report({"ky": "Quý I", "nam": 2024})
    earlier.source = None
    data = report()
    assert build_context(data, KY, compare(data, KY, [earlier]))["so_sanh"] == [{"ten": "Cùng kỳ năm 2024", "tep": ""}]


def test_a_heading_as_the_second_last_row_stays_with_the_last():
    form = KY.form("7")
    cat = dataclasses.replace(KY, forms=tuple(dataclasses.replace(f, rows=f.rows[:-1]) if f.id == "7" else f
                                              for f in KY.forms))
    [form7] = [f for f in build_context(report(), cat)["bieu_mau"] if f["id"] == "7"]
    assert [(r["code"], r["keep"]) for r in form7["rows"]] == [
        ("1", False), ("2", True), ("2.1", False), ("2.2", False), ("3", True), ("3.1", False)]
    assert form.rows[-1].code == "3.2"


def test_a_count_followed_by_its_units_noun_in_capitals_is_stated():
    data = only("3", "7", narrative={"II.2.3": "Đã có 71 Hồ Sơ."}, **ONLINE)  # no «tiếp nhận»: no catalogue phrasing
    assert said(data, "II.2.3") == f"{Q1}, tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%."


def test_a_count_of_a_row_without_a_unit_is_never_taken_as_stated():
    rows = tuple(dataclasses.replace(r, unit="") if r.code == "3.1" else r for r in KY.form("7").rows)
    cat = dataclasses.replace(KY, forms=tuple(dataclasses.replace(f, rows=rows) if f.id == "7" else f
                                              for f in KY.forms))
    data = only("3", "7", **ONLINE)
    [section] = [s for s in report_context(data, cat)["muc"] if s["key"] == "II.2.3"]
    assert section["tu_dong"] == [f"{Q1}, {UB} đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt 98,59%)."]
