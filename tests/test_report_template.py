"""A province's own copy of the Word template: reworded, used with --template, checked with
`cchc template-check`. Also the committed template is what the build script makes."""

from __future__ import annotations

import os
import subprocess
import zipfile
import sys
from pathlib import Path

import pytest
from docx import Document

from cchc.app import write_report
from cchc.report.context import TEMPLATE_VARIABLES
from cchc.registry import kind_by_id
from cchc.report.render import check_template, template_for

ROOT = Path(__file__).resolve().parents[1]
CLOSING = "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính"


def _province_copy(tmp_path: Path, replace: dict[str, str], name="mau_tinh.docx") -> Path:
    """Edit the shipped template as an officer would in Word: change a paragraph's text."""
    doc = Document(str(template_for(kind_by_id("ky"))))
    for p in doc.paragraphs:
        for old, new in replace.items():
            if p.text.startswith(old):
                for r in p.runs[1:]:
                    r._r.getparent().remove(r._r)
                p.runs[0].text = new
    out = tmp_path / name
    doc.save(str(out))
    return out


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True,
                          text=True, encoding="utf-8")


def test_committed_word_templates_are_what_the_builders_make(tmp_path):
    """docx_templates/ (standard, each kind's, province) must match the builders part by part:
    run scripts/build_word_templates.py after changing one."""
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_word_templates.py")], capture_output=True,
                       text=True, cwd=tmp_path, env={**os.environ, "CCHC_WORD_TEMPLATES_OUT": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    built = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert built == ["bao_cao_cchc_ky.docx", "bao_cao_chi_so.docx", "bao_cao_chuan.docx", "bao_cao_tong_hop.docx"]
    for name in built:
        with zipfile.ZipFile(ROOT / "docx_templates" / name) as a, zipfile.ZipFile(tmp_path / name) as b:
            assert sorted(a.namelist()) == sorted(b.namelist()), name
            for part in a.namelist():
                assert a.read(part) == b.read(part), f"{name}: {part} is stale; run python scripts/build_word_templates.py"


def test_shipped_template_passes_the_check():
    report = check_template(template_for(kind_by_id("ky")), set(TEMPLATE_VARIABLES))
    assert report.ok, (report.unknown, report.syntax_errors)
    proc = _cli("template-check", str(template_for(kind_by_id("ky"))))
    assert proc.returncode == 0 and "dùng được" in proc.stdout


def test_province_wording_is_used(seed_workbook, tmp_path):
    mine = _province_copy(tmp_path, {
        CLOSING: "Trên đây là báo cáo CCHC {{ ky_nam }} của {{ don_vi_day_du }}, kính báo cáo./.",
    })
    out = write_report(seed_workbook, tmp_path / "r.docx", template=mine).docx
    paras = [p.text for p in Document(str(out)).paragraphs]
    assert "Trên đây là báo cáo CCHC Quý I năm 2025 của Ủy ban nhân dân xã Đưng K’Nớ, kính báo cáo./." in paras
    assert not any(p.startswith(CLOSING) for p in paras)


def test_check_lists_unknown_variables_and_syntax_errors(tmp_path):
    unknown = _province_copy(tmp_path, {CLOSING: "Báo cáo của {{ ten_chu_tich_tinh }} và {{ don_vi }}."},
                             name="a.docx")
    report = check_template(unknown, set(TEMPLATE_VARIABLES))
    assert report.unknown == ["ten_chu_tich_tinh"] and not report.syntax_errors
    proc = _cli("template-check", str(unknown))
    assert proc.returncode == 1 and "ten_chu_tich_tinh" in proc.stdout

    # A tag left open: docxtpl would silently swallow the following paragraphs.
    unclosed = _province_copy(tmp_path, {CLOSING: "Kết thúc {{ ky_nam của đơn vị."}, name="b.docx")
    report = check_template(unclosed, set(TEMPLATE_VARIABLES))
    assert len(report.syntax_errors) == 1
    assert "thân văn bản" in report.syntax_errors[0]
    assert "Kết thúc {{ ky_nam của đơn vị." in report.syntax_errors[0]
    proc = _cli("template-check", str(unclosed))
    assert proc.returncode == 1 and "Lỗi cú pháp" in proc.stdout

    # A Jinja syntax error inside a closed tag, located by its paragraph.
    bad = _province_copy(tmp_path, {CLOSING: "Kết thúc {{ ky_nam của }} đơn vị."}, name="c.docx")
    report = check_template(bad, set(TEMPLATE_VARIABLES))
    assert len(report.syntax_errors) == 1, report.syntax_errors
    assert "Kết thúc {{ ky_nam của }} đơn vị." in report.syntax_errors[0]
    assert "của" in report.syntax_errors[0].split("—")[-1]


def test_broken_template_is_refused_with_a_pointer_to_the_check(seed_workbook, tmp_path):
    for i, text in enumerate(("{% for x in muc %} không đóng vòng lặp", "Kết thúc {{ ky_nam")):
        broken = _province_copy(tmp_path, {CLOSING: text}, name=f"b{i}.docx")
        proc = _cli("report", str(seed_workbook), "-o", str(tmp_path / "x.docx"),
                    "--template", str(broken))
        assert proc.returncode == 2, text
        assert "template-check" in proc.stderr
        assert not (tmp_path / "x.docx").exists()


@pytest.mark.parametrize("name, kind", [
    ("bao_cao_cchc_ky.docx", "báo cáo CCHC định kỳ"),
    ("bao_cao_chi_so.docx", "báo cáo phân tích chỉ số SIPAS, PAR Index"),
    ("bao_cao_tong_hop.docx", "báo cáo tổng hợp cấp tỉnh"),
])
def test_each_shipped_template_is_recognised_and_passes(name, kind):
    proc = _cli("template-check", str(ROOT / "docx_templates" / name))
    assert proc.returncode == 0, proc.stdout
    assert f"Mẫu của {kind}" in proc.stdout and "dùng được" in proc.stdout


def test_checking_against_the_wrong_report_lists_what_it_lacks():
    proc = _cli("template-check", str(ROOT / "docx_templates" / "bao_cao_chi_so.docx"), "--loai", "ky")
    assert proc.returncode == 1
    assert "Các trường mẫu dùng nhưng cchc không cung cấp" in proc.stdout


def test_a_file_that_is_not_a_word_document_is_refused_in_vietnamese(tmp_path):
    text = tmp_path / "ghi_chu.txt"
    text.write_text("không phải Word", encoding="utf-8")
    workbook = tmp_path / "mau.xlsx"
    workbook.write_bytes((ROOT / "workbook_templates" / "bao_cao_cchc_ky.xlsx").read_bytes())
    before = workbook.read_bytes()
    for bad in (text, workbook):
        proc = _cli("template-check", str(bad))
        assert proc.returncode == 2, proc.stderr
        assert f"Không mở được mẫu Word {bad}" in proc.stderr and "Traceback" not in proc.stderr
    assert workbook.read_bytes() == before
