"""cchc merge: totals computed independently, ratios recomputed (not averaged), refusals,
the consolidated workbook (read back, and opened by LibreOffice with its chart), JSON, CLI."""

from __future__ import annotations

import copy
import json
import math
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cchc.catalogue import load_catalogue
from cchc.cli import main
from conftest import random_values
from cchc.merge import merge, write_outputs
from cchc.merge import records as S
from cchc.workbook.fill import fill_workbook

# --------------------------------------------------------------------------------- helpers

COMMUNES = [  # (code, name as typed in the workbook)
    ("00004", "UBND xã Hòa Bình"),
    ("00001", "UBND xã Đưng K'Nớ"),
    ("00003", "UBND phường Thủy Xuân"),
    ("00002", "UBND xã An Khánh"),
    ("00006", "UBND xã Tân Lập"),
    ("00005", "UBND xã Phú Lộc"),
]


def commune_data(seed_data, code, name, values, ky="Quý I", nam=2025, ngay_ky="2025-03-07"):
    d = copy.deepcopy(seed_data)
    d["info"].update({"ma_dvhc": code, "don_vi": name, "ky": ky, "nam": nam, "ngay_ky": ngay_ky})
    d["values"] = values
    d["notes"] = {}
    return d


def expected_totals(cat, units_values: list[dict]) -> dict[str, dict]:
    """The totals, computed here from the data written, without the merge code."""
    out = {}
    for row in cat.input_rows():
        vals = [uv[row.form][row.code] for uv in units_values if uv[row.form][row.code] is not None]
        e = {"n": len(vals)}
        if row.type in ("count", "money", "pct"):
            # As the catalogue says the row adds up: 3:1 (the procedures a commune publishes)
            # is averaged, not summed.
            if row.aggregate == "sum":
                e["sum"] = math.fsum(vals) if vals else None
            else:
                e["mean"] = math.fsum(vals) / len(vals) if vals else None
            e["min"] = min(vals) if vals else None
            e["max"] = max(vals) if vals else None
        elif row.type == "flag":
            e["yes"] = sum(1 for v in vals if v == 1)
        elif row.type == "choice":
            e["counts"] = {str(c): sum(1 for v in vals if v == c) for c, _ in row.choices}
        out[row.ref] = e
    for row in (r for r in cat.rows() if r.type == "ratio"):
        num, den = out[f"{row.form}:{row.num}"]["sum"], out[f"{row.form}:{row.den}"]["sum"]
        out[row.ref] = {"value": num / den * 100 if num is not None and den else None}
    return out


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, template_path, seed_data, catalogue):
    """Six communes with random values (seeded), in nested folders, plus their data."""
    root = tmp_path_factory.mktemp("communes")
    rng = random.Random(20250701)
    datas = []
    for i, (code, name) in enumerate(COMMUNES):
        values = random_values(catalogue, rng)
        sub = root / ("huyen_a" if i % 2 else "huyen_b")
        sub.mkdir(exist_ok=True)
        fill_workbook(template_path, commune_data(seed_data, code, name, values), sub / f"xa_{i}.xlsx", catalogue)
        datas.append(values)
    return root, datas


# --------------------------------------------------------------------------------- totals
def test_totals_match_an_independent_computation(synthetic, catalogue):
    root, datas = synthetic
    result = merge([root])
    assert len(result.merged_units) == len(COMMUNES)
    assert result.exit_code == 0
    want = expected_totals(catalogue, datas)
    got = result.totals.summaries
    checked = 0
    for row in catalogue.rows():
        if row.type == "group":
            continue
        e, g = want[row.ref], got[row.ref]
        if row.type in ("count", "money") and row.aggregate == "sum":
            assert g["n"] == e["n"], row.ref
            assert _close(g["sum"], e["sum"]), (row.ref, g, e)
            assert _close(result.totals.value(row.ref), e["sum"])
            # The lowest and highest leave out the units whose value the checks found wrong.
            wrong = result.value_errors.get(row.ref, {})
            kept = [d[row.form][row.code] for (code, _), d in zip(COMMUNES, datas)
                    if code not in wrong and d[row.form][row.code] is not None]
            assert (g["min"], g["max"]) == ((min(kept), max(kept)) if kept else (None, None)), row.ref
            assert g["excluded"] == sum(1 for (code, _), d in zip(COMMUNES, datas)
                                        if code in wrong and d[row.form][row.code] is not None)
            assert "mean" not in g
        elif row.type in ("count", "money"):
            assert g["n"] == e["n"] and "sum" not in g, row.ref
            assert _close(g["mean"], e["mean"]), (row.ref, g, e)
            assert _close(result.totals.value(row.ref), e["mean"])
        elif row.type == "ratio":
            assert _close(g["value"], e["value"]), (row.ref, g, e)
            assert _close(result.totals.ratio(row.ref), e["value"])
        elif row.type == "pct":
            assert g["n"] == e["n"]
            assert _close(g["mean"], e["mean"]), (row.ref, g, e)
            if not result.value_errors.get(row.ref):
                for k in ("min", "max"):
                    assert _close(g[k], e[k]), (row.ref, k, g, e)
        elif row.type == "flag":
            assert (g["yes"], g["n"]) == (e["yes"], e["n"]), row.ref
        elif row.type == "choice":
            assert (g["counts"], g["n"]) == (e["counts"], e["n"]), row.ref
        checked += 1
    assert checked > 80


def test_units_are_in_code_order_whatever_the_folder_order(synthetic):
    root, _ = synthetic
    result = merge([root])
    assert [u.code for u in result.merged_units] == sorted(c for c, _ in COMMUNES)


def test_ratio_is_recomputed_from_sums_not_averaged(tmp_path, template_path, seed_data, catalogue):
    base = copy.deepcopy(seed_data["values"])
    a = copy.deepcopy(base)
    a["7"].update({"3.1": 10, "3.2": 10})  # 100 %
    b = copy.deepcopy(base)
    b["7"].update({"3.1": 90, "3.2": 0})  # 0 %
    fill_workbook(template_path, commune_data(seed_data, "00001", "UBND xã A", a), tmp_path / "a.xlsx", catalogue)
    fill_workbook(template_path, commune_data(seed_data, "00002", "UBND xã B", b), tmp_path / "b.xlsx", catalogue)
    result = merge([tmp_path])
    per_unit = result.unit_ratios["7:3"].tolist()
    assert per_unit == [100.0, 0.0]
    assert sum(per_unit) / 2 == 50.0  # what averaging would say
    assert result.totals.ratio("7:3") == pytest.approx(10.0)  # 10 / 100
    assert result.totals.value("7:3.1") == 100 and result.totals.value("7:3.2") == 10


def test_blank_is_not_zero(tmp_path, template_path, seed_data, catalogue):
    a = copy.deepcopy(seed_data["values"])
    a["4"]["1.1"] = 80.0  # pct
    a["3"]["2.1.1"] = 5
    b = copy.deepcopy(seed_data["values"])
    b["4"].pop("1.1", None)
    b["3"].pop("2.1.1", None)
    fill_workbook(template_path, commune_data(seed_data, "00001", "UBND xã A", a), tmp_path / "a.xlsx", catalogue)
    fill_workbook(template_path, commune_data(seed_data, "00002", "UBND xã B", b), tmp_path / "b.xlsx", catalogue)
    result = merge([tmp_path])
    pct = result.totals.summaries["4:1.1"]
    assert (pct["n"], pct["mean"], pct["min"]) == (1, 80, 80)  # B's blank is not a 0
    assert result.totals.summaries["3:2.1.1"]["n"] == 1
    assert result.totals.value("4:3.1") is None  # nobody gave it: blank, not 0
    assert result.totals.ratio("1:3.2") is None


# --------------------------------------------------------------------------------- refusals
@pytest.fixture
def messy(tmp_path, template_path, seed_data, catalogue):
    """Units A–F expected; A, C merge; B sent twice; D sent nothing; E sent Quý III;
    F's file is corrupt; plus a password-protected file, a .docx and a .pdf."""
    root = tmp_path / "nop"
    root.mkdir()
    rng = random.Random(7)
    vals = {k: random_values(catalogue, rng) for k in "ABCE"}
    fill_workbook(template_path, commune_data(seed_data, "00001", "UBND xã Hòa Bình", vals["A"]), root / "a.xlsx", catalogue)
    # B twice: the second signed later.
    fill_workbook(template_path, commune_data(seed_data, "00002", "UBND xã Đưng K'Nớ", vals["B"]), root / "b_cu.xlsx", catalogue)
    b2 = copy.deepcopy(vals["B"])
    b2["7"]["3.1"], b2["7"]["3.2"] = 1000, 999
    fill_workbook(template_path, commune_data(seed_data, "00002", "UBND xã Đưng K'Nớ", b2, ngay_ky="2025-03-12"),
                  root / "b_moi.xlsx", catalogue)
    # C without its code, named with another tone placement and apostrophe than the list.
    fill_workbook(template_path, commune_data(seed_data, None, "UBND xã Thủy K’Lơ", vals["C"]), root / "c.xlsx", catalogue)
    fill_workbook(template_path, commune_data(seed_data, "00005", "UBND xã E", vals["E"], ky="Quý III"),
                  root / "e.xlsx", catalogue)
    good = (root / "a.xlsx").read_bytes()
    (root / "f_hong.xlsx").write_bytes(good[: len(good) // 3])
    # A real password-protected workbook (Excel's "Encrypt with password").
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(root / "a.xlsx", "rb") as fin, open(root / "mat_khau.xlsx", "wb") as fout:
        OOXMLFile(fin).encrypt("matkhau", fout)
    (root / "ghi_chu.docx").write_bytes(b"PK\x03\x04 not really")
    (root / "scan.pdf").write_bytes(b"%PDF-1.4")
    units = tmp_path / "don_vi.csv"
    units.write_text(
        "mã;tên;nhóm\n00001;Xã Hoà Bình;Huyện cũ 1\n2;Xã Đưng K'Nớ;Huyện cũ 1\n00003;Xã Thuỷ K'Lơ;Huyện cũ 2\n"
        "00004;Xã Chưa Nộp;Huyện cũ 2\n00005;Xã E;Huyện cũ 2\n00006;Xã F;Huyện cũ 2\n",
        encoding="utf-8-sig",
    )
    return root, units, vals, b2


def _state(result, name):
    return next(f for f in result.files if Path(f.path).name == name)


def test_each_refusal_is_reported_and_the_rest_merges(messy, catalogue):
    root, units, vals, _ = messy
    result = merge([root], units_csv=units, period="Quý I", year=2025)
    assert [u.code for u in result.merged_units] == ["00001", "00003"]
    assert _state(result, "b_cu.xlsx").state == S.DUPLICATE
    assert _state(result, "b_moi.xlsx").state == S.DUPLICATE
    assert "--prefer-newest" in _state(result, "b_cu.xlsx").reason
    e = _state(result, "e.xlsx")
    assert e.state == S.WRONG_PERIOD and "Quý III năm 2025" in e.reason and "Quý I năm 2025" in e.reason
    assert _state(result, "f_hong.xlsx").state == S.UNREADABLE
    assert "hỏng" in _state(result, "f_hong.xlsx").reason
    assert _state(result, "mat_khau.xlsx").state == S.UNREADABLE
    assert "mật khẩu" in _state(result, "mat_khau.xlsx").reason
    assert _state(result, "ghi_chu.docx").state == S.SKIPPED
    assert _state(result, "scan.pdf").state == S.SKIPPED
    states = {u.code: u.state for u in result.units}
    assert states == {"00001": "submitted", "00002": "excluded", "00003": "submitted",
                      "00004": "missing", "00005": "excluded", "00006": "missing"}
    assert result.reporting == (2, 6)
    assert result.exit_code == 1
    # The rest is merged: totals are A + C exactly.
    want = expected_totals(catalogue, [vals["A"], vals["C"]])
    assert _close(result.totals.value("3:2.3.1"), want["3:2.3.1"]["sum"])
    assert _close(result.totals.ratio("7:3"), want["7:3"]["value"])


def test_prefer_newest_uses_the_later_file_and_lists_the_other(messy, catalogue):
    root, units, vals, b2 = messy
    result = merge([root], units_csv=units, period="Quý I", year=2025, prefer_newest=True)
    assert _state(result, "b_moi.xlsx").state == S.MERGED
    old = _state(result, "b_cu.xlsx")
    assert old.state == S.SUPERSEDED and "b_moi.xlsx" in old.reason
    assert [u.code for u in result.merged_units] == ["00001", "00002", "00003"]
    want = expected_totals(catalogue, [vals["A"], b2, vals["C"]])
    assert _close(result.totals.value("7:3.1"), want["7:3.1"]["sum"])


def test_without_a_period_the_majority_decides_and_the_other_is_excluded(messy):
    root, units, _, _ = messy
    result = merge([root], units_csv=units)
    assert result.plan.period == {"ky": "Quý I", "nam": 2025}
    assert _state(result, "e.xlsx").state == S.WRONG_PERIOD


def test_a_unit_outside_the_list_is_excluded(messy, tmp_path):
    root, _, _, _ = messy
    short = tmp_path / "it.csv"
    short.write_text("code,name\n00001,Xã Hoà Bình\n", encoding="utf-8")
    result = merge([root], units_csv=short, period="Quý I", year=2025)
    c = _state(result, "c.xlsx")
    assert c.state == S.NOT_EXPECTED and "danh sách" in c.reason
    assert result.reporting == (1, 1)


def test_another_catalogue_version_merges_only_when_codes_agree(tmp_path, seed_workbook):
    same = tmp_path / "cu_cung_ma.xlsx"
    wb = openpyxl.load_workbook(seed_workbook)
    wb["_cchc"]["B2"] = "2024.9"
    wb["Thông tin chung"]  # untouched
    wb.save(same)
    other = tmp_path / "cu_khac_ma.xlsx"
    wb = openpyxl.load_workbook(seed_workbook)
    wb["_cchc"]["B2"] = "2024.9"
    del wb.defined_names["BM7_3_2"]
    # and a unit of its own, so the two are not duplicates
    info_cell = wb.defined_names["TT_DON_VI"].attr_text.split("!")[1].replace("$", "")
    wb["Thông tin chung"][info_cell] = "UBND xã Khác"
    wb.save(other)
    result = merge([tmp_path])
    a, b = _state(result, "cu_cung_ma.xlsx"), _state(result, "cu_khac_ma.xlsx")
    assert a.state == S.MERGED
    assert any("2024.9" in f.message and f.severity == "warning" for f in a.findings)
    assert b.state == S.WRONG_VERSION and "thiếu 7:3.2" in b.reason


def test_mixing_kinds_is_refused_with_a_clear_message(tmp_path, seed_workbook):
    from cchc.demo import write_demo_workbook
    from cchc.errors import CchcError

    (tmp_path / "ky.xlsx").write_bytes(seed_workbook.read_bytes())
    write_demo_workbook(tmp_path, "chi_so", "chi_so.xlsx")
    with pytest.raises(CchcError) as exc:
        merge([tmp_path])
    assert "nhiều loại báo cáo" in exc.value.message and "--kind" in exc.value.message
    result = merge([tmp_path], kind="ky")
    assert _state(result, "chi_so.xlsx").state == S.WRONG_KIND
    assert len(result.merged_units) == 1


def test_chi_so_workbooks_merge_on_their_own(tmp_path):
    from cchc.demo import write_demo_workbook

    write_demo_workbook(tmp_path, "chi_so", "chi_so.xlsx")
    result = merge([tmp_path])
    assert result.catalogue.id == "chi_so" and len(result.merged_units) == 1
    assert result.plan.period == {"nam": 2025}
    out = tmp_path / "out" / "TONG_HOP.xlsx"
    out.parent.mkdir()
    write_outputs(result, out)
    assert "Tổng hợp" in openpyxl.load_workbook(out, read_only=True).sheetnames


# --------------------------------------------------------------------------------- workbook
@pytest.fixture
def written(messy, tmp_path):
    root, units, _, _ = messy
    result = merge([root], units_csv=units, period="Quý I", year=2025)
    out = tmp_path / "TONG_HOP.xlsx"
    write_outputs(result, out, json_path=tmp_path / "TONG_HOP.json")
    return result, out, tmp_path / "TONG_HOP.json"


def _totals_cell(ws, form_title: str, code: str, col: int = 4):
    in_form = False
    for row in ws.iter_rows(min_row=1):
        a = row[0].value
        if isinstance(a, str) and a.startswith(form_title):
            in_form = True
            continue
        if in_form and a == code:
            return row[col - 1].value
    raise KeyError(code)


def test_consolidated_workbook_holds_totals_details_status_findings_and_ranking(written, catalogue):
    result, out, _ = written
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết theo đơn vị", "Tình hình nộp báo cáo", "Kiểm tra", "Xếp hạng"]
    tot = wb["Tổng hợp"]
    assert _totals_cell(tot, "Biểu mẫu 3", "2.3.1") == result.totals.value("3:2.3.1")
    assert _totals_cell(tot, "Biểu mẫu 7", "3") == pytest.approx(result.totals.ratio("7:3"))
    how = _totals_cell(tot, "Biểu mẫu 7", "3", col=8)
    assert "không lấy trung bình" in how

    det = wb["Chi tiết theo đơn vị"]
    header1 = [c.value for c in det[1]]
    header2 = [c.value for c in det[2]]
    col = header1.index("7:3.1")
    assert header2[col] == catalogue.row("7:3.1").short
    assert det.freeze_panes == det.cell(3, header1.index("1:1") + 1).coordinate
    assert det.auto_filter.ref.startswith("A2:")
    rows = list(det.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["00001", "00003"]
    assert sum(r[col] for r in rows if r[col] is not None) == result.totals.value("7:3.1")

    st = wb["Tình hình nộp báo cáo"]
    text = "\n".join(str(c.value) for row in st.iter_rows() for c in row if c.value is not None)
    # 00002 (two files) and 00005 (another quarter) sent their reports, though not merged.
    assert "Quý I năm 2025: đã nộp 4/6 đơn vị (66,67%), đã tổng hợp 2/6 đơn vị (33,33%)" in text
    for name in ("Xã Chưa Nộp", "f_hong.xlsx", "mat_khau.xlsx", "ghi_chu.docx", "b_cu.xlsx", "b_moi.xlsx", "e.xlsx"):
        assert name in text, name
    assert "Chưa nộp" in text and "Huyện cũ 2" in text

    chk = wb["Kiểm tra"]
    head = [c.value for c in chk[3]]
    assert head[:3] == ["Mã ĐVHC", "Đơn vị", "Tệp"] and "Ô" in head
    found = list(chk.iter_rows(min_row=4, values_only=True))
    assert len(found) == sum(len(f.findings) for f in result.files)
    assert all(r[2] for r in found)

    rank = wb["Xếp hạng"]
    assert len(rank._charts) == 1
    assert rank._charts[0].tagname == "barChart"


def test_json_has_export_shape_summaries_and_statuses(written, catalogue):
    result, _, path = written
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == "ky" and data["catalogue_version"] == catalogue.version
    assert set(data["values"]) == {f.id for f in catalogue.forms}
    for row in catalogue.input_rows():
        assert row.code in data["values"][row.form]
    assert data["ratios"]["7"]["3"] == pytest.approx(result.totals.ratio("7:3"))
    assert data["summaries"]["1:5"]["type"] == "flag"
    assert set(data["summaries"]["1:5.2"]["counts"]) == {"0", "1", "2"}
    info = data["info"]
    assert (info["so_don_vi_phai_nop"], info["so_don_vi_da_nop"], info["so_don_vi_tong_hop"]) == (6, 4, 2)
    assert info["ty_le_nop"] == pytest.approx(400 / 6) and info["ty_le_tong_hop"] == pytest.approx(200 / 6)
    assert data["summaries"]["3:1"]["aggregate"] == "mean" and data["summaries"]["3:2.3.1"]["aggregate"] == "sum"
    assert set(data["ranking"]) == {"7:3", "3:2.3", "1:2", "6:1"}
    status = {u["ma_dvhc"]: u["status"] for u in data["units"]}
    assert status["00004"] == "missing" and status["00002"] == "excluded"
    assert {Path(f["path"]).name: f["status"] for f in data["files"]}["scan.pdf"] == "skipped"


def test_libreoffice_opens_the_consolidated_workbook_and_keeps_its_chart(written, tmp_path, soffice):
    from cchc.office import convert

    result, out, _ = written
    back = convert(out, "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(back) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert charts, "LibreOffice dropped the chart"
    wb = openpyxl.load_workbook(back)
    assert "Xếp hạng" in wb.sheetnames
    det = wb["Chi tiết theo đơn vị"]
    assert det.cell(3, 2).value == "00001"
    tot = wb["Tổng hợp"]
    assert _totals_cell(tot, "Biểu mẫu 3", "2.3.1") == result.totals.value("3:2.3.1")


# --------------------------------------------------------------------------------- CLI
def test_cli_exit_codes_and_summary(messy, tmp_path, capsys, synthetic):
    root, units, _, _ = messy
    out = tmp_path / "th.xlsx"
    code = main(["merge", str(root), "-o", str(out), "--units", str(units), "--period", "Quý I", "--year", "2025"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Tổng hợp Quý I năm 2025: 2/6 đơn vị (33,33%)" in err
    assert "f_hong.xlsx" in err and "Chưa nộp (2)" in err
    assert out.exists()

    good, _ = synthetic
    assert main(["merge", str(good), "-o", str(tmp_path / "ok.xlsx")]) == 0

    only_bad = tmp_path / "hong"
    only_bad.mkdir()
    (only_bad / "x.xlsx").write_bytes(b"PK\x03\x04broken")
    assert main(["merge", str(only_bad), "-o", str(tmp_path / "none.xlsx")]) == 2


def test_outputs_inside_the_folder_are_not_read_back(synthetic, tmp_path):
    root, _ = synthetic
    out = root / "TONG_HOP.xlsx"
    try:
        assert main(["merge", str(root), "-o", str(out)]) == 0
        assert main(["merge", str(root), "-o", str(out)]) == 0  # the first output is not an input
    finally:
        out.unlink(missing_ok=True)


# --------------------------------------------------------------------------------- pieces
def test_units_csv_variants(tmp_path):
    from cchc.merge.units import UnitIndex, read_units_csv

    p = tmp_path / "u.csv"
    p.write_text("5014,Xã Hoà Bình,Huyện A\n05015,Phường K’Nớ\n", encoding="utf-8")
    units = read_units_csv(p)
    assert [(u.code, u.group) for u in units] == [("05014", "Huyện A"), ("05015", "")]
    idx = UnitIndex(units)
    assert idx.find(None, "UBND xã Hòa Bình") is units[0]
    assert idx.find(None, "UBND phường K'Nớ") is units[1]
    assert idx.find(None, "UBND xã Hóa Bình") is units[0]  # only the folded key matches, uniquely
    assert idx.find("09999", "UBND xã Hòa Bình") is None  # an unknown code is not matched on its name


# --------------------------------------------------------------------------------- Word
def test_province_report_has_rate_missing_units_errors_chart_and_appendix(messy, tmp_path, soffice):
    from docx import Document

    from cchc.office import convert

    root, units, vals, _ = messy
    out = tmp_path / "TONG_HOP.docx"
    code = main(["merge", str(root), "-o", str(tmp_path / "th.xlsx"), "--units", str(units),
                 "--period", "Quý I", "--year", "2025", "--report", str(out)])
    assert code == 1
    doc = Document(out)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ("có 4/6 đơn vị đã nộp báo cáo, đạt tỷ lệ 66,67%; 2 đơn vị chưa nộp. Số liệu của 2 đơn vị được "
            "tổng hợp; 2 đơn vị có nộp nhưng báo cáo không tổng hợp được") in text
    assert "Các đơn vị chưa nộp báo cáo (2): Xã Chưa Nộp; Xã F." in text
    assert "f_hong.xlsx" in text and "mat_khau.xlsx" in text
    assert "Tổng hợp kết quả công tác cải cách hành chính Quý I năm 2025" in text
    assert len(doc.inline_shapes) == 1  # the chart of 7:3
    tables_text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Huyện cũ 2" in tables_text  # reporting rate per group
    # The appendix holds the consolidated totals, Vietnamese style.
    from cchc.numbers import format_number, format_pct

    want = expected_totals(load_catalogue("ky"), [vals["A"], vals["C"]])
    assert format_pct(want["7:3"]["value"]) in tables_text
    assert format_number(want["3:2.3.1"]["sum"]) in tables_text
    pdf = convert(out, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 10_000


# --------------------------------------------------------------------------------- extension
def test_a_kind_plugs_in_its_tables_and_ranking(tmp_path, monkeypatch):
    """The merge hooks of a report kind (ReportKind.merge_tables, .ranked) add tables (own
    sheet, JSON key, Word appendix) and ranked indicators, without touching the core."""
    from docx import Document

    from cchc.demo import write_demo_workbook
    from cchc.merge.tables import Column, Table

    def extra_tables(result):
        means = result.frame.mean()
        rows = [[row.code, row.short or row.label, float(means[row.ref])]
                for row in result.catalogue.form("PAR").rows if row.type == "score"]
        return [Table(key="diem_linh_vuc", title="Điểm trung bình theo lĩnh vực", sheet="Điểm lĩnh vực",
                      columns=[Column("Mã"), Column("Lĩnh vực", width=40), Column("Điểm TB", "number")],
                      rows=rows)]

    from cchc.registry import kind_by_id

    kind = kind_by_id("chi_so")  # the kind's hooks, replaced for this test
    monkeypatch.setattr(type(kind), "ranked", ("PAR:1",))
    monkeypatch.setattr(kind, "merge_tables", extra_tables)

    src = tmp_path / "in"
    write_demo_workbook(src, "chi_so", "a.xlsx")
    result = merge([src])
    assert [t.key for t in result.tables] == ["diem_linh_vuc"]
    out = tmp_path / "th.xlsx"
    write_outputs(result, out, json_path=tmp_path / "th.json", report_path=tmp_path / "th.docx")
    wb = openpyxl.load_workbook(out)
    assert "Điểm lĩnh vực" in wb.sheetnames and "Xếp hạng" in wb.sheetnames
    ws = wb["Điểm lĩnh vực"]
    first = [c.value for c in ws[4]]
    par1 = result.catalogue.row("PAR:1")
    assert first[0] == "1" and first[2] == pytest.approx(result.frame["PAR:1"].iloc[0])
    assert par1.type == "score"
    data = json.loads((tmp_path / "th.json").read_text(encoding="utf-8"))
    assert data["tables"]["diem_linh_vuc"]["rows"][0][0] == "1"
    text = "\n".join(c.text for t in Document(tmp_path / "th.docx").tables for r in t.rows for c in r.cells)
    assert "Điểm TB" in text


def test_pandas_and_openpyxl_stay_off_the_command_line_start_up():
    """The single-report click path starts the same CLI: discovering the merge command (and
    importing cchc.merge) must not load pandas, numpy, openpyxl or matplotlib."""
    import subprocess
    import sys

    code = ("import sys, cchc.cli, cchc.merge; cchc.cli.build_parser(); "
            "print(sorted(m for m in ('pandas', 'numpy', 'openpyxl', 'matplotlib', 'docx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
