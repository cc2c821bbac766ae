"""The command line as an IT person uses it: demo, template, help, refusals."""

from __future__ import annotations

import subprocess
import sys

from python_calamine import CalamineWorkbook

from cchc.workbook.reader import read_workbook


def cchc(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cchc", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_help_lists_the_commands_in_vietnamese():
    r = cchc("--help")
    assert r.returncode == 0
    for name in ("template", "export", "fill", "demo"):
        assert name in r.stdout
    assert "Báo cáo cải cách hành chính" in r.stdout


def test_demo_writes_the_seed_workbook_and_report(tmp_path, soffice):
    r = cchc("demo", "-o", tmp_path / "demo")
    assert r.returncode == 0, r.stderr
    assert "57,14%" in r.stdout and "98,59%" in r.stdout and "100%" in r.stdout
    wb = tmp_path / "demo" / "bao_cao_cchc_quy_I_2025_Dung_KNo.xlsx"
    d = read_workbook(wb)
    assert d.info["don_vi"] == "UBND xã Đưng K’Nớ" and d.info["so"] == 31 and d.info["ky"] == "Quý I"
    assert d.values["3"]["2.3.1"] == 71 and d.values["7"]["3.2"] == 70 and d.values["6"]["1.1"] == 2700
    assert "173 Bộ thủ tục hành chính" in d.narrative["II.2.2"]
    assert (tmp_path / "demo" / "bao_cao_cchc_quy_I_2025_Dung_KNo.docx").stat().st_size > 10_000
    assert (tmp_path / "demo" / "bao_cao_cchc_quy_I_2025_Dung_KNo.pdf").exists()


def test_template_command_builds_the_committed_layout_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "mau.xlsx"
    r = cchc("template", "-o", out)
    assert r.returncode == 0, r.stderr
    assert CalamineWorkbook.from_path(str(out)).sheet_names[:3] == ["Thông tin chung", "Thuyết minh", "BM1"]
    r = cchc("template", "-o", out)
    assert r.returncode == 2 and "đã có" in r.stderr
    assert cchc("template", "-o", out, "--force").returncode == 0


def test_no_command_prints_help_and_fails():
    r = cchc()
    assert r.returncode == 2 and "template" in r.stdout
