"""The architecture, checked: no import cycles, generic code never names a report kind, and a
new kind (or a bare catalogue) works end to end with no change to generic code."""

from __future__ import annotations

import json
import os
import pkgutil
import re
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

import cchc

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "addin" / "cchc"


def test_import_contracts_hold():
    """lint-imports (import-linter, configured in pyproject.toml): no cycles at any depth,
    generic code never imports cchc.kinds, kinds do not import each other, the layers."""
    exe = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(exe) if exe.exists() else "lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "5 kept, 0 broken" in r.stdout


def test_every_generic_module_is_under_the_forbidden_contract():
    """A module added to cchc is generic unless it lives in cchc.kinds: it must be listed, or
    the contract would not see it import a kind."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    forbidden = next(c for c in config["contracts"] if c.get("forbidden_modules") == ["cchc.kinds"])
    listed = set(forbidden["source_modules"])
    top = {f"cchc.{m.name}" for m in pkgutil.iter_modules(cchc.__path__)} - {"cchc.kinds", "cchc.data", "cchc.__main__"}
    assert top == listed


def test_generic_code_does_not_name_a_kind():
    """grep -rnE "chi_so|chiso|chi-so" addin/cchc --include=*.py: only inside cchc/kinds/ and
    in the command line's help texts (the spelling an IT person types)."""
    hits = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("kinds/"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"chi_so|chiso|chi-so", line):
                if rel.startswith("commands/") and "help=" in line:
                    continue
                hits.append(f"{rel}:{n}: {line.strip()}")
    assert hits == []


# ------------------------------------------------------------------------------ a third kind
TINY_CATALOGUE = """
id = "{id}"
version = "1"
title = "Báo cáo thử nghiệm"
report_subject = "Kết quả thử nghiệm"
appendix_title = "Biểu số liệu thử nghiệm"

[[periods]]
name = "Năm"
this = "năm {{year}}"
start = [1, 1]
start_prev_year = false
end = [12, 31]
next = "năm {{next_year}}"

[[info]]
key = "don_vi"
name = "TT_DON_VI"
label = "Tên đơn vị báo cáo"
type = "text"
required = true

[[info]]
key = "ma_dvhc"
name = "TT_MA_DVHC"
label = "Mã đơn vị hành chính (5 chữ số)"
type = "text"

[[info]]
key = "nam"
name = "TT_NAM"
label = "Năm báo cáo"
type = "int"
required = true

[[forms]]
id = "1"
title = "Biểu mẫu 1"
subtitle = "Số liệu thử nghiệm"

[[forms.rows]]
code = "1"
label = "Số hồ sơ tiếp nhận"
unit = "Hồ sơ"
type = "count"
period = "flow"

[[forms.rows]]
code = "2"
label = "Số hồ sơ giải quyết đúng hạn"
unit = "Hồ sơ"
type = "count"
period = "flow"

[[forms.rows]]
code = "3"
label = "Tỷ lệ giải quyết đúng hạn"
unit = "%"
type = "ratio"
num = "2"
den = "1"

[[rules]]
id = "t.dung_han_le_tiep_nhan"
left = "1:2"
op = "<="
right = "1:1"
severity = "error"
message = "Số hồ sơ đúng hạn không thể nhiều hơn số hồ sơ tiếp nhận."
"""

KIND_MODULE = '''
"""A report kind that lives outside cchc: registered for the test through its entry point."""

from cchc.findings import Finding
from cchc.registry import ReportKind


class Trial(ReportKind):
    id = "thu_nghiem"
    label = "báo cáo thử nghiệm"
    cli_name = "thu-nghiem"
    ranked = ("1:3",)

    def findings(self, data, catalogue):
        v = data.value("1:1")
        if v is not None and v > 1000:
            at = data.cells["1:1"]
            return [Finding("warning", at.sheet, at.a1, "1", "1", "thu_nghiem.lon",
                            "Số hồ sơ tiếp nhận lớn bất thường, hãy xem lại.")]
        return []

    def report_context(self, data, catalogue, context):
        context["mo_dau"] = "Câu mở đầu do loại báo cáo thử nghiệm viết."
        return context

    def report_name(self, info):
        return f"Thu nghiem {info.get('nam')}.docx"

    def merge_tables(self, result):
        from cchc.merge.tables import Column, Table

        return [Table(key="so_don_vi", title="Số đơn vị đã tổng hợp", sheet="Số đơn vị",
                      columns=[Column("Số đơn vị", "int")], rows=[[len(result.merged_units)]])]


KIND = Trial()
'''


def _cli(env, *args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cchc", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd)


def _data(unit: str, code: str, received, on_time) -> dict:
    return {"info": {"don_vi": unit, "ma_dvhc": code, "nam": 2025},
            "values": {"1": {"1": received, "2": on_time}}}


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))


@pytest.fixture
def plugin_env(tmp_path):
    """A kind package and its distribution metadata in a folder on PYTHONPATH: exactly what
    `pip install` of a third-party kind leaves in site-packages."""
    site = tmp_path / "site"
    pkg = site / "cchc_thu_nghiem"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent(KIND_MODULE), encoding="utf-8")
    (pkg / "thu_nghiem.toml").write_text(TINY_CATALOGUE.format(id="thu_nghiem"), encoding="utf-8")
    dist = site / "cchc_thu_nghiem-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: cchc-thu-nghiem\nVersion: 0.1\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[cchc.kinds]\nthu_nghiem = cchc_thu_nghiem:KIND\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))}
    env.pop("CCHC_CATALOGUE_DIR", None)
    return env


def test_a_third_kind_works_end_to_end_with_no_change_to_generic_code(tmp_path, plugin_env):
    env = plugin_env
    template = tmp_path / "mau.xlsx"
    r = _cli(env, "template", "--kind", "thu-nghiem", "-o", template)
    assert r.returncode == 0, r.stderr
    assert "danh mục thu_nghiem phiên bản 1" in r.stdout

    units = tmp_path / "cac_xa"
    units.mkdir()
    for name, code, received, on_time in (("UBND xã A", "00001", 10, 8), ("UBND xã B", "00002", 30, 31),
                                          ("UBND xã C", "00003", 1200, 1200)):
        data = tmp_path / f"{code}.json"
        data.write_text(json.dumps(_data(name, code, received, on_time), ensure_ascii=False), encoding="utf-8")
        r = _cli(env, "fill", template, "--data", data, "-o", units / f"{code}.xlsx")
        assert r.returncode == 0, r.stderr

    r = _cli(env, "check", units / "00002.xlsx", "--json")
    assert r.returncode == 1, r.stderr  # the catalogue's rule: 31 on time of 30
    found = json.loads(r.stdout)["findings"]
    assert [(f["rule_id"], f["severity"], f["ref"]) for f in found if f["severity"] != "info"] == [
        ("t.dung_han_le_tiep_nhan", "error", "1:2")]
    r = _cli(env, "check", units / "00003.xlsx", "--json")
    assert r.returncode == 0
    assert [f["rule_id"] for f in json.loads(r.stdout)["findings"] if f["severity"] == "warning"] == ["thu_nghiem.lon"]

    r = _cli(env, "report", units / "00001.xlsx", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    report = tmp_path / "Thu nghiem 2025.docx"  # the kind's file name
    text = _docx_text(report)
    assert "Câu mở đầu do loại báo cáo thử nghiệm viết." in text  # the kind's context
    assert "BIỂU SỐ LIỆU THỬ NGHIỆM" in text and "Số hồ sơ giải quyết đúng hạn" in text
    assert "80%" in text  # 8 of 10, recomputed

    out = tmp_path / "tong_hop.xlsx"
    r = _cli(env, "merge", units, "-o", out, "--json", tmp_path / "th.json")
    assert r.returncode == 0, r.stderr
    merged = json.loads((tmp_path / "th.json").read_text(encoding="utf-8"))
    assert merged["kind"] == "thu_nghiem"
    assert merged["values"]["1"]["1"] == 1240 and merged["values"]["1"]["2"] == 1239
    assert merged["tables"]["so_don_vi"]["rows"] == [[3]]  # the kind's own table
    with zipfile.ZipFile(out) as z:
        assert any("Số đơn vị" in z.read(n).decode("utf-8") for n in z.namelist() if n == "xl/workbook.xml")


def test_a_catalogue_with_no_kind_package_gets_the_standard_machinery(tmp_path):
    folder = tmp_path / "danh_muc"
    folder.mkdir()
    (folder / "don_gian.toml").write_text(TINY_CATALOGUE.format(id="don_gian"), encoding="utf-8")
    env = {**os.environ, "CCHC_CATALOGUE_DIR": str(folder)}
    template = tmp_path / "mau.xlsx"
    assert _cli(env, "template", "--kind", "don_gian", "-o", template).returncode == 0
    data = tmp_path / "d.json"
    data.write_text(json.dumps(_data("UBND xã A", "00001", 10, 9), ensure_ascii=False), encoding="utf-8")
    filled = tmp_path / "xa.xlsx"
    assert _cli(env, "fill", template, "--data", data, "-o", filled).returncode == 0
    exported = json.loads(_cli(env, "export", filled).stdout)
    assert exported["kind"] == "don_gian" and exported["ratios"]["1"]["3"] == pytest.approx(90.0)
    assert _cli(env, "check", filled).returncode == 0
    r = _cli(env, "report", filled, "-o", tmp_path / "bc.docx")
    assert r.returncode == 0, r.stderr
    text = _docx_text(tmp_path / "bc.docx")
    assert "Kết quả thử nghiệm năm 2025" in text and "90%" in text  # standard subject and appendix
    r = _cli(env, "merge", filled, "-o", tmp_path / "th.xlsx")
    assert r.returncode == 0, r.stderr


def test_a_kind_recorded_in_a_workbook_only_selects_a_known_catalogue(tmp_path, seed_workbook):
    """The hidden «_cchc» sheet names the catalogue; a crafted name is refused, never used as a path."""
    import openpyxl

    for crafted in ("../../../etc/passwd", "khong_co"):
        wb = openpyxl.load_workbook(seed_workbook)
        meta = wb["_cchc"]
        for row in meta.iter_rows():
            if row[0].value == "catalogue_id":
                row[1].value = crafted
        path = tmp_path / "x.xlsx"
        wb.save(path)
        r = _cli(dict(os.environ), "check", path)
        assert r.returncode == 2
        assert "Traceback" not in r.stderr
        assert "loại biểu mẫu" in r.stderr
