"""The annual SIPAS / PAR Index workbook (chi_so): template, names, round trip, computations
on the seed's figures (UBND xã Nam Cường, 2025), checks, province-edited schemes, bad input."""

from __future__ import annotations

import copy
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from cchc.catalogue import load_catalogue
from cchc.kinds.chi_so.analysis import analyse, scheme_of
from cchc.kinds.chi_so.checks import check_chi_so
from cchc.demo import demo_data
from cchc.errors import CchcError
from cchc.office import convert
from cchc.workbook.fill import fill_workbook
from cchc.workbook.reader import read_workbook
from cchc.workbook.template import build_template

ROOT = Path(__file__).resolve().parents[1]
SEED_SCORES = [7.75, 7, 12, 5, 7.5, 7, 8.46, 8.5, 2.3]
SEED_MAXIMA = [10, 7, 15, 10, 12, 10, 14, 12, 10]


def run_cchc(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cchc", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue("chi_so")


@pytest.fixture(scope="module")
def cs_template(tmp_path_factory) -> Path:
    """Built by the command an officer runs."""
    path = tmp_path_factory.mktemp("cs") / "chi_so.xlsx"
    r = run_cchc("template", "--kind", "chi-so", "-o", path)
    assert r.returncode == 0, r.stderr
    return path


@pytest.fixture(scope="module")
def nam_cuong(tmp_path_factory, cs_template, cat) -> Path:
    out = tmp_path_factory.mktemp("nc") / "nam_cuong.xlsx"
    fill_workbook(cs_template, demo_data("chi_so"), out, cat)
    return out


@pytest.fixture
def make(tmp_path, cs_template, cat):
    def _make(edit=None, name="cs.xlsx") -> Path:
        data = copy.deepcopy(demo_data("chi_so"))
        if edit:
            edit(data)
        out = tmp_path / name
        fill_workbook(cs_template, data, out, cat)
        return out

    return _make


# ------------------------------------------------------------------------------- template
def test_template_has_the_sheets_the_maxima_and_a_marker_of_its_kind(cs_template):
    wb = load_workbook(cs_template)
    assert wb.sheetnames == ["Thông tin chung", "Thuyết minh", "BMPAR", "BMSIPAS", "_cchc", "_kiemtra"]
    meta = {r[0].value: r[1].value for r in wb["_cchc"].iter_rows()}
    assert meta["catalogue_id"] == "chi_so"
    par = wb["BMPAR"]
    assert [par.cell(r, 3).value for r in range(6, 15)] == SEED_MAXIMA
    assert [par.cell(4, c).value for c in range(1, 10)] == [
        "STT", "Lĩnh vực đánh giá", "Điểm tối đa", "Điểm đạt được", "Ghi chú",
        "Tỷ lệ đạt được (%)", "Kết quả đạt được", "Hạn chế", "Giải pháp"]
    assert par.cell(15, 2).value == "Tổng số điểm"
    # A score above the field's maximum is refused by Excel itself (the checks catch the rest).
    def bounds(cell):
        return [(d.formula1, d.formula2) for d in par.data_validations.dataValidation if cell in d.sqref]

    for r, maximum in zip(range(6, 15), SEED_MAXIMA):
        assert bounds(f"D{r}") == [("0", str(maximum))]


def test_every_documented_name_exists_and_points_where_the_doc_says(cs_template):
    doc = (ROOT / "docs" / "chi-so.md").read_text(encoding="utf-8")
    wb = load_workbook(cs_template)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
    documented = set()
    for token in re.findall(r"`((?:BM|TT_|TM_|TD_|KT_)[A-Za-z0-9_<>]+)`", doc):
        if "<same>" in token:
            continue
        for code in range(1, 10):
            documented.add(token.replace("<code>", str(code)).replace("<n>", str(min(code, 6))))
    assert {"BMPAR_1", "BMPAR_9_KQ", "BMSIPAS_1_6", "TT_PAR_TONG", "TM_II_1_3"} <= documented
    assert "TM_III" not in names  # the solutions are per field, in column I
    assert sorted(n for n in documented if n not in names) == []
    # Every name of the template is documented (the TD_ switches as "TD_<same>").
    undocumented = sorted(n for n in names if n not in documented
                          and not (n.startswith("TD_") and "TM_" + n[3:] in documented))
    assert undocumented == []
    assert names["BMPAR_9"] == "'BMPAR'!$D$14" and names["BMPAR_9_GP"] == "'BMPAR'!$I$14"
    assert names["BMSIPAS_1_6"] == "'BMSIPAS'!$D$12"


# ------------------------------------------------------------------------------- round trip
def test_fill_then_export_gives_back_scores_texts_and_information(tmp_path, cs_template):
    data = demo_data("chi_so")
    src = tmp_path / "nc.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "nc.xlsx"
    r = run_cchc("fill", cs_template, "--data", src, "-o", out)
    assert r.returncode == 0, r.stderr
    r = run_cchc("export", out)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["kind"] == "chi_so"
    assert got["problems"] == []
    assert got["values"] == {"PAR": {str(i + 1): v for i, v in enumerate(SEED_SCORES)},
                             "SIPAS": data["values"]["SIPAS"]}
    assert got["texts"] == data["texts"]
    assert got["narrative"] == data["narrative"]
    assert {k: v for k, v in got["info"].items()} == data["info"] | {"ma_dvhc": None}
    assert got["info"]["par_tong"] == 65.51


def test_fill_refuses_a_text_column_that_does_not_exist(tmp_path, cs_template, cat):
    data = {"texts": {"PAR": {"1": {"XX": "?"}, "12": {"KQ": "?"}}}}
    with pytest.raises(CchcError, match=r"PAR:12:KQ, PAR:1:XX"):
        fill_workbook(cs_template, data, tmp_path / "x.xlsx", cat)


def test_names_deleted_fall_back_to_stt_codes_and_headings(tmp_path, nam_cuong):
    wb = load_workbook(nam_cuong)
    for name in list(wb.defined_names):
        del wb.defined_names[name]
    out = tmp_path / "nonames.xlsx"
    wb.save(out)
    a, b = read_workbook(nam_cuong), read_workbook(out)
    assert b.values == a.values and b.extra["texts"] == a.extra["texts"] and b.info == a.info
    assert b.extra["texts"]["PAR"]["9"]["HC"].startswith("Chỉ số hài lòng về sự phục vụ")


def test_libreoffice_computes_the_same_total_and_percentages(tmp_path, soffice, nam_cuong, cat):
    recalculated = convert(nam_cuong, "xlsx", tmp_path / "lo")
    grid = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name("BMPAR").to_python()
    a = analyse(read_workbook(nam_cuong), cat)
    for i, f in enumerate(a.fields):
        assert math.isclose(grid[5 + i][5], f.pct, abs_tol=1e-9), f.code
    total_row = grid[5 + len(a.fields)]
    assert total_row[1] == "Tổng số điểm"
    assert math.isclose(total_row[2], 100) and math.isclose(total_row[3], 65.51, abs_tol=1e-9)
    # A workbook saved by LibreOffice reads the same.
    b = read_workbook(recalculated)
    assert b.problems == [] and b.values == read_workbook(nam_cuong).values
    assert b.extra["texts"] == read_workbook(nam_cuong).extra["texts"]


# ------------------------------------------------------------------------------- computations
def test_seed_total_rating_and_weakest_fields(nam_cuong, cat):
    a = analyse(read_workbook(nam_cuong), cat)
    assert [f.score for f in a.fields] == SEED_SCORES
    assert [f.max for f in a.fields] == SEED_MAXIMA
    assert round(a.total, 2) == 65.51 and a.max_total == 100
    assert a.rating == "Trung bình" and a.rating_for_text == "Trung bình"
    assert not a.total_disagrees
    order = [(f.short, round(f.pct, 2)) for f in a.weakest()]
    assert order[:2] == [("Tác động của CCHC đến phát triển KT-XH", 23.0), ("Cải cách tổ chức bộ máy", 50.0)]
    assert [f.code for f in a.weakest()] == ["9", "4", "7", "5", "6", "8", "1", "3", "2"]
    # Below the overall 65,51%: the fields the report lists as weak.
    assert [f.code for f in a.weak_fields()] == ["9", "4", "7", "5"]
    assert [f.code for f in a.strong_fields()] == ["2", "3"]
    assert (a.rank, a.units) == (78, 92)
    # SIPAS: the two 83,38% criteria are below 87,70%.
    assert a.sipas_overall == 87.7
    assert [(c.code, c.pct) for c in a.criteria_below()] == [("1.5", 83.38), ("1.6", 83.38)]
    assert [c.code for c in a.criteria_at_or_above()] == ["1.1", "1.2", "1.3", "1.4"]


@pytest.mark.parametrize("total,rating", [(80, "Tốt"), (79.99, "Khá"), (70, "Khá"), (65.51, "Trung bình"),
                                          (60, "Trung bình"), (59.99, "Yếu"), (0, "Yếu")])
def test_rating_bands_are_inclusive_at_their_minimum(cat, total, rating):
    assert scheme_of(cat).rating(total) == rating


# ------------------------------------------------------------------------------- checks
def _by_rule(findings, rule):
    return [f for f in findings if f.rule_id == rule]


def test_the_seed_has_no_error_and_no_warning(nam_cuong, cat):
    findings = check_chi_so(read_workbook(nam_cuong), cat)
    assert [f for f in findings if f.severity != "info"] == []
    summary = _by_rule(findings, "chi_so.summary")[0]
    assert "65,51/100" in summary.message and "Trung bình" in summary.message
    assert summary.values["weakest"] == ["9", "4", "7", "5"]
    below = _by_rule(findings, "chi_so.sipas_below")
    assert [(f.cell, f.code) for f in below] == [("D11", "1.5"), ("D12", "1.6")]
    assert "83,38%" in below[0].message and "87,70%" in below[0].message


def test_a_field_above_its_maximum_is_an_error_at_its_cell(make, cat):
    def edit(d):
        d["values"]["PAR"]["4"] = 11
        d["info"]["par_tong"] = 71.51
    data = read_workbook(make(edit))
    [f] = _by_rule(check_chi_so(data, cat), "chi_so.score_max")
    assert (f.severity, f.sheet, f.cell, f.form, f.code) == ("error", "BMPAR", "D9", "PAR", "4")
    assert "Cải cách tổ chức bộ máy hành chính" in f.message and "11" in f.message and "10" in f.message


def test_a_published_total_that_disagrees_is_a_warning(make, cat):
    data = read_workbook(make(lambda d: d["info"].update(par_tong=66.51)))
    findings = check_chi_so(data, cat)
    [f] = _by_rule(findings, "chi_so.total")
    assert (f.severity, f.sheet, f.code) == ("warning", "Thông tin chung", "par_tong")
    assert f.cell == data.info_cells["par_tong"].a1
    assert "66,51" in f.message and "65,51" in f.message and "chênh 1 điểm" in f.message
    assert [x for x in findings if x.severity == "error"] == []


def test_a_total_within_one_hundredth_agrees(make, cat):
    data = read_workbook(make(lambda d: d["info"].update(par_tong=65.515)))
    assert _by_rule(check_chi_so(data, cat), "chi_so.total") == []
    data = read_workbook(make(lambda d: d["info"].update(par_tong=65.53)))
    assert len(_by_rule(check_chi_so(data, cat), "chi_so.total")) == 1


def test_a_rating_that_is_not_the_band_of_the_total_is_a_warning(make, cat):
    data = read_workbook(make(lambda d: d["info"].update(par_xep_loai="Khá")))
    [f] = _by_rule(check_chi_so(data, cat), "chi_so.rating")
    assert f.severity == "warning" and "«Khá»" in f.message and "«Trung bình»" in f.message
    assert "từ 60% đến dưới 70%" in f.message


def test_a_rank_beyond_the_number_of_units_is_an_error(make, cat):
    data = read_workbook(make(lambda d: d["info"].update(par_xep_hang=93)))
    [f] = _by_rule(check_chi_so(data, cat), "chi_so.rank")
    assert f.severity == "error" and "93" in f.message and "92" in f.message


def test_a_blank_score_is_an_error_and_no_total_is_made_up(make, cat):
    data = read_workbook(make(lambda d: d["values"]["PAR"].update({"6": None})))
    findings = check_chi_so(data, cat)
    [blank] = _by_rule(findings, "chi_so.score_missing")
    assert (blank.severity, blank.cell) == ("error", "D11")
    assert analyse(data, cat).total is None
    assert _by_rule(findings, "chi_so.total") == [] and _by_rule(findings, "chi_so.summary") == []


def test_missing_limitations_and_solutions_are_warnings(make, cat):
    def edit(d):
        del d["texts"]["PAR"]["4"]["HC"]
        del d["texts"]["PAR"]["9"]["GP"]
        del d["texts"]["PAR"]["2"]["GP"]  # 7/7: nothing to solve, no warning
    findings = check_chi_so(read_workbook(make(edit)), cat)
    [hc] = _by_rule(findings, "chi_so.limitation_text")
    [gp] = _by_rule(findings, "chi_so.solution_text")
    assert (hc.code, hc.cell, hc.severity) == ("4", "H9", "warning")
    assert (gp.code, gp.cell) == ("9", "I14")
    assert "23%" in gp.message and "65,51%" in gp.message


# ------------------------------------------------------------------------------- the scheme is data
def test_a_province_changes_maxima_and_bands_without_python(tmp_path):
    text = (ROOT / "addin" / "cchc" / "kinds" / "chi_so" / "chi_so.toml").read_text(encoding="utf-8")
    # Field 9 worth 12 points instead of 10 (total 102), and "Khá" from 64%.
    text = text.replace('short = "Tác động của CCHC đến phát triển KT-XH"\ntype = "score"\nmax = 10',
                        'short = "Tác động của CCHC đến phát triển KT-XH"\ntype = "score"\nmax = 12')
    text = text.replace('name = "Khá"\nmin = 70', 'name = "Khá"\nmin = 64')
    (tmp_path / "chi_so.toml").write_text(text, encoding="utf-8")
    cat = load_catalogue("chi_so", str(tmp_path))
    template = tmp_path / "mau.xlsx"
    build_template(template, cat)
    assert load_workbook(template)["BMPAR"]["C14"].value == 12
    out = tmp_path / "xa.xlsx"
    fill_workbook(template, demo_data("chi_so"), out, cat)
    a = analyse(read_workbook(out, cat), cat)
    assert a.max_total == 102 and round(a.total_pct, 2) == 64.23
    assert a.rating == "Khá"
    assert a.fields[-1].pct == pytest.approx(2.3 / 12 * 100)


@pytest.mark.parametrize("old,new,expect", [
    ('name = "Khá"\nmin = 70', 'name = "Khá"\nmin = 85', "từ cao xuống thấp"),
    ('name = "Yếu"\nmin = 0', 'name = "Kém"\nmin = 0', "Xếp loại"),
    ('type = "score"\nmax = 7', 'type = "score"', "điểm tối đa"),
])
def test_an_inconsistent_scheme_is_refused_in_vietnamese(tmp_path, old, new, expect):
    text = (ROOT / "addin" / "cchc" / "kinds" / "chi_so" / "chi_so.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "chi_so.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CchcError, match=expect):
        scheme_of(load_catalogue("chi_so", str(tmp_path)))


# ------------------------------------------------------------------------------- bad input
def _encrypted(tmp_path: Path, src: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = tmp_path / "mat_khau.xlsx"
    with open(src, "rb") as fin, open(out, "wb") as fout:
        OOXMLFile(fin).encrypt("matkhau", fout)
    return out


@pytest.mark.parametrize("case,expect", [
    ("not_workbook", "không phải sổ tính"),
    ("truncated", "bị cắt cụt"),
    ("password", "mật khẩu"),
    ("missing_sheet", "BMPAR"),
    ("no_such_path", "Không tìm thấy"),
])
def test_bad_input_gives_a_vietnamese_message_and_exit_2(tmp_path, nam_cuong, case, expect):
    if case == "not_workbook":
        p = tmp_path / "chi_so.xlsx"
        p.write_text("Đây không phải Excel", encoding="utf-8")
    elif case == "truncated":
        p = tmp_path / "cut.xlsx"
        p.write_bytes(nam_cuong.read_bytes()[:9000])
    elif case == "password":
        p = _encrypted(tmp_path, nam_cuong)
    elif case == "missing_sheet":
        wb = load_workbook(nam_cuong)
        del wb["BMPAR"]
        p = tmp_path / "thieu_trang.xlsx"
        wb.save(p)
    else:
        p = tmp_path / "khong_co.xlsx"
    r = run_cchc("export", p)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert expect in r.stderr and "Traceback" not in r.stderr
    assert p.name in r.stderr
