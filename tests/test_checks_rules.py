"""One workbook where each catalogue rule fires, one where it does not (a near miss).

Every workbook is the seed report (UBND xã Đưng K'Nớ) filled into the real template with
`fill_workbook`, changed only where the case says; it is then read back from the file and
checked. A rule added to ky.rules.toml without a case here fails `test_every_rule_has_a_case`.
"""

from __future__ import annotations

import pytest

from cchc.checks import run_checks
from cchc.catalogue.rules import SEVERITY_ALIASES
from cchc.workbook.reader import read_workbook

# rule id → (changes where it fires, changes where it does not, code whose cell it points at).
# Changes: "<form>:<code>" → value (None = blank), or "info.<key>" → value.
COMMUNE_OFF = {"info.cap": "Sở, ban, ngành"}  # district/department rows apply: blanks are blanks
CASES: dict[str, tuple[dict, dict, str]] = {
    "f1.done_le_planned": ({"1:2.2": 15}, {"1:2.2": 14}, "1:2.2"),
    "f1.fixed_le_found": ({"1:3.2.1": 3, "1:3.2.2": 4}, {"1:3.2.1": 4, "1:3.2.2": 4}, "1:3.2.2"),
    "f1.tasks_parts_le_total": ({"1:4.1": 5, "1:4.2": 3, "1:4.3": 3},
                                {"1:4.1": 6, "1:4.2": 3, "1:4.3": 3, "1:4.4": 0}, "1:4.2"),
    "f2a.sum_total": ({"2a:1": 5, "2a:1.1": 1, "2a:1.2": 3}, {"2a:1": 4, "2a:1.1": 1, "2a:1.2": 3}, "2a:1"),
    "f2a.parts_le_total": ({**COMMUNE_OFF, "2a:1": 2, "2a:1.2": 3}, {**COMMUNE_OFF, "2a:1": 3, "2a:1.2": 3},
                           "2a:1.2"),
    "f2a.check_fixed_le_needed": ({"2a:2.2.1": 1, "2a:2.2.2": 2}, {"2a:2.2.1": 2, "2a:2.2.2": 2}, "2a:2.2.2"),
    "f2a.review_fixed_le_needed": ({"2a:3.2.1": 1, "2a:3.2.2": 2}, {"2a:3.2.1": 2, "2a:3.2.2": 2}, "2a:3.2.2"),
    "f3.simplified_le_total": ({"3:1.1": 174}, {"3:1.1": 173}, "3:1.1"),
    "f3.ontime_le_resolved_departments": ({"3:2.1.1": 1, "3:2.1.2": 2}, {"3:2.1.1": 2, "3:2.1.2": 2}, "3:2.1.2"),
    "f3.ontime_le_resolved_district": ({"3:2.2.1": 1, "3:2.2.2": 2}, {"3:2.2.1": 2, "3:2.2.2": 2}, "3:2.2.2"),
    "f3.ontime_le_resolved_commune": ({"3:2.3.2": 72}, {"3:2.3.2": 70}, "3:2.3.2"),
    "f5.disciplined_parts_le_total": ({"5:4": 1, "5:4.3": 2}, {"5:4": 2, "5:4.3": 2}, "5:4.3"),
    "f7.online_le_received": ({"7:3.2": 72}, {"7:3.2": 71}, "7:3.2"),
    "f6.disbursed_le_plan": ({"6:1.2": 2700.5}, {"6:1.2": 2700}, "6:1.2"),
    "f6.partial_sum": ({"6:2.4": 3, "6:2.4.1": 1, "6:2.4.2": 1, "6:2.4.3": 0},
                       {"6:2.4": 2, "6:2.4.1": 1, "6:2.4.2": 1, "6:2.4.3": 0}, "6:2.4"),
    "f6.partial_parts_le": ({"6:2.4": 1, "6:2.4.1": 2}, {"6:2.4": 2, "6:2.4.1": 2}, "6:2.4.1"),
    "f6.units_sum": ({"6:2.1": 5, "6:2.2": 1, "6:2.3": 1, "6:2.4": 1, "6:2.5": 1, "4:1.2": 5},
                     {"6:2.1": 4, "6:2.2": 1, "6:2.3": 1, "6:2.4": 1, "6:2.5": 1, "4:1.2": 4}, "6:2.1"),
    "f6.units_parts_le": ({"6:2.1": 1, "6:2.2": 2, "4:1.2": 1}, {"6:2.1": 2, "6:2.2": 2, "4:1.2": 2}, "6:2.2"),
    "f1.no_survey_no_ballots": ({"1:5": 0, "1:5.1": 10}, {"1:5": 0, "1:5.1": 0}, "1:5.1"),
    "f1.no_survey_no_method": ({"1:5": 0, "1:5.2": 1}, {"1:5": 0, "1:5.2": None}, "1:5.2"),
    "f1.survey_ballots": ({"1:5": 1, "1:5.1": None, "1:5.2": 1}, {"1:5": 1, "1:5.1": 120, "1:5.2": 1}, "1:5.1"),
    "f1.survey_method": ({"1:5": 1, "1:5.1": 120, "1:5.2": None}, {"1:5": 1, "1:5.1": 120, "1:5.2": 2}, "1:5.2"),
    "ratio.pair.1_2": ({"1:2.2": None}, {"1:2.2": 0}, "1:2.2"),
    "ratio.pair.1_3_2": ({"1:3.2.1": 4}, {"1:3.2.1": 4, "1:3.2.2": 4}, "1:3.2.2"),
    "ratio.pair.2a_2_2": ({"2a:2.2.2": 1}, {"2a:2.2.1": 1, "2a:2.2.2": 1}, "2a:2.2.1"),
    "ratio.pair.2a_3_2": ({"2a:3.2.1": 1}, {"2a:3.2.1": 1, "2a:3.2.2": 0}, "2a:3.2.2"),
    "ratio.pair.3_2_1": ({**COMMUNE_OFF, "3:2.1.1": 5}, {**COMMUNE_OFF, "3:2.1.1": 5, "3:2.1.2": 5}, "3:2.1.2"),
    "ratio.pair.3_2_2": ({**COMMUNE_OFF, "3:2.2.2": 5}, {**COMMUNE_OFF, "3:2.2.1": 5, "3:2.2.2": 5}, "3:2.2.1"),
    "ratio.pair.3_2_3": ({"3:2.3.2": None}, {"3:2.3.2": 71}, "3:2.3.2"),
    "ratio.pair.6_1": ({"6:1.2": None}, {"6:1.2": 0}, "6:1.2"),
    "ratio.pair.7_3": ({"7:3.2": None}, {"7:3.2": 0}, "7:3.2"),
    "x.vtvl_units_le_units": ({"5:1.2": 3, "4:1.2": 2, "6:2.1": 2}, {"5:1.2": 2, "4:1.2": 2, "6:2.1": 2}, "5:1.2"),
    "x.units_f6_eq_f4": ({"6:2.1": 3, "4:1.2": 2}, {"6:2.1": 3, "4:1.2": 3}, "6:2.1"),
    "f4.staff_present_le_assigned": ({"4:2.2": 21}, {"4:2.2": 20}, "4:2.2"),
    "f4.units_staff_present_le_assigned": ({"4:3.1": 5, "4:3.2": 6}, {"4:3.1": 6, "4:3.2": 6}, "4:3.2"),
    # 71 received; 25% of 71 = 17,75 dossiers of carry-over are ordinary.
    "x.resolved_vs_received": ({"3:2.3.1": 50, "3:2.3.2": 50}, {"3:2.3.1": 54, "3:2.3.2": 54}, "3:2.3.1"),
    # The narrative of II.2.3 says "tiếp nhận … 71 hồ sơ", "hồ sơ nộp trực tuyến: 70 trường hợp";
    # II.2.2 says "công bố 173 Bộ thủ tục hành chính thuộc thẩm quyền".
    "tm.received_total": ({"7:3.1": 72}, {"7:3.1": 71}, "narrative:II.2.3"),
    "tm.received_online": ({"7:3.2": 69}, {"7:3.2": 70}, "narrative:II.2.3"),
    "tm.procedures_total": ({"3:1": 175}, {"3:1": 173}, "narrative:II.2.2"),
    # II.1 says "không ban hành văn bản quy phạm pháp luật nào" (a zero); II.4 "không có kỷ
    # luật"; II.6 "vận hành có hiệu quả hệ thống phòng họp trực tuyến" (a flag's 1).
    "tm.vbqppl_issued": ({"2a:1": 2, "2a:1.2": 2}, {"2a:1": 0}, "narrative:II.1"),
    "tm.discipline": ({"5:4": 1}, {"5:4": 0}, "narrative:II.4"),
    "tm.online_meetings": ({"7:1": 0}, {"7:1": 1}, "narrative:II.6"),
}
# Rules of other types, tested by name in test_checks_builtin.py.
TESTED_ELSEWHERE = {"na.commune", "info.window", "info.report_date"}


def apply(data: dict, changes: dict) -> None:
    for key, value in changes.items():
        if key.startswith("info."):
            data["info"][key[5:]] = value
            continue
        form, _, code = key.partition(":")
        data["values"].setdefault(form, {})[code] = value


def test_every_rule_has_a_case(catalogue):
    ids = {r["id"] for r in catalogue.rules}
    assert ids, "ky.rules.toml was not loaded"
    assert ids - set(CASES) - TESTED_ELSEWHERE == set()
    assert set(CASES) - ids == set()


def _check(make_workbook, changes, name):
    path = make_workbook(lambda d: apply(d, changes), name=name)
    data = read_workbook(path)
    return data, run_checks(data)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires(rule_id, make_workbook, catalogue):
    fire, _, at = CASES[rule_id]
    data, findings = _check(make_workbook, fire, "fire.xlsx")
    hits = [f for f in findings if f.rule_id == rule_id]
    assert len(hits) == 1, [f.message for f in findings]
    f = hits[0]
    where = (data.narrative_cells[at.partition(":")[2]] if at.startswith("narrative:") else data.cells[at])
    assert (f.sheet, f.cell) == (where.sheet, where.a1)
    assert f.message and f.message[0].isupper()
    rule = next(r for r in catalogue.rules if r["id"] == rule_id)
    assert f.severity == SEVERITY_ALIASES[rule.get("severity", "warning")]


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_does_not_fire(rule_id, make_workbook):
    _, ok, _ = CASES[rule_id]
    _, findings = _check(make_workbook, ok, "ok.xlsx")
    assert [f.message for f in findings if f.rule_id == rule_id] == []
    assert [f.message for f in findings if f.severity == "error"] == []


def test_sum_and_its_companion_do_not_both_fire(make_workbook):
    # 1 + 3 ≠ 2 and 1 + 3 > 2: one error, from the sum rule.
    _, findings = _check(make_workbook, {"2a:1": 2, "2a:1.1": 1, "2a:1.2": 3}, "sum.xlsx")
    ids = [f.rule_id for f in findings if f.rule_id.startswith("f2a.")]
    assert ids == ["f2a.sum_total"]


def test_commune_counts_district_rows_as_zero(make_workbook):
    # A commune's VBQPPL are all commune-level: 2a:1 = 5 with 2a:1.2 = 3 is wrong even though
    # the district row 2a:1.1 is blank.
    _, findings = _check(make_workbook, {"2a:1": 5, "2a:1.2": 3}, "commune.xlsx")
    f = next(f for f in findings if f.rule_id == "f2a.sum_total")
    assert "5" in f.message and "3" in f.message
    # A department (not a commune): the blank district row may hold the difference, say nothing.
    _, findings = _check(make_workbook, {**COMMUNE_OFF, "2a:1": 5, "2a:1.2": 3}, "dept.xlsx")
    assert not [f for f in findings if f.rule_id.startswith("f2a.")]


def test_carry_over_rule_only_for_communes(make_workbook):
    _, findings = _check(make_workbook, {**COMMUNE_OFF, "3:2.3.1": 20, "3:2.3.2": 20}, "dept_carry.xlsx")
    assert not [f for f in findings if f.rule_id == "x.resolved_vs_received"]


def test_messages_state_the_facts(make_workbook):
    _, findings = _check(make_workbook, {"1:2.2": 15}, "facts.xlsx")
    f = next(f for f in findings if f.rule_id == "f1.done_le_planned")
    assert f.message.startswith("BM1 mục 2.2 «Nhiệm vụ đã hoàn thành» = 15 lớn hơn BM1 mục 2.1")
    assert f.values["1:2.2"] == 15 and f.values["1:2.1"] == 14
    _, findings = _check(make_workbook, {"1:5": 0, "1:5.2": 1}, "facts2.xlsx")
    f = next(f for f in findings if f.rule_id == "f1.no_survey_no_method")
    assert f.message.startswith("Vì BM1 mục 5 «Có khảo sát hài lòng» = Không (0): BM1 mục 5.2")
    assert "Phát phiếu (1)" in f.message
