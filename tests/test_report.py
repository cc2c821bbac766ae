"""The Word report: the seed commune's real report rendered from the seed-filled workbook,
opened again with python-docx and compared with the catalogue and the seed's numbers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from cchc import app
from cchc.app import write_report
from cchc.report import ReportRefused
from cchc.report import report_context as build_context
from cchc.report.output import default_report_name, is_locked, safe_filename

INJECTION = "Tiếp nhận & xử lý <khẩn> \"đúng hạn\" 'đủ' {{ 7*7 }} {% if %} {%p endif %} hết."


def _all_paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _cell_texts(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _section(paras: list[str], heading_start: str) -> list[str]:
    """Paragraphs of one narrative section, from its heading to the next heading."""
    start = next(i for i, p in enumerate(paras) if p.startswith(heading_start))
    out = []
    for p in paras[start + 1:]:
        if re.match(r"^([IVX]+\.|\d+\.(\d+\.)?) \S", p):
            break
        out.append(p)
    return out


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory, seed_workbook):
    out = tmp_path_factory.mktemp("report") / "bao_cao.docx"
    result = write_report(seed_workbook, out)
    assert result.docx == out and out.is_file()
    return result, Document(str(out))


def test_header_block_and_closing(seed_report):
    result, doc = seed_report
    head = doc.tables[0]
    cells = _cell_texts(head)
    lines = lambda text: [x for x in text.split("\n") if x]  # noqa: E731 (rules are empty paragraphs)
    assert lines(cells[0][0]) == ["ỦY BAN NHÂN DÂN", "XÃ ĐƯNG K’NỚ"]
    assert lines(cells[0][1]) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert cells[1][0] == "Số: 31/BC-UBND"
    assert cells[1][1] == "Đưng K’Nớ, ngày 07 tháng 3 năm 2025"
    date_para = head.cell(1, 1).paragraphs[0]
    assert date_para.style.font.italic is True
    # The header table has no borders.
    assert 'w:val="nil"' in head._tbl.tblPr.xml

    paras = _all_paragraphs(doc)
    i = paras.index("BÁO CÁO")
    assert paras[i + 1] == "Kết quả công tác cải cách hành chính Quý I năm 2025"
    assert paras[i + 3].startswith("Căn cứ Quyết định số 65/QĐ-UBND ngày 16/01/2025")
    # The seed's opening clause (Thông tin chung «Lời dẫn») and its closing, which names the
    # next period's tasks.
    assert ("Trong quá trình thực hiện đã bám sát vào mục tiêu, yêu cầu nhiệm vụ, trách nhiệm và thời gian "
            "thực hiện, Ủy ban nhân dân xã Đưng K’Nớ báo cáo kết quả thực hiện công tác cải cách hành "
            "chính Quý I năm 2025, cụ thể như sau:") in paras
    assert ("Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính Quý I năm 2025; phương "
            "hướng, nhiệm vụ Quý II năm 2025 của Ủy ban nhân dân xã Đưng K’Nớ./.") in paras
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"
    assert "2.3. Kết quả thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC" in headings
    assert headings[-1] == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2025"
    assert not any("Kính gửi" in p for p in paras)  # the seed has no Kính gửi line

    sig = _cell_texts(doc.tables[1])[0]
    assert sig[0].split("\n") == [
        "Nơi nhận:", "- Ủy ban nhân dân huyện;", "- Văn phòng HĐND & UBND huyện;",
        "- Phòng Nội vụ;", "- Thường trực Đảng ủy;", "- Thường trực HĐND xã;",
        "- Các công chức chuyên môn xã;", "- Lưu: VT."]
    lines = [x for x in sig[1].split("\n") if x]
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Vũ Hoàng"]

    assert "Phụ lục" in paras
    assert "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH TẠI UBND XÃ ĐƯNG K’NỚ" in paras
    assert ("(Kèm theo Báo cáo số 31/BC-UBND ngày 07/3/2025 của UBND xã Đưng K’Nớ)") in paras


def test_page_setup_follows_nd30(seed_report):
    _, doc = seed_report
    body, appendix = doc.sections
    mm = lambda v: round(v.mm)  # noqa: E731
    assert (mm(body.page_width), mm(body.page_height)) == (210, 297)
    assert (mm(body.top_margin), mm(body.bottom_margin)) == (20, 20)
    assert (mm(body.left_margin), mm(body.right_margin)) == (30, 15)
    assert body.different_first_page_header_footer
    assert "PAGE" in body.header._element.xml and not body.first_page_header.paragraphs[0].text
    assert body.header.paragraphs[0].style.paragraph_format.alignment == 1  # centred
    assert (mm(appendix.page_width), mm(appendix.page_height)) == (297, 210)
    # Bound with the portrait pages, the landscape page's top edge is the binding edge: 30 mm.
    assert (mm(appendix.top_margin), mm(appendix.bottom_margin)) == (30, 15)
    assert (mm(appendix.left_margin), mm(appendix.right_margin)) == (20, 20)
    assert 'w:start="1"' in appendix._sectPr.xml  # the appendix numbers its own pages
    fonts = doc.styles.element.xpath("//w:docDefaults//w:rFonts")[0]
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}ascii") == "Times New Roman"


def test_seven_tables_with_every_catalogue_row_in_order(seed_report, catalogue):
    _, doc = seed_report
    tables = doc.tables[2:]
    assert len(tables) == len(catalogue.forms) == 7
    paras = _all_paragraphs(doc)
    for form, table in zip(catalogue.forms, tables):
        assert form.title in paras and form.subtitle in paras
        rows = _cell_texts(table)
        assert rows[0][0] == "STT" and rows[0][1].startswith("Chỉ tiêu thống kê")
        assert rows[1][2:4] == ["Đơn vị tính", "Số liệu"] and rows[0][4] == "Ghi chú"
        body = rows[2:]
        assert [(r[0], r[1], r[2]) for r in body] == [(x.code, x.label, x.unit) for x in form.rows]
        # Header rows repeat on every page.
        for hr in table.rows[:2]:
            assert hr._tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None


def test_seed_values_formatted_in_tables(seed_report, catalogue):
    _, doc = seed_report
    cell = {}
    for form, table in zip(catalogue.forms, doc.tables[2:]):
        for r in _cell_texts(table)[2:]:
            cell[f"{form.id}:{r[0]}"] = (r[3], r[4])
    expected = {
        "1:1": "4", "1:2": "57,14%", "1:2.1": "14", "1:2.2": "8", "1:5": "0", "1:6": "0",
        "1:3.2": "",  # blank ratio stays blank
        "2a:1": "0", "2a:2": "0", "2a:3": "0", "4:3": "0", "3:1": "173", "3:2.3": "100%", "3:2.3.1": "71", "3:2.1": "",
        "4:2.1": "20", "4:2.2": "19", "5:1.1": "1",
        "6:1": "0%", "6:1.1": "2.700", "6:1.2": "0",
        "7:1": "1", "7:2.2": "90%", "7:3": "98,59%", "7:3.1": "71", "7:3.2": "70",
    }
    assert {k: cell[k][0] for k in expected} == expected
    assert cell["7:2.2"][1] == "Trừ văn bản mật"
    # Group rows never show a value.
    for row in catalogue.rows():
        if row.type == "group":
            assert cell[row.ref][0] == ""


def test_generated_sentences_sit_in_their_sections(seed_report):
    _, doc = seed_report
    paras = _all_paragraphs(doc)
    # The officer states 71 received, 70 online and 71 on time (100%): only the online rate is new.
    s23 = _section(paras, "2.3. ")
    assert s23[0] == "Trong Quý I năm 2025, tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%."
    # The sentences of a section form one paragraph, before the officer's text; the unit is their
    # subject, and the period opens the paragraph once.
    assert _section(paras, "I. ")[0] == (
        "Trong Quý I năm 2025, Ủy ban nhân dân xã đã ban hành 4 văn bản chỉ đạo, điều hành CCHC. Kế hoạch "
        "CCHC năm đề ra 14 nhiệm vụ, đến thời điểm báo cáo đã hoàn thành 8 nhiệm vụ (đạt 57,14%). Ủy ban "
        "nhân dân xã chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức và chưa tổ chức đối thoại "
        "giữa lãnh đạo với người dân, cộng đồng doanh nghiệp.")
    # The officer's text says "không ban hành văn bản quy phạm pháp luật" and "công bố 173 Bộ thủ
    # tục hành chính": no sentence repeats them.
    assert _section(paras, "1. Cải cách thể chế")[0].startswith("Ủy ban nhân dân xã tổ chức thực hiện đầy đủ")
    assert _section(paras, "2.2. ")[0].startswith("Ủy ban nhân dân xã đã chỉ đạo các công chức")
    assert _section(paras, "4. ")[0] == (
        "Hiện nay, có 1 cơ quan, tổ chức hành chính đã được phê duyệt vị trí việc làm theo quy định. Trong "
        "Quý I năm 2025, không có công chức, viên chức được tuyển dụng. Không có lãnh đạo, quản lý được "
        "tuyển chọn, bổ nhiệm thông qua thi tuyển.")  # "không có kỷ luật" is the officer's
    assert _section(paras, "5. ")[0] == (
        "Kế hoạch giải ngân vốn đầu tư công được giao 2.700 triệu đồng, đã thực hiện 0 triệu "
        "đồng (đạt 0%).")
    assert _section(paras, "6. ")[0] == (  # the online meetings are the officer's
        "Tỷ lệ sử dụng văn bản điện tử của UBND cấp xã đạt 90%. Tỷ lệ hồ sơ TTHC được tiếp nhận trực "
        "tuyến đạt 98,59% (70/71 hồ sơ).")
    # The officer's own text follows, one paragraph per line.
    assert any(p.startswith("Tổ chức thực hiện kế hoạch cải cách thủ tục hành chính") for p in s23)
    assert _section(paras, "2.4. ")[0].startswith("UBND xã chỉ đạo niêm yết")  # no data, no sentence


@pytest.mark.parametrize("ky, nam, within", [
    ("Quý I", 2025, "Trong Quý I năm 2025"),
    ("6 tháng", 2025, "Trong 6 tháng đầu năm 2025"),
    ("9 tháng", 2026, "Trong 9 tháng năm 2026"),
    ("Năm", 2025, "Trong năm 2025"),
    ("Quý I", None, "Trong kỳ"),  # no year: the sentence does not invent one
    (None, 2025, "Trong kỳ"),
])
def test_sentences_name_the_period_as_the_seed_report_does(seed_workbook, ky, nam, within):
    loaded = app.load(seed_workbook)
    data, cat = loaded.data, loaded.catalogue
    data.info["ky"], data.info["nam"] = ky, nam
    ctx = build_context(data, cat)
    first = next(m["tu_dong"] for m in ctx["muc"] if m["key"] == "II.2.3")[0]
    assert first == within + ", tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%."


def test_every_number_in_a_generated_sentence_is_a_table_value(seed_workbook, catalogue):
    loaded = app.load(seed_workbook)
    data, cat = loaded.data, loaded.catalogue
    ctx = build_context(data, cat)
    table_values = {}
    for form in ctx["bieu_mau"]:
        table_values[form["id"]] = {r["value"] for r in form["rows"] if r["value"]}
    sections = {s.key: s for s in cat.sections}
    number = re.compile(r"\d+(?:[.,]\d+)*%?")
    checked = 0
    for m in ctx["muc"]:
        forms = sections[m["key"]].forms
        allowed = set().union(*(table_values[f] for f in forms)) if forms else set()
        for sentence in m["tu_dong"]:
            for tok in number.findall(sentence):
                tok = tok.rstrip(".,")
                if tok in ("2015", str(data.info["nam"])):  # the forms' baseline year; "Trong Quý I năm 2025"
                    continue
                assert tok in allowed, (m["key"], tok, sentence)
                checked += 1
    assert checked >= 15


def test_switching_generated_sentences_off(make_workbook, tmp_path):
    wb = make_workbook(lambda d: d.setdefault("auto_sentences", {}).update({"II.2.3": False}))
    out = write_report(wb, tmp_path / "off.docx").docx
    paras = _all_paragraphs(Document(str(out)))
    s23 = _section(paras, "2.3. ")
    assert not any("98,59%" in p for p in s23)
    assert s23[0].startswith("Tổ chức thực hiện kế hoạch cải cách thủ tục hành chính")
    # Other sections keep theirs.
    assert "57,14%" in _section(paras, "I. ")[0]


def test_officer_text_printed_verbatim_even_template_syntax(make_workbook, tmp_path):
    text = f"{INJECTION}\n\nDòng thứ hai: 100% & <b>không đậm</b>"

    def edit(d):
        d["narrative"]["II.2.4"] = text
        d["info"]["nguoi_ky"] = "Nguyễn {{ 7*7 }} & <Hoàng>"
        d["notes"].setdefault("3", {})["1"] = "Ghi chú <x> & {% if %}"

    out = write_report(make_workbook(edit), tmp_path / "inj.docx").docx
    doc = Document(str(out))
    s24 = _section(_all_paragraphs(doc), "2.4. ")
    assert s24 == [INJECTION, "Dòng thứ hai: 100% & <b>không đậm</b>"]
    assert "Nguyễn {{ 7*7 }} & <Hoàng>" in doc.tables[1].cell(0, 1).text
    assert "Ghi chú <x> & {% if %}" in [r[4] for r in _cell_texts(doc.tables[4])]
    assert "49" not in " ".join(s24)


def test_long_narrative(make_workbook, tmp_path):
    line = "Ủy ban nhân dân xã tiếp tục thực hiện nghiêm cơ chế một cửa, một cửa liên thông. "
    paras = [f"Đoạn {i}: " + (line * 4).strip() for i in range(80)]
    text = "\n".join(paras)[:19999] + "."
    assert len(text) == 20000

    out = write_report(make_workbook(lambda d: d["narrative"].update({"III.1": text})),
                       tmp_path / "long.docx").docx
    got = _section(_all_paragraphs(Document(str(out))), "1. Ưu điểm")
    assert "\n".join(got) == text


def test_default_name_next_to_workbook_and_never_over_an_open_file(seed_workbook, tmp_path):
    wb = tmp_path / "xa.xlsx"
    shutil.copy(seed_workbook, wb)
    first = write_report(wb)
    assert first.docx == tmp_path / "Báo cáo CCHC Quý I năm 2025 - UBND xã Đưng K’Nớ.docx"
    assert not first.messages
    # Word has it open: its owner file "~$" + name without the first two characters.
    owner = tmp_path / ("~$" + first.docx.name[2:])
    owner.write_bytes(b"\x00" * 162)
    assert is_locked(first.docx)
    before = first.docx.read_bytes()
    second = write_report(wb)
    assert second.docx == tmp_path / "Báo cáo CCHC Quý I năm 2025 - UBND xã Đưng K’Nớ (2).docx"
    assert "đang mở trong Word" in second.messages[0] and second.docx.name in second.messages[0]
    assert first.docx.read_bytes() == before
    # No temporary files are left behind.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~cchc")]


def test_windows_safe_names():
    assert safe_filename('Báo cáo: Quý I/2025 "xã" <A|B>?*. .') == "Báo cáo Quý I 2025 xã A B.docx"
    assert safe_filename("CON") == "Bao cao CON.docx"
    name = default_report_name({"ky": "6 tháng", "nam": 2025, "don_vi": "UBND phường A/B"})
    assert name == "Báo cáo CCHC 6 tháng đầu năm 2025 - UBND phường A B.docx"
    assert not re.search(r'[<>:"/\\|?*]', name)


def _run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True,
                          text=True, cwd=cwd, encoding="utf-8")


def test_cli_errors_still_write_report_but_exit_1(make_workbook, tmp_path):
    def edit(d):
        d["values"]["3"]["2.3.2"] = 80  # on time more than resolved (71): an error
        d["values"]["1"]["1"] = "bốn"  # not a number

    wb = make_workbook(edit)
    out = tmp_path / "loi.docx"
    proc = _run_cli("report", str(wb), "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    assert out.is_file()
    assert "Lỗi" in proc.stderr and "bốn" in proc.stderr

    strict_out = tmp_path / "strict.docx"
    proc = _run_cli("report", str(wb), "-o", str(strict_out), "--strict")
    assert proc.returncode == 1
    assert not strict_out.exists()
    assert "--strict" in proc.stderr
    with pytest.raises(ReportRefused):
        write_report(wb, strict_out, strict=True)


def test_cli_clean_workbook_exits_0(seed_workbook, tmp_path):
    out = tmp_path / "ok.docx"
    proc = _run_cli("report", str(seed_workbook), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert f"Đã tạo báo cáo: {out}" in proc.stdout


def test_pdf_without_libreoffice_says_so(seed_workbook, tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_SOFFICE", str(tmp_path / "khong-co-soffice"))
    result = write_report(seed_workbook, tmp_path / "a.docx", pdf=True)
    assert result.docx.is_file() and result.pdf is None
    assert "chưa cài LibreOffice" in result.messages[0]


def test_pdf_through_libreoffice(soffice, seed_workbook, tmp_path):
    result = write_report(seed_workbook, tmp_path / "demo.docx", pdf=True)
    assert result.pdf == tmp_path / "demo.pdf" and result.pdf.is_file(), result.messages
    text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    for key in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                "Số: 31/BC-UBND", "Đưng K’Nớ, ngày 07 tháng 3 năm 2025", "BÁO CÁO",
                "PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II NĂM 2025", "Nguyễn Vũ Hoàng",
                "Biểu mẫu 7", "98,59%", "57,14%", "2.700", "Trừ văn bản mật"):
        assert key in text, key
    info = subprocess.run(["pdfinfo", str(result.pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # ~9 portrait pages of narrative (the seed's text) and one landscape page per form.
    assert 12 <= pages <= 22, pages


def test_flags_choices_signature_and_recipients(make_workbook, tmp_path, catalogue):
    def edit(d):
        d["values"]["1"].update({"5": 1, "5.1": 120, "5.2": 1, "6": 1})
        d["values"]["3"].update({"2.2.1": 10, "2.2.2": 9})  # a second level with data
        d["info"].update({"tham_quyen": "KT.", "chuc_vu": "Phó Chủ tịch",
                          "nguoi_ky": "Trần Thị B", "kinh_gui": "Ủy ban nhân dân tỉnh Lâm Đồng",
                          "so": 5, "ngay_ky": "2025-01-09"})

    doc = Document(str(write_report(make_workbook(edit), tmp_path / "kt.docx").docx))
    paras = _all_paragraphs(doc)
    rows = {f"1:{r[0]}": r[3] for r in _cell_texts(doc.tables[2])[2:]}
    # The national form prints the codes ("Có = 1; Không = 0"); the sentences say the labels.
    assert (rows["1:5"], rows["1:5.1"], rows["1:5.2"], rows["1:6"]) == ("1", "120", "1", "1")
    s1 = _section(paras, "I. ")[0]
    assert ("Ủy ban nhân dân xã đã tổ chức khảo sát sự hài lòng của người dân, tổ chức với 120 phiếu theo "
            "hình thức phát phiếu. Ủy ban nhân dân xã đã tổ chức đối thoại giữa lãnh đạo với người dân, "
            "cộng đồng doanh nghiệp.") in s1
    s23 = _section(paras, "2.3. ")[0]
    # The district level's figures are new; the commune level's (71, 71, 100%) are the officer's.
    assert s23 == ("Trong Quý I năm 2025, tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt 98,59%; hồ sơ do "
                   "UBND cấp huyện tiếp nhận: đã giải quyết 10 hồ sơ, đúng hạn 9 hồ sơ (đạt 90%).")
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng." in paras
    cells = _cell_texts(doc.tables[0])
    assert cells[1][0] == "Số: 05/BC-UBND"
    assert cells[1][1] == "Đưng K’Nớ, ngày 09 tháng 01 năm 2025"
    assert [x for x in doc.tables[1].cell(0, 1).text.split("\n") if x] == [
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị B"]
    assert "(Kèm theo Báo cáo số 05/BC-UBND ngày 09/01/2025 của UBND xã Đưng K’Nớ)" in paras


def test_unnumbered_undated_report_leaves_room_for_the_clerk(make_workbook, tmp_path):
    def edit(d):
        d["info"].update({"so": None, "ngay_ky": None})

    result = write_report(make_workbook(edit), tmp_path / "nd.docx")
    doc = Document(str(result.docx))
    cells = _cell_texts(doc.tables[0])
    assert re.fullmatch(r"Số: +/BC-UBND", cells[1][0])
    assert re.fullmatch(r"Đưng K’Nớ, ngày +tháng +năm 2025", cells[1][1])
