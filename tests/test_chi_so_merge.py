"""`cchc merge` on chi_so workbooks: the province table of field scores, the ranking, the
rating distribution and the mean per field."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from cchc.catalogue import load_catalogue
from cchc.kinds.chi_so.merge import UnitScores, province_tables
from cchc.demo import demo_data
from cchc.workbook.fill import fill_workbook
from cchc.workbook.template import build_template

OTHERS = {
    "UBND xã Bằng Vân": ("02001", {"1": 9, "2": 7, "3": 14, "4": 9, "5": 11, "6": 9, "7": 12, "8": 11, "9": 8}),
    "UBND phường Đức Xuân": ("02002", {"1": 8, "2": 6, "3": 12, "4": 8, "5": 9, "6": 8, "7": 10, "8": 9, "9": 2.51}),
    "UBND xã Thượng Quan": ("02003", {"9": None}),  # Nam Cường's scores with field 9 blank
}


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    cat = load_catalogue("chi_so")
    folder = tmp_path_factory.mktemp("chi_so_xa")
    template = folder.parent / "mau_chi_so.xlsx"
    build_template(template, cat)
    base = demo_data("chi_so")
    fill_workbook(template, dict(base, info=dict(base["info"], ma_dvhc="02000")), folder / "nam_cuong.xlsx", cat)
    for i, (name, (code, par)) in enumerate(OTHERS.items()):
        d = copy.deepcopy(base)
        d["info"].update(don_vi=name, ma_dvhc=code, par_tong=None, par_xep_loai=None)
        d["values"]["PAR"].update(par)
        d["values"]["SIPAS"]["1"] = 80 + i
        fill_workbook(template, d, folder / f"xa_{i}.xlsx", cat)
    out = folder.parent / "tong_hop.xlsx"
    js = folder.parent / "tong_hop.json"
    r = subprocess.run([sys.executable, "-m", "cchc", "merge", str(folder), "-o", str(out), "--json", str(js)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr + r.stdout
    return out, json.loads(js.read_text(encoding="utf-8"))


def test_scores_of_every_commune_ranked(merged):
    _, data = merged
    t = data["tables"]["chi_so_diem"]
    headers = [c["header"] for c in t["columns"]]
    assert headers[:4] == ["Xếp hạng", "Đơn vị", "Mã ĐVHC", "1. Chỉ đạo, điều hành CCHC (10)"]
    assert headers[-3:] == ["Tổng điểm", "Tỷ lệ", "Xếp loại"]
    got = [(r[0], r[1], round(r[-3], 2) if r[-3] is not None else None, r[-1]) for r in t["rows"]]
    assert got == [
        (1, "UBND xã Bằng Vân", 90.0, "Tốt"),
        (2, "UBND phường Đức Xuân", 72.51, "Khá"),
        (3, "UBND xã Nam Cường", 65.51, "Trung bình"),
        (None, "UBND xã Thượng Quan", None, "Chưa đủ điểm"),
    ]
    nam_cuong = t["rows"][2]
    assert nam_cuong[3:12] == [7.75, 7, 12, 5, 7.5, 7, 8.46, 8.5, 2.3]


def test_rating_distribution_and_mean_per_field(merged):
    _, data = merged
    dist = {r[0]: r[1] for r in data["tables"]["chi_so_xep_loai"]["rows"]}
    assert dist == {"Tốt": 1, "Khá": 1, "Trung bình": 1, "Yếu": 0, "Chưa đủ điểm": 1, "Tổng số": 4}
    rows = {r[0]: r for r in data["tables"]["chi_so_linh_vuc"]["rows"]}
    nine = rows["9"]
    assert nine[3] == pytest.approx((8 + 2.51 + 2.3) / 3) and nine[4] == pytest.approx(42.7)
    assert (nine[5], nine[6], nine[7]) == (2.3, 8, 3)
    assert rows["1"][3] == pytest.approx((9 + 8 + 7.75 + 7.75) / 4)
    total = rows[""]
    assert total[1] == "Tổng số điểm" and total[3] == pytest.approx((90 + 72.51 + 65.51) / 3)
    sipas = {r[0]: r for r in data["tables"]["chi_so_sipas"]["rows"]}
    assert sipas["1"][2:] == [pytest.approx((87.7 + 80 + 81 + 82) / 4), 80, 87.7, 4]


def test_the_consolidated_workbook_has_the_province_sheets(merged):
    out, _ = merged
    names = load_workbook(out, read_only=True).sheetnames
    for sheet in ("Điểm PAR Index", "Phân bố xếp loại", "Trung bình lĩnh vực", "SIPAS trung bình"):
        assert sheet in names


def test_equal_totals_share_a_rank():
    cat = load_catalogue("chi_so")
    seed = dict(zip([f"PAR:{i}" for i in range(1, 10)], [7.75, 7, 12, 5, 7.5, 7, 8.46, 8.5, 2.3]))
    other = dict(seed, **{"PAR:9": 2.31, "PAR:8": 8.49})  # also 65,51
    top = dict(seed, **{"PAR:9": 10})
    units = [UnitScores("A", "1", seed), UnitScores("B", "2", other), UnitScores("C", "3", top)]
    [diem, *_] = province_tables(cat, units)
    assert [(r[0], r[1]) for r in diem.rows] == [(1, "C"), (2, "A"), (2, "B")]
