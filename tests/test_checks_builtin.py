"""The checks on the seed report, and the checks that are code rather than catalogue rules:
per kind, "Thông tin chung", the narrative, blank versus zero, the ratios, the rule schema.

Workbooks are the seed report filled into the real template (`make_workbook`), changed where
a test says, and read back from the file.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest
from openpyxl import load_workbook

from cchc.checks import run_checks
from cchc.catalogue.rules import RuleError, parse_rules
from cchc.errors import CchcError
from cchc.workbook.reader import read_workbook


def check(path):
    data = read_workbook(path)
    return data, run_checks(data)


def by_rule(findings, rule_id):
    return [f for f in findings if f.rule_id == rule_id]


def setv(**changes):
    def edit(d):
        for key, value in changes.items():
            form, _, code = key.replace("__", ".").partition("_")
            d["values"].setdefault(form, {})[code] = value
    return edit


def info(**changes):
    def edit(d):
        d["info"].update(changes)
    return edit


def narrative(key, text, *, append=True):
    def edit(d):
        d["narrative"][key] = (d["narrative"].get(key, "") + "\n" + text) if append else text
    return edit


# ============================================================================ the seed
@pytest.fixture(scope="module")
def seed(seed_workbook):
    return check(seed_workbook)


def test_seed_has_no_error(seed):
    _, findings = seed
    assert [f.message for f in findings if f.severity == "error"] == []


def test_seed_warnings_are_exactly_the_justified_ones(seed):
    data, findings = seed
    got = sorted((f.rule_id, f.sheet, f.cell) for f in findings if f.severity == "warning")
    cell = lambda ref: (data.cells[ref].sheet, data.cells[ref].a1)  # noqa: E731
    info_cell = lambda key: (data.info_cells[key].sheet, data.info_cells[key].a1)  # noqa: E731
    expected = sorted([
        ("info.report_date", *info_cell("ngay_ky")),  # signed 07/3/2025, window ends 10/3/2025
        # "Kế hoạch số 11/KH-UBND … năm 2024", the second line: the cell below the first
        ("narrative.year", data.info_cells["can_cu"].sheet,
         f"{data.info_cells['can_cu'].a1[0]}{int(data.info_cells['can_cu'].a1[1:]) + 1}"),
        ("blank.cell", *cell("4:2.3")), ("blank.cell", *cell("4:2.4")), ("blank.cell", *cell("4:2.5")),
        ("blank.cell", *cell("5:1.2")), ("blank.cell", *cell("5:1.3")),
    ])
    assert got == expected


def test_seed_year_mistake_is_found_in_can_cu_only(seed):
    data, findings = seed
    (f,) = by_rule(findings, "narrative.year")
    assert f.code == "can_cu"
    assert "Căn cứ, dòng 2" in f.message
    assert (f.sheet, f.cell) == (data.info_item_cells["can_cu"][1].sheet, data.info_item_cells["can_cu"][1].a1)
    assert "năm 2024" in f.message and "11/KH-UBND" in f.message
    assert "gõ nhầm năm 2024 thay cho 2025" in f.message
    assert f.values["year_here"] == 2024 and f.values["year_elsewhere"] == 2025
    # The legitimate mentions of 2024 stay silent: section IV's "tồn tại … trong năm 2024" and
    # "Công văn số 48 UBND-VH ngày 15/3/2024" in section I.
    assert not [x for x in findings if x.code in ("IV", "I")]


def test_seed_window_is_accepted_and_signing_date_warned(seed):
    _, findings = seed
    assert by_rule(findings, "info.window") == []
    (f,) = by_rule(findings, "info.report_date")
    assert f.severity == "warning"
    assert "07/3/2025" in f.message and "10/3/2025" in f.message


def test_seed_ratios_are_information(seed):
    _, findings = seed
    infos = {f.ref: f for f in findings if f.severity == "info"}
    assert set(infos) == {"1:2", "3:2.3", "6:1", "7:3"}
    assert all(f.rule_id == "ratio.recomputed" for f in infos.values())
    assert "57,14%" in infos["1:2"].message and "8/14" in infos["1:2"].message
    assert "98,59%" in infos["7:3"].message


def test_seed_narrative_numbers_agree_with_tables(seed):
    _, findings = seed
    assert [f for f in findings if f.rule_id.startswith("tm.")] == []


# ============================================================================ per kind
def test_percent_typed_as_fraction_is_a_warning(make_workbook):
    data, findings = check(make_workbook(setv(**{"7_2__2": 0.9})))
    (f,) = by_rule(findings, "kind.pct_fraction")
    assert f.severity == "warning" and f.cell == data.cells["7:2.2"].a1
    assert "90%" in f.message and "0,9" in f.message


# Planted values, also recalculated in the workbook's own formulas (tests/test_live_checks.py).
WRONG_VALUES = [("7:2.2", 150), ("1:1", 2.5), ("6:1.1", -5), ("1:5.2", 7)]
ADMIN_CODES = [("05014", True), ("1234a", False), ("123456", False), ("0501", False)]
WINDOWS = [
    ({"ky": "Quý III"}, "error"),  # a Quý III window is June–September
    ({"nam": 2024}, "error"),  # the window is a year off
    ({"den_ngay": "2025-03-31"}, "warning"),  # 17 days past 14/3
    ({"tu_ngay": "2024-12-15", "den_ngay": "2025-03-14"}, None),  # Bộ Nội vụ's own window
]
SIGNINGS = [
    ("2025-03-10", None), ("2025-03-20", None), ("2025-03-07", "warning"),
    ("2024-03-07", "error"), ("2025-06-01", "warning"), ("2026-06-01", "error"),
]


@pytest.mark.parametrize("ref, value", WRONG_VALUES)
def test_wrong_values_are_errors_at_their_cell(make_workbook, ref, value):
    form, _, code = ref.partition(":")

    def edit(d):
        d["values"][form][code] = value
        if ref == "1:5.2":
            d["values"]["1"]["5"] = 1
            d["values"]["1"]["5.1"] = 10
    data, findings = check(make_workbook(edit))
    at = data.cells[ref]
    errors = [f for f in findings if f.severity == "error" and (f.sheet, f.cell) == (at.sheet, at.a1)]
    assert errors, [f.message for f in findings]


@pytest.mark.parametrize("ref, value, rule", [
    ("1:1", 2.5, "kind.whole"), ("6:1.1", -5, "kind.nonnegative"), ("7:2.2", 150, "kind.pct_range"),
    ("1:6", 3, "kind.choice"),
])
def test_kind_checks_without_the_reader(seed_workbook, ref, value, rule):
    # Data that did not come through the reader (a merge, a JSON export) has no reader
    # problems: the per-kind checks still catch the value.
    data = read_workbook(seed_workbook)
    data = copy.deepcopy(data)
    form, _, code = ref.partition(":")
    data.values[form][code] = value
    data.problems = []
    (f,) = by_rule(run_checks(data), rule)
    assert f.severity == "error" and f.ref == ref


# ============================================================================ Thông tin chung
def test_required_field_missing(make_workbook):
    data, findings = check(make_workbook(info(nguoi_ky=None)))
    (f,) = by_rule(findings, "info.required")
    assert f.code == "nguoi_ky" and f.severity == "error" and f.cell == data.info_cells["nguoi_ky"].a1
    assert "Họ và tên người ký" in f.message


@pytest.mark.parametrize("code, ok", ADMIN_CODES)
def test_admin_code_has_five_digits(make_workbook, code, ok):
    _, findings = check(make_workbook(info(ma_dvhc=code)))
    assert bool(by_rule(findings, "info.admin_code")) is not ok


def test_admin_code_saved_as_number_keeps_its_zero(make_workbook):
    _, findings = check(make_workbook(info(ma_dvhc=5014)))
    assert by_rule(findings, "info.admin_code") == []


@pytest.mark.parametrize("changes, severity", WINDOWS)
def test_period_and_year_against_the_window(make_workbook, changes, severity):
    changes = {"ngay_ky": "2025-04-01", **changes}
    _, findings = check(make_workbook(info(**changes)))
    got = {f.severity for f in by_rule(findings, "info.window")}
    assert got == ({severity} if severity else set())


def test_window_order(make_workbook):
    _, findings = check(make_workbook(info(tu_ngay="2025-03-10", den_ngay="2024-12-11")))
    (f,) = by_rule(findings, "info.window_order")
    assert f.severity == "error" and f.code == "tu_ngay"


@pytest.mark.parametrize("signed, severity", SIGNINGS)
def test_signing_date(make_workbook, signed, severity):
    _, findings = check(make_workbook(info(ngay_ky=signed)))
    got = {f.severity for f in by_rule(findings, "info.report_date")}
    assert got == ({severity} if severity else set())


# ============================================================================ narrative
FIXED_CAN_CU = info(can_cu=[
    "Căn cứ Quyết định số 65/QĐ-UBND ngày 16/01/2025 của Ủy ban nhân dân huyện Lạc Dương về việc ban hành "
    "Kế hoạch Cải cách hành chính năm 2025;",
    "Thực hiện Kế hoạch số 11/KH-UBND ngày 21/01/2025 của Ủy ban nhân dân xã Đưng K'Nớ về việc thực hiện công "
    "tác cải cách hành chính năm 2025.",
])


def test_fixed_can_cu_is_silent(make_workbook):
    _, findings = check(make_workbook(FIXED_CAN_CU))
    assert [f for f in findings if f.rule_id.startswith("narrative.")] == []


def test_plan_for_past_year_without_a_second_citation(make_workbook):
    # Section I no longer repeats the plan: the "plan issued in 2025 about 2024" signal alone.
    def edit(d):
        d["narrative"]["I"] = "Ủy ban nhân dân xã tổ chức triển khai thực hiện công tác CCHC."
    _, findings = check(make_workbook(edit))
    (f,) = by_rule(findings, "narrative.year")
    assert f.code == "can_cu" and "kế hoạch ban hành năm 2025 mà lại về công tác CCHC năm 2024" in f.message


@pytest.mark.parametrize("text", [
    "Kế hoạch số 5/KH-UBND ngày 10/01/2025 về khắc phục tồn tại, hạn chế trong công tác CCHC năm 2024.",
    "So với Quý I năm 2024, số hồ sơ tăng.",
    "Chương trình tổng thể cải cách hành chính giai đoạn 2021 - 2030.",
])
def test_legitimate_years_are_silent(make_workbook, text):
    _, findings = check(make_workbook(lambda d: (FIXED_CAN_CU(d), narrative("II.1", text)(d))))
    assert [f.message for f in findings if f.rule_id.startswith("narrative.")] == []


@pytest.mark.parametrize("key, text, fires", [
    ("II.1", "Trong Quý I năm 2023, xã không ban hành VBQPPL.", True),
    ("I", "Triển khai Kế hoạch cải cách hành chính năm 2026.", True),
    # Section IV looks ahead: preparing next year's plan is ordinary, two years ahead is not.
    ("IV", "Xây dựng Kế hoạch cải cách hành chính năm 2026.", False),
    ("IV", "Xây dựng Kế hoạch cải cách hành chính năm 2027.", True),
    ("IV", "Chuẩn bị Kế hoạch công tác CCHC năm 2025 cho các quý còn lại.", False),
])
def test_period_phrases(make_workbook, key, text, fires):
    _, findings = check(make_workbook(lambda d: (FIXED_CAN_CU(d), narrative(key, text)(d))))
    hits = [f for f in findings if f.rule_id == "narrative.year" and f.code == key]
    assert bool(hits) is fires


def test_next_year_is_allowed_in_an_annual_report_outlook(make_workbook):
    def edit(d):
        FIXED_CAN_CU(d)
        d["info"].update(ky="Năm", tu_ngay="2024-12-15", den_ngay="2025-12-14", ngay_ky="2025-12-16")
        narrative("IV", "Xây dựng Kế hoạch cải cách hành chính năm 2026.")(d)
    _, findings = check(make_workbook(edit))
    assert by_rule(findings, "narrative.year") == []


def test_document_dated_after_the_report(make_workbook):
    text = "Kế hoạch số 30/KH-UBND ngày 20/3/2025 về tuyên truyền cải cách hành chính năm 2025."
    _, findings = check(make_workbook(lambda d: (FIXED_CAN_CU(d), narrative("I", text)(d))))
    (f,) = by_rule(findings, "narrative.document_date")
    assert f.code == "I" and "20/3/2025" in f.message and "07/3/2025" in f.message


def test_empty_sections(make_workbook):
    def edit(d):
        d["narrative"]["II.2.4"] = ""
        d["narrative"]["II.1"] = ""
        d["auto_sentences"] = {"II.1": True}
    _, findings = check(make_workbook(edit))
    got = {f.code: f.severity for f in by_rule(findings, "narrative.empty")}
    # II.2.4 has no table behind it: an empty report section. II.1 still gets the generated
    # sentences from Biểu mẫu 2a: information only.
    assert got == {"II.2.4": "warning", "II.1": "info"}


def test_all_sections_empty_is_one_warning(make_workbook):
    _, findings = check(make_workbook(lambda d: d.update(narrative={})))
    assert len(by_rule(findings, "narrative.all_empty")) == 1
    assert by_rule(findings, "narrative.empty") == []


@pytest.mark.parametrize("text", [
    # A part: received directly, not the total.
    "Trong Quý I năm 2025 tiếp nhận trực tiếp 01 hồ sơ và trực tuyến 70 hồ sơ.",
    # Another period's figure.
    "Quý IV năm 2024 tiếp nhận 50 hồ sơ.",
    # Two different totals: ambiguous, say nothing.
    "Tiếp nhận 71 hồ sơ. Sau rà soát, tiếp nhận 72 hồ sơ.",
])
def test_narrative_numbers_never_guess(make_workbook, text):
    _, findings = check(make_workbook(narrative("II.2.3", text, append=False)))
    assert by_rule(findings, "tm.received_total") == []


# ============================================================================ blank versus zero
def test_whole_form_blank_is_one_warning(make_workbook):
    data, findings = check(make_workbook(lambda d: d["values"]["6"].update({"1.1": None, "1.2": None})))
    hits = [f for f in findings if f.form == "6" and f.rule_id.startswith("blank.")]
    assert [(f.rule_id, f.cell) for f in hits] == [("blank.form", data.cells["6:1.1"].a1)]


def test_blanks_fixed_by_a_zero_total_are_not_ambiguous(make_workbook):
    # 1:4.1 = 0 tasks assigned: by f1.tasks_parts_le_total (1:4.2 + 1:4.3 + 1:4.4 <= 1:4.1) the
    # parts are 0 whatever they hold; one filled part does not make the others ambiguous. (Not
    # 5:4.x: 5:4.1 and 5:4.2 do not apply to a commune, so nothing would be asked anyway.)
    def parts(findings):
        return sorted(f.ref for f in by_rule(findings, "blank.cell") if f.form == "1" and f.code.startswith("4."))

    _, findings = check(make_workbook(setv(**{"1_4__1": 0, "1_4__2": 0})))
    assert parts(findings) == []
    _, findings = check(make_workbook(setv(**{"1_4__1": 1, "1_4__2": 0})))
    assert parts(findings) == ["1:4.3", "1:4.4"]


def test_district_rows_blank_only_for_communes(make_workbook):
    _, findings = check(make_workbook(info(cap="Huyện")))
    assert "7:2.1" in {f.ref for f in by_rule(findings, "blank.cell")}
    _, findings = check(make_workbook())
    assert "7:2.1" not in {f.ref for f in by_rule(findings, "blank.cell")}


# ============================================================================ ratios in the file
def _type_in_ratio(path, ref, value, data):
    wb = load_workbook(path)
    at = data.cells[ref]
    wb[at.sheet][at.a1].value = value
    wb.save(path)


def test_ratio_cell_holding_another_number(make_workbook):
    path = make_workbook()
    data = read_workbook(path)
    _type_in_ratio(path, "1:2", 50, data)
    _, findings = check(path)
    (f,) = [f for f in findings if f.ref == "1:2"]
    assert f.severity == "info" and "ghi 50" in f.message and "57,14%" in f.message


def test_ratio_cell_holding_the_same_number_is_silent(make_workbook):
    path = make_workbook()
    data = read_workbook(path)
    _type_in_ratio(path, "1:2", 8 / 14 * 100, data)
    _, findings = check(path)
    assert [f for f in findings if f.ref == "1:2"] == []


def test_ratio_typed_without_its_parts(make_workbook):
    path = make_workbook(setv(**{"1_2__1": None, "1_2__2": None}))
    data = read_workbook(path)
    _type_in_ratio(path, "1:2", 60, data)
    _, findings = check(path)
    (f,) = by_rule(findings, "ratio.without_parts")
    assert f.severity == "warning" and f.cell == data.cells["1:2"].a1


# ============================================================================ the rule schema
@pytest.mark.parametrize("rule, why", [
    ({"id": "a", "left": "1:2.2", "op": "=<", "right": "1:2.1", "message": "m"}, "toán tử"),
    ({"id": "a", "left": "1:2.2", "op": "<=", "right": "1:9.9", "message": "m"}, "1:9.9"),
    ({"id": "a", "left": "1:2", "op": "<=", "right": "1:2.1", "message": "m"}, "ratio"),
    ({"id": "a", "left": "1:2.2", "op": "<=", "right": "1:2.1"}, "message"),
    ({"id": "a", "left": "1:2.2", "op": "<=", "right": "1:2.1", "message": "m", "severty": "error"}, "severty"),
    ({"id": "a", "left": "1:2.2", "op": "<=", "right": "1:2.1", "message": "m", "missing": "ignore"}, "missing"),
    ({"id": "a", "left": "1:2.2", "op": "~", "right": "1:2.1", "message": "m"}, "tolerance"),
    ({"id": "a", "left": "1:2.2 + 1:2.1", "op": "both_or_neither", "right": "1:2.1", "message": "m"}, "một mã"),
    ({"id": "a", "left": "1:2.2", "op": "<=", "right": "1:2.1", "message": "m", "skip_if_fired": ["zz"]}, "zz"),
    ({"id": "a", "type": "narrative_number", "ref": "7:3.1", "sections": ["II.2.3"], "pattern": "(\\d+)",
      "message": "m"}, "(?P<n>"),
    ({"id": "a", "type": "narrative_number", "ref": "7:1", "sections": ["II.6"], "message": "m"}, "zero hoặc one"),
    ({"id": "a", "type": "narrative_number", "ref": "7:1", "sections": ["II.6"], "one": "họp (", "message": "m"},
     "one không hợp lệ"),
])
def test_invalid_rules_are_refused_loudly(catalogue, rule, why):
    bad = dataclasses.replace(catalogue, rules=(rule,))
    with pytest.raises(RuleError) as exc:
        parse_rules(bad)
    assert why in exc.value.message
    assert isinstance(exc.value, CchcError)


def test_duplicate_rule_ids_are_refused(catalogue):
    rule = {"id": "a", "left": "1:2.2", "op": "<=", "right": "1:2.1", "message": "m"}
    with pytest.raises(RuleError):
        parse_rules(dataclasses.replace(catalogue, rules=(rule, dict(rule))))


def test_vietnamese_operators_and_severities(catalogue):
    rule = {"id": "a", "left": "1:2.2", "op": "≤", "right": "1:2.1", "message": "m", "severity": "cảnh báo"}
    (r,) = parse_rules(dataclasses.replace(catalogue, rules=(rule,))).compare
    assert (r.op, r.severity) == ("<=", "warning")


def test_impossible_year(make_workbook):
    _, findings = check(make_workbook(info(nam=20250)))
    (f,) = by_rule(findings, "info.year")
    assert f.severity == "error" and "20250" in f.message
    assert by_rule(findings, "info.window") == []  # no window can be computed from it
