"""The province outputs as a Sở Nội vụ signs and prints them: a unit whose figure is impossible
is not ranked on it (and is listed under the ranking with the reason), rows add up as the
catalogue says, every sheet prints landscape and fitted, the reporting rate counts the units
that sent a file, and the Word report is a complete ND30 document with no indicator codes."""

from __future__ import annotations

import copy
import csv
import re
import subprocess
import zipfile

import openpyxl
import pytest
from docx import Document

from cchc.cli import main
from cchc.merge import merge
from cchc.merge import workbook as W
from cchc.numbers import format_number, format_pct
from cchc.workbook.fill import fill_workbook

# (code, name, group, changes to the seed's values, period)
UNITS = [
    ("00001", "Xã An Bình", "Huyện A (cũ)", {"3": {"2.3.1": 71, "2.3.2": 71}, "7": {"3.1": 71, "3.2": 70}}, "Quý I"),
    # 448 dossiers on time of 443 resolved: 101,13%, an error of the checks.
    ("00002", "Xã Bình Minh", "Huyện B (cũ)", {"3": {"2.3.1": 443, "2.3.2": 448}, "7": {"3.1": 452, "3.2": 401}},
     "Quý I"),
    ("00003", "Xã Cát Tiên", "Huyện B (cũ)", {"3": {"2.3.1": 200, "2.3.2": 180}, "7": {"3.1": 200, "3.2": 100},
                                              "1": {"2.1": 10, "2.2": 9}}, "Quý I"),
    # Sent, but its file is of another quarter: refused.
    ("00004", "Xã Di Linh", "Huyện A (cũ)", {}, "Quý III"),
    ("00005", "Xã Đạ Tẻh", "Huyện B (cũ)", None, None),  # did not send
]
IMPOSSIBLE = "Xã Bình Minh"
# An indicator's code, "(7:3)", "3:2.3", "2a:1", as the catalogue's forms number them.
CODE = re.compile(r"(?<![\w.])(?:1|2a|3|4|5|6|7):\d+(?:\.\d+)*\b")


@pytest.fixture(scope="module")
def province(tmp_path_factory, template_path, seed_data, catalogue):
    root = tmp_path_factory.mktemp("tinh")
    files = root / "xa"
    files.mkdir()
    for code, name, _, changes, ky in UNITS:
        if changes is None:
            continue
        d = copy.deepcopy(seed_data)
        d["info"].update({"ma_dvhc": code, "don_vi": f"UBND {name[0].lower()}{name[1:]}", "ky": ky})
        for form, vals in changes.items():
            d["values"][form].update(vals)
        fill_workbook(template_path, d, files / f"{code}.xlsx", catalogue)
    units = root / "don_vi.csv"
    with open(units, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["ma", "ten", "nhom"])
        for code, name, group, _, _ in UNITS:
            w.writerow([code, name, group])
    (root / "kien_nghi.txt").write_text(
        "Đề nghị Xã Bình Minh rà soát số hồ sơ giải quyết đúng hạn và gửi lại báo cáo.\n\n"
        "Đề nghị các xã tăng tỷ lệ hồ sơ tiếp nhận trực tuyến.\n", encoding="utf-8")
    return root, files, units


@pytest.fixture(scope="module")
def result(province):
    _, files, units = province
    return merge([files], units_csv=units, period="Quý I", year=2025, workers=1)


@pytest.fixture(scope="module")
def outputs(province, tmp_path_factory):
    root, files, units = province
    out = tmp_path_factory.mktemp("ra")
    code = main(["merge", str(files), "-o", str(out / "th.xlsx"), "--units", str(units), "--period", "Quý I",
                 "--year", "2025", "--report", str(out / "th.docx"), "--json", str(out / "th.json"),
                 "--co-quan-chu-quan", "UBND tỉnh Lâm Đồng", "--nguoi-ky", "Nguyễn Văn An",
                 "--kinh-gui", "Ủy ban nhân dân tỉnh Lâm Đồng", "--kien-nghi", str(root / "kien_nghi.txt")])
    assert code == 1  # one file refused
    return out


# ------------------------------------------------------------------------------- ranking
def test_the_impossible_ratio_is_not_ranked_but_listed_with_the_reason(result):
    by_ref = {r.ref: r for r in result.rankings}
    on_time = by_ref["3:2.3"]
    assert [p.unit.name for p in on_time.ranked] == ["Xã An Bình", "Xã Cát Tiên"]
    assert [p.rank for p in on_time.ranked] == [1, 2]
    (listed,) = on_time.not_ranked
    assert listed.unit.name == IMPOSSIBLE and listed.rank is None
    assert listed.value == pytest.approx(448 / 443 * 100)
    assert "448" in listed.reason and "443" in listed.reason
    # Its other figures are fine: it is ranked on them.
    assert IMPOSSIBLE in [p.unit.name for p in by_ref["7:3"].ranked]
    # The province rate still counts its figures (the report says so), the lowest and highest do not.
    s = result.totals.summaries["3:2.3"]
    assert s["value"] == pytest.approx((71 + 448 + 180) / (71 + 443 + 200) * 100)
    assert (s["n"], s["min"], s["max"], s["excluded"]) == (3, 90, 100, 1)


def test_the_ranking_sheet_lists_it_under_the_ranking_and_outside_the_100_band(result, outputs):
    ws = openpyxl.load_workbook(outputs / "th.xlsx")["Xếp hạng"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=22)]
    on_time = [r for r in rows if r[0] and r[0].startswith("3:2.3 ")]
    assert [(r[1], r[3]) for r in on_time] == [(1, "Xã An Bình"), (2, "Xã Cát Tiên"), (W.NOT_RANKED, IMPOSSIBLE)]
    assert "448" in on_time[-1][-1] and "443" in on_time[-1][-1]
    # The distribution counts ranked units only: 100% is An Bình's alone, not 101,13%.
    bands = {ws.cell(r, 2).value: ws.cell(r, 4).value for r in range(5, 16)}
    assert bands["Từ 100% trở lên"] == 1 and bands["90% – dưới 100%"] == 1


def test_totals_add_up_as_the_catalogue_says(result, outputs, catalogue):
    assert catalogue.row("3:1").aggregate == "mean" and catalogue.row("3:2.3.1").aggregate == "sum"
    s = result.totals.summaries["3:1"]
    assert "sum" not in s and s["mean"] == 173 and result.totals.value("3:1") == 173
    ws = openpyxl.load_workbook(outputs / "th.xlsx")["Tổng hợp"]
    header = [c.value for c in ws[4]]
    assert header == ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng hợp", "Số đơn vị có số liệu",
                      "Thấp nhất", "Cao nhất", "Cách tổng hợp"]
    rows = {}
    form = None
    for r in ws.iter_rows(min_row=5, values_only=True):
        if isinstance(r[0], str) and r[0].startswith("Biểu mẫu"):
            form = r[0].split(":")[0].replace("Biểu mẫu ", "")
            continue
        if r[0] is not None and r[1] is not None:  # not the form's footnote
            rows[f"{form}:{r[0]}"] = r
    assert rows["3:1"][3] == 173 and rows["3:1"][7] == "Trung bình cộng của 3 đơn vị"
    # Bình Minh's 443 is in the total; it is one side of an error, so it is not the highest.
    assert rows["3:2.3.1"][3] == 71 + 443 + 200 and rows["3:2.3.1"][5:7] == (71, 200)
    assert rows["3:2.3"][4:7] == (3, 90, 100)  # ratios: units with a value, lowest, highest
    assert "không tính 1 đơn vị có lỗi số liệu" in rows["3:2.3"][7]
    # Every row with a value has its lowest and highest, every ratio its number of units.
    for ref, r in rows.items():
        row = catalogue.row(ref)
        if row.type in ("count", "money", "pct", "ratio") and r[4]:
            assert r[5] is not None and r[6] is not None, ref


# ------------------------------------------------------------------------------- printing
def test_every_sheet_prints_landscape_fitted_with_its_header_repeated(outputs):
    wb = openpyxl.load_workbook(outputs / "th.xlsx")
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết theo đơn vị", "Tình hình nộp báo cáo", "Kiểm tra", "Xếp hạng"]
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert str(ps.paperSize) == "9", ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, ws.title
        assert int(ps.fitToWidth) >= 1 and int(ps.fitToHeight) == 0, ws.title
        assert ws.print_title_rows, ws.title
    assert int(wb["Tổng hợp"].page_setup.fitToWidth) == 1
    assert int(wb["Chi tiết theo đơn vị"].page_setup.fitToWidth) > 1  # ~110 columns: several pages across
    assert wb["Chi tiết theo đơn vị"].print_title_cols == "$A:$D"


def test_reporting_counts_the_units_that_sent_a_file(outputs):
    ws = openpyxl.load_workbook(outputs / "th.xlsx")["Tình hình nộp báo cáo"]
    assert ws["A2"].value == "Quý I năm 2025: đã nộp 4/5 đơn vị (80%), đã tổng hợp 3/5 đơn vị (60%)"
    table = {r[2]: r[3:8] for r in ws.iter_rows(min_row=6, max_row=8, values_only=True)}
    # Huyện A: An Bình merged, Di Linh sent another quarter's file: both sent, one merged.
    assert table["Huyện A (cũ)"] == (2, 2, 1, 1, 0.5)
    assert table["Huyện B (cũ)"][:3] == (3, 2, 2)
    assert table["Toàn bộ"][:3] == (5, 4, 3)
    assert ws.cell(6, 7).number_format == "0.00%"


def test_a_rate_prints_the_same_in_a_sentence_and_in_its_cell(tmp_path, soffice):
    """29/32 = 90,625%: LibreOffice shows the cell 0.00% as 90,63%; so must format_pct."""
    from cchc.office import convert

    wb = openpyxl.Workbook()
    values = [29 / 32, 0.02675, 0.57142857, 1 / 3, 0.995]
    for i, v in enumerate(values, start=1):
        wb.active.cell(i, 1, v).number_format = "0.00%"
    wb.save(tmp_path / "r.xlsx")
    pdf = convert(tmp_path / "r.xlsx", "pdf", tmp_path / "pdf")
    shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    assert [s.replace(".", ",") for s in shown if s.endswith("%")] == [format_pct(v * 100) for v in values]
    assert format_pct(29 / 32 * 100) == "90,63%" and format_number(2.675) == "2,68"
    assert format_number(-2.675) == "-2,68" and format_number(1e20) == "100.000.000.000.000.000.000"


# ------------------------------------------------------------------------------- JSON
def test_json_has_rankings_and_how_each_row_adds_up(outputs):
    import json

    data = json.loads((outputs / "th.json").read_text(encoding="utf-8"))
    assert data["summaries"]["3:1"]["aggregate"] == "mean"
    ranking = data["ranking"]["3:2.3"]
    assert [p["don_vi"] for p in ranking["ranked"]] == ["Xã An Bình", "Xã Cát Tiên"]
    assert [p["don_vi"] for p in ranking["not_ranked"]] == [IMPOSSIBLE]
    assert "448" in ranking["not_ranked"][0]["reason"]


# ------------------------------------------------------------------------------- Word
def _doc_text(doc) -> tuple[list[str], str]:
    paras = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return paras, "\n".join(paras + cells)


def test_the_province_report_is_a_complete_nd30_document(outputs):
    doc = Document(str(outputs / "th.docx"))
    paras, text = _doc_text(doc)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng." in paras
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["I. TÌNH HÌNH NỘP BÁO CÁO", "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
                        "III. ĐÁNH GIÁ CHUNG", "IV. KIẾN NGHỊ, ĐỀ XUẤT"]
    # IV: the officer's recommendations, verbatim, then the closing.
    i = paras.index("IV. KIẾN NGHỊ, ĐỀ XUẤT")
    assert paras[i + 1:i + 3] == ["Đề nghị Xã Bình Minh rà soát số hồ sơ giải quyết đúng hạn và gửi lại báo cáo.",
                                  "Đề nghị các xã tăng tỷ lệ hồ sơ tiếp nhận trực tuyến."]
    assert paras[i + 3].startswith("Trên đây là báo cáo tổng hợp kết quả công tác cải cách hành chính Quý I năm 2025")
    assert paras[i + 3].endswith("Sở Nội vụ kính báo cáo Ủy ban nhân dân tỉnh Lâm Đồng./.")
    sig = [t for t in doc.tables if t.cell(0, 0).text.startswith("Nơi nhận:")][0]
    assert sig.cell(0, 0).text.split("\n") == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert [x for x in sig.cell(0, 1).text.split("\n") if x] == ["GIÁM ĐỐC", "Nguyễn Văn An"]
    # The assessment, from the data: province rate, best and weakest, below the rate, errors.
    assert ("Tỷ lệ chung của các đơn vị là 97,90% (699/714; 3/3 đơn vị có số liệu)." in paras)
    assert "Cao nhất: Xã An Bình (100%); thấp nhất: Xã Cát Tiên (90%)." in paras
    assert "Có 1/2 đơn vị thấp hơn tỷ lệ chung: Xã Cát Tiên." in paras
    assert (f"Không xếp hạng 1 đơn vị có lỗi số liệu ở chỉ tiêu này: {IMPOSSIBLE} "
            f"({format_pct(448 / 443 * 100)}); đề nghị các đơn vị rà soát, sửa lại.") in paras
    # Each figure says how many units it rests on.
    assert any(p.startswith("- Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn: 97,90% "
                            "(699/714 hồ sơ; 3/3 đơn vị có số liệu)") for p in paras)
    # Errors: one row per kind of error, not one per unit.
    tables = [t for t in doc.tables if len(t.columns) >= 3]
    errors = [t for t in tables if t.cell(0, 1).text == "Lỗi"][0]
    assert len(errors.rows) == 2 and errors.cell(1, 3).text == IMPOSSIBLE
    # Phụ lục II: the unit is listed under the ranking, not in it.
    assert "Phụ lục II" in paras
    not_ranked = [t for t in tables if t.cell(0, 2).text == "Lý do không xếp hạng"]
    assert [t.cell(1, 0).text for t in not_ranked] == [IMPOSSIBLE]
    ranked = [t for t in tables if t.cell(0, 0).text == "Hạng"]
    assert len(ranked) == 4  # one per key indicator, in the kind's order: 7:3, 3:2.3, 1:2, 6:1
    assert IMPOSSIBLE in [c.text for c in ranked[0].columns[1].cells]
    assert IMPOSSIBLE not in [c.text for c in ranked[1].columns[1].cells]


def test_no_indicator_code_in_the_generated_word_text(outputs, seed_workbook, tmp_path):
    from cchc.app import write_report

    for doc in (Document(str(outputs / "th.docx")),
                Document(str(write_report(seed_workbook, tmp_path / "xa.docx").docx))):
        _, text = _doc_text(doc)
        assert CODE.findall(text) == []
        assert "hân bổ" not in text


def test_without_recommendations_and_name_the_report_marks_their_place(province, tmp_path, capsys):
    _, files, units = province
    out = tmp_path / "th.docx"
    code = main(["merge", str(files), "-o", str(tmp_path / "th.xlsx"), "--units", str(units), "--report", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "chưa có phần kiến nghị, đề xuất (--kien-nghi TEP.txt)" in err
    assert "chưa có họ tên người ký (--nguoi-ky)" in err
    paras, _ = _doc_text(Document(str(out)))
    i = paras.index("IV. KIẾN NGHỊ, ĐỀ XUẤT")
    assert paras[i + 1].startswith("[Cán bộ tổng hợp ghi kiến nghị, đề xuất tại đây")
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng." in paras  # the province the files name


@pytest.mark.parametrize("content, why", [
    (b"\xff\xfe\x00\x00 not utf-8 \xc3\x28", "UTF-8"),
    (b"x" * 200_001, "quá lớn"),
])
def test_a_recommendations_file_that_cannot_be_used_is_refused(province, tmp_path, capsys, content, why):
    _, files, units = province
    bad = tmp_path / "kn.txt"
    bad.write_bytes(content)
    code = main(["merge", str(files), "-o", str(tmp_path / "th.xlsx"), "--report", str(tmp_path / "th.docx"),
                 "--kien-nghi", str(bad)])
    assert code == 2
    assert why in capsys.readouterr().err
    assert not (tmp_path / "th.xlsx").exists()


def test_word_rendering_of_the_province_report_in_libreoffice(outputs, tmp_path, soffice):
    from cchc.office import convert

    pdf = convert(outputs / "th.docx", "pdf", tmp_path / "pdf")
    with zipfile.ZipFile(outputs / "th.docx") as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())  # the chart
    assert pdf.stat().st_size > 20_000
