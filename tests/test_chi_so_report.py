"""The Word report of the annual SIPAS / PAR Index analysis, on the seed's figures (Nam Cường)."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from cchc.catalogue import load_catalogue
from cchc import app
from cchc.app import write_report
from cchc.kinds.chi_so.report import document_text
from cchc.demo import demo_data
from cchc.errors import CchcError
from cchc.workbook.fill import fill_workbook
from cchc.workbook.template import build_template

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CCHC_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seeds" / "000_000ec42d22f4c123.txt"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(the filled demo workbook of xã Nam Cường, its report)."""
    from cchc.demo import write_demo_workbook

    folder = tmp_path_factory.mktemp("demo")
    wb = write_demo_workbook(folder, "chi_so")
    return wb, write_report(wb, folder).docx


@pytest.fixture(scope="module")
def text(demo) -> list[str]:
    return document_text(demo[1])


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def test_every_dat_x_y_diem_line_of_the_seed_is_in_the_report(text):
    seed = _nfc(SEED.read_text(encoding="utf-8"))
    lines = re.findall(r"^- Về (.+?): (Đạt [\d,]+/\d+ điểm)\.$", seed, flags=re.M)
    assert len(lines) == 9
    ours = [t for t in text if re.fullmatch(r"- Về .+: Đạt [\d,]+/\d+ điểm\.", t)]
    assert len(ours) == 9
    for (field, dat), mine in zip(lines, ours):
        assert mine.endswith(f": {dat}."), (field, mine)
    assert [re.search(r"Đạt ([\d,]+/\d+)", t).group(1) for t in ours] == [
        "7,75/10", "7/7", "12/15", "5/10", "7,5/12", "7/10", "8,46/14", "8,5/12", "2,3/10"]


def test_result_sentence_in_the_seeds_style(text):
    joined = "\n".join(text)
    assert ("Kết quả chỉ số cải cách hành chính xã Nam Cường năm 2025 đạt 65,51 điểm, xếp loại "
            "Trung bình, xếp hạng 78/92 xã, phường. Cụ thể:") in joined
    assert "Căn cứ Quyết định số 906/QĐ-UBND ngày 06/4/2026" in joined


def test_structure_follows_the_seed(text):
    def at(prefix):
        return next(i for i, t in enumerate(text) if t.startswith(prefix))

    order = [
        at("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), at("BÁO CÁO"), at("Kính gửi: Đảng ủy xã Nam Cường."),
        at("Thực hiện Công văn số 417-CV/ĐU"), at("I. CÔNG TÁC TỔ CHỨC, TRIỂN KHAI"),
        at("II. PHÂN TÍCH KẾT QUẢ"), at("1. Chỉ số mức độ hài lòng"), at("- Kết quả đạt được: Năm 2025"),
        at("- Những tồn tại, hạn chế:"), at("- Lý do, nguyên nhân:"), at("2. Chỉ số cải cách hành chính"),
        at("- Về công tác chỉ đạo"), at("Biểu đồ: Tỷ lệ điểm đạt được"), at("3. Đánh giá chung"),
        at("3.1. Mặt ưu điểm"), at("3.2. Tồn tại, hạn chế, nguyên nhân"), at("III. CÁC GIẢI PHÁP"),
        at("1. Công tác chỉ đạo, điều hành"), at("9. Tác động của cải cách hành chính"),
        at("Trên đây là báo cáo"), at("Nơi nhận:"), at("TM. ỦY BAN NHÂN DÂN"), at("Trần Đức Trung Thiên"),
    ]
    assert order == sorted(order)
    assert "Nam Cường, ngày tháng năm 2026" in text  # unsigned: room for the day and month
    assert "Số: /BC-UBND" in text
    assert "- Lưu: VP, TTPVHCC.Hòa." in text and "- TT HĐND xã;" in text


def test_sipas_limitations_and_weakest_fields_are_stated(text):
    joined = "\n".join(text)
    assert ("+ Tiêu chí về tổ chức thực hiện công tác cải cách hành chính chỉ đạt 83,38%, thấp hơn chỉ số "
            "hài lòng chung (87,70%).") in joined
    assert "đạt 87,70%" in joined and "kết quả giải quyết thủ tục hành chính đạt 88,10%" in joined
    weak = next(t for t in text if t.startswith("- Các lĩnh vực có tỷ lệ điểm đạt được thấp hơn mức chung"))
    assert "(65,51%)" in weak
    pos = [weak.index(s) for s in ("(2,3/10 điểm, đạt 23%)", "(5/10 điểm, đạt 50%)",
                                   "(8,46/14 điểm, đạt 60,43%)", "(7,5/12 điểm, đạt 62,50%)")]
    assert pos == sorted(pos)
    assert "tác động của cải cách hành chính đến phát triển kinh tế - xã hội (2,3/10" in weak


def test_the_chart_is_an_image_in_the_document(demo):
    with zipfile.ZipFile(demo[1]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        doc = z.read("word/document.xml").decode("utf-8")
    assert len(media) == 1 and media[0].endswith(".png")
    assert "[[cchc:bieu_do]]" not in doc and "{{" not in doc and "{%" not in doc
    with zipfile.ZipFile(demo[1]) as z:
        png = z.read(media[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_officer_text_is_escaped_not_executed(tmp_path):
    cat = load_catalogue("chi_so")
    data = copy.deepcopy(demo_data("chi_so"))
    data["texts"]["PAR"]["4"]["HC"] = "Chưa bố trí <b>vị trí</b> & {{ 7*7 }} {% if x %}"
    tpl, wb = tmp_path / "t.xlsx", tmp_path / "x.xlsx"
    build_template(tpl, cat)
    fill_workbook(tpl, data, wb, cat)
    r = write_report(wb, tmp_path / "bc.docx")
    assert "+ Hạn chế: Chưa bố trí <b>vị trí</b> & {{ 7*7 }} {% if x %}" in document_text(r.docx)


def test_a_score_above_its_maximum_is_reported_and_strict_refuses(tmp_path):
    cat = load_catalogue("chi_so")
    data = copy.deepcopy(demo_data("chi_so"))
    data["values"]["PAR"]["9"] = 12
    tpl, wb = tmp_path / "t.xlsx", tmp_path / "x.xlsx"
    build_template(tpl, cat)
    fill_workbook(tpl, data, wb, cat)
    r = write_report(wb, tmp_path / "bc.docx")
    assert [f.rule_id for f in r.errors] == ["chi_so.score_max"]
    with pytest.raises(CchcError, match="lỗi"):
        write_report(wb, tmp_path / "bc2.docx", strict=True)
    assert not (tmp_path / "bc2.docx").exists()


def test_each_workbook_gets_the_report_of_its_own_kind(tmp_path, demo):
    from cchc.demo import write_demo_workbook

    quarterly = document_text(write_report(write_demo_workbook(tmp_path), tmp_path / "ky.docx").docx)
    annual = document_text(demo[1])
    assert any(p.startswith("Kết quả công tác cải cách hành chính Quý I năm 2025") for p in quarterly)
    assert not any("PAR Index" in p for p in quarterly)
    assert any(p.startswith("Kết quả đánh giá chỉ số mức độ hài lòng") for p in annual)


def test_libreoffice_makes_a_pdf_with_the_figures(tmp_path, soffice, demo):
    r = write_report(demo[0], tmp_path / "bc.docx", pdf=True)
    assert r.pdf is not None and r.pdf.read_bytes()[:5] == b"%PDF-"
    txt = subprocess.run(["pdftotext", "-layout", str(r.pdf), "-"], capture_output=True, text=True).stdout
    txt = " ".join(txt.split())
    assert "đạt 65,51 điểm, xếp loại Trung bình, xếp hạng 78/92 xã, phường" in txt
    assert "Đạt 2,3/10 điểm" in txt and "TM. ỦY BAN NHÂN DÂN" in txt
    pages = subprocess.run(["pdfinfo", str(r.pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595(\.\d+)? x 841", pages)  # A4 portrait


def test_the_chart_rates_no_field_and_speaks_in_percent():
    """The bands rate the index total (65,51: Trung bình); no rule rates one field, so 5/10 is
    not drawn as «Yếu»: each bar is set against the overall percentage, the legend says so."""
    import dataclasses

    from cchc.kinds.chi_so.analysis import analyse
    from cchc.kinds.chi_so.chart import bar_classes, chart_png, legend
    from cchc.model import ReportData

    cat = load_catalogue("chi_so")
    d = demo_data("chi_so")
    data = ReportData(source="", kind="chi_so", catalogue_version=cat.version, template_version="",
                      info=d["info"], values=d["values"])
    a = analyse(data, cat)
    assert cat.extra["rating_applies_to"] == "total" and not a.scheme.rates_fields
    classes = [name for name, _ in bar_classes(a)]
    scores = [f"{f.score:g}/{f.max:g}" for f in a.fields if f.pct is not None]
    assert dict(zip(scores, classes))["5/10"] == "Dưới tỷ lệ chung"
    assert dict(zip(scores, classes))["7/10"] == "Từ tỷ lệ chung trở lên"  # 70% ≥ 65,51%
    assert [name for name, _ in legend(a)] == ["Từ tỷ lệ chung trở lên", "Dưới tỷ lệ chung"]
    assert not {b.name for b in a.scheme.bands} & set(classes)
    # A province whose rules rate each field says so in its catalogue: then bands colour the bars.
    rated = dataclasses.replace(a, scheme=dataclasses.replace(a.scheme, rates_fields=True))
    assert dict(zip(scores, [n for n, _ in bar_classes(rated)]))["5/10"] == "Yếu"
    assert [n for n, _ in legend(rated)] == ["Tốt", "Khá", "Trung bình", "Yếu"]
    assert chart_png(a) != chart_png(rated)


def test_a_rating_scope_the_scheme_does_not_know_is_refused():
    import dataclasses

    from cchc.kinds.chi_so.analysis import scheme_of

    cat = load_catalogue("chi_so")
    bad = dataclasses.replace(cat, extra={**cat.extra, "rating_applies_to": "fields"})
    with pytest.raises(CchcError) as exc:
        scheme_of(bad)
    assert "rating_applies_to" in exc.value.message
