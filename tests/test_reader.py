"""Reading filled workbooks: round trip, ratios, text numbers, fallbacks, LibreOffice, bad input."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from cchc.office import convert
from cchc.workbook.reader import read_workbook


def run_cchc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cchc", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def random_values(catalogue, seed: int) -> dict:
    rnd = random.Random(seed)
    values: dict[str, dict] = {}
    for row in catalogue.input_rows():
        if row.type == "count":
            v = rnd.randint(0, 5000)
        elif row.type == "money":
            v = round(rnd.uniform(0, 99999), 3)
        elif row.type == "pct":
            v = round(rnd.uniform(0, 100), 2)
        else:
            v = rnd.choice(row.choices)[0]
        values.setdefault(row.form, {})[row.code] = v
    return values


# ------------------------------------------------------------------------------- round trip
def test_fill_then_export_gives_back_every_indicator(tmp_path, template_path, seed_data, catalogue):
    data = dict(seed_data, values=random_values(catalogue, 7))
    src = tmp_path / "data.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "filled.xlsx"
    r = run_cchc("fill", template_path, "--data", src, "-o", out)
    assert r.returncode == 0, r.stderr
    r = run_cchc("export", out)
    assert r.returncode == 0, r.stderr
    exported = json.loads(r.stdout)
    assert exported["values"] == data["values"]
    assert exported["problems"] == []
    assert exported["narrative"] == seed_data["narrative"]
    assert exported["info"] == seed_data["info"]
    assert exported["notes"] == seed_data["notes"]
    for form_id, ratios in exported["ratios"].items():
        for code, value in ratios.items():
            row = catalogue.row(f"{form_id}:{code}")
            num, den = data["values"][form_id][row.num], data["values"][form_id][row.den]
            assert value == (num / den * 100 if den else None)


def test_export_writes_a_file_with_o(tmp_path, seed_workbook):
    out = tmp_path / "out.json"
    r = run_cchc("export", seed_workbook, "-o", out)
    assert r.returncode == 0 and out.exists()
    assert json.loads(out.read_text(encoding="utf-8"))["values"]["3"]["2.3.1"] == 71


def test_seed_ratios(seed_workbook):
    d = read_workbook(seed_workbook)
    assert d.problems == []
    assert d.ratios["1"]["2"] == pytest.approx(8 / 14 * 100) and round(d.ratios["1"]["2"], 2) == 57.14
    assert d.ratios["3"]["2.3"] == 100.0
    assert d.ratios["6"]["1"] == 0.0
    assert round(d.ratios["7"]["3"], 2) == 98.59
    assert d.ratios["3"]["2.1"] is None  # blank denominator: blank ratio, not 0
    assert d.values["6"]["1.1"] == 2700 and d.values["7"]["2.2"] == 90
    assert d.notes["7"]["2.2"] == "Trừ văn bản mật"
    assert d.info["ngay_ky"] == dt.date(2025, 3, 7)
    assert d.cells["3:2.3.1"].address == "BM3!D18"


def test_fill_refuses_unknown_codes_and_overwriting_the_template(tmp_path, template_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"values": {"3": {"9.9": 1}}}), encoding="utf-8")
    r = run_cchc("fill", template_path, "--data", bad, "-o", tmp_path / "x.xlsx")
    assert r.returncode == 2 and "3:9.9" in r.stderr and "Traceback" not in r.stderr
    r = run_cchc("fill", template_path, "--data", bad, "-o", template_path)
    assert r.returncode == 2 and "ghi đè" in r.stderr


# ------------------------------------------------------------------------------- officer's text
def _put(path: Path, out: Path, cells: dict[str, object]) -> Path:
    wb = load_workbook(path)
    for name, value in cells.items():
        (sheet, coord), = list(wb.defined_names[name].destinations)
        wb[sheet][coord.replace("$", "")] = value
    wb.save(out)
    return out


def test_text_typed_into_number_cells_is_read_the_vietnamese_way(tmp_path, seed_workbook):
    p = _put(seed_workbook, tmp_path / "t.xlsx", {
        "BM6_1_1": "2.700", "BM7_2_2": "98,5%", "BM3_2_3_1": " 71 ", "BM6_1_2": "1.234,5",
        "BM1_5": "Có", "BM1_5_2": "1", "TT_NGAY_KY": "07/03/2025", "TT_MA_DVHC": 5014,
    })
    d = read_workbook(p)
    assert d.values["6"]["1.1"] == 2700 and d.values["7"]["2.2"] == 98.5
    assert d.values["3"]["2.3.1"] == 71 and d.values["6"]["1.2"] == 1234.5
    assert d.values["1"]["5"] == 1 and d.values["1"]["5.2"] == 1
    assert d.info["ngay_ky"] == dt.date(2025, 3, 7) and d.info["ma_dvhc"] == "05014"
    assert d.problems == []


@pytest.mark.parametrize("name,value,kept", [
    ("BM3_2_3_1", "bảy mươi", None),
    ("BM3_2_3_1", -3, -3),
    ("BM3_2_3_1", 2.5, 2.5),
    ("BM3_2_3_1", "2.5", None),      # English decimal point or thousands? ambiguous
    ("BM3_2_3_1", "1,234", None),    # 1,234: decimal or thousands? ambiguous
    ("BM7_2_2", 140, 140),
    ("BM1_5", "Có lẽ", None),
])
def test_readable_but_wrong_values_export_with_a_problem(tmp_path, seed_workbook, name, value, kept):
    p = _put(seed_workbook, tmp_path / "w.xlsx", {name: value})
    r = run_cchc("export", p)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    form, code = name[2:].split("_", 1)
    form = form if form != "2a" else "2a"
    code = code.replace("_", ".")
    assert out["values"][form][code] == kept  # nothing silently read as 0
    (problem,) = out["problems"]
    assert problem["sheet"] == f"BM{form}" and problem["cell"].startswith("D")
    assert problem["ref"] == f"{form}:{code}" and problem["found"] == value and problem["expected"]
    assert f"BM{form}!D" in problem["message"]


# ------------------------------------------------------------------------------- fallbacks
def test_names_deleted_and_rows_inserted_fall_back_to_stt_codes(tmp_path, seed_workbook):
    wb = load_workbook(seed_workbook)
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    wb["BM3"].insert_rows(8, 2)  # shifts rows without fixing names (openpyxl does not)
    wb["Thông tin chung"].insert_rows(6, 1)
    out = tmp_path / "nonames.xlsx"
    wb.save(out)
    d = read_workbook(out)
    ref = read_workbook(seed_workbook)
    assert d.values == ref.values
    assert d.info == ref.info and d.narrative == ref.narrative
    assert d.cells["3:2.3.1"].address == "BM3!D20"
    # Where each named cell is is worked out once per set of names: reading the two kinds of
    # file in turn (as a merge does) must not carry one file's cells over to the other.
    again, seed_again = read_workbook(out), read_workbook(seed_workbook)
    assert again.cells["3:2.3.1"].address == "BM3!D20" and again.values == ref.values
    assert seed_again.cells == ref.cells and seed_again.values == ref.values


# ------------------------------------------------------------------------------- LibreOffice
def test_libreoffice_recalculates_the_same_ratios(tmp_path, soffice, seed_workbook):
    recalculated = convert(seed_workbook, "xlsx", tmp_path / "lo")
    d = read_workbook(seed_workbook)
    book = CalamineWorkbook.from_path(str(recalculated))
    checked = 0
    for ref, at in d.cells.items():
        form, code = ref.split(":")
        if code not in d.ratios[form]:
            continue
        grid = book.get_sheet_by_name(at.sheet).to_python(skip_empty_area=False)
        cached = grid[at.r0][at.c0]
        expected = d.ratios[form][code]
        if expected is None:
            assert cached == "", ref
        else:
            assert math.isclose(cached, expected, abs_tol=1e-9), ref
            checked += 1
    assert checked == 4  # 1:2, 3:2.3, 6:1, 7:3


def test_a_file_resaved_by_libreoffice_is_read_identically(tmp_path, soffice, seed_workbook):
    resaved = convert(seed_workbook, "xlsx", tmp_path / "lo")
    a, b = read_workbook(seed_workbook), read_workbook(resaved)
    assert b.problems == []
    assert (b.values, b.info, b.narrative, b.notes, b.ratios) == (a.values, a.info, a.narrative, a.notes, a.ratios)
    assert b.catalogue_version == a.catalogue_version
    # LibreOffice keeps the formula results it computed: the file now carries them.
    assert b.file_ratios["7:3"] == pytest.approx(70 / 71 * 100)


def test_an_old_xls_is_read_through_the_stt_codes(tmp_path, soffice, seed_workbook):
    xls = convert(seed_workbook, "xls", tmp_path / "xls")
    a, b = read_workbook(seed_workbook), read_workbook(xls)
    assert (b.values, b.info, b.narrative) == (a.values, a.info, a.narrative)


# ------------------------------------------------------------------------------- bad input
def _encrypted(tmp_path: Path, src: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = tmp_path / "secret.xlsx"
    with open(src, "rb") as fin, open(out, "wb") as fout:
        f = OOXMLFile(fin)
        f.encrypt("matkhau", fout)
    return out


def _missing_sheet(tmp_path: Path, src: Path) -> Path:
    wb = load_workbook(src)
    del wb["BM4"]
    out = tmp_path / "missing.xlsx"
    wb.save(out)
    return out


@pytest.mark.parametrize("case,expect", [
    ("not_workbook", "không phải sổ tính"),
    ("word", "tệp Word"),
    ("truncated", "bị cắt cụt"),
    ("password", "mật khẩu"),
    ("missing_sheet", "BM4"),
    ("no_such_path", "Không tìm thấy"),
    ("empty", "rỗng"),
    ("directory", "thư mục"),
])
def test_bad_input_gives_a_vietnamese_message_and_exit_2(tmp_path, seed_workbook, case, expect):
    if case == "not_workbook":
        p = tmp_path / "ghi_chu.xlsx"
        p.write_text("Đây không phải Excel", encoding="utf-8")
    elif case == "word":
        import zipfile
        p = tmp_path / "bao_cao.xlsx"
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("word/document.xml", "<w/>")
    elif case == "truncated":
        p = tmp_path / "cut.xlsx"
        p.write_bytes(seed_workbook.read_bytes()[:9000])
    elif case == "password":
        p = _encrypted(tmp_path, seed_workbook)
    elif case == "missing_sheet":
        p = _missing_sheet(tmp_path, seed_workbook)
    elif case == "no_such_path":
        p = tmp_path / "khong_co.xlsx"
    elif case == "empty":
        p = tmp_path / "empty.xlsx"
        p.write_bytes(b"")
    else:
        p = tmp_path
    r = run_cchc("export", p)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert expect in r.stderr and "Traceback" not in r.stderr
    assert str(p.name) in r.stderr or case == "directory"


# ------------------------------------------------------------------------------- versions
def _older(seed_workbook: Path, out: Path, version: str, drop_rows: tuple[str, ...]) -> Path:
    """The seed as if cut from the template of catalogue `version`, which lacked `drop_rows`
    (their names and STT codes gone, as in a template made before they were added)."""
    wb = load_workbook(seed_workbook)
    for row in wb["_cchc"].iter_rows():
        if row[0].value == "catalogue_version":
            row[1].value = version
    for ref in drop_rows:
        form, code = ref.split(":")
        name = f"BM{form}_{code.replace('.', '_')}"
        ((sheet, coord),) = list(wb.defined_names[name].destinations)
        del wb.defined_names[name]
        r = wb[sheet][coord.replace("$", "")].row
        wb[sheet].cell(r, 1).value = None
    wb.save(out)
    return out


def test_a_workbook_of_an_older_catalogue_gets_one_finding_naming_both_versions(tmp_path, seed_workbook, catalogue):
    from cchc import app

    path = _older(seed_workbook, tmp_path / "cu.xlsx", "2024.3", ("3:2.3.1", "7:3.2"))
    loaded = app.load(path)
    read = [f for f in app.check(loaded) if f.rule_id.startswith("read.")]
    assert [(f.rule_id, f.severity) for f in read] == [("read.version", "error")]
    assert read[0].message == (
        f"Tệp làm theo biểu mẫu phiên bản «2024.3», cchc đang dùng phiên bản «{catalogue.version}»: "
        "tệp thiếu 2 dòng chỉ tiêu của phiên bản mới (3:2.3.1, 7:3.2), các dòng này được coi là chưa có số liệu. "
        "Hãy chép số liệu sang biểu mẫu mới (cchc template) rồi nhập các dòng còn thiếu.")
    assert loaded.data.value("3:2.3.1") is None


def test_an_older_version_with_every_row_present_is_only_noted(tmp_path, seed_workbook, catalogue):
    from cchc import app

    path = _older(seed_workbook, tmp_path / "cu.xlsx", "2024.3", ())
    read = [f for f in app.check(app.load(path)) if f.rule_id.startswith("read.")]
    assert [(f.rule_id, f.severity) for f in read] == [("read.version", "info")]
    assert "«2024.3»" in read[0].message and f"«{catalogue.version}»" in read[0].message


def test_the_same_version_missing_a_row_names_the_row(tmp_path, seed_workbook):
    from cchc import app

    path = _older(seed_workbook, tmp_path / "hong.xlsx", "2025.1", ("3:2.3.1",))
    read = [f for f in app.check(app.load(path)) if f.rule_id.startswith("read.")]
    assert [(f.rule_id, f.ref) for f in read] == [("read.missing_row", "3:2.3.1")]
