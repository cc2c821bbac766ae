"""The cross-period checks (cchc.checks.across) pinned in memory: a 6-month report against the
first quarter of the same unit and year (both the seed report, changed). A flow or a cumulative
row may not be smaller six months in; a stock may fall, but a fall below half is a warning.
Every limit at its value and one step either side; every refusal with its message.
"""

from __future__ import annotations

import dataclasses

import pytest
from pins import seed_report

from cchc.catalogue import load_catalogue
from cchc.checks import run_checks
from cchc.checks.across import across_findings, row_name
from cchc.errors import CchcError

KY = load_catalogue("ky")


def report(period="6 tháng", source="/tmp/6 thang.xlsx", info=None, **values):
    data = seed_report()
    data.source = source
    data.info.update({"ky": period, **(info or {})})
    for ref, v in values.items():
        form, _, code = ref.partition(":")
        data.values[form][code] = v
    return data


def quarter(**values):
    return report("Quý I", "/tmp/quy I.xlsx", **values)


def across(now: dict, before: dict, period="6 tháng"):
    return [(f.severity, f.sheet, f.cell, f.rule_id, f.message, f.values)
            for f in across_findings(report(period, **now), KY, [quarter(**before)])]


def test_a_flow_smaller_than_in_a_period_it_contains_is_an_error():
    assert across({"7:3.1": 70}, {"7:3.1": 71}) == [(
        "error", "BM7", "D11", "across.flow",
        "BM7 mục 3.1 «Hồ sơ đã tiếp nhận»: 6 tháng đầu năm 2025 ghi 70, nhỏ hơn Quý I năm 2025 (71, tệp «quy I.xlsx»). "
        "Số liệu 6 tháng đầu năm 2025 đã gồm cả Quý I năm 2025 nên không thể nhỏ hơn: hãy kiểm tra lại số liệu của hai "
        "kỳ.", {"7:3.1": 70, "Quý I năm 2025": 71, "tệp": "quy I.xlsx"})]
    assert across({"7:3.1": 71}, {"7:3.1": 71}) == [] and across({"7:3.1": 72}, {"7:3.1": 71}) == []
    assert across({"7:3.1": 71 - 1e-9}, {"7:3.1": 71}) == []  # within a billionth: equal


def test_a_cumulative_row_may_not_fall():
    assert across({"1:2.2": 7}, {"1:2.2": 8}) == [(
        "error", "BM1", "D9", "across.cumulative",
        "BM1 mục 2.2 «Nhiệm vụ đã hoàn thành»: 6 tháng đầu năm 2025 ghi 7, nhỏ hơn Quý I năm 2025 (8, tệp «quy I.xlsx»). "
        "Đây là số lũy kế nên không thể giảm giữa hai kỳ của cùng một năm: hãy kiểm tra lại số liệu của hai kỳ.",
        {"1:2.2": 7, "Quý I năm 2025": 8, "tệp": "quy I.xlsx"})]
    assert across({"1:2.2": 8}, {"1:2.2": 8}) == [] and across({"1:2.2": 9}, {"1:2.2": 8}) == []
    assert across({"6:1.2": 99.5}, {"6:1.2": 100})[0][3] == "across.cumulative"  # money too
    assert across({"6:1.2": 100 - 1e-9}, {"6:1.2": 100}) == []  # within a billionth: equal


@pytest.mark.parametrize("now, warns", [(10, False), (9.5, True), (10.5, False), (20, False), (0, True)])
def test_a_stock_below_half_of_its_earlier_value_is_a_warning(now, warns):
    got = across({"4:2.1": now}, {"4:2.1": 20})
    assert [g[3] for g in got] == (["across.stock"] if warns else [])


def test_the_stock_warning_states_the_fall():
    assert across({"4:2.1": 9}, {"4:2.1": 20}) == [(
        "warning", "BM4", "D11", "across.stock",
        "BM4 mục 2.1 «Biên chế được giao»: 6 tháng đầu năm 2025 ghi 9, giảm 55% so với Quý I năm 2025 (20, tệp "
        "«quy I.xlsx»). Số liệu tại thời điểm báo cáo ít khi giảm mạnh như vậy trong một năm: hãy kiểm tra lại.",
        {"4:2.1": 9, "Quý I năm 2025": 20, "tệp": "quy I.xlsx"})]
    [(_, _, _, _, message, _)] = across({"7:2.2": 40}, {"7:2.2": 90})
    assert message.startswith("BM7 mục 2.2 «Văn bản điện tử (cấp xã)»: 6 tháng đầu năm 2025 ghi 40%, giảm 50 điểm phần "
                              "trăm so với Quý I năm 2025 (90%, tệp «quy I.xlsx»).")


def test_a_stock_fall_is_measured_to_a_billionth_of_half():
    assert across({"7:2.2": 10 - 1e-9}, {"7:2.2": 20}) == []
    assert [g[3] for g in across({"7:2.2": 10 - 3e-9}, {"7:2.2": 20})] == ["across.stock"]
    assert [g[3] for g in across({"7:2.2": 0.4}, {"7:2.2": 1})] == ["across.stock"]


def test_a_stock_from_zero_or_a_blank_either_side_says_nothing():
    assert across({"4:2.1": 0}, {"4:2.1": 0}) == [] and across({"4:2.1": -1}, {"4:2.1": 0}) == []
    assert across({"4:2.1": None}, {"4:2.1": 20}) == [] and across({"4:2.1": 5}, {"4:2.1": None}) == []
    assert across({"7:3.1": "nhiều"}, {"7:3.1": 71}) == []


def test_flags_and_choices_are_not_compared():
    assert across({"1:5": 0, "1:5.2": 0}, {"1:5": 1, "1:5.2": 2}) == []


def test_the_catalogues_share_of_a_stock_fall():
    cat = dataclasses.replace(KY, extra={**KY.extra, "stock_drop_warning": 0.8})
    got = across_findings(report(**{"4:2.1": 15}), cat, [quarter(**{"4:2.1": 20})])
    assert [f.rule_id for f in got] == ["across.stock"]
    assert across_findings(report(**{"4:2.1": 16}), cat, [quarter(**{"4:2.1": 20})]) == []


def test_a_finding_without_the_cell_names_the_sheet():
    data = report(**{"7:3.1": 70})
    del data.cells["7:3.1"]
    [f] = across_findings(data, KY, [quarter()])
    assert (f.sheet, f.cell, f.form, f.code) == ("BM7", "", "7", "3.1")


def test_each_earlier_report_is_checked_and_the_check_runs_with_the_others():
    nine = report("9 tháng", **{"7:3.1": 60})
    got = across_findings(nine, KY, [quarter(), report(**{"7:3.1": 65})])
    assert [(f.rule_id, f.values["tệp"]) for f in got] == [("across.flow", "quy I.xlsx"), ("across.flow", "6 thang.xlsx")]
    assert [f.rule_id for f in run_checks(nine, KY, [quarter()]) if f.rule_id.startswith("across")] == ["across.flow"]
    assert not [f for f in run_checks(nine, KY) if f.rule_id.startswith("across")]


def test_the_row_name():
    assert row_name(KY.row("3:2.3.1")) == "BM3 mục 2.3.1 «Hồ sơ đã giải quyết (cấp xã)»"


@pytest.mark.parametrize("period, info, earlier_period, earlier_info, message", [
    ("6 tháng", {}, "Quý I", {"don_vi": "UBND xã Khác", "ma_dvhc": None},
     "Tệp «quy I.xlsx» là báo cáo của UBND xã Khác, khác đơn vị của tệp «6 thang.xlsx» (UBND xã Đưng K’Nớ): chỉ đối "
     "chiếu các báo cáo của cùng một đơn vị."),
    ("6 tháng", {"nam": None}, "Quý I", {}, "Tệp «6 thang.xlsx» chưa ghi năm báo cáo (trang «Thông tin chung») hoặc "
                                             "ghi không đúng danh sách: chưa đối chiếu được giữa các kỳ."),
    ("Quý IV", {}, "Quý I", {}, "Tệp «6 thang.xlsx» chưa ghi kỳ báo cáo (trang «Thông tin chung») hoặc ghi không đúng "
                                "danh sách: chưa đối chiếu được giữa các kỳ."),
    ("6 tháng", {}, None, {}, "Tệp «quy I.xlsx» chưa ghi kỳ báo cáo (trang «Thông tin chung») hoặc ghi không đúng danh "
                              "sách: chưa đối chiếu được giữa các kỳ."),
    ("6 tháng", {}, "Quý I", {"nam": 2024}, "Tệp «quy I.xlsx» là báo cáo năm 2024, tệp «6 thang.xlsx» năm 2025: chỉ "
                                            "đối chiếu các kỳ trong cùng một năm (so với năm trước, dùng «cchc report "
                                            "--compare»)."),
    ("6 tháng", {}, "Quý III", {}, "Kỳ «Quý III» (15/6 – 14/9) của tệp «quy I.xlsx» không nằm trong kỳ «6 tháng» (15/12 "
                                   "năm trước – 14/6) của tệp «6 thang.xlsx», nên không đối chiếu được. Kỳ «6 tháng» chỉ "
                                   "đối chiếu được với: «Quý I»."),
    ("9 tháng", {}, "Năm", {}, "Kỳ «Năm» (15/12 năm trước – 14/12) của tệp «quy I.xlsx» không nằm trong kỳ «9 tháng» "
                               "(15/12 năm trước – 14/9) của tệp «6 thang.xlsx», nên không đối chiếu được. Kỳ «9 tháng» "
                               "chỉ đối chiếu được với: «Quý I», «6 tháng», «Quý III»."),
    ("Quý I", {}, "Quý I", {}, "Kỳ «Quý I» (15/12 năm trước – 14/3) của tệp «quy I.xlsx» không nằm trong kỳ «Quý I» "
                               "(15/12 năm trước – 14/3) của tệp «6 thang.xlsx», nên không đối chiếu được. Kỳ «Quý I» "
                               "không chứa kỳ báo cáo nào khác."),
    ("Năm", {}, "9 tháng", {}, None),
])
def test_what_cannot_be_compared_is_refused_saying_why(period, info, earlier_period, earlier_info, message):
    current = report(period, info=info)
    earlier = report(earlier_period, "/tmp/quy I.xlsx", info=earlier_info)
    if message is None:
        assert across_findings(current, KY, [earlier]) == []
    else:
        with pytest.raises(CchcError) as exc:
            across_findings(current, KY, [earlier])
        assert str(exc.value) == message


def test_a_report_of_another_kind_is_refused():
    earlier = quarter()
    earlier.kind = "chi_so"
    with pytest.raises(CchcError) as exc:
        across_findings(report(), KY, [earlier])
    assert str(exc.value) == ("Tệp «quy I.xlsx» là loại báo cáo «chi_so», khác loại với tệp «6 thang.xlsx» («ky»): chỉ "
                              "đối chiếu các báo cáo cùng một loại.")


def test_a_catalogue_without_periods_has_nothing_to_compare_across():
    cat = dataclasses.replace(KY, periods=())
    with pytest.raises(CchcError) as exc:
        across_findings(report(), cat, [quarter()])
    assert str(exc.value) == ("Loại báo cáo «ky» không có các kỳ lồng nhau trong năm: không có gì để đối chiếu với kỳ "
                              "trước.")
