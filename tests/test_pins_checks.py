"""The checks (cchc.checks) pinned on the seed report read once, changed in memory, checked:
exact Vietnamese messages, each tolerance and window exactly at its limit and one step either
side, the rule operators and missing-value strategies, and blank versus zero.

The seed: UBND xã Đưng K'Nớ (cấp Xã), Quý I/2025, window 11/12/2024 – 10/3/2025, signed 07/3/2025.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pins import check, seed_report, set_values

from cchc.catalogue import load_catalogue
from cchc.checks import SEVERITIES, Finding, counts, run_checks

D = dt.date
NOT_CHECKED_HERE = ("ratio.recomputed", "blank.cell", "blank.form")


def report(info: dict | None = None, **values):
    data = seed_report()
    data.info.update(info or {})
    set_values(data, values)
    return data


def found(data, rule: str):
    return [(f.severity, f.sheet, f.cell, f.message) for f in check(data, rule)]


def vals(**kw):
    """x3_2__3__1=5 → {"3:2.3.1": 5}"""
    return {k.removeprefix("x").replace("__", ".").replace("_", ":", 1): v for k, v in kw.items()}


def with_rules(*rules: dict, keep: bool = False):
    """The ky catalogue with these compare rules (and, when keep, the real ones too)."""
    cat = load_catalogue("ky")
    base = tuple(cat.rules) if keep else tuple(r for r in cat.rules if r.get("type", "compare") != "compare")
    return dataclasses.replace(cat, rules=base + tuple(rules))


def rule_findings(data, *rules: dict):
    cat = with_rules(*rules)
    ids = {r["id"] for r in rules}
    return [f for f in run_checks(data, cat) if f.rule_id in ids]


# ============================================================================ per kind
def test_a_negative_count_is_an_error():
    assert found(report(**vals(x3_1=-1)), "kind.nonnegative") == [
        ("error", "BM3", "D6", "BM3 mục 1 «TTHC thuộc thẩm quyền» = -1 là số âm; chỉ tiêu này không thể âm.")]
    assert found(report(**vals(x3_1=0)), "kind") == []


def test_a_count_with_decimals_is_an_error():
    assert found(report(**vals(x3_1=2.5)), "kind.whole") == [
        ("error", "BM3", "D6", "BM3 mục 1 «TTHC thuộc thẩm quyền» = 2,5 không phải số nguyên; hãy nhập số nguyên.")]
    assert found(report(**vals(x6_1__1=2.5)), "kind") == []  # money may have decimals


def test_a_percentage_above_100_is_an_error_and_100_is_not():
    assert found(report(**vals(x7_2__2=100.5)), "kind") == [
        ("error", "BM7", "D9", "BM7 mục 2.2 «Văn bản điện tử (cấp xã)» = 100,5 lớn hơn 100; "
                               "tỷ lệ phần trăm chỉ từ 0 đến 100.")]
    assert found(report(**vals(x7_2__2=100)), "kind") == []
    assert found(report(**vals(x7_2__2=99.5)), "kind") == []


def test_a_percentage_that_looks_like_a_fraction_is_a_warning_up_to_exactly_1():
    assert found(report(**vals(x7_2__2=1)), "kind") == [
        ("warning", "BM7", "D9", "BM7 mục 2.2 «Văn bản điện tử (cấp xã)» = 1: có thể bạn gõ 100% và Excel lưu "
                                 "thành 1. Tỷ lệ nhập bằng số phần trăm từ 0 đến 100 (ví dụ 100); nếu đúng là dưới "
                                 "1% thì giữ nguyên.")]
    assert [f[0] for f in found(report(**vals(x7_2__2=0.9)), "kind.pct_fraction")] == ["warning"]
    assert found(report(**vals(x7_2__2=1.01)), "kind") == []
    assert found(report(**vals(x7_2__2=0)), "kind") == []


def test_a_code_outside_the_list_and_text_in_a_number_cell():
    assert found(report(**vals(x1_5=2)), "kind") == [
        ("error", "BM1", "D20", "BM1 mục 5 «Có khảo sát hài lòng» = 2 không có trong danh sách; "
                                "hãy chọn một trong: Có (1); Không (0).")]
    assert [f[0] for f in found(report(**vals(x1_5="Có")), "kind.choice")] == ["error"]
    assert [f[0] for f in found(report(**vals(x1_5=True)), "kind.choice")] == ["error"]
    assert found(report(**vals(x1_5=1)), "kind") == []
    assert found(report(**vals(x3_1="abc")), "kind") == [
        ("error", "BM3", "D6", "BM3 mục 1 «TTHC thuộc thẩm quyền» = «abc» không phải là số.")]
    assert [f[0] for f in found(report(**vals(x3_1=True)), "kind.number")] == ["error"]


# ============================================================================ compare rules
def test_a_part_equal_to_its_whole_passes_one_more_fails():
    assert found(report(**vals(x1_2__2=14)), "f1.done_le_planned") == []
    assert found(report(**vals(x1_2__2=13)), "f1.done_le_planned") == []
    assert found(report(**vals(x1_2__2=15)), "f1.done_le_planned") == [
        ("error", "BM1", "D9", "BM1 mục 2.2 «Nhiệm vụ đã hoàn thành» = 15 lớn hơn BM1 mục 2.1 «Nhiệm vụ trong KH» = 14. "
                               "Số nhiệm vụ đã hoàn thành không thể nhiều hơn số nhiệm vụ đề ra trong kế hoạch; hãy "
                               "kiểm tra lại hai số này.")]


def test_a_sum_rule_states_the_parts():
    assert found(report(**vals(x2a_1=5, x2a_1__1=1, x2a_1__2=3)), "f2a") == [
        ("error", "BM2a", "D6", "BM2a mục 1 «VBQPPL ban hành» = 5 khác tổng BM2a mục 1.1 + 1.2 = 4. Tổng số VBQPPL do "
                                "địa phương ban hành phải bằng số do cấp huyện cộng số do cấp xã ban hành.")]
    assert found(report(**vals(x2a_1=4, x2a_1__1=1, x2a_1__2=3)), "f2a") == []


def test_skip_if_all_counts_the_other_blanks_as_zero():
    assert found(report(**vals(x1_4__1=5, x1_4__2=3, x1_4__3=3)), "f1.tasks_parts_le_total") == [
        ("error", "BM1", "D17", "Tổng BM1 mục 4.2 + 4.3 + 4.4 = 6 (mục 4.4 để trống) lớn hơn BM1 mục 4.1 «Nhiệm vụ được "
                                "giao» = 5. Số nhiệm vụ hoàn thành đúng hạn, hoàn thành quá hạn và quá hạn chưa hoàn "
                                "thành cộng lại không thể vượt tổng số nhiệm vụ được giao.")]
    assert found(report(**vals(x1_4__1=6, x1_4__2=3, x1_4__3=3)), "f1.tasks_parts_le_total") == []
    assert found(report(**vals(x1_4__1=0)), "f1.tasks_parts_le_total") == []  # every part blank: skipped


def test_skip_if_any_skips_a_rule_with_a_blank_side():
    assert found(report(**vals(x1_2__1=None, x1_2__2=15)), "f1.done_le_planned") == []


def test_a_fired_sum_silences_its_parts_rule():
    fired = {f.rule_id for f in check(report({"cap": "Huyện"}, **vals(x2a_1=2, x2a_1__1=2, x2a_1__2=3)))}
    assert "f2a.sum_total" in fired and "f2a.parts_le_total" not in fired
    fired = {f.rule_id for f in check(report({"cap": "Huyện"}, **vals(x2a_1=2, x2a_1__1=None, x2a_1__2=3)))}
    assert "f2a.sum_total" not in fired and "f2a.parts_le_total" in fired


def test_a_condition_names_its_code_and_applies_only_when_it_holds():
    assert found(report(**vals(x1_5=1, x1_5__1=0, x1_5__2=1)), "f1.survey_ballots") == [
        ("error", "BM1", "D21", "Vì BM1 mục 5 «Có khảo sát hài lòng» = Có (1): BM1 mục 5.1 «Phiếu khảo sát» = 0. Mục 5 "
                                "ghi có tổ chức khảo sát: hãy nhập số phiếu khảo sát (lớn hơn 0) ở mục 5.1.")]
    assert found(report(**vals(x1_5=1, x1_5__1=1, x1_5__2=1)), "f1.survey_ballots") == []
    assert found(report(**vals(x1_5=0, x1_5__1=0)), "f1.survey_ballots") == []
    assert found(report(**vals(x1_5=None, x1_5__1=0)), "f1.survey_ballots") == []  # blank condition: no
    assert found(report(**vals(x1_5=0, x1_5__1=3)), "f1.no_survey_no_ballots") == [
        ("error", "BM1", "D21", "Vì BM1 mục 5 «Có khảo sát hài lòng» = Không (0): BM1 mục 5.1 «Phiếu khảo sát» = 3. "
                                "Mục 5 ghi không tổ chức khảo sát nên không có phiếu khảo sát: hãy để trống mục 5.1, "
                                "hoặc sửa mục 5 thành «Có».")]


def test_empty_and_filled():
    assert found(report(**vals(x1_5=0, x1_5__2=1)), "f1.no_survey_no_method") == [
        ("error", "BM1", "D22", "Vì BM1 mục 5 «Có khảo sát hài lòng» = Không (0): BM1 mục 5.2 «Hình thức khảo sát» = "
                                "Phát phiếu (1). Mục 5 ghi không tổ chức khảo sát nên không có hình thức khảo sát: hãy "
                                "để trống mục 5.2, hoặc sửa mục 5 thành «Có».")]
    assert found(report(**vals(x1_5=1, x1_5__1=5, x1_5__2=None)), "f1.survey_method") == [
        ("error", "BM1", "D22", "Vì BM1 mục 5 «Có khảo sát hài lòng» = Có (1): BM1 mục 5.2 «Hình thức khảo sát» để "
                                "trống. Mục 5 ghi có tổ chức khảo sát: hãy chọn hình thức khảo sát ở mục 5.2.")]
    assert found(report(**vals(x1_5=1, x1_5__1=5, x1_5__2=0)), "f1.survey_method") == []


def test_both_or_neither_points_at_the_blank_one():
    expected = [("warning", "BM1", "D9", "BM1 mục 2.1 «Nhiệm vụ trong KH» = 14 nhưng BM1 mục 2.2 «Nhiệm vụ đã hoàn "
                                         "thành» để trống. Hãy nhập đủ cả hai số (ghi 0 nếu đúng là không có) để tính "
                                         "được tỷ lệ hoàn thành kế hoạch.")]
    assert found(report(**vals(x1_2__2=None)), "ratio.pair.1_2") == expected
    assert [f[2] for f in found(report(**vals(x1_2__1=None)), "ratio.pair.1_2")] == ["D8"]
    assert found(report(**vals(x1_2__1=None, x1_2__2=None)), "ratio.pair.1_2") == []


# x.resolved_vs_received: 3:2.3.1 ~ 7:3.1 within max(5, 25 % of the larger), communes only.
def _dossiers(resolved, received, cap="Xã"):
    return report({"cap": cap}, **vals(x3_2__3__1=resolved, x3_2__3__2=resolved, x7_3__1=received, x7_3__2=0))


@pytest.mark.parametrize("resolved, received, fires", [
    (10, 15, False), (10, 16, True), (16, 10, True), (10, 14, False),  # the absolute tolerance, 5
    (120, 160, False), (120, 161, True), (161, 120, True), (160, 120, False),  # the relative one, 25 %
    (20, 26, False), (20, 27, True),  # 25 % of 26 is 6,5 and of 27 is 6,75: above 5, the relative one counts
])
def test_resolved_and_received_differ_by_at_most_5_or_25_percent(resolved, received, fires):
    got = found(_dossiers(resolved, received), "x.resolved_vs_received")
    assert bool(got) == fires


def test_the_tolerance_message_states_the_difference_and_the_allowance():
    assert found(_dossiers(10, 16), "x.resolved_vs_received") == [
        ("warning", "BM3", "D18", "BM3 mục 2.3.1 «Hồ sơ đã giải quyết (cấp xã)» = 10 chênh lệch 6 so với BM7 mục 3.1 "
                                  "«Hồ sơ đã tiếp nhận» = 16 (mức thường gặp: không quá 5). Số hồ sơ đã giải quyết và "
                                  "số hồ sơ đã tiếp nhận trong cùng kỳ chỉ chênh nhau phần hồ sơ chuyển kỳ; chênh lệch "
                                  "này lớn hơn mức thường gặp, hãy kiểm tra lại Biểu mẫu 3 và Biểu mẫu 7.")]
    [(_, _, _, msg)] = found(_dossiers(120, 161), "x.resolved_vs_received")
    assert "= 120 chênh lệch 41 so với" in msg and "(mức thường gặp: không quá 40,25)" in msg
    [f] = check(_dossiers(120, 161), "x.resolved_vs_received")
    assert f.values["difference"] == 41 and f.values["allowed"] == 40.25


@pytest.mark.parametrize("cap", ["Huyện", "", None])
def test_a_level_rule_applies_only_to_its_levels(cap):
    assert found(_dossiers(10, 30, cap=cap), "x.resolved_vs_received") == []
    assert found(_dossiers(10, 30, cap="phường"), "x.resolved_vs_received") != []


# ---------------------------------------------------------------- operators and expressions
OPS_CASES = [  # op, left value, right value, fires
    ("=", 5, 5, False), ("=", 5, 6, True), ("=", 6, 5, True),
    ("!=", 5, 5, True), ("!=", 5, 6, False),
    ("<=", 5, 5, False), ("<=", 6, 5, True), ("<=", 4, 5, False),
    ("<", 5, 5, True), ("<", 4, 5, False), ("<", 6, 5, True),
    (">=", 5, 5, False), (">=", 4, 5, True), (">=", 6, 5, False),
    (">", 5, 5, True), (">", 6, 5, False), (">", 4, 5, True),
    ("≤", 6, 5, True), ("≥", 4, 5, True), ("≠", 5, 5, True), ("==", 5, 6, True), ("<>", 5, 5, True),
]


@pytest.mark.parametrize("op, a, b, fires", OPS_CASES)
def test_each_operator_fires_exactly_when_it_does_not_hold(op, a, b, fires):
    rule = {"id": "t", "left": "3:1.2", "op": op, "right": "3:1.3", "message": "Sửa."}
    assert bool(rule_findings(report(**vals(x3_1__2=a, x3_1__3=b)), rule)) == fires


@pytest.mark.parametrize("op, word", [("=", "khác"), ("<=", "lớn hơn"), ("<", "không nhỏ hơn"), (">=", "nhỏ hơn"),
                                      (">", "không lớn hơn"), ("!=", "bằng")])
def test_each_operator_names_the_violation(op, word):
    a, b = {"=": (1, 2), "<=": (3, 2), "<": (2, 2), ">=": (1, 2), ">": (2, 2), "!=": (2, 2)}[op]
    rule = {"id": "t", "left": "3:1.2", "op": op, "right": "3:1.3", "message": "Sửa."}
    [f] = rule_findings(report(**vals(x3_1__2=a, x3_1__3=b)), rule)
    assert f.message == (f"BM3 mục 1.2 «TTHC công bố mới» = {a} {word} BM3 mục 1.3 «TTHC bãi bỏ, thay thế» = {b}. Sửa.")


def test_a_minus_sign_subtracts_in_a_rule_expression():
    rule = {"id": "t", "left": "3:1 - 3:1.2 − 3:1.3", "op": "=", "right": "3:1.1 + 10", "message": "Sửa."}
    assert rule_findings(report(**vals(x3_1=17, x3_1__1=2, x3_1__2=3, x3_1__3=2)), rule) == []
    [f] = rule_findings(report(**vals(x3_1=17, x3_1__1=2, x3_1__2=3, x3_1__3=1)), rule)
    assert f.values["left"] == 13 and f.values["right"] == 12
    assert f.message == ("Tổng BM3 mục 1 + − 1.2 + − 1.3 = 13 khác tổng BM3 mục 1.1 + 10 = 12. Sửa.")
    rule = {"id": "t", "left": "-3:1.2 + 3:1.3", "op": "<=", "right": "0", "message": "Sửa."}
    assert rule_findings(report(**vals(x3_1__2=3, x3_1__3=3)), rule) == []
    [f] = rule_findings(report(**vals(x3_1__2=3, x3_1__3=4)), rule)
    assert f.values["left"] == 1


@pytest.mark.parametrize("terms", [
    [(1, "3:1"), (-1, "3:1.1"), (1, 7.5)],
    [(-1, "3:1.2"), (-1, "3:1.3"), (1, "3:1")],
    [(1, 2.0), (-1, "3:1.1"), (-1, 1.0), (1, "3:1.2"), (1, "3:1.3")],
    [(-1, "3:1"), (-1, "3:1.1"), (-1, "3:1.2")],
])
def test_an_expression_is_the_signed_sum_of_its_parts(terms):
    values = {"3:1": 17, "3:1.1": 2, "3:1.2": 5, "3:1.3": 3}
    text = " ".join(("-" if s < 0 else "+") + " " + (str(t) if isinstance(t, str) else f"{t:g}") for s, t in terms)
    expected = sum(s * (values[t] if isinstance(t, str) else t) for s, t in terms)
    data = report(**values)
    at_value = {"id": "t", "left": text, "op": "=", "right": f"{abs(expected):g}", "message": "Sửa."}
    if expected < 0:
        at_value["right"] = f"0 - {abs(expected):g}"
    assert rule_findings(data, at_value) == []
    [f] = rule_findings(data, {**at_value, "op": "<", "id": "t"})
    assert f.values["left"] == expected


def test_missing_zero_and_missing_per_side():
    data = report(**vals(x3_1__2=None, x3_1__3=2))
    rule = {"id": "t", "left": "3:1.2", "op": ">=", "right": "3:1.3", "message": "Sửa."}
    assert rule_findings(data, rule) == []  # skip_if_any
    [f] = rule_findings(data, {**rule, "missing": "zero"})
    assert f.message == "BM3 mục 1.2 «TTHC công bố mới» để trống nhỏ hơn BM3 mục 1.3 «TTHC bãi bỏ, thay thế» = 2. Sửa."
    assert len(rule_findings(data, {**rule, "missing_left": "zero"})) == 1
    assert rule_findings(data, {**rule, "missing_right": "zero"}) == []
    assert rule_findings(data, {**rule, "missing": "skip_if_all"}) == []  # its only code is blank


def test_not_both_and_at():
    rule = {"id": "t", "left": "3:1.2", "op": "not_both", "right": "3:1.3", "message": "Chỉ một.", "severity": "warning"}
    [f] = rule_findings(report(**vals(x3_1__2=1, x3_1__3=0)), rule)
    assert (f.severity, f.cell, f.message) == (
        "warning", "D8", "BM3 mục 1.2 «TTHC công bố mới» = 1 và BM3 mục 1.3 «TTHC bãi bỏ, thay thế» = 0 đều có số "
                         "liệu. Chỉ một.")
    assert rule_findings(report(**vals(x3_1__2=1, x3_1__3=None)), rule) == []
    [f] = rule_findings(report(**vals(x3_1__2=1, x3_1__3=0)), {**rule, "at": "3:1.3"})
    assert f.cell == "D9"


def test_a_rule_points_at_the_first_filled_code_of_its_left_side():
    rule = {"id": "t", "left": "3:1.2 + 3:1.3", "op": "<=", "right": "3:1.1", "missing": "skip_if_all",
            "message": "Sửa."}
    [f] = rule_findings(report(**vals(x3_1__1=0, x3_1__2=None, x3_1__3=2)), rule)
    assert f.cell == "D9"
    assert f.message == "Tổng BM3 mục 1.2 + 1.3 = 2 (mục 1.2 để trống) lớn hơn BM3 mục 1.1 «TTHC được đơn giản hóa» = 0. Sửa."


def test_a_rule_against_a_constant_states_the_left_side_only():
    rule = {"id": "t", "left": "3:1.2", "op": "<=", "right": 2, "message": "Không quá 2."}
    [f] = rule_findings(report(**vals(x3_1__2=3)), rule)
    assert f.message == "BM3 mục 1.2 «TTHC công bố mới» = 3. Không quá 2."
    assert rule_findings(report(**vals(x3_1__2=2)), rule) == []


def test_a_rule_across_forms_names_each_code():
    rule = {"id": "t", "left": "3:1.2 + 7:3.2", "op": "<=", "right": "3:1", "message": "Sửa."}
    [f] = rule_findings(report(**vals(x3_1__2=200, x7_3__2=70)), rule)
    assert f.message.startswith("Tổng BM3 mục 1.2 + BM7 mục 3.2 = 270 lớn hơn BM3 mục 1 «TTHC thuộc thẩm quyền» = 173.")


# ============================================================================ ratios in the file
def _ratio_file(value, **values):
    data = report(**values)
    data.file_ratios["3:2.3"] = value
    return data


def ratio_found(data):
    """The ratio findings of BM3 mục 2.3 (the seed's other ratio cells are blank: each gives one)."""
    return [(f.severity, f.sheet, f.cell, f.message) for f in check(data, "ratio") if f.form == "3" and f.code == "2.3"]


@pytest.mark.parametrize("filed", [100, 100.005, 99.995, "100", "100%", "100,0"])
def test_a_ratio_cell_within_0_005_of_the_recomputed_ratio_is_silent(filed):
    assert ratio_found(_ratio_file(filed)) == []


@pytest.mark.parametrize("filed, shown", [(100.006, "100,006"), (99.994, "99,994"), (50, "50"), ("98,5%", "98,5%")])
def test_a_ratio_cell_beyond_0_005_is_replaced_by_the_recomputed_ratio(filed, shown):
    assert ratio_found(_ratio_file(filed)) == [
        ("info", "BM3", "D17", f"Ô tỷ lệ BM3 mục 2.3 «Đúng hạn (cấp xã)» ghi {shown}, nhưng tính lại từ mục 2.3.2 / "
                               "mục 2.3.1 = 71/71 là 100%; báo cáo dùng số tính lại.")]


def test_a_blank_ratio_cell_gets_the_recomputed_value_as_information():
    assert ratio_found(_ratio_file(None)) == [
        ("info", "BM3", "D17", "BM3 mục 2.3 «Đúng hạn (cấp xã)» được tính lại từ mục 2.3.2 / mục 2.3.1 = 71/71: 100%.")]
    assert ratio_found(_ratio_file("")) == ratio_found(_ratio_file(None))


def test_a_ratio_cell_without_its_parts_is_a_warning():
    data = _ratio_file(95, **vals(x3_2__3__1=None, x3_2__3__2=None))
    data.ratios["3"]["2.3"] = None
    assert ratio_found(data) == [
        ("warning", "BM3", "D17", "Ô tỷ lệ BM3 mục 2.3 «Đúng hạn (cấp xã)» ghi 95 nhưng không tính được từ mục 2.3.2 / "
                                  "mục 2.3.1 = trống/trống (thiếu số hoặc mẫu số bằng 0), nên báo cáo để trống tỷ lệ "
                                  "này. Hãy nhập mục 2.3.2 và mục 2.3.1; tỷ lệ sẽ tự tính.")]
    data.file_ratios["3:2.3"] = "nhiều"
    assert "ghi nhiều nhưng" in ratio_found(data)[0][3]
    data.file_ratios["3:2.3"] = None
    assert ratio_found(data) == []
    data.file_ratios["3:2.3"] = True
    assert ratio_found(data) == []


# ============================================================================ Thông tin chung
@pytest.mark.parametrize("year, ok", [(1899, False), (1900, True), (2200, True), (2201, False)])
def test_the_report_year_lies_between_1900_and_2200(year, ok):
    got = found(report({"nam": year, "ky": None}), "info.year")
    assert got == ([] if ok else [
        ("error", "Thông tin chung", "B29", f"Năm báo cáo «{year}» không hợp lệ; hãy nhập năm gồm 4 chữ số, ví dụ 2025.")])


@pytest.mark.parametrize("code, ok", [("05014", True), (" 05014 ", True), ("5014", False), ("050144", False),
                                      ("0501a", False), (5014, False), (None, True), ("", True)])
def test_the_administrative_code_has_exactly_five_digits(code, ok):
    got = found(report({"ma_dvhc": code}), "info.admin_code")
    text = str(code).strip()
    assert got == ([] if ok else [
        ("error", "Thông tin chung", "B20", f"Mã đơn vị hành chính «{text}» phải gồm đúng 5 chữ số (ví dụ 05014), kể cả "
                                           "số 0 ở đầu.")])


def test_required_fields():
    assert found(report({"don_vi": None}), "info.required") == [
        ("error", "Thông tin chung", "B18", "Chưa nhập «Tên đơn vị báo cáo»: đây là thông tin bắt buộc của báo cáo.")]
    assert [f[2] for f in found(report({"don_vi": ""}), "info.required")] == ["B18"]
    assert [f[2] for f in found(report({"can_cu": []}), "info.required")] in ([], ["B36"])
    assert found(report(), "info.required") == []


def test_a_window_that_ends_before_it_starts():
    assert found(report({"tu_ngay": D(2025, 3, 11)}), "info.window_order") == [
        ("error", "Thông tin chung", "B30", "«Số liệu từ ngày» 11/3/2025 sau «Số liệu đến ngày» 10/3/2025; hãy kiểm tra "
                                            "lại hai ngày này.")]
    assert found(report({"tu_ngay": D(2025, 3, 10)}), "info.window_order") == []


def _window_message(key, expected, actual, days):
    word, label = ("từ", "Số liệu từ ngày") if key == "tu_ngay" else ("đến", "Số liệu đến ngày")
    return (f"Kỳ «Quý I» năm 2025 thường lấy số liệu {word} khoảng ngày {expected} (mặc định của Bộ Nội vụ; tỉnh có "
            f"thể quy định lệch vài ngày), nhưng ô «{label}» ghi {actual}, lệch {days} ngày. Hãy kiểm tra lại kỳ báo "
            "cáo, năm báo cáo và ngày này.")


# Quý I 2025: Bộ Nội vụ's window 15/12/2024 – 14/3/2025; 16 days either way are silent, up to
# 45 a warning, beyond an error.
@pytest.mark.parametrize("start, severity", [
    (D(2024, 11, 29), None), (D(2024, 11, 28), "warning"), (D(2024, 12, 31), None), (D(2025, 1, 1), "warning"),
    (D(2024, 10, 31), "warning"), (D(2024, 10, 30), "error"), (D(2025, 1, 29), "warning"), (D(2025, 1, 30), "error"),
])
def test_the_window_start_limits(start, severity):
    got = found(report({"tu_ngay": start, "ngay_ky": D(2025, 3, 14)}), "info.window")
    if severity is None:
        assert got == []
    else:
        days = abs((start - D(2024, 12, 15)).days)
        assert got == [(severity, "Thông tin chung", "B30",
                        _window_message("tu_ngay", "15/12/2024", f"{start.day:02d}/{start.month if start.month > 2 else f'{start.month:02d}'}/{start.year}", days))]


@pytest.mark.parametrize("end, severity", [(D(2025, 3, 30), None), (D(2025, 3, 31), "warning"),
                                           (D(2025, 4, 28), "warning"), (D(2025, 4, 29), "error")])
def test_the_window_end_limits(end, severity):
    got = found(report({"den_ngay": end, "ngay_ky": end}), "info.window")
    assert [f[0] for f in got] == ([] if severity is None else [severity])
    if got:
        assert got[0][2] == "B31"
        assert f"ghi {end.day:02d}/{end.month}/2025, lệch {(end - D(2025, 3, 14)).days} ngày" in got[0][3]


def test_the_window_needs_a_known_period_and_year():
    far = {"tu_ngay": D(2024, 6, 1)}
    assert [f[0] for f in found(report(far), "info.window")] == ["error"]
    assert found(report({**far, "ky": "Quý IX"}), "info.window") == []
    assert found(report({**far, "ky": None}), "info.window") == []
    assert found(report({**far, "nam": None}), "info.window") == []
    assert found(report({**far, "nam": 1800}), "info.window") == []


def test_an_annual_window_starts_in_december_of_the_year_before():
    got = found(report({"ky": "Năm", "tu_ngay": D(2024, 12, 15), "den_ngay": D(2025, 12, 14),
                        "ngay_ky": D(2025, 12, 20)}), "info.window")
    assert got == []
    got = found(report({"ky": "Quý III", "tu_ngay": D(2025, 6, 15), "den_ngay": D(2025, 9, 14),
                        "ngay_ky": D(2025, 9, 20)}), "info.window")
    assert got == []


# Signing: before the window's end a warning, before its start an error; 60 days after its end
# silent, 61 a warning; 366 a warning, 367 an error.
@pytest.mark.parametrize("signed, severity, message", [
    (D(2025, 3, 10), None, None),
    (D(2025, 3, 9), "warning", "Ngày ký báo cáo 09/3/2025 trước ngày cuối của kỳ số liệu 10/3/2025: báo cáo được ký "
                               "khi kỳ số liệu chưa khép lại, nên số liệu từ sau ngày 09/3/2025 đến ngày 10/3/2025 chưa "
                               "thể có. Hãy kiểm tra lại ngày ký hoặc ô «Số liệu đến ngày»."),
    (D(2024, 12, 11), "warning", None),
    (D(2024, 12, 10), "error", "Ngày ký báo cáo 10/12/2024 trước cả ngày bắt đầu kỳ số liệu 11/12/2024: có lẽ gõ nhầm "
                               "ngày hoặc năm."),
    (D(2025, 5, 9), None, None),
    (D(2025, 5, 10), "warning", "Ngày ký báo cáo 10/5/2025 muộn 61 ngày so với ngày cuối của kỳ số liệu 10/3/2025: "
                                "hãy kiểm tra lại ngày ký."),
    (D(2026, 3, 11), "warning", None),
    (D(2026, 3, 12), "error", "Ngày ký báo cáo 12/3/2026 sau ngày cuối của kỳ số liệu 10/3/2025 tới 367 ngày: có lẽ "
                              "gõ nhầm năm."),
])
def test_the_signing_date_limits(signed, severity, message):
    got = found(report({"ngay_ky": signed}), "info.report_date")
    assert [f[0] for f in got] == ([] if severity is None else [severity])
    if message:
        assert got == [(severity, "Thông tin chung", "B27", message)]


def test_no_signing_check_without_the_window_end_or_with_a_reversed_window():
    assert found(report({"ngay_ky": D(2020, 1, 1), "den_ngay": None}), "info.report_date") == []
    assert found(report({"ngay_ky": D(2020, 1, 1), "tu_ngay": D(2025, 3, 11)}), "info.report_date") == []
    assert [f[0] for f in found(report({"ngay_ky": D(2020, 1, 1), "tu_ngay": None}), "info.report_date")] == ["warning"]


# ============================================================================ blank versus zero
def blanks(data):
    return [(f.form + ":" + f.code, f.message) for f in check(data, "blank.cell")]


def test_a_blank_beside_filled_siblings_is_a_question():
    got = blanks(report(**vals(x1_4__1=3, x1_4__2=3)))
    assert ("1:4.3", "BM1 mục 4.3 «NV hoàn thành quá hạn» để trống trong khi mục 4.1, mục 4.2 cùng nhóm có số liệu: "
                     "bằng 0 hay chưa có số liệu? Nếu không phát sinh, hãy ghi 0.") in got
    assert "1:4.4" in {ref for ref, _ in got}


def test_blanks_fixed_by_a_zero_total_are_not_a_question():
    # f1.tasks_parts_le_total: 1:4.2 + 1:4.3 + 1:4.4 <= 1:4.1. A total of 0 fixes every part at 0.
    got = {ref for ref, _ in blanks(report(**vals(x1_4__1=0, x1_4__2=0)))}
    assert not got & {"1:4.3", "1:4.4"}
    got = {ref for ref, _ in blanks(report(**vals(x1_4__1=1, x1_4__2=0)))}
    assert {"1:4.3", "1:4.4"} <= got


def test_an_equal_sum_with_a_zero_side_fixes_the_blanks_of_the_other():
    # f6.partial_sum: 6:2.4 = 6:2.4.1 + 6:2.4.2 + 6:2.4.3, both ways.
    got = {ref for ref, _ in blanks(report(**vals(x6_2__4=0, x6_2__4__1=0)))}
    assert not got & {"6:2.4.2", "6:2.4.3"}
    got = {ref for ref, _ in blanks(report(**vals(x6_2__4=2, x6_2__4__1=0)))}
    assert {"6:2.4.2", "6:2.4.3"} <= got


def test_an_empty_rule_under_a_holding_condition_fixes_its_blank():
    # f1.no_survey_no_method: when 1:5 = 0, 1:5.2 must be empty.
    got = {ref for ref, _ in blanks(report(**vals(x1_5=0, x1_5__1=0, x1_5__2=None)))}
    assert "1:5.2" not in got
    got = {ref for ref, _ in blanks(report(**vals(x1_5=None, x1_5__1=0, x1_5__2=None)))}
    assert "1:5.2" in got


def test_a_blank_already_reported_by_a_rule_is_not_asked_again():
    got = {ref for ref, _ in blanks(report(**vals(x1_2__2=None)))}
    assert "1:2.2" not in got  # ratio.pair.1_2 points at it


def test_a_wholly_blank_form_is_one_warning():
    data = report()
    for code in data.values["2a"]:
        data.values["2a"][code] = None
    got = [(f.severity, f.sheet, f.cell, f.message) for f in check(data, "blank.form")]
    assert len(got) == 1 and got[0][:2] == ("warning", "BM2a")
    assert got[0][3].endswith("để trống toàn bộ. Nếu đơn vị không phát sinh, hãy ghi 0 vào các chỉ tiêu tương ứng; "
                              "nếu chưa có số liệu, hãy bổ sung trước khi gửi báo cáo.")


def test_district_rows_are_not_asked_of_a_commune():
    data = report({"cap": "Xã"}, **vals(x7_2__1=None))
    assert "7:2.1" not in {ref for ref, _ in blanks(data)}
    data = report({"cap": "Huyện"}, **vals(x7_2__1=None))
    assert "7:2.1" in {ref for ref, _ in blanks(data)}


# ============================================================================ findings
def test_findings_are_sorted_by_sheet_then_cell_then_severity():
    data = report({"ngay_ky": D(2024, 12, 10)}, **vals(x3_1=-1, x1_2__2=15))
    data.narrative["II.6"] = ""
    findings = run_checks(data)
    sheets = [f.sheet for f in findings]
    assert sheets.index("Thông tin chung") < sheets.index("Thuyết minh") < sheets.index("BM1") < sheets.index("BM3")
    assert max(i for i, s in enumerate(sheets) if s == "Thông tin chung") < sheets.index("Thuyết minh")
    assert max(i for i, s in enumerate(sheets) if s == "Thuyết minh") < sheets.index("BM1")
    bm3 = [(f.cell, f.severity) for f in findings if f.sheet == "BM3"]
    assert bm3 == sorted(bm3, key=lambda x: (int(x[0][1:]), x[0][0], {"error": 0, "warning": 1, "info": 2}[x[1]]))


def test_a_finding_as_json_and_the_counts():
    f = Finding("error", "BM3", "D18", "3", "2.3.1", "r", "Sửa.", {"ngay": D(2025, 3, 7), "l": [D(2025, 1, 2), 1]})
    assert f.address == "BM3!D18" and f.ref == "3:2.3.1"
    assert f.to_json() == {"severity": "error", "sheet": "BM3", "cell": "D18", "address": "BM3!D18", "ref": "3:2.3.1",
                           "form": "3", "code": "2.3.1", "rule_id": "r", "message": "Sửa.",
                           "values": {"ngay": "2025-03-07", "l": ["2025-01-02", 1]}}
    g = Finding("info", "Thông tin chung", "", "", "nam", "r", "x")
    assert g.address == "Thông tin chung" and g.ref == "nam"
    assert counts([f, g, f]) == {"error": 2, "warning": 0, "info": 1}
    assert counts([]) == {s: 0 for s in SEVERITIES}


# ============================================================================ values of findings
# `cchc check --json` hands each finding's values to other tools: they are pinned too.
def _values(data, rule):
    return [f.values for f in check(data, rule)]


def test_the_values_each_finding_carries():
    assert _values(report(**vals(x3_1=-1)), "kind.nonnegative") == [{"3:1": -1}]
    assert _values(report(**vals(x3_1=2.5)), "kind.whole") == [{"3:1": 2.5}]
    assert _values(report(**vals(x7_2__2=101)), "kind.pct_range") == [{"7:2.2": 101}]
    assert _values(report(**vals(x7_2__2=0.5)), "kind.pct_fraction") == [{"7:2.2": 0.5}]
    assert _values(report(**vals(x1_5=2)), "kind.choice") == [{"1:5": 2}]
    assert _values(report(**vals(x3_1="abc")), "kind.number") == [{"3:1": "abc"}]
    assert _values(report({"nam": 1899, "ky": None}), "info.year") == [{"nam": 1899}]
    assert _values(report({"ma_dvhc": "5014"}), "info.admin_code") == [{"ma_dvhc": "5014"}]
    assert _values(report({"don_vi": None}), "info.required") == [{"don_vi": None}]
    assert _values(report({"tu_ngay": D(2025, 3, 11)}), "info.window_order") == [
        {"tu_ngay": D(2025, 3, 11), "den_ngay": D(2025, 3, 10)}]
    assert _values(report({"tu_ngay": D(2024, 11, 28)}), "info.window") == [
        {"ky": "Quý I", "nam": 2025, "tu_ngay": D(2024, 11, 28), "expected": D(2024, 12, 15), "days": 17}]
    window = {"ngay_ky": D(2025, 3, 9), "tu_ngay": D(2024, 12, 11), "den_ngay": D(2025, 3, 10)}
    assert _values(report({"ngay_ky": D(2025, 3, 9)}), "info.report_date") == [window]
    for signed in (D(2024, 12, 10), D(2025, 5, 10), D(2026, 3, 12)):
        assert _values(report({"ngay_ky": signed}), "info.report_date") == [{**window, "ngay_ky": signed}]
    assert _values(report(**vals(x1_2__2=15)), "f1.done_le_planned") == [
        {"1:2.2": 15, "1:2.1": 14, "left": 15, "right": 14}]
    assert _values(_dossiers(10, 16), "x.resolved_vs_received") == [
        {"3:2.3.1": 10, "7:3.1": 16, "left": 10, "right": 16, "difference": 6, "allowed": 5}]
    assert _values(report(**vals(x1_2__2=None)), "ratio.pair.1_2") == [{"1:2.1": 14, "1:2.2": None}]
    assert [v for v in _values(_ratio_file(50), "ratio.recomputed") if v["file"] == 50] == [
        {"computed": 100.0, "file": 50, "3:2.3.2": 71, "3:2.3.1": 71}]
    assert [f.values for f in check(report(**vals(x1_4__1=3, x1_4__2=3)), "blank.cell") if f.code == "4.3"] == [
        {"1:4.3": None, "1:4.1": 3, "1:4.2": 3}]


# ============================================================================ within EPS is equal
EPS = 1e-9


@pytest.mark.parametrize("op, a, b, fires", [
    ("<=", EPS, 0, False), ("<=", 3 * EPS, 0, True),
    ("<", 0, EPS, True), ("<", 0, 3 * EPS, False),
    (">=", 0, EPS, False), (">=", 0, 3 * EPS, True),
    (">", EPS, 0, True), (">", 3 * EPS, 0, False),
    ("=", EPS, 0, False), ("=", 3 * EPS, 0, True), ("=", 0, 0, False),
    ("!=", EPS, 0, True),
])
def test_values_within_a_billionth_compare_as_equal(op, a, b, fires):
    rule = {"id": "t", "left": "6:1.1", "op": op, "right": "6:1.2", "message": "Sửa."}
    assert bool(rule_findings(report(**vals(x6_1__1=a, x6_1__2=b)), rule)) == fires


def test_a_reversed_window_of_one_day_skips_the_signing_check_and_a_same_day_window_does_not():
    assert found(report({"tu_ngay": D(2025, 3, 10), "den_ngay": D(2025, 3, 10), "ngay_ky": D(2025, 3, 9)}),
                 "info.report_date")[0][0] == "error"


# ============================================================================ more of the rules
def test_a_condition_with_a_blank_side_does_not_hold():
    rule = {"id": "t", "when": "3:1.2 = 3:1.3", "left": "3:1.1", "op": "<=", "right": 0, "message": "Sửa."}
    assert len(rule_findings(report(**vals(x3_1__1=2, x3_1__2=0, x3_1__3=0)), rule)) == 1
    assert rule_findings(report(**vals(x3_1__1=2, x3_1__2=0, x3_1__3=None)), rule) == []
    assert rule_findings(report(**vals(x3_1__1=2, x3_1__2=None, x3_1__3=0)), rule) == []


def test_a_condition_on_a_sum_is_quoted_as_written():
    rule = {"id": "t", "when": "3:1.2 + 3:1.3 >= 1", "left": "3:1.1", "op": "<=", "right": 0, "message": "Sửa."}
    [f] = rule_findings(report(**vals(x3_1__1=2, x3_1__2=1, x3_1__3=0)), rule)
    assert f.message == "Vì 3:1.2 + 3:1.3 >= 1: BM3 mục 1.1 «TTHC được đơn giản hóa» = 2. Sửa."


def test_a_constant_side_is_printed_as_its_number():
    rule = {"id": "t", "left": "5", "op": "<=", "right": "3:1.2", "message": "Sửa."}
    [f] = rule_findings(report(**vals(x3_1__2=3)), rule)
    assert f.message == "5 lớn hơn BM3 mục 1.2 «TTHC công bố mới» = 3. Sửa."


def test_the_blank_codes_of_a_sum_are_listed():
    rule = {"id": "t", "left": "3:1.1 + 3:1.2 + 3:1.3", "op": "<=", "right": "3:1", "missing": "skip_if_all",
            "message": "Sửa."}
    [f] = rule_findings(report(**vals(x3_1=1, x3_1__1=None, x3_1__2=None, x3_1__3=2)), rule)
    assert f.message == ("Tổng BM3 mục 1.1 + 1.2 + 1.3 = 2 (mục 1.1, mục 1.2 để trống) lớn hơn BM3 mục 1 «TTHC thuộc "
                         "thẩm quyền» = 1. Sửa.")


def test_sums_on_either_side_of_a_tolerance_rule_are_stated():
    rule = {"id": "t", "left": "3:1", "op": "~", "right": "3:1.2 + 3:1.3", "tolerance_abs": 1, "message": "Sửa."}
    [f] = rule_findings(report(**vals(x3_1=9, x3_1__2=3, x3_1__3=2)), rule)
    assert f.message == ("BM3 mục 1 «TTHC thuộc thẩm quyền» = 9 chênh lệch 4 so với tổng BM3 mục 1.2 + 1.3 = 5 (mức "
                         "thường gặp: không quá 1). Sửa.")
    rule = {**rule, "left": "3:1.2 + 3:1.3", "right": "3:1"}
    [f] = rule_findings(report(**vals(x3_1=9, x3_1__2=3, x3_1__3=2)), rule)
    assert f.message.startswith("Tổng BM3 mục 1.2 + 1.3 = 5 chênh lệch 4 so với BM3 mục 1 «TTHC thuộc thẩm quyền» = 9")
    rule = {"id": "t", "left": "3:1.2 + 3:1.3", "op": "<=", "right": 2, "message": "Không quá 2."}
    [f] = rule_findings(report(**vals(x3_1__2=3, x3_1__3=2)), rule)
    assert f.message == "Tổng BM3 mục 1.2 + 1.3 = 5. Không quá 2."


@pytest.mark.parametrize("a, b, fires", [(0, 0.5, False), (0, 0.5 + 1e-9, False), (0, 0.5 + 3e-9, True),
                                         (0.5 + 1e-9, 0, False)])
def test_a_tolerance_includes_its_limit_within_a_billionth(a, b, fires):
    rule = {"id": "t", "left": "6:1.1", "op": "~", "right": "6:1.2", "tolerance_abs": 0.5, "message": "Sửa."}
    assert bool(rule_findings(report(**vals(x6_1__1=a, x6_1__2=b)), rule)) == fires


@pytest.mark.parametrize("a, b, fires", [(0, 1.5e-9, True), (1e10, 1e10 + 5, False), (1e10, 1e10 + 11, True)])
def test_equal_is_within_a_billionth_of_the_larger_value(a, b, fires):
    rule = {"id": "t", "left": "6:1.1", "op": "=", "right": "6:1.2", "message": "Sửa."}
    assert bool(rule_findings(report(**vals(x6_1__1=a, x6_1__2=b)), rule)) == fires


def test_a_skipped_rule_does_not_stop_the_rules_after_it():
    ids = [f.rule_id for f in check(report({"cap": "Huyện"}, **vals(x2a_1=2, x2a_1__1=2, x2a_1__2=3, x3_1__1=174)))]
    assert "f2a.sum_total" in ids and "f3.simplified_le_total" in ids
    ids = [f.rule_id for f in check(report({"cap": "Huyện"}, **vals(x3_1__1=174)))]
    assert "f3.simplified_le_total" in ids  # after x.resolved_vs_received, not for a district


def test_findings_at_one_cell_come_error_first_then_warning_then_information():
    rules = ({"id": "w", "left": "3:1.2", "op": "<=", "right": 0, "severity": "warning", "message": "Cảnh báo."},
             {"id": "e", "left": "3:1.2", "op": "<=", "right": 1, "message": "Lỗi."})
    findings = [f for f in run_checks(report(**vals(x3_1__2=3)), with_rules(*rules)) if f.cell == "D8" and f.sheet == "BM3"]
    assert [(f.rule_id, f.severity) for f in findings] == [("e", "error"), ("w", "warning")]


def test_findings_of_one_sheet_are_in_the_order_of_their_cells_whatever_the_order_of_the_rules():
    rules = ({"id": "b", "left": "3:1.3", "op": "<=", "right": 0, "message": "Sửa."},
             {"id": "a", "left": "3:1.2", "op": "<=", "right": 0, "message": "Sửa."})
    findings = [f for f in run_checks(report(**vals(x3_1__2=3, x3_1__3=3)), with_rules(*rules)) if f.rule_id in "ab"]
    assert [(f.rule_id, f.cell) for f in findings] == [("a", "D8"), ("b", "D9")]
    data = report(**vals(x3_1=-1, x3_1__1=-1))
    del data.cells["3:1.1"]
    assert [f.cell for f in run_checks(data) if f.sheet == "BM3" and f.rule_id == "kind.nonnegative"] == ["", "D6"]


def test_a_finding_without_a_sheet_comes_last():
    data = report(**vals(x3_1=-1))
    data.problems = [Finding("info", "", "", "", "", "read.version", "Phiên bản khác.", {})]
    findings = run_checks(data)
    assert findings[-1].rule_id == "read.version" and findings[0].sheet == "Thông tin chung"


# ============================================================================ more of the determined blanks
def _blanks_with(rule, **values):
    cat = with_rules(rule)
    return {f.form + ":" + f.code for f in run_checks(report(**vals(**values)), cat) if f.rule_id == "blank.cell"}


def test_an_equal_sum_fixes_blank_parts_when_its_single_side_is_zero():
    rule = {"id": "t", "left": "6:2.4", "op": "=", "right": "6:2.4.1 + 6:2.4.2 + 6:2.4.3", "message": "Sửa."}
    assert not _blanks_with(rule, x6_2__4=0, x6_2__4__1=0) & {"6:2.4.2", "6:2.4.3"}
    assert {"6:2.4.2", "6:2.4.3"} <= _blanks_with(rule, x6_2__4=1, x6_2__4__1=0)
    assert not _blanks_with(rule, x6_2__4=1e-9, x6_2__4__1=0) & {"6:2.4.2", "6:2.4.3"}  # zero within a billionth
    assert {"6:2.4.2", "6:2.4.3"} <= _blanks_with(rule, x6_2__4=3e-9, x6_2__4__1=0)


def test_an_upper_bound_of_zero_fixes_its_parts_but_a_zero_part_fixes_nothing_above():
    rule = {"id": "t", "left": "6:2.4", "op": "<=", "right": "6:2.4.1 + 6:2.4.2 + 6:2.4.3", "message": "Sửa."}
    assert {"6:2.4.2", "6:2.4.3"} <= _blanks_with(rule, x6_2__4=0, x6_2__4__1=0)
    rule = {"id": "t", "left": "6:2.4.1 + 6:2.4.2 - 6:2.4.3", "op": "<=", "right": "6:2.4", "message": "Sửa."}
    assert {"6:2.4.2", "6:2.4.3"} <= _blanks_with(rule, x6_2__4=0, x6_2__4__1=0)  # a subtracted part: not fixed


# ============================================================================ more of the values
def test_a_choice_code_in_its_list_is_no_finding():
    assert found(report(**vals(x1_5=1, x1_5__1=5, x1_5__2=1)), "kind") == []
    assert found(report(**vals(x1_5=1, x1_5__1=5, x1_5__2=0)), "kind") == []


def test_blocks_are_the_rows_under_one_parent_code():
    # 1:3.1 is alone under «3»; 1:3.2.1 and 1:3.2.2 are under «3.2»: filling 3.1 asks nothing of them
    assert [ref for ref, _ in blanks(report(**vals(x1_3__1=5))) if ref.startswith("1:")] == []


def test_a_choice_code_outside_its_list():
    assert found(report(**vals(x1_5__2=5)), "kind") == [
        ("error", "BM1", "D22", "BM1 mục 5.2 «Hình thức khảo sát» = 5 không có trong danh sách; hãy chọn một trong: "
                                "Trực tuyến (0); Phát phiếu (1); Kết hợp (2).")]
    assert found(report(**vals(x1_5=1.5)), "kind") == [
        ("error", "BM1", "D20", "BM1 mục 5 «Có khảo sát hài lòng» = 1,5 không có trong danh sách; hãy chọn một trong: "
                                "Có (1); Không (0).")]


def test_decimals_are_shown_to_four_places_and_percentages_to_two():
    assert found(report(**vals(x3_1=2.12345)), "kind.whole")[0][3] == (
        "BM3 mục 1 «TTHC thuộc thẩm quyền» = 2,1235 không phải số nguyên; hãy nhập số nguyên.")
    assert found(report(**vals(x7_2__2=0.123456)), "kind.pct_fraction")[0][3] == (
        "BM7 mục 2.2 «Văn bản điện tử (cấp xã)» = 0,1235: có thể bạn gõ 12,35% và Excel lưu thành 0,1235. Tỷ lệ nhập "
        "bằng số phần trăm từ 0 đến 100 (ví dụ 12,35); nếu đúng là dưới 1% thì giữ nguyên.")


def test_a_value_the_reader_reported_is_not_reported_again():
    data = report(**vals(x3_1=-3))
    data.problems = [Finding("error", "BM3", "D6", "3", "1", "read.value", "Ô BM3!D6 (3:1): số âm.", {})]
    assert [f.rule_id for f in run_checks(data) if f.cell == "D6" and f.sheet == "BM3"] == ["read.value"]
    data = report(**vals(x3_1=-3, x3_1__1=-1))
    data.problems = [Finding("error", "BM3", "D6", "3", "1", "read.value", "Ô BM3!D6 (3:1): số âm.", {})]
    assert {f.rule_id for f in run_checks(data) if f.sheet == "BM3"} >= {"read.value", "kind.nonnegative"}


def test_an_indicator_without_its_cell_is_reported_on_its_sheet():
    data = report(**vals(x3_1=-1))
    del data.cells["3:1"]
    [f] = check(data, "kind.nonnegative")
    assert (f.sheet, f.cell, f.form, f.code) == ("BM3", "", "3", "1")


def test_a_form_missing_from_the_values_is_blank():
    data = report()
    del data.values["2a"], data.ratios["2a"]
    assert [(f.sheet, f.values) for f in check(data, "blank.form")] == [("BM2a", {"form": "2a", "blank": 8})]


def test_information_findings_name_the_field_and_no_form():
    [f] = check(report({"nam": 1899, "ky": None}), "info.year")
    assert (f.form, f.code, f.ref) == ("", "nam", "nam")
    data = report({"don_vi": None})
    del data.info_cells["don_vi"]
    [f] = check(data, "info.required")
    assert (f.sheet, f.cell, f.code) == ("Thông tin chung", "", "don_vi")


def test_a_field_the_reader_reported_is_not_asked_again():
    data = report({"don_vi": None, "ma_dvhc": "abc"})
    data.problems = [Finding("error", "Thông tin chung", "B18", "", "don_vi", "read.info", "Ô B18.", {}),
                     Finding("error", "Thông tin chung", "B20", "", "ma_dvhc", "read.info", "Ô B20.", {})]
    assert check(data, "info.required") == [] and check(data, "info.admin_code") == []


def test_a_date_that_is_not_a_date_is_not_checked():
    assert check(report({"ngay_ky": "7/3/2025"}), "info.report_date") == []
    assert check(report({"tu_ngay": "không rõ"}), "info.window") == []


def test_each_end_of_the_window_is_checked_even_without_the_other():
    got = found(report({"tu_ngay": None, "den_ngay": D(2025, 4, 29), "ngay_ky": D(2025, 4, 29)}), "info.window")
    assert got == [("error", "Thông tin chung", "B31", _window_message("den_ngay", "14/3/2025", "29/4/2025", 46))]


# ============================================================================ more of the ratios and the blanks
def test_a_zero_ratio_cell_within_0_005_is_silent_and_beyond_it_is_noted():
    data = _ratio_file(0.005, **vals(x3_2__3__2=0))
    data.ratios["3"]["2.3"] = 0.0
    assert ratio_found(data) == []
    data.file_ratios["3:2.3"] = 0.0051
    assert [f[0] for f in ratio_found(data)] == ["info"]


def test_every_ratio_cell_is_compared_not_only_the_first_that_agrees():
    data = _ratio_file(50)
    data.file_ratios["1:2"] = data.ratios["1"]["2"]
    assert [f[0] for f in ratio_found(data)] == ["info"]


def test_a_ratio_cell_is_shown_to_four_decimals_and_its_finding_carries_the_parts():
    data = _ratio_file(99.123456)
    assert "ghi 99,1235, nhưng tính lại" in ratio_found(data)[0][3]
    data = _ratio_file(95.123456, **vals(x3_2__3__1=None, x3_2__3__2=None))
    data.ratios["3"]["2.3"] = None
    [f] = [f for f in check(data, "ratio.without_parts") if f.code == "2.3"]
    assert "ghi 95,1235 nhưng" in f.message
    assert f.values == {"computed": None, "file": 95.123456, "3:2.3.2": None, "3:2.3.1": None}


def test_a_form_without_ratios_in_the_data_is_not_compared():
    data = report()
    del data.ratios["2a"]
    assert [f for f in check(data, "ratio") if f.form == "2a"] == []


def test_a_wholly_blank_form_points_at_its_first_row_and_blank_cells_are_warnings():
    data = report()
    data.values["2a"] = {code: None for code in data.values["2a"]}
    [f] = check(data, "blank.form")
    assert (f.sheet, f.cell, f.code) == ("BM2a", "D6", "1")
    assert {f.severity for f in check(report(**vals(x1_4__1=3, x1_4__2=3)), "blank.cell")} == {"warning"}


def test_a_form_with_nothing_that_applies_does_not_stop_the_blank_checks():
    cat = load_catalogue("ky")
    everything = [f"1:{r.code}" for r in cat.form("1").rows if r.is_input]
    na = {"id": "na.all_of_1", "type": "not_applicable", "levels": ["Xã"], "refs": everything}
    cat = dataclasses.replace(cat, rules=tuple(cat.rules) + (na,))
    data = report()
    data.values["1"] = {code: None for code in data.values["1"]}
    data.values["2a"] = {code: None for code in data.values["2a"]}
    assert [f.form for f in run_checks(data, cat) if f.rule_id == "blank.form"] == ["2a"]


def test_a_wholly_blank_block_does_not_stop_the_blocks_after_it():
    data = report(**vals(x1_3__1=None, x1_3__2__1=None, x1_3__2__2=None, x1_4__1=3, x1_4__2=3))
    assert {"1:4.3", "1:4.4"} <= {ref for ref, _ in blanks(data)}


# ============================================================================ the catalogue of a report
def test_a_report_is_checked_with_its_own_kind_and_a_report_without_one_as_the_default():
    data = report(**vals(x3_1=-1))
    data.kind = ""
    assert [f.rule_id for f in run_checks(data)] == [f.rule_id for f in run_checks(data, load_catalogue("ky"))]
    data.kind = "ky"
    assert "kind.nonnegative" in {f.rule_id for f in run_checks(data)}


def test_a_report_kind_adds_its_own_checks():
    from pins import raw_of, seed_cells

    from cchc.workbook.reader import interpret

    cat = load_catalogue("chi_so")
    data = interpret(raw_of(*seed_cells("chi_so")), cat)
    own = [f.rule_id for f in run_checks(data, cat) if f.rule_id.startswith("chi_so.")]
    assert "chi_so.summary" in own
    assert [f.rule_id for f in run_checks(data) if f.rule_id.startswith("chi_so.")] == own
