"""The checks on the words (cchc.checks.narrative) pinned on the seed report with its narrative
replaced by short texts: a wrong year for a plan or a period, a document dated after the
signing, a document cited with two subject years, empty sections, and the numbers a narrative
states. Exact Vietnamese messages; every year window at its limit and one step either side.

The seed report is of Quý I/2025, signed 07/3/2025; every section here says «Nội dung.» unless
a test writes something else.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pins import check, seed_report

from cchc.model import CellAt

D = dt.date
INFO = "Thông tin chung"
NARR = "Thuyết minh"
ASK = " Hãy kiểm tra lại và sửa cho thống nhất."
HEAD_I = "Mục «I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC»"
HEAD_IV = "Mục «IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI»"


def narrated(texts: dict | None = None, can_cu: list | None = None, info: dict | None = None, values: dict | None = None):
    data = seed_report()
    for key in data.narrative:
        data.narrative[key] = "Nội dung."
    data.narrative.update(texts or {})
    data.info["can_cu"] = list(can_cu or [])
    data.info_item_cells["can_cu"] = [CellAt(INFO, 21 + i, 1) for i in range(len(can_cu or []))]
    data.info.update(info or {})
    for ref, v in (values or {}).items():
        form, _, code = ref.partition(":")
        data.values[form][code] = v
    return data


def words(data, rule="narrative"):
    return [(f.severity, f.sheet, f.cell, f.code, f.rule_id, f.message) for f in check(data, rule)]


def year_findings(data):
    return [(f.cell, f.code, f.rule_id, f.message) for f in check(data, "narrative") if f.rule_id in
            ("narrative.year", "narrative.document_date")]


# ============================================================================ a plan about an earlier year
PLAN = "Kế hoạch số 11/KH-UBND ngày 21/01/2025 về thực hiện công tác cải cách hành chính năm 2024"


def test_a_cchc_plan_issued_in_one_year_about_the_years_before():
    assert year_findings(narrated({"I": PLAN + "."})) == [(
        "B4", "I", "narrative.year",
        f"{HEAD_I}: «{PLAN}». Báo cáo này là của năm 2025; kế hoạch ban hành năm 2025 mà lại về công tác CCHC năm "
        f"2024. Có phải gõ nhầm năm 2024 thay cho 2025?{ASK}")]
    [f] = check(narrated({"I": PLAN + "."}), "narrative.year")
    assert f.values == {"document": "11/KH-UBND", "document_date": D(2025, 1, 21), "year_here": 2024,
                        "report_year": 2025, "text": PLAN}


@pytest.mark.parametrize("text", [
    "Kế hoạch số 11/KH-UBND ngày 21/01/2025 về khắc phục tồn tại của công tác CCHC năm 2024",  # looks back
    "Kế hoạch số 11/KH-UBND ngày 21/01/2025 về tổng kết công tác cải cách hành chính năm 2024",
    "Kế hoạch số 11/KH-UBND ngày 21/01/2025 về phổ biến giáo dục pháp luật năm 2024",  # not about CCHC
    "Quyết định số 11/QĐ-UBND ngày 21/01/2025 về công tác cải cách hành chính năm 2024",  # not a plan
    "Kế hoạch số 11/KH-UBND ngày 21/01/2024 về công tác cải cách hành chính năm 2024",  # same year
    "Kế hoạch số 11/KH-UBND ngày 21/01/2024 về công tác cải cách hành chính năm 2025",  # a later year
    "Kế hoạch số 11/KH-UBND ngày 31/02/2025 về công tác cải cách hành chính năm 2025",  # no such date
    "Kế hoạch số 11/KH-UBND về công tác cải cách hành chính năm 2024",  # no date at all
])
def test_a_plan_that_looks_back_or_is_not_about_cchc_is_not_flagged(text):
    assert year_findings(narrated({"I": text + "."})) == []


def test_a_plan_with_an_impossible_date_is_not_dated():
    assert year_findings(narrated({"I": "Kế hoạch số 11/KH-UBND ngày 31/02/2025 về công tác CCHC năm 2024."})) == []
    assert len(year_findings(narrated({"I": "Kế hoạch số 11/KH-UBND ngày 28/02/2025 về công tác CCHC năm 2024."}))) == 1


def test_the_plan_check_does_not_need_the_report_year():
    [f] = check(narrated({"I": PLAN + "."}, info={"nam": None}), "narrative.year")
    assert f.message == (f"{HEAD_I}: «{PLAN}». Kế hoạch ban hành năm 2025 mà lại về công tác CCHC năm 2024.{ASK}")
    assert f.values["report_year"] is None


# ============================================================================ one document, two years
def test_one_document_cited_with_two_subject_years():
    text = "Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền CCHC năm 2025."
    other = "Thực hiện Kế hoạch số 13 / KH–UBND ngày 24/1/2025 về tuyên truyền pháp luật năm 2023."
    got = year_findings(narrated({"I": text}, can_cu=["Căn cứ A.", other]))
    assert got == [(
        "B23", "can_cu", "narrative.year",
        "Căn cứ, dòng 2: «Kế hoạch số 13 / KH–UBND ngày 24/1/2025 về tuyên truyền pháp luật năm 2023». Báo "
        "cáo này là của năm 2025; mục «I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC» ghi cùng kế hoạch số 13/KH-UBND ngày "
        "24/01/2025 là về năm 2025 («Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền CCHC năm 2025»). Có phải "
        f"gõ nhầm năm 2023 thay cho 2025?{ASK}")]
    [f] = check(narrated({"I": text}, can_cu=["Căn cứ A.", other]), "narrative.year")
    assert f.values == {"document": "13/KH-UBND", "year_here": 2023, "year_elsewhere": 2025, "report_year": 2025,
                        "text": "Kế hoạch số 13 / KH–UBND ngày 24/1/2025 về tuyên truyền pháp luật năm 2023"}


@pytest.mark.parametrize("other", [
    "Kế hoạch số 13/KH-UBND ngày 25/01/2025 về tuyên truyền năm 2023.",  # another date: another document
    "Kế hoạch số 14/KH-UBND ngày 24/01/2025 về tuyên truyền năm 2023.",  # another number
    "Quyết định số 13/KH-UBND ngày 24/01/2025 về tuyên truyền năm 2023.",  # another kind
    "Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền năm 2025.",  # the same year
    "Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền.",  # no year
])
def test_different_documents_or_the_same_year_are_not_compared(other):
    text = "Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền năm 2025."
    assert year_findings(narrated({"I": text, "II.1": other})) == []


def test_the_same_document_is_compared_across_the_report_only_with_a_known_report_year():
    text = "Kế hoạch số 13/kh-ubnd ngày 24/01/2025 về tuyên truyền năm 2025."
    other = "Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền năm 2023."
    assert [c for c, *_ in year_findings(narrated({"I": text, "II.1": other}))] == ["B6"]
    assert year_findings(narrated({"I": text, "II.1": other}, info={"nam": None})) == []


# ============================================================================ a document after the signing
def test_a_document_dated_after_the_signing_date():
    text = "Thực hiện Công văn số 48/UBND-VH ngày 08/3/2025 của Ủy ban nhân dân xã."
    assert year_findings(narrated({"II.1": text})) == [(
        "B6", "II.1", "narrative.document_date",
        "Mục «1. Cải cách thể chế»: «Công văn số 48/UBND-VH ngày 08/3/2025 của Ủy ban nhân dân xã». Báo cáo này là "
        f"của năm 2025; văn bản ghi ngày 08/3/2025, sau ngày ký báo cáo 07/3/2025.{ASK}")]
    [f] = check(narrated({"II.1": text}), "narrative.document_date")
    assert f.values == {"document": "48/UBND-VH", "document_date": D(2025, 3, 8), "ngay_ky": D(2025, 3, 7),
                        "report_year": 2025, "text": "Công văn số 48/UBND-VH ngày 08/3/2025 của Ủy ban nhân dân xã"}
    assert year_findings(narrated({"II.1": text.replace("08/3", "07/3")})) == []
    assert year_findings(narrated({"II.1": text}, info={"ngay_ky": None})) == []


def test_two_reasons_in_one_clause_make_one_finding():
    text = "Kế hoạch số 11/KH-UBND ngày 21/03/2025 về công tác cải cách hành chính năm 2024."
    assert year_findings(narrated({"I": text})) == [(
        "B4", "I", "narrative.year",
        f"{HEAD_I}: «{text[:-1]}». Báo cáo này là của năm 2025; kế hoạch ban hành năm 2025 mà lại về công tác CCHC "
        "năm 2024; văn bản ghi ngày 21/3/2025, sau ngày ký báo cáo 07/3/2025. Có phải gõ nhầm năm 2024 thay cho "
        f"2025?{ASK}")]


def test_documents_in_other_clauses_are_other_findings():
    text = ("Công văn số 1/UBND ngày 08/3/2025 về tuyên truyền; Công văn số 2/UBND ngày 09/3/2025 về tiếp dân.\n"
            "Công văn số 3/UBND ngày 06/3/2025 về hội họp.")
    got = year_findings(narrated({"II.1": text}))
    assert [m.split("». ")[0] for *_, m in got] == [
        "Mục «1. Cải cách thể chế»: «Công văn số 1/UBND ngày 08/3/2025 về tuyên truyền",
        "Mục «1. Cải cách thể chế»: «Công văn số 2/UBND ngày 09/3/2025 về tiếp dân"]


def test_two_documents_in_one_clause_each_have_their_own_subject():
    text = ("Căn cứ Kế hoạch số 5/KH-UBND ngày 02/01/2025 về công tác CCHC và Kế hoạch số 11/KH-UBND "
            "ngày 21/01/2025 về công tác CCHC năm 2024.")
    assert year_findings(narrated({"I": text})) == [(
        "B4", "I", "narrative.year",
        f"{HEAD_I}: «Kế hoạch số 11/KH-UBND ngày 21/01/2025 về công tác CCHC năm 2024». Báo cáo này là của năm 2025; "
        f"kế hoạch ban hành năm 2025 mà lại về công tác CCHC năm 2024. Có phải gõ nhầm năm 2024 thay cho 2025?{ASK}")]


def test_a_long_excerpt_is_shortened_in_the_middle():
    # 171 characters: the first 83 and the last 83, trimmed at the cut, around « … »
    text = ("  Kế hoạch  số 11/KH-UBND ngày 21/01/2025 về tuyên truyền pháp luật, trên địa bàn xã, và tổ dân phố, cho "
            "nhân dân, qua loa truyền thanh, ở nhà văn hóa, công tác CCHC năm 2024; ")
    [(_, _, _, message)] = year_findings(narrated({"I": text}))
    assert message.startswith(
        f"{HEAD_I}: «Kế hoạch số 11/KH-UBND ngày 21/01/2025 về tuyên truyền pháp luật, trên địa bàn xã, … dân phố, "
        "cho nhân dân, qua loa truyền thanh, ở nhà văn hóa, công tác CCHC năm 2024». Báo cáo")


@pytest.mark.parametrize("length, whole", [(170, True), (171, False)])
def test_an_excerpt_of_up_to_170_characters_is_whole(length, whole):
    head, tail = "Kế hoạch số 11/KH-UBND ngày 21/01/2025 về ", " công tác CCHC năm 2024"
    text = head + "x" * (length - len(head) - len(tail)) + tail
    assert len(text) == length
    [(_, _, _, message)] = year_findings(narrated({"I": text + "."}))
    excerpt = message.split("«", 2)[2].split("»")[0]
    assert (excerpt == text) == whole and ("…" in excerpt) == (not whole)


# ============================================================================ period phrases
@pytest.mark.parametrize("phrase_year, fires", [(2023, True), (2024, False), (2025, False), (2026, True), (2027, True)])
def test_a_period_phrase_may_name_the_report_year_or_the_year_before(phrase_year, fires):
    text = f"Trong Quý I năm {phrase_year}, đơn vị đã làm tốt."
    got = year_findings(narrated({"II.1": text}))
    if not fires:
        assert got == []
    else:
        before = "" if phrase_year > 2025 else " hay năm trước đó"
        assert got == [(
            "B6", "II.1", "narrative.year",
            f"Mục «1. Cải cách thể chế»: «Trong Quý I năm {phrase_year}, đơn vị đã làm tốt». Báo cáo này là của năm "
            f"2025; «Quý I năm {phrase_year}» không phải năm 2025 của báo cáo{before}. Có phải gõ nhầm năm "
            f"{phrase_year} thay cho 2025?{ASK}")]


@pytest.mark.parametrize("key, period, phrase_year, fires", [
    ("IV", "Quý I", 2026, False), ("IV", "Quý I", 2027, True), ("IV", "Quý I", 2023, True),
    ("II.1", "Năm", 2026, False), ("II.1", "năm", 2026, False), ("II.1", "Năm", 2027, True),
    ("II.1", "9 tháng", 2026, True),
])
def test_section_iv_and_an_annual_report_may_look_one_year_ahead(key, period, phrase_year, fires):
    text = f"Thực hiện Kế hoạch CCHC năm {phrase_year}."
    got = year_findings(narrated({key: text}, info={"ky": period}))
    assert bool(got) == fires


@pytest.mark.parametrize("text, phrase", [
    ("Kết quả 6 tháng đầu năm 2023 rất tốt.", "6 tháng đầu năm 2023"),
    ("Kết quả 9 tháng năm 2023 rất tốt.", "9 tháng năm 2023"),
    ("Quý iv năm 2023 rất tốt.", "Quý iv năm 2023"),
    ("Trong quý 3   năm 2023.", "quý 3 năm 2023"),
    ("Chương trình công tác cải cách hành chính năm 2023.", "Chương trình công tác cải cách hành chính năm 2023"),
    ("Thực hiện công tác CCHC trong năm 2023.", "công tác CCHC trong năm 2023"),
    ("Thực hiện công tác cải cách hành chính của năm 2023.", "công tác cải cách hành chính của năm 2023"),
])
def test_the_period_and_plan_phrases(text, phrase):
    [(_, _, _, message)] = year_findings(narrated({"II.1": text}))
    assert f"; «{phrase}» không phải năm 2025 của báo cáo hay năm trước đó." in message


@pytest.mark.parametrize("text", ["Trong năm 2023 có nhiều việc.", "Quý I năm 20234.", "Quý I năm nay.",
                                  "Cải cách hành chính năm 2023."])
def test_other_years_are_not_period_phrases(text):
    assert year_findings(narrated({"II.1": text})) == []


def test_period_phrases_need_a_report_year():
    assert year_findings(narrated({"II.1": "Trong Quý I năm 2020."}, info={"nam": None})) == []
    assert year_findings(narrated({"II.1": "Trong Quý I năm 2020."}, info={"nam": 1899})) == []


def test_a_period_phrase_in_a_cited_line_points_at_that_line():
    got = year_findings(narrated(can_cu=["Căn cứ Kế hoạch CCHC năm 2022."]))
    assert got == [("B22", "can_cu", "narrative.year",
                    "Căn cứ: «Căn cứ Kế hoạch CCHC năm 2022». Báo cáo này là của năm 2025; «Kế hoạch CCHC năm 2022» "
                    f"không phải năm 2025 của báo cáo hay năm trước đó. Có phải gõ nhầm năm 2022 thay cho 2025?{ASK}")]


def test_a_cited_line_without_its_own_cell_points_at_the_first_one_or_the_sheet():
    data = narrated(can_cu=["Căn cứ A.", "Căn cứ Kế hoạch CCHC năm 2022."])
    data.info_item_cells["can_cu"] = data.info_item_cells["can_cu"][:1]
    assert [(f.sheet, f.cell) for f in check(data, "narrative.year")] == [(INFO, data.info_cells["can_cu"].a1)]
    del data.info_cells["can_cu"]
    data.info_item_cells["can_cu"] = []
    assert [(f.sheet, f.cell) for f in check(data, "narrative.year")] == [(INFO, "")]


def test_a_section_without_its_cell_is_not_read():
    data = narrated({"II.1": "Trong Quý I năm 2020."})
    del data.narrative_cells["II.1"]
    assert year_findings(data) == []


# ============================================================================ empty sections
def test_every_section_empty_is_one_warning():
    data = narrated({k: "  " for k in seed_report().narrative})
    assert words(data) == [("warning", NARR, "B4", "I", "narrative.all_empty",
                            "Trang «Thuyết minh» chưa có nội dung ở mục nào: báo cáo sẽ chỉ có các câu số liệu tự động. "
                            "Hãy viết phần thuyết minh cho các mục.")]
    assert check(data, "narrative.all_empty")[0].values == {"empty": 13}


def test_an_empty_section_is_information_when_generated_sentences_fill_it():
    data = narrated({"II.6": "", "III.1": ""})
    assert words(data) == [
        ("info", NARR, "B15", "II.6", "narrative.empty",
         "Mục «6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số» chưa có nội dung: báo cáo chỉ có câu số "
         "liệu tự động ở mục này."),
        ("warning", NARR, "B17", "III.1", "narrative.empty",
         "Mục «1. Ưu điểm» để trống: báo cáo sẽ không có nội dung ở mục này. Hãy viết nội dung, hoặc ghi rõ «Không "
         "phát sinh».")]


def test_an_empty_section_is_a_warning_when_nothing_would_fill_it():
    data = narrated({"II.6": ""})
    data.auto_sentences["II.6"] = False
    assert [f[0] for f in words(data)] == ["warning"]
    data = narrated({"II.6": ""}, values={f"7:{c}": None for c in ("1", "2.1", "2.2", "3.1", "3.2")})
    assert [f[0] for f in words(data, "narrative.empty")] == ["warning"]
    data = narrated({"II.6": ""}, values={f"7:{c}": None for c in ("1", "2.1", "2.2", "3.1")})
    assert [f[0] for f in words(data, "narrative.empty")] == ["info"]


def test_a_section_the_workbook_does_not_have_is_not_asked_for():
    data = narrated({"II.6": ""})
    del data.narrative_cells["II.6"]
    assert words(data) == []
    data = narrated({k: "" for k in seed_report().narrative})
    for k in list(data.narrative_cells)[1:]:
        del data.narrative_cells[k]
    assert [f[4] for f in words(data)] == ["narrative.all_empty"]


# ============================================================================ numbers in the narrative
def numbers(data):
    return [(f.severity, f.cell, f.form, f.code, f.rule_id, f.message, f.values) for f in check(data, "tm")]


RECEIVED = "Hãy thống nhất con số giữa phần thuyết minh và biểu mẫu."


def test_a_number_the_table_contradicts():
    assert numbers(narrated({"II.2.3": "Trong kỳ tiếp nhận 72 hồ sơ."})) == [(
        "warning", "B10", "7", "3.1", "tm.received_total",
        "Mục «2.3. Kết quả thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC» ghi «tiếp nhận 72 hồ "
        f"sơ», nhưng BM7 mục 3.1 «Hồ sơ đã tiếp nhận» (BM7!D11) = 71. {RECEIVED}",
        {"narrative": 72, "7:3.1": 71, "section": "II.2.3"})]
    assert numbers(narrated({"II.2.3": "Trong kỳ tiếp nhận 71 hồ sơ."})) == []


@pytest.mark.parametrize("text, fires", [
    ("Đã tiếp nhận xử lý TTHC trên hệ thống dịch vụ công 72 hồ sơ.", True),  # up to 10 words between
    ("Đã tiếp nhận một hai ba bốn năm sáu bảy tám chín mười 72 hồ sơ.", True),
    ("Đã tiếp nhận một hai ba bốn năm sáu bảy tám chín mười mười-một 72 hồ sơ.", False),
    ("Tiếp nhận trực tiếp 72 hồ sơ.", False),  # a part: excluded between keyword and number
    ("Tiếp nhận đúng hạn 72 hồ sơ.", False),
    ("So với cùng kỳ, tiếp nhận 72 hồ sơ.", False),  # another period: excluded in the clause
    ("Lũy kế tiếp nhận 72 hồ sơ.", False),
    ("So với cùng kỳ; tiếp nhận 72 hồ sơ.", True),  # another clause
    ("Năm 2024 tiếp nhận 72 hồ sơ.", False),  # another year's figure
    ("Năm 2025 tiếp nhận 72 hồ sơ.", True),
    ("Tiếp nhận 72 hồ sơ; tiếp nhận 73 hồ sơ.", False),  # two different numbers: ambiguous
    ("Tiếp nhận 72 hồ sơ; tiếp nhận 72 hồ sơ.", True),
    ("Tiếp nhận 72 hồ sơ.", True),
    ("Tiếp nhận 72 văn bản.", False),
    ("Chưa tiếp nhận 72 hồ sơ.", True),
])
def test_only_the_tight_phrasings_are_read(text, fires):
    got = [f for f in check(narrated({"II.2.3": text}), "tm.received_total")]
    assert bool(got) == fires
    if fires:
        assert got[0].values["narrative"] == 72


def test_a_number_stated_twice_is_one_finding_at_the_first_section():
    data = narrated({"II.2.3": "Tiếp nhận 72 hồ sơ.", "II.6": "Năm nay tiếp nhận 72 hồ sơ."})
    [f] = check(data, "tm.received_total")
    assert (f.cell, f.values["section"]) == ("B10", "II.2.3")
    data = narrated({"II.2.3": "Tiếp nhận 72 hồ sơ.", "II.6": "Tiếp nhận 73 hồ sơ."})
    assert check(data, "tm.received_total") == []


@pytest.mark.parametrize("stated, value, fires", [("1.234", 1234, False), ("1.234", 1233, True), ("1234", 1234, False),
                                                  ("1.234.567", 1234567, False), ("12.345", 12346, True)])
def test_thousands_are_read_the_vietnamese_way(stated, value, fires):
    data = narrated({"II.2.3": f"Tiếp nhận {stated} hồ sơ."}, values={"7:3.1": value, "7:3.2": 0})
    assert bool(check(data, "tm.received_total")) == fires


def test_the_online_and_procedure_numbers():
    data = narrated({"II.6": "Hồ sơ nộp trực tuyến: 69 trường hợp.", "II.2.2": "Đã công bố 170 TTHC thuộc thẩm quyền."})
    assert [(f.rule_id, f.cell, f.values) for f in check(data, "tm")] == [
        ("tm.procedures_total", "B9", {"narrative": 170, "3:1": 173, "section": "II.2.2"}),
        ("tm.received_online", "B15", {"narrative": 69, "7:3.2": 70, "section": "II.6"})]


def test_no_number_check_without_the_table_value_or_the_section_cell():
    assert numbers(narrated({"II.2.3": "Tiếp nhận 72 hồ sơ."}, values={"7:3.1": None})) == []
    data = narrated({"II.2.3": "Tiếp nhận 72 hồ sơ."})
    del data.narrative_cells["II.2.3"]
    assert numbers(data) == []
    assert numbers(narrated({"II.2.3": "Tiếp nhận 72 hồ sơ."}, values={"7:3.1": "nhiều"})) == []


def test_a_number_of_another_year_is_skipped_only_when_the_report_year_is_known():
    text = "Năm 2024 tiếp nhận 72 hồ sơ."
    assert numbers(narrated({"II.2.3": text})) == []
    assert [f[6]["narrative"] for f in numbers(narrated({"II.2.3": text}, info={"nam": None}))] == [72]


# ============================================================================ how texts are read
def test_the_seed_reports_one_narrative_finding_with_both_reasons():
    assert [(f.severity, f.sheet, f.cell, f.form, f.code, f.rule_id, f.message) for f in check(seed_report(), "narrative")] == [(
        "warning", INFO, "B36", "", "can_cu", "narrative.year",
        "Căn cứ, dòng 2: «Kế hoạch số 11/KH-UBND ngày 21/01/2025 của Ủy ban nhân dân xã Đưng K’Nớ về việc thực hiện "
        "công tác cải cách hành chính năm 2024». Báo cáo này là của năm 2025; kế hoạch ban hành năm 2025 mà lại về công "
        "tác CCHC năm 2024; mục «I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC» ghi cùng kế hoạch số 11/KH-UBND ngày 21/01/2025 là "
        "về năm 2025 («kế hoạch số 11/KH-UBND ngày 21/01/2025 về thực hiện nhiệm vụ CCHC năm 2025»). Có phải gõ nhầm "
        f"năm 2024 thay cho 2025?{ASK}")]


def test_documents_are_found_in_every_clause():
    text = f"Mở đầu không có văn bản; {PLAN}."
    assert [m for *_, m in year_findings(narrated({"I": text}))] == [
        f"{HEAD_I}: «{PLAN}». Báo cáo này là của năm 2025; kế hoạch ban hành năm 2025 mà lại về công tác CCHC năm 2024. "
        f"Có phải gõ nhầm năm 2024 thay cho 2025?{ASK}"]


def test_the_excerpt_ends_at_the_year_of_the_subject():
    [(*_, message)] = year_findings(narrated({"I": PLAN + " và các văn bản có liên quan khác."}))
    assert message.startswith(f"{HEAD_I}: «{PLAN}». Báo cáo")


def test_the_middle_of_three_documents_has_the_subject_between_its_neighbours():
    text = ("Căn cứ Công văn số 1/UBND ngày 02/01/2025 về họp, Kế hoạch số 11/KH-UBND ngày 21/01/2025 về công tác CCHC "
            "năm 2024, Công văn số 3/UBND ngày 03/01/2025 về tiếp dân.")
    [(*_, message)] = year_findings(narrated({"I": text}))
    assert message.startswith(f"{HEAD_I}: «Kế hoạch số 11/KH-UBND ngày 21/01/2025 về công tác CCHC năm 2024». Báo cáo")


def test_a_symbol_is_compared_without_its_spaces():
    text = "Kế hoạch số 13/2025 / KH-UBND ngày 24/01/2025 về tuyên truyền năm 2025."
    other = "Kế hoạch số 13/2025/KH-UBND ngày 24/01/2025 về tuyên truyền năm 2023."
    [f] = check(narrated({"I": text, "II.1": other}), "narrative.year")
    assert f.values["document"] == "13/2025/KH-UBND" and "kế hoạch số 13/2025/KH-UBND ngày 24/01/2025" in f.message


@pytest.mark.parametrize("years", [(2024, 2025), (2023, 2024)])
def test_a_document_without_a_real_date_or_with_no_report_year_citation_is_not_compared(years):
    a, b = years
    text = f"Kế hoạch số 13/KH-UBND ngày 31/02/2025 về tuyên truyền năm {a}."
    other = f"Kế hoạch số 13/KH-UBND ngày 31/02/2025 về tuyên truyền năm {b}."
    assert year_findings(narrated({"I": text, "II.1": other})) == []
    text = f"Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền năm {a}."
    other = f"Kế hoạch số 13/KH-UBND ngày 24/01/2025 về tuyên truyền năm {b}."
    assert len(year_findings(narrated({"I": text, "II.1": other}))) == (1 if 2025 in years else 0)


def test_a_signing_date_that_is_not_a_date_compares_nothing():
    assert year_findings(narrated({"II.1": "Công văn số 48/UBND-VH ngày 08/3/2025."}, info={"ngay_ky": "8/3/2025"})) == []


def test_each_far_period_phrase_is_a_finding_at_its_own_clause_and_section():
    got = year_findings(narrated({"I": "Trong Quý I năm 2020.", "II.1": "Trong Quý I năm 2020; trong Quý I năm 2021."}))
    assert [(cell, m.split("». ")[0]) for cell, _, _, m in got] == [
        ("B4", f"{HEAD_I}: «Trong Quý I năm 2020"),
        ("B6", "Mục «1. Cải cách thể chế»: «Trong Quý I năm 2020"),
        ("B6", "Mục «1. Cải cách thể chế»: «trong Quý I năm 2021")]
    [f] = check(narrated({"I": "Trong Quý I năm 2025, Quý I năm 2020."}), "narrative.year")
    assert (f.severity, f.form, f.values) == ("warning", "", {"phrase": "Quý I năm 2020", "year_here": 2020,
                                                              "report_year": 2025,
                                                              "text": "Trong Quý I năm 2025, Quý I năm 2020"})


# ============================================================================ more of the empty sections and numbers
def test_empty_section_findings_name_the_section_and_carry_nothing_more():
    data = narrated({"II.6": "", "III.1": ""})
    assert [(f.form, f.code, f.values) for f in check(data, "narrative.empty")] == [("", "II.6", {}), ("", "III.1", {})]
    assert [(f.form, f.code) for f in check(narrated({k: "" for k in seed_report().narrative}), "narrative")] == [
        ("", "I")]


def test_an_empty_section_whose_form_has_no_values_is_a_warning():
    data = narrated({"II.6": ""})
    del data.values["7"]
    assert [f.severity for f in check(data, "narrative.empty")] == ["warning"]


def test_every_number_rule_is_checked_after_one_without_a_value_or_in_agreement():
    data = narrated({"II.2.3": "Tiếp nhận 72 hồ sơ.", "II.2.2": "Đã công bố 170 TTHC thuộc thẩm quyền."},
                    values={"7:3.1": None})
    assert [f.rule_id for f in check(data, "tm")] == ["tm.procedures_total"]
    data = narrated({"II.2.3": "Tiếp nhận 71 hồ sơ.", "II.2.2": "Đã công bố 170 TTHC thuộc thẩm quyền."})
    assert [f.rule_id for f in check(data, "tm")] == ["tm.procedures_total"]


def test_a_number_and_a_value_differ_beyond_a_billionth():
    assert [f.values["narrative"] for f in check(narrated({"II.2.3": "Tiếp nhận 0 hồ sơ."}, values={"7:3.1": 1e-9}),
                                                "tm.received_total")] == [0]


def test_later_statements_count_after_an_excluded_or_another_years_one():
    data = narrated({"II.2.3": "Tiếp nhận trực tiếp 1 hồ sơ, tiếp nhận 72 hồ sơ."})
    assert [f.values["narrative"] for f in check(data, "tm.received_total")] == [72]
    data = narrated({"II.2.3": "Năm 2024 tiếp nhận 50 hồ sơ; năm 2025 tiếp nhận 72 hồ sơ."})
    assert [f.values["narrative"] for f in check(data, "tm.received_total")] == [72]
    data = narrated({"II.1": "Không ban hành văn bản quy phạm pháp luật, so với cùng kỳ ban hành 2 văn bản quy phạm "
                             "pháp luật."}, values={"2a:1": 3})
    assert [f.values["narrative"] for f in check(data, "tm.vbqppl_issued")] == [0]


def test_a_section_of_a_rule_left_empty_does_not_hide_the_next():
    data = narrated({"II.2.3": "", "II.6": "Tiếp nhận 72 hồ sơ."})
    assert [f.values["section"] for f in check(data, "tm.received_total")] == ["II.6"]
