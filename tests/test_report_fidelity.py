"""The quarterly report read beside the seed (shared/seeds/003_…, 31/BC-UBND): the national
outline's headings word for word, each figure stated once per section (the generated sentences
never repeat the officer), and a narrative figure that contradicts the table is a finding
rather than a second sentence."""

from __future__ import annotations

import re

import pytest
from docx import Document

from cchc.app import write_report

from conftest import SEED_REPORT


def _seed_outline() -> list[str]:
    """The headings of the seed's body ("I. …", "1. …", "2.1. …"), trailing ":" or "." of the
    typing left out."""
    text = SEED_REPORT.read_text(encoding="utf-8")
    body = text[text.index("I. CÔNG TÁC CHỈ ĐẠO"):text.index("Nơi nhận:")]
    out = []
    for line in body.splitlines():
        line = " ".join(line.split())
        if re.match(r"^(?:[IVX]+|\d+(?:\.\d+)?)\.\s+\S", line):
            out.append(line.rstrip(".:"))
    return out


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory, seed_workbook):
    out = tmp_path_factory.mktemp("fidelity") / "bao_cao.docx"
    return Document(str(write_report(seed_workbook, out).docx))


def _sections(doc) -> dict[str, str]:
    """Heading → the text of the paragraphs under it, up to the closing sentence."""
    out: dict[str, list[str]] = {}
    current = None
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            current = p.text
            out[current] = []
        elif current is not None:
            if p.text.startswith("Trên đây là báo cáo"):
                break
            out[current].append(p.text)
    return {k: "\n".join(v) for k, v in out.items()}


def test_every_heading_of_the_seed_outline_appears_verbatim(demo_report):
    outline = _seed_outline()
    assert len(outline) == 16
    headings = [p.text for p in demo_report.paragraphs if p.style.name.startswith("Heading")]
    assert headings == outline


# Each figure of the demo, per section, with every way the section may state it: the officer's
# phrasing (the seed) or the generated sentence's. Counted over the whole section text; the
# number is how often the figure must appear (any case): once, or not at all where the officer's text
# states it only implicitly (3:2.3.1: "71 hồ sơ … đạt tỷ lệ 100%").
FIGURES = {
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC": {
        "1:1": (r"\b4 văn bản chỉ đạo", 1),
        "1:2.1": (r"\b14 nhiệm vụ", 1),
        "1:2.2": (r"\b8 nhiệm vụ", 1),
        "1:2": (r"57,14%", 1),
        "1:5": (r"khảo sát sự hài lòng", 1),
        "1:6": (r"đối thoại", 1),
    },
    "1. Cải cách thể chế": {
        "2a:1": (r"(?:không|chưa) ban hành văn bản quy phạm pháp luật|ban hành \d+ văn bản quy phạm", 1),
    },
    "2.1. Công tác rà soát, cắt giảm, đơn giản hóa TTHC": {
        "3:1.1": (r"phương án đơn giản hóa", 1),
        "3:1.2": (r"công bố mới", 1),
        "3:1.3": (r"bãi bỏ, thay thế", 1),
    },
    "2.2. Kết quả công khai TTHC tại địa phương": {
        "3:1": (r"\b173\b", 1),
    },
    "2.3. Kết quả thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC": {
        "7:3.1": (r"tiếp nhận[^.;]{0,60}?\b71 hồ sơ", 1),
        "7:3.2": (r"trực tuyến:? 70\b", 1),
        "7:3": (r"98,59%", 1),
        "3:2.3.1": (r"giải quyết 71 hồ sơ", 0),
        "3:2.3.2": (r"(?:đúng|trước) hạn:? 71 hồ sơ", 1),
        "3:2.3": (r"71 hồ sơ[^.;]{0,20}100%", 1),
    },
    "3. Cải cách tổ chức bộ máy hành chính": {
        "4:2.1": (r"\b20 người", 1),
        "4:2.2": (r"\b19 người", 1),
    },
    "4. Cải cách chế độ công vụ": {
        "5:1.1": (r"\b1 cơ quan", 1),
        "5:2": (r"được tuyển dụng", 1),
        "5:3": (r"thông qua thi tuyển", 1),
        "5:4": (r"không có (?:cán bộ, công chức, viên chức bị )?kỷ luật", 1),
    },
    "5. Công tác tài chính công": {
        "6:1.1": (r"2\.700 triệu", 1),
        "6:1.2": (r"thực hiện 0 triệu", 1),
        "6:1": (r"\b0%", 1),
    },
    "6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số": {
        "7:1": (r"họp trực tuyến", 1),
        "7:2.2": (r"\b90%", 1),
        "7:3": (r"98,59%", 1),
        "7:3.1/7:3.2": (r"70/71 hồ sơ", 1),
    },
}


def test_no_figure_appears_twice_in_a_section(demo_report):
    sections = _sections(demo_report)
    counted = {}
    for heading, figures in FIGURES.items():
        text = sections[heading]
        for ref, (pattern, _) in figures.items():
            counted[heading, ref] = len(re.findall(pattern, text, re.IGNORECASE))
    want = {(h, ref): n for h, figures in FIGURES.items() for ref, (_, n) in figures.items()}
    assert counted == want


def _report_sections(path) -> dict[str, str]:
    return _sections(Document(str(path)))


def test_a_narrative_figure_that_contradicts_the_table_is_a_finding_not_a_second_sentence(make_workbook, tmp_path):
    def edit(d):
        d["narrative"]["II.2.2"] = d["narrative"]["II.2.2"].replace("công bố 173 Bộ", "công bố 170 Bộ")
        d["values"]["2a"].update({"1": 2, "1.2": 2})  # the text still says "không ban hành … nào"
        d["values"]["7"]["1"] = 0  # the text says the online meeting system runs

    wb = make_workbook(edit)
    result = write_report(wb, tmp_path / "r.docx")
    by_rule = {f.rule_id: f for f in result.findings if f.rule_id.startswith("tm.")}
    assert set(by_rule) == {"tm.procedures_total", "tm.vbqppl_issued", "tm.online_meetings"}
    f = by_rule["tm.procedures_total"]
    assert f.severity == "warning" and f.values["narrative"] == 170 and f.values["3:1"] == 173
    assert f.message.startswith("Mục «2.2. Kết quả công khai TTHC tại địa phương» ghi «công bố 170 Bộ thủ tục "
                                "hành chính thuộc thẩm quyền», nhưng BM3 mục 1")
    assert "= 173." in f.message
    f = by_rule["tm.vbqppl_issued"]
    assert "«không ban hành văn bản quy phạm pháp luật»" in f.message and f.message.count("= 2.") == 1
    f = by_rule["tm.online_meetings"]
    assert "= Chưa có (0)." in f.message
    # The report does not add the table's figure beside the officer's.
    sections = _report_sections(result.docx)
    assert "173" not in sections["2.2. Kết quả công khai TTHC tại địa phương"]
    assert "ban hành 2 văn bản" not in sections["1. Cải cách thể chế"]
    assert "họp trực tuyến" not in sections["6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"].split("\n")[0]


def test_a_figure_the_officer_did_not_state_is_generated(make_workbook, tmp_path):
    # Without the officer's sentence, II.1 and II.2.2 state the table's figures themselves.
    def edit(d):
        d["narrative"]["II.1"] = "Ủy ban nhân dân xã tổ chức thực hiện đầy đủ các văn bản của cấp trên."
        d["narrative"]["II.2.2"] = "Xã đã thực hiện niêm yết, công khai đầy đủ, kịp thời TTHC."

    sections = _report_sections(write_report(make_workbook(edit), tmp_path / "g.docx").docx)
    assert sections["1. Cải cách thể chế"].split("\n")[0] == (
        "Trong Quý I năm 2025, Ủy ban nhân dân xã không ban hành văn bản quy phạm pháp luật nào.")
    assert sections["2.2. Kết quả công khai TTHC tại địa phương"].split("\n")[0] == (
        "Hiện nay, Ủy ban nhân dân xã đã công bố, công khai 173 TTHC thuộc thẩm quyền giải quyết.")


def test_the_workbook_says_what_the_switch_does(template_path):
    from openpyxl import load_workbook

    ws = load_workbook(template_path)["Thuyết minh"]
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation if dv.promptTitle == "Câu số liệu tự động"]
    assert prompts == ["Có: báo cáo thêm câu số liệu từ biểu mẫu cho những số liệu nội dung của bạn chưa nêu "
                       "(số đã nêu không nhắc lại; số khác biểu mẫu được báo ở trang Kiểm tra). "
                       "Không: chỉ dùng nội dung bạn nhập."]
