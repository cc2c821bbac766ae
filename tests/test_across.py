"""`cchc check CUR --previous EARLIER`: a report against earlier reports of the same unit and
year whose periods it contains. Flows and cumulative rows cannot shrink (error), stocks seldom
fall by half (warning); a report that cannot be compared is refused with exit 2."""

from __future__ import annotations

import json

import pytest

from cchc import app
from cchc.cli import main
from cchc.workbook.reader import read_workbook

SIX = {"ky": "6 tháng", "tu_ngay": "2024-12-11", "den_ngay": "2025-06-10", "ngay_ky": "2025-06-12", "so": 52}
Q3 = {"ky": "Quý III", "tu_ngay": "2025-06-11", "den_ngay": "2025-09-10", "ngay_ky": "2025-09-12", "so": 80}
NINE = {"ky": "9 tháng", "tu_ngay": "2024-12-11", "den_ngay": "2025-09-10", "ngay_ky": "2025-09-12", "so": 81}


def _across(findings):
    return [f for f in findings if f.rule_id.startswith("across.")]


def test_a_6_month_report_below_quarter_I_is_an_error_at_its_cell_naming_the_quarter_file(filled, capsys):
    q1 = filled("Quy_I_2025.xlsx")  # 3:2.3.1 = 71
    six = filled("6_thang_2025.xlsx", SIX, {"3:2.3.1": 70, "3:2.3.2": 71, "7:3.1": 150, "7:3.2": 140})
    assert main(["check", str(six), "--previous", str(q1)]) == 1
    out = capsys.readouterr().out
    at = read_workbook(six).cells["3:2.3.1"]
    assert out.startswith("Kiểm tra «") and f"(đối chiếu với «{q1}»)" in out.splitlines()[0]
    assert (f"[Lỗi] {at.address} · 3:2.3.1 · 3:2.3.1 = 70; Quý I năm 2025 = 71; tệp = Quy_I_2025.xlsx · "
            "(across.flow)") in out
    assert ("BM3 mục 2.3.1 «Hồ sơ đã giải quyết (cấp xã)»: 6 tháng đầu năm 2025 ghi 70, nhỏ hơn Quý I năm 2025 "
            "(71, tệp «Quy_I_2025.xlsx»). Số liệu 6 tháng đầu năm 2025 đã gồm cả Quý I năm 2025 nên không thể "
            "nhỏ hơn: hãy kiểm tra lại số liệu của hai kỳ.") in out
    # Only that row: the equal 3:2.3.2 (71 = 71) is no error, nor are the grown 7:3.1 and 7:3.2.
    findings = _across(app.check(app.load(six), [app.load(q1)]))
    assert [(f.severity, f.ref, f.sheet, f.cell) for f in findings] == [("error", "3:2.3.1", at.sheet, at.a1)]
    # Without --previous, the 6-month report alone is fine.
    assert not _across(app.check(app.load(six)))


def test_the_json_output_and_the_marked_copy_carry_the_finding(filled, tmp_path, capsys):
    q1 = filled("q1.xlsx")
    six = filled("six.xlsx", SIX, {"3:2.3.1": 60, "3:2.3.2": 60})
    assert main(["check", str(six), "--previous", str(q1), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    flows = [f for f in out["findings"] if f["rule_id"] == "across.flow"]
    assert [(f["ref"], f["values"]) for f in flows] == [
        ("3:2.3.1", {"3:2.3.1": 60, "Quý I năm 2025": 71, "tệp": "q1.xlsx"}),
        ("3:2.3.2", {"3:2.3.2": 60, "Quý I năm 2025": 71, "tệp": "q1.xlsx"}),
    ]
    marked = tmp_path / "danh_dau.xlsx"
    assert main(["check", str(six), "--previous", str(q1), "--mark", "-o", str(marked)]) == 1
    from openpyxl import load_workbook

    at = read_workbook(six).cells["3:2.3.1"]
    cell = load_workbook(marked)[at.sheet][at.a1]
    assert cell.fill.fgColor.rgb[-6:].upper() == "FFC7CE"  # the error fill


def test_cumulative_rows_cannot_fall_and_stocks_falling_by_half_are_warnings(filled):
    q1 = app.load(filled("q1.xlsx"))  # 1:2.2 = 8 (cumulative), 4:2.2 = 19 (stock), 7:2.2 = 90 (stock, %)
    six = app.load(filled("six.xlsx", SIX, {"3:2.3.1": 71, "3:2.3.2": 71, "1:2.2": 7, "4:2.2": 9, "7:2.2": 40}))
    found = {f.ref: f for f in _across(app.check(six, [q1]))}
    assert sorted(found) == ["1:2.2", "4:2.2", "7:2.2"]
    assert found["1:2.2"].severity == "error" and found["1:2.2"].rule_id == "across.cumulative"
    assert "Đây là số lũy kế nên không thể giảm giữa hai kỳ của cùng một năm" in found["1:2.2"].message
    assert found["4:2.2"].severity == "warning" and found["4:2.2"].message == (
        "BM4 mục 2.2 «Biên chế có mặt»: 6 tháng đầu năm 2025 ghi 9, giảm 52,63% so với Quý I năm 2025 (19, tệp "
        "«q1.xlsx»). Số liệu tại thời điểm báo cáo ít khi giảm mạnh như vậy trong một năm: hãy kiểm tra lại.")
    assert "ghi 40%, giảm 50 điểm phần trăm so với Quý I năm 2025 (90%" in found["7:2.2"].message
    # At exactly half (stock_drop_warning = 0.5), and a cumulative row that stays, nothing is said.
    same = app.load(filled("six2.xlsx", SIX, {"3:2.3.1": 71, "3:2.3.2": 71, "1:2.2": 8, "4:2.2": 9.5, "7:2.2": 45}))
    assert [f.ref for f in _across(app.check(same, [q1]))] == []


def test_9_months_against_6_months_and_quarter_III(filled):
    six = app.load(filled("six.xlsx", SIX, {"3:2.3.1": 150, "3:2.3.2": 140}))
    q3 = app.load(filled("q3.xlsx", Q3, {"3:2.3.1": 80, "3:2.3.2": 79}))
    nine = app.load(filled("nine.xlsx", NINE, {"3:2.3.1": 149, "3:2.3.2": 219}))
    found = _across(app.check(nine, [six, q3]))
    assert [(f.ref, f.values["tệp"]) for f in found] == [("3:2.3.1", "six.xlsx")]
    assert "9 tháng năm 2025 ghi 149, nhỏ hơn 6 tháng đầu năm 2025 (150" in found[0].message


def test_previous_may_be_a_stored_export(filled, tmp_path, capsys):
    q1 = filled("q1.xlsx")
    stored = tmp_path / "q1.json"
    assert main(["export", str(q1), "-o", str(stored)]) == 0
    six = filled("six.xlsx", SIX, {"3:2.3.1": 70, "3:2.3.2": 70})
    capsys.readouterr()
    assert main(["check", str(six), "--previous", str(stored)]) == 1
    assert "nhỏ hơn Quý I năm 2025 (71, tệp «q1.json»)" in capsys.readouterr().out
    # Stored values held by a program (the portal) are named by their own "source".
    stored_values = json.loads(stored.read_text(encoding="utf-8"))
    found = _across(app.check(app.load(six), [app.load_json(stored_values)]))
    assert [f.values["tệp"] for f in found] == ["q1.xlsx", "q1.xlsx"]


@pytest.mark.parametrize("case, info, message", [
    ("another unit", {"don_vi": "UBND xã Lát", "ma_dvhc": None},
     "Tệp «khac.xlsx» là báo cáo của UBND xã Lát, khác đơn vị của tệp «six.xlsx» (UBND xã Đưng K’Nớ): "
     "chỉ đối chiếu các báo cáo của cùng một đơn vị."),
    ("another year", {"nam": 2024, "tu_ngay": "2023-12-11", "den_ngay": "2024-03-10", "ngay_ky": "2024-03-12"},
     "Tệp «khac.xlsx» là báo cáo năm 2024, tệp «six.xlsx» năm 2025: chỉ đối chiếu các kỳ trong cùng một năm "
     "(so với năm trước, dùng «cchc report --compare»)."),
    ("a period not contained", Q3,
     "Kỳ «Quý III» (15/6 – 14/9) của tệp «khac.xlsx» không nằm trong kỳ «6 tháng» (15/12 năm trước – 14/6) "
     "của tệp «six.xlsx», nên không đối chiếu được. Kỳ «6 tháng» chỉ đối chiếu được với: «Quý I»."),
    ("the same period", SIX,
     "Kỳ «6 tháng» (15/12 năm trước – 14/6) của tệp «khac.xlsx» không nằm trong kỳ «6 tháng» (15/12 năm trước – "
     "14/6) của tệp «six.xlsx», nên không đối chiếu được. Kỳ «6 tháng» chỉ đối chiếu được với: «Quý I»."),
])
def test_a_report_that_cannot_be_compared_is_refused_with_exit_2(filled, tmp_path, capsys, case, info, message):
    six = filled("six.xlsx", SIX, {"3:2.3.1": 150, "3:2.3.2": 140})
    other = filled("khac.xlsx", info)
    marked = tmp_path / "danh_dau.xlsx"
    assert main(["check", str(six), "--previous", str(other), "--mark", "-o", str(marked)]) == 2, case
    err = capsys.readouterr().err
    assert err.strip() == f"Lỗi: {message}"
    assert not marked.exists()


def test_same_unit_by_code_even_when_the_names_are_typed_differently(filled):
    q1 = app.load(filled("q1.xlsx", {"ma_dvhc": "24820", "don_vi": "UBND xã Đưng K’Nớ"}))
    six = app.load(filled("six.xlsx", {**SIX, "ma_dvhc": "24820", "don_vi": "Ủy ban nhân dân xã Đưng K’Nớ"},
                        {"3:2.3.1": 70}))
    assert [f.ref for f in _across(app.check(six, [q1]))] == ["3:2.3.1"]
    other = app.load(filled("lat.xlsx", {"ma_dvhc": "24823"}))
    with pytest.raises(Exception, match="khác đơn vị"):
        app.check(six, [other])
