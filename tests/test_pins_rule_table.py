"""The rule table of the periodic report (kinds/ky/ky.rules.toml) pinned rule by rule: each rule
fires one step past its limit, with its severity and at its cell, and holds at the limit; the
levels, codes, sections and words each rule names. The table is data a province may edit, so
these tests spell out what the shipped table says: a changed operator, limit, severity or
missing-value strategy, a dropped code or a deleted rule fails one of them (scripts/mutation.py
plants such changes through CCHC_CATALOGUE_DIR).

The seed report is of a commune (cấp Xã) for Quý I/2025; `report(...)` changes it in memory.
"""

from __future__ import annotations

import pytest
from pins import check, seed_report

from cchc.model import CellAt

COMMUNE_LEVELS = ("Xã", "Phường", "Thị trấn", "Đặc khu")


def report(cap="Huyện", **values):
    """The seed as a district (no row is «not applicable») with these values ("1:2.2": 15)."""
    data = seed_report()
    data.info["cap"] = cap
    for ref, v in values.items():
        form, _, code = ref.partition(":")
        assert code in data.values[form], ref
        data.values[form][code] = v
    return data


def fired(data, rule_id):
    return [(f.severity, f"{f.sheet}!{f.cell}") for f in check(data) if f.rule_id == rule_id]


# id, severity, the cell it points at (the first filled code of its left side), values one step
# past the limit (each case fires; (values, cell) when it points elsewhere), values at the limit
# (each case holds). Parts are all above 0 so that a dropped term or a flipped sign shows.
COMPARE = [
    ("f1.done_le_planned", "error", "BM1!D9",
     [{"1:2.2": 15, "1:2.1": 14}], [{"1:2.2": 14, "1:2.1": 14}]),
    ("f1.fixed_le_found", "error", "BM1!D14",
     [{"1:3.2.2": 5, "1:3.2.1": 4}], [{"1:3.2.2": 4, "1:3.2.1": 4}]),
    ("f1.tasks_parts_le_total", "error", "BM1!D17",
     [{"1:4.2": 3, "1:4.3": 1, "1:4.4": 2, "1:4.1": 5}, ({"1:4.2": None, "1:4.3": 1, "1:4.4": None, "1:4.1": 0}, "BM1!D18")],
     [{"1:4.2": 3, "1:4.3": 1, "1:4.4": 2, "1:4.1": 6}, {"1:4.2": None, "1:4.3": None, "1:4.4": None, "1:4.1": -1}]),
    ("f2a.sum_total", "error", "BM2a!D6",
     [{"2a:1": 6, "2a:1.1": 2, "2a:1.2": 3}, {"2a:1": 4, "2a:1.1": 2, "2a:1.2": 3}],
     [{"2a:1": 5, "2a:1.1": 2, "2a:1.2": 3}]),
    ("f2a.parts_le_total", "error", "BM2a!D8",
     [{"2a:1": 2, "2a:1.1": None, "2a:1.2": 3}, ({"2a:1": 1, "2a:1.1": 2, "2a:1.2": None}, "BM2a!D7")],
     [{"2a:1": 3, "2a:1.1": None, "2a:1.2": 3}, {"2a:1": -1, "2a:1.1": None, "2a:1.2": None}]),
    ("f2a.check_fixed_le_needed", "error", "BM2a!D13",
     [{"2a:2.2.2": 3, "2a:2.2.1": 2}], [{"2a:2.2.2": 2, "2a:2.2.1": 2}]),
    ("f2a.review_fixed_le_needed", "error", "BM2a!D18",
     [{"2a:3.2.2": 3, "2a:3.2.1": 2}], [{"2a:3.2.2": 2, "2a:3.2.1": 2}]),
    ("f3.simplified_le_total", "error", "BM3!D7",
     [{"3:1.1": 174, "3:1": 173}], [{"3:1.1": 173, "3:1": 173}]),
    ("f3.ontime_le_resolved_departments", "error", "BM3!D13",
     [{"3:2.1.2": 5, "3:2.1.1": 4}], [{"3:2.1.2": 4, "3:2.1.1": 4}]),
    ("f3.ontime_le_resolved_district", "error", "BM3!D16",
     [{"3:2.2.2": 5, "3:2.2.1": 4}], [{"3:2.2.2": 4, "3:2.2.1": 4}]),
    ("f3.ontime_le_resolved_commune", "error", "BM3!D19",
     [{"3:2.3.2": 72, "3:2.3.1": 71}], [{"3:2.3.2": 71, "3:2.3.1": 71}]),
    ("f5.disciplined_parts_le_total", "error", "BM5!D18",
     [{"5:4.1": 1, "5:4.2": 2, "5:4.3": 3, "5:4": 5}, ({"5:4.1": None, "5:4.2": None, "5:4.3": 1, "5:4": 0}, "BM5!D20")],
     [{"5:4.1": 1, "5:4.2": 2, "5:4.3": 3, "5:4": 6}, {"5:4.1": None, "5:4.2": None, "5:4.3": None, "5:4": -1}]),
    ("f7.online_le_received", "error", "BM7!D12",
     [{"7:3.2": 72, "7:3.1": 71}], [{"7:3.2": 71, "7:3.1": 71}]),
    ("f6.disbursed_le_plan", "warning", "BM6!D8",
     [{"6:1.2": 2700.5, "6:1.1": 2700}], [{"6:1.2": 2700, "6:1.1": 2700}]),
    ("f6.partial_sum", "error", "BM6!D13",
     [{"6:2.4": 7, "6:2.4.1": 1, "6:2.4.2": 2, "6:2.4.3": 3}, {"6:2.4": 5, "6:2.4.1": 1, "6:2.4.2": 2, "6:2.4.3": 3}],
     [{"6:2.4": 6, "6:2.4.1": 1, "6:2.4.2": 2, "6:2.4.3": 3}]),
    ("f6.partial_parts_le", "error", "BM6!D14",
     [{"6:2.4": 2, "6:2.4.1": 1, "6:2.4.2": 2, "6:2.4.3": None},
      ({"6:2.4": 3, "6:2.4.1": None, "6:2.4.2": 2, "6:2.4.3": 2}, "BM6!D15")],
     [{"6:2.4": 3, "6:2.4.1": 1, "6:2.4.2": 2, "6:2.4.3": None},
      {"6:2.4": -1, "6:2.4.1": None, "6:2.4.2": None, "6:2.4.3": None}]),
    ("f6.units_sum", "error", "BM6!D10",
     [{"6:2.1": 11, "6:2.2": 1, "6:2.3": 2, "6:2.4": 3, "6:2.5": 4},
      {"6:2.1": 9, "6:2.2": 1, "6:2.3": 2, "6:2.4": 3, "6:2.5": 4}],
     [{"6:2.1": 10, "6:2.2": 1, "6:2.3": 2, "6:2.4": 3, "6:2.5": 4}]),
    ("f6.units_parts_le", "error", "BM6!D11",
     [{"6:2.1": 5, "6:2.2": 1, "6:2.3": 2, "6:2.4": 3, "6:2.5": None},
      ({"6:2.1": 5, "6:2.2": None, "6:2.3": 2, "6:2.4": 2, "6:2.5": 2}, "BM6!D12")],
     [{"6:2.1": 6, "6:2.2": 1, "6:2.3": 2, "6:2.4": 3, "6:2.5": None},
      {"6:2.1": -1, "6:2.2": None, "6:2.3": None, "6:2.4": None, "6:2.5": None}]),
    ("f1.no_survey_no_ballots", "error", "BM1!D21",
     [{"1:5": 0, "1:5.1": 1, "1:5.2": None}, {"1:5": 0, "1:5.1": -1, "1:5.2": None}],
     [{"1:5": 0, "1:5.1": 0}, {"1:5": 0, "1:5.1": None}, {"1:5": 1, "1:5.1": 1, "1:5.2": 1},
      {"1:5": 2, "1:5.1": 1}]),
    ("f1.no_survey_no_method", "error", "BM1!D22",
     [{"1:5": 0, "1:5.2": 0}], [{"1:5": 0, "1:5.2": None}, {"1:5": 1, "1:5.1": 1, "1:5.2": 0}, {"1:5": 2, "1:5.2": 0}]),
    ("f1.survey_ballots", "error", "BM1!D21",
     [{"1:5": 1, "1:5.1": 0, "1:5.2": 1}, {"1:5": 1, "1:5.1": None, "1:5.2": 1}],
     [{"1:5": 1, "1:5.1": 1, "1:5.2": 1}, {"1:5": 0, "1:5.1": 0}, {"1:5": 2, "1:5.1": 0}]),
    ("f1.survey_method", "error", "BM1!D22",
     [{"1:5": 1, "1:5.1": 1, "1:5.2": None}], [{"1:5": 1, "1:5.1": 1, "1:5.2": 0}, {"1:5": 0, "1:5.2": None},
                                               {"1:5": 2, "1:5.2": None}]),
    ("x.vtvl_units_le_units", "warning", "BM5!D8",
     [{"5:1.2": 4, "4:1.2": 3}], [{"5:1.2": 3, "4:1.2": 3}]),
    ("x.units_f6_eq_f4", "warning", "BM6!D10",
     [{"6:2.1": 4, "4:1.2": 3}, {"6:2.1": 2, "4:1.2": 3}], [{"6:2.1": 3, "4:1.2": 3}]),
    ("f4.staff_present_le_assigned", "warning", "BM4!D12",
     [{"4:2.2": 21, "4:2.1": 20}], [{"4:2.2": 20, "4:2.1": 20}]),
    ("f4.units_staff_present_le_assigned", "warning", "BM4!D18",
     [{"4:3.2": 31, "4:3.1": 30}], [{"4:3.2": 30, "4:3.1": 30}]),
]
PAIRS = [("ratio.pair.1_2", "1:2.1", "1:2.2", "BM1!D8", "BM1!D9"),
         ("ratio.pair.1_3_2", "1:3.2.1", "1:3.2.2", "BM1!D13", "BM1!D14"),
         ("ratio.pair.2a_2_2", "2a:2.2.1", "2a:2.2.2", "BM2a!D12", "BM2a!D13"),
         ("ratio.pair.2a_3_2", "2a:3.2.1", "2a:3.2.2", "BM2a!D17", "BM2a!D18"),
         ("ratio.pair.3_2_1", "3:2.1.1", "3:2.1.2", "BM3!D12", "BM3!D13"),
         ("ratio.pair.3_2_2", "3:2.2.1", "3:2.2.2", "BM3!D15", "BM3!D16"),
         ("ratio.pair.3_2_3", "3:2.3.1", "3:2.3.2", "BM3!D18", "BM3!D19"),
         ("ratio.pair.6_1", "6:1.1", "6:1.2", "BM6!D7", "BM6!D8"),
         ("ratio.pair.7_3", "7:3.1", "7:3.2", "BM7!D11", "BM7!D12")]


@pytest.mark.parametrize("rule, severity, cell, fires, holds", COMPARE, ids=[c[0] for c in COMPARE])
def test_each_rule_fires_one_step_past_its_limit_and_holds_at_it(rule, severity, cell, fires, holds):
    for case in fires:
        values, at = case if isinstance(case, tuple) else (case, cell)
        assert fired(report(**values), rule) == [(severity, at)], values
    for values in holds:
        assert fired(report(**values), rule) == [], values


@pytest.mark.parametrize("rule, a, b, cell_a, cell_b", PAIRS, ids=[p[0] for p in PAIRS])
def test_each_ratio_needs_both_its_numbers(rule, a, b, cell_a, cell_b):
    assert fired(report(**{a: 4, b: None}), rule) == [("warning", cell_b)]
    assert fired(report(**{a: None, b: 4}), rule) == [("warning", cell_a)]
    assert fired(report(**{a: 4, b: 0}), rule) == [] and fired(report(**{a: None, b: None}), rule) == []


def test_every_rule_of_the_table_is_pinned_here():
    from cchc.catalogue import load_catalogue

    pinned = {c[0] for c in COMPARE} | {p[0] for p in PAIRS} | {
        "x.resolved_vs_received", "na.commune", "tm.received_total", "tm.received_online", "tm.procedures_total",
        "tm.vbqppl_issued", "tm.discipline", "tm.online_meetings", "info.window", "info.report_date"}
    assert {r["id"] for r in load_catalogue("ky").rules} == pinned


@pytest.mark.parametrize("parts, sum_rule", [
    ({"2a:1": 2, "2a:1.1": 2, "2a:1.2": 3}, "f2a.sum_total"),
    ({"6:2.4": 2, "6:2.4.1": 1, "6:2.4.2": 2, "6:2.4.3": 3}, "f6.partial_sum"),
    ({"6:2.1": 2, "6:2.2": 1, "6:2.3": 2, "6:2.4": 3, "6:2.5": 4}, "f6.units_sum"),
])
def test_a_fired_sum_silences_the_rule_on_its_parts(parts, sum_rule):
    ids = [f.rule_id for f in check(report(**parts)) if f.rule_id.startswith(sum_rule.split(".")[0])]
    assert sum_rule in ids and not {"f2a.parts_le_total", "f6.partial_parts_le", "f6.units_parts_le"} & set(ids)


# ============================================================================ levels
def _dossiers(cap, resolved=10, received=30):
    return report(cap, **{"3:2.3.1": resolved, "3:2.3.2": resolved, "7:3.1": received, "7:3.2": 0})


@pytest.mark.parametrize("cap", COMMUNE_LEVELS)
def test_resolved_and_received_are_compared_for_every_commune_level(cap):
    assert fired(_dossiers(cap), "x.resolved_vs_received") == [("warning", "BM3!D18")]
    assert fired(_dossiers(cap, 10, 15), "x.resolved_vs_received") == []
    assert fired(_dossiers(cap, 120, 160), "x.resolved_vs_received") == []
    assert fired(_dossiers(cap, 120, 161), "x.resolved_vs_received") == [("warning", "BM3!D18")]


@pytest.mark.parametrize("cap", ["Huyện", "Sở, ban, ngành"])
def test_resolved_and_received_are_not_compared_above_a_commune(cap):
    assert fired(_dossiers(cap), "x.resolved_vs_received") == []


# Rows that name district or department figures: a commune leaves them blank. Blanking a whole
# form gives one «blank.form» warning counting the rows that apply to the unit.
NOT_FOR_COMMUNES = {"2a": ("1.1", "2.1", "3.1"), "3": ("2.1.1", "2.1.2", "2.2.1", "2.2.2"), "5": ("4.1", "4.2"),
                    "7": ("2.1",)}


@pytest.mark.parametrize("cap", COMMUNE_LEVELS + ("Huyện",))
@pytest.mark.parametrize("form", list(NOT_FOR_COMMUNES))
def test_a_commune_is_not_asked_for_district_rows(cap, form):
    data = report(cap)
    data.values[form] = {code: None for code in data.values[form]}
    inputs = len(data.values[form])
    expected = inputs if cap == "Huyện" else inputs - len(NOT_FOR_COMMUNES[form])
    assert [g.values for g in check(data, "blank.form")] == [{"form": form, "blank": expected}]


@pytest.mark.parametrize("cap", COMMUNE_LEVELS)
def test_a_communes_blank_district_row_counts_as_zero_in_the_rules(cap):
    # f2a.sum_total: 2a:1 = 2a:1.1 + 2a:1.2, with 2a:1.1 (cấp huyện) blank
    assert fired(report(cap, **{"2a:1": 3, "2a:1.1": None, "2a:1.2": 3}), "f2a.sum_total") == []
    assert fired(report(cap, **{"2a:1": 4, "2a:1.1": None, "2a:1.2": 3}), "f2a.sum_total") == [("error", "BM2a!D6")]


# ============================================================================ numbers in the narrative
def narrated(section, text, **values):
    data = report("Xã", **values)
    for key in data.narrative:
        data.narrative[key] = "Nội dung."
    data.narrative[section] = text
    data.info_item_cells["can_cu"] = [CellAt("Thông tin chung", 21, 1)]
    data.info["can_cu"] = ["Căn cứ."]
    return data


def stated(section, text, rule, **values):
    return [(f.severity, f"{f.sheet}!{f.cell}", f.values["narrative"]) for f in check(narrated(section, text, **values))
            if f.rule_id == rule]


@pytest.mark.parametrize("section, cell", [("II.2.3", "Thuyết minh!B10"), ("II.6", "Thuyết minh!B15")])
def test_the_received_total_is_read_in_sections_2_3_and_6(section, cell):
    assert stated(section, "Trong kỳ tiếp nhận 72 hồ sơ.", "tm.received_total") == [("warning", cell, 72)]
    assert stated(section, "Trong kỳ tiếp nhận 71 hồ sơ.", "tm.received_total") == []
    assert stated(section, "Hồ sơ tiếp nhận trực tuyến: 69 hồ sơ.", "tm.received_online") == [("warning", cell, 69)]
    assert stated(section, "Hồ sơ tiếp nhận trực tuyến: 70 hồ sơ.", "tm.received_online") == []


@pytest.mark.parametrize("section, cell", [("II.2.1", "Thuyết minh!B8"), ("II.2.2", "Thuyết minh!B9")])
def test_the_procedures_total_is_read_in_sections_2_1_and_2_2(section, cell):
    assert stated(section, "Đã công bố 174 TTHC thuộc thẩm quyền.", "tm.procedures_total") == [("warning", cell, 174)]
    assert stated(section, "Đã công bố 173 TTHC thuộc thẩm quyền.", "tm.procedures_total") == []


@pytest.mark.parametrize("rule, section, text, values, number", [
    ("tm.vbqppl_issued", "II.1", "Trong kỳ đã ban hành 2 văn bản quy phạm pháp luật.", {}, 2),
    ("tm.vbqppl_issued", "II.1", "Trong kỳ đã ban hành 2 VBQPPL.", {}, 2),
    ("tm.vbqppl_issued", "II.1", "Trong kỳ không ban hành văn bản quy phạm pháp luật nào.", {"2a:1": 3}, 0),
    ("tm.vbqppl_issued", "II.1", "Trong kỳ chưa có ban hành VBQPPL.", {"2a:1": 3}, 0),
    ("tm.discipline", "II.4", "Có 2 cán bộ, công chức bị kỷ luật.", {}, 2),
    ("tm.discipline", "II.4", "Có 2 người bị xử lý kỷ luật.", {}, 2),
    ("tm.discipline", "II.4", "Kiểm điểm, kỷ luật: không có trường hợp bị kỷ luật.", {"5:4": 1}, 0),
    ("tm.discipline", "II.4", "Không có CBCC bị kỷ luật.", {"5:4": 1}, 0),
    ("tm.online_meetings", "II.6", "Xã chưa có hệ thống họp trực tuyến.", {}, 0),
    ("tm.online_meetings", "II.6", "Xã không có phòng họp trực tuyến.", {}, 0),
    ("tm.online_meetings", "II.6", "Xã đã xây dựng và vận hành có hiệu quả hệ thống phòng họp trực tuyến.", {"7:1": 0}, 1),
])
def test_numbers_and_phrasings_the_narrative_states(rule, section, text, values, number):
    cell = {"II.1": "Thuyết minh!B6", "II.4": "Thuyết minh!B13", "II.6": "Thuyết minh!B15"}[section]
    assert stated(section, text, rule, **values) == [("warning", cell, number)]
    for other in ("I", "II.2.3", "III.1"):
        assert stated(other, text, rule, **values) == []


@pytest.mark.parametrize("section", ["I", "II.1", "II.2.1", "II.2.4", "III.1", "IV"])
def test_the_received_total_is_not_read_elsewhere(section):
    assert stated(section, "Trong kỳ tiếp nhận 72 hồ sơ.", "tm.received_total") == []


@pytest.mark.parametrize("word", ["trực tiếp", "trực tuyến", "qua mạng", "bưu chính", "trong đó", "quá hạn", "đúng hạn",
                                  "trễ hạn", "trước hạn", "chưa", "đang", "tồn"])
def test_words_between_keyword_and_number_that_mean_a_part(word):
    assert stated("II.2.3", f"Đã tiếp nhận {word} 72 hồ sơ.", "tm.received_total") == []


@pytest.mark.parametrize("words, rule", [
    (["cùng kỳ", "lũy kế", "luỹ kế", "so với", "kỳ trước", "trong đó", "trong tháng", "tháng trước", "chuyển sang"],
     "tm.received_total"),
    (["cùng kỳ", "lũy kế", "luỹ kế", "so với", "kỳ trước", "trong tháng", "tháng trước", "mức độ 3", "toàn trình",
      "một phần"], "tm.received_online"),
    (["mới", "bãi bỏ", "thay thế", "sửa đổi", "cùng kỳ", "so với"], "tm.procedures_total"),
    (["cùng kỳ", "lũy kế", "luỹ kế", "so với", "kỳ trước", "kiểm tra", "rà soát", "tham mưu", "dự thảo"],
     "tm.vbqppl_issued"),
    (["cùng kỳ", "lũy kế", "luỹ kế", "so với", "kỳ trước"], "tm.discipline"),
])
def test_words_in_the_clause_that_mean_another_period_or_a_comparison(words, rule):
    phrase = {"tm.received_total": ("II.2.3", "tiếp nhận 72 hồ sơ"),
              "tm.received_online": ("II.2.3", "nộp trực tuyến 69 hồ sơ"),
              "tm.procedures_total": ("II.2.2", "công bố 174 TTHC thuộc thẩm quyền"),
              "tm.vbqppl_issued": ("II.1", "ban hành 2 văn bản quy phạm pháp luật"),
              "tm.discipline": ("II.4", "có 2 cán bộ, công chức bị kỷ luật")}[rule]
    assert len(stated(phrase[0], f"Trong kỳ, {phrase[1]}.", rule)) == 1
    for word in words:
        assert stated(phrase[0], f"Về {word}, {phrase[1]}.", rule) == [], word
