"""The rules loader (cchc.catalogue.rules): every refusal with its exact Vietnamese message, and
what a valid rule becomes. A province edits the rules file; a typo must be refused loudly."""

from __future__ import annotations

import dataclasses

import pytest

from cchc.catalogue import load_catalogue
from cchc.catalogue.rules import RuleError, parse_expr, parse_rules, rules_for

CAT = load_catalogue("ky")
OK = {"id": "r", "left": "3:1.1", "op": "<=", "right": "3:1", "message": "Sửa."}


def parse(*rules):
    return parse_rules(dataclasses.replace(CAT, rules=tuple(rules)))


def refusal(*rules) -> str:
    with pytest.raises(RuleError) as exc:
        parse(*rules)
    return str(exc.value)


def bad(rule_id: str, why: str) -> str:
    return f"Quy tắc kiểm tra «{rule_id}» trong tệp quy tắc (rules.toml) không hợp lệ: {why}"


@pytest.mark.parametrize("rules, rule_id, why", [
    (["x"], "?", "mỗi quy tắc phải là một bảng [[rules]]."),
    ([{**OK, "id": ""}], "?", "thiếu mã quy tắc (id)."),
    ([{**OK, "id": "  "}], "?", "thiếu mã quy tắc (id)."),
    ([OK, OK], "r", "mã quy tắc bị trùng."),
    ([{**OK, "type": "sum"}], "r",
     "type «sum» phải là một trong: compare, not_applicable, narrative_number, period_window, report_date."),
    ([{**OK, "severty": "error"}], "r", "khóa không dùng được với type compare: severty."),
    ([{**OK, "b": 1, "a": 2}], "r", "khóa không dùng được với type compare: a, b."),
    ([{**OK, "op": "=>"}], "r", "toán tử op «=>» không được hỗ trợ "
                                "(!=, <, <=, =, >, >=, both_or_neither, empty, filled, not_both, ~)."),
    ([{k: v for k, v in OK.items() if k != "left"}], "r", "thiếu vế trái (left)."),
    ([{k: v for k, v in OK.items() if k != "right"}], "r", "thiếu vế phải (right)."),
    ([{**OK, "op": "empty"}], "r", "toán tử empty không có vế phải."),
    ([{**OK, "op": "filled"}], "r", "toán tử filled không có vế phải."),
    ([{**OK, "op": "both_or_neither", "left": "3:1 + 3:1.1"}], "r",
     "toán tử both_or_neither chỉ dùng với một mã chỉ tiêu ở mỗi vế."),
    ([{**OK, "op": "not_both", "right": "0"}], "r", "toán tử not_both chỉ dùng với một mã chỉ tiêu ở mỗi vế."),
    ([{**OK, "op": "empty", "left": "0", "right": None} | {}], "r", "toán tử empty không có vế phải."),
    ([{**OK, "message": "  "}], "r", "thiếu lời nhắn (message) hướng dẫn cán bộ sửa."),
    ([{k: v for k, v in OK.items() if k != "message"}], "r", "thiếu lời nhắn (message) hướng dẫn cán bộ sửa."),
    ([{**OK, "missing": "none"}], "r", "missing «none» phải là một trong: skip_if_any, skip_if_all, zero."),
    ([{**OK, "missing_left": "skip"}], "r", "missing_left «skip» phải là một trong: skip_if_any, skip_if_all, zero."),
    ([{**OK, "missing_right": "Zero"}], "r", "missing_right «Zero» phải là một trong: skip_if_any, skip_if_all, zero."),
    ([{**OK, "op": "~"}], "r", "toán tử ~ cần tolerance_abs hoặc tolerance_rel."),
    ([{**OK, "op": "~", "tolerance_abs": 0, "tolerance_rel": 0}], "r", "toán tử ~ cần tolerance_abs hoặc tolerance_rel."),
    ([{**OK, "op": "~", "tolerance_abs": -1}], "r", "toán tử ~ cần tolerance_abs hoặc tolerance_rel."),
    ([{**OK, "op": "≈", "tolerance_rel": -0.1}], "r", "toán tử ~ cần tolerance_abs hoặc tolerance_rel."),
    ([{**OK, "at": "3:1.2"}], "r", "at «3:1.2» phải là một mã có trong quy tắc."),
    ([{**OK, "severity": "nặng"}], "r", "severity «nặng» phải là error (lỗi) hoặc warning (cảnh báo)."),
    ([{**OK, "left": ""}], "r", "biểu thức rỗng hoặc không phải chuỗi: ''."),
    ([{**OK, "left": "  "}], "r", "biểu thức rỗng hoặc không phải chuỗi: '  '."),
    ([{**OK, "left": None}], "r", "biểu thức rỗng hoặc không phải chuỗi: None."),
    ([{**OK, "left": True}], "r", "biểu thức rỗng hoặc không phải chuỗi: True."),
    ([{**OK, "left": "abc"}], "r", "«abc» trong «abc» không phải mã chỉ tiêu dạng biểu:mã (ví dụ 3:2.3.1)."),
    ([{**OK, "left": "3:1 +"}], "r", "«» trong «3:1 +» không phải mã chỉ tiêu dạng biểu:mã (ví dụ 3:2.3.1)."),
    ([{**OK, "left": "3:1.1.", "right": "3:1"}], "r",
     "«3:1.1.» trong «3:1.1.» không phải mã chỉ tiêu dạng biểu:mã (ví dụ 3:2.3.1)."),
    ([{**OK, "left": "3:9.9"}], "r", "không có chỉ tiêu 3:9.9 trong danh mục."),
    ([{**OK, "left": "3:2.3"}], "r", "chỉ tiêu 3:2.3 không phải ô nhập số liệu (loại ratio)."),
    ([{**OK, "when": "1:5"}], "r", "điều kiện when «1:5» cần dạng «biểu thức toán_tử biểu thức»."),
    ([{**OK, "skip_if_fired": ["nope"]}], "r", "skip_if_fired nhắc đến quy tắc «nope» không tồn tại."),
    ([{"id": "na", "type": "not_applicable", "levels": ["Xã"], "refs": ["9:9"]}], "na",
     "không có chỉ tiêu 9:9 trong danh mục."),
    ([{"id": "na", "type": "not_applicable", "refs": ["3:1"], "op": "="}], "na",
     "khóa không dùng được với type not_applicable: op."),
    ([{k: v for k, v in OK.items() if k != "id"}], "?", "thiếu mã quy tắc (id)."),
    ([{**OK, "right": "3:9.9"}], "r", "không có chỉ tiêu 3:9.9 trong danh mục."),
    ([{**OK, "when": "3:9.9 = 1"}], "r", "không có chỉ tiêu 3:9.9 trong danh mục."),
    ([{**OK, "when": "1:5 = 3:9.9"}], "r", "không có chỉ tiêu 3:9.9 trong danh mục."),
    ([{"id": "n", "type": "narrative_number", "sections": ["II.6"], "pattern": "(?P<n>1)", "message": "x"}], "n",
     "không có chỉ tiêu  trong danh mục."),
    ([{"id": "n", "type": "narrative_number", "ref": "7:3.1", "pattern": "(?P<n>1)", "message": "x"}], "n",
     "sections phải là các mục thuyết minh có nội dung (I, II.1, II.2.1, II.2.2, II.2.3, II.2.4, II.3, II.4, II.5, "
     "II.6, III.1, III.2, IV)."),
    ([{"id": "n", "type": "narrative_number", "ref": "7:3.1", "sections": ["II.6"], "pattern": "(?P<n>1)"}], "n",
     "thiếu lời nhắn (message)."),
    ([{"id": "n", "type": "narrative_number", "ref": "7:3.1", "sections": ["II.6"], "pattern": "(?P<n>1)",
       "message": "x", "severity": "nặng"}], "n", "severity «nặng» phải là error (lỗi) hoặc warning (cảnh báo)."),
])
def test_a_bad_rule_is_refused_with_the_reason(rules, rule_id, why):
    assert refusal(*rules) == bad(rule_id, why)


def test_a_refusal_is_a_cchc_error():
    from cchc.errors import CchcError

    assert issubclass(RuleError, CchcError)


# ============================================================================ what a rule becomes
def test_a_compare_rule_and_its_defaults():
    [r] = parse(OK).compare
    assert (r.id, r.op, r.severity, r.missing_left, r.missing_right, r.message) == (
        "r", "<=", "error", "skip_if_any", "skip_if_any", "Sửa.")
    assert (r.when, r.levels, r.tolerance_abs, r.tolerance_rel, r.at, r.skip_if_fired) == (None, (), 0.0, 0.0, None, ())
    assert r.refs == ("3:1.1", "3:1")
    assert r.left.text == "3:1.1" and r.right.text == "3:1"


@pytest.mark.parametrize("op, canonical", [("=", "="), ("==", "="), ("<=", "<="), ("≤", "<="), ("<", "<"),
                                           (">=", ">="), ("≥", ">="), (">", ">"), ("!=", "!="), ("≠", "!="),
                                           ("<>", "!="), (" <= ", "<=")])
def test_operator_spellings(op, canonical):
    assert parse({**OK, "op": op}).compare[0].op == canonical


@pytest.mark.parametrize("severity, canonical", [("error", "error"), ("lỗi", "error"), ("Lỗi", "error"),
                                                 ("loi", "error"), ("warning", "warning"), (" Cảnh báo ", "warning"),
                                                 ("canh bao", "warning"), ("info", "info"), ("thông tin", "info")])
def test_severity_spellings(severity, canonical):
    assert parse({**OK, "severity": severity}).compare[0].severity == canonical


def test_every_option_is_kept():
    raw = {**OK, "op": "~", "tolerance_abs": 5, "tolerance_rel": 0.25, "levels": ["Xã", "Phường"], "at": "3:1",
           "missing": "skip_if_all", "missing_right": "zero", "when": "1:5 = 1", "severity": "warning",
           "skip_if_fired": ["q"], "note": "ghi chú"}
    rules = parse({**OK, "id": "q"}, raw)
    r = rules.compare[1]
    assert (r.op, r.tolerance_abs, r.tolerance_rel, r.levels, r.at) == ("~", 5.0, 0.25, ("Xã", "Phường"), "3:1")
    assert (r.missing_left, r.missing_right, r.severity, r.skip_if_fired) == ("skip_if_all", "zero", "warning", ("q",))
    assert (r.when.op, r.when.text, r.when.left.refs, r.when.right.terms[0].const) == ("=", "1:5 = 1", ("1:5",), 1.0)
    assert r.refs == ("3:1.1", "3:1", "1:5")
    assert rules.ids == ("q", "r")
    assert parse({**raw, "op": "~", "tolerance_abs": 0, "tolerance_rel": 0.1, "skip_if_fired": []}).compare[0].tolerance_rel == 0.1
    assert parse({**raw, "op": "~", "tolerance_abs": 1, "tolerance_rel": 0, "skip_if_fired": []}).compare[0].tolerance_abs == 1.0


@pytest.mark.parametrize("text, op", [("1:5 >= 1", ">="), ("1:5 ≠ 0", "!="), ("1:5<2", "<"), ("1:5 == 1", "="),
                                      ("1:5 <> 1", "!="), ("1:5 > 0", ">"), ("1:5 ≤ 0", "<=")])
def test_condition_operators(text, op):
    assert parse({**OK, "when": text}).compare[0].when.op == op


def test_expressions_keep_signs_constants_and_codes():
    e = parse_expr("3:1 - 3:1.2 − 2.5 + 3:1.1", CAT, "r")
    assert [(t.sign, t.ref, t.const) for t in e.terms] == [
        (1, "3:1", 0.0), (-1, "3:1.2", 0.0), (-1, None, 2.5), (1, "3:1.1", 0.0)]
    assert e.refs == ("3:1", "3:1.2", "3:1.1")
    e = parse_expr("-3:1+7", CAT, "r")
    assert [(t.sign, t.ref, t.const) for t in e.terms] == [(-1, "3:1", 0.0), (1, None, 7.0)]
    e = parse_expr(4, CAT, "r")
    assert (e.text, [(t.sign, t.ref, t.const) for t in e.terms]) == ("4", [(1, None, 4.0)])
    e = parse_expr(2.5, CAT, "r")
    assert [(t.sign, t.ref, t.const) for t in e.terms] == [(1, None, 2.5)]
    assert parse_expr("  3:1  ", CAT, "r").terms[0].ref == "3:1"


def test_other_rule_types():
    sections = sorted(s.key for s in CAT.sections if s.input)
    rules = parse(
        {"id": "na", "type": "not_applicable", "levels": ["Xã"], "refs": ["3:2.1.1", "7:2.1"], "note": "x"},
        {"id": "n", "type": "narrative_number", "ref": "7:3.1", "sections": ["II.6"],
         "pattern": r"tiếp nhận (?P<n>\d+)", "exclude": ["Trực Tiếp"], "clause_exclude": ["Cùng Kỳ"], "message": "Sửa."},
        {"id": "w", "type": "period_window", "tolerance_days": 10, "error_days": 30},
        {"id": "d", "type": "report_date", "late_warning_days": 20, "late_error_days": 100},
    )
    assert [(n.id, n.levels, n.refs) for n in rules.not_applicable] == [("na", ("Xã",), ("3:2.1.1", "7:2.1"))]
    [n] = rules.narrative_numbers
    assert (n.ref, n.sections, n.exclude, n.clause_exclude, n.severity) == (
        "7:3.1", ("II.6",), ("trực tiếp",), ("cùng kỳ",), "warning")
    assert n.pattern.search("TIẾP NHẬN 5")["n"] == "5"  # case-insensitive
    assert (rules.window_tolerance_days, rules.window_error_days) == (10, 30)
    assert (rules.late_warning_days, rules.late_error_days) == (20, 100)
    defaults = parse({"id": "w", "type": "period_window"}, {"id": "d", "type": "report_date"})
    assert (defaults.window_tolerance_days, defaults.window_error_days) == (16, 45)
    assert (defaults.late_warning_days, defaults.late_error_days) == (60, 366)
    narrative = {"id": "n", "type": "narrative_number", "ref": "7:3.1", "sections": ["II.6"],
                 "pattern": r"(?P<n>\d+)", "message": "Sửa."}
    keys = ", ".join(sections)
    assert refusal({**narrative, "sections": ["IX"]}) == bad("n", f"sections phải là các mục thuyết minh có nội dung ({keys}).")
    assert refusal({**narrative, "sections": []}) == bad("n", f"sections phải là các mục thuyết minh có nội dung ({keys}).")
    assert refusal({**narrative, "pattern": "("}) == bad(
        "n", "pattern không hợp lệ (missing ), unterminated subpattern at position 0).")
    assert refusal({k: v for k, v in narrative.items() if k != "pattern"}) == bad(
        "n", "cần pattern (con số), zero hoặc one (cách viết nêu giá trị 0 hoặc 1).")
    assert refusal({**narrative, "zero": "(không"}) == bad(
        "n", "zero không hợp lệ (missing ), unterminated subpattern at position 0).")
    assert refusal({**narrative, "one": "có)"}) == bad("n", "one không hợp lệ (unbalanced parenthesis at position 2).")
    assert refusal({**narrative, "pattern": r"\d+"}) == bad("n", "pattern cần một nhóm tên (?P<n>…) cho con số.")
    assert refusal({**narrative, "message": ""}) == bad("n", "thiếu lời nhắn (message).")
    assert refusal({**narrative, "ref": "9:9"}) == bad("n", "không có chỉ tiêu 9:9 trong danh mục.")
    assert parse({**narrative, "severity": "error"}).narrative_numbers[0].severity == "error"


def test_phrasings_that_state_zero_or_one():
    base = {"id": "n", "type": "narrative_number", "ref": "7:1", "sections": ["II.6"], "message": "Sửa."}
    [n] = parse({**base, "zero": r"chưa có họp trực tuyến", "one": r"Vận Hành họp trực tuyến"}).narrative_numbers
    assert n.pattern is None
    assert [(p.pattern, value) for p, value in n.phrases] == [("chưa có họp trực tuyến", 0),
                                                              ("Vận Hành họp trực tuyến", 1)]
    assert all(p.search("ĐÃ VẬN HÀNH HỌP TRỰC TUYẾN; CHƯA CÓ HỌP TRỰC TUYẾN") for p, _ in n.phrases)
    [n] = parse({**base, "one": "vận hành"}).narrative_numbers
    assert [value for _, value in n.phrases] == [1]
    [n] = parse({**base, "zero": "chưa có"}).narrative_numbers
    assert [value for _, value in n.phrases] == [0] and n.pattern is None
    [n] = parse({**base, "pattern": r"(?P<n>\d+) cuộc", "zero": "không họp"}).narrative_numbers
    assert n.pattern.pattern == r"(?P<n>\d+) cuộc" and [value for _, value in n.phrases] == [0]


def test_the_rules_of_a_catalogue_are_parsed_once():
    assert rules_for(CAT) is rules_for(CAT)
    other = dataclasses.replace(CAT)
    first = rules_for(CAT)
    assert rules_for(other) is not first and rules_for(CAT) is first


def test_a_level_list_is_optional_for_rows_that_do_not_apply():
    [na] = parse({"id": "na", "type": "not_applicable", "refs": ["3:1"]}).not_applicable
    assert (na.levels, na.refs) == ((), ("3:1",))


def test_results_are_kept_per_catalogue_object_and_dropped_with_it():
    import gc

    from cchc.catalogue.rules import PerCatalogue

    built = []
    cache = PerCatalogue(lambda cat: built.append(None) or len(built))  # keeps no catalogue alive
    a, b = dataclasses.replace(CAT), dataclasses.replace(CAT)
    assert (cache(a), cache(a), cache(b), cache(a)) == (1, 1, 2, 1)
    assert a in cache and b in cache and CAT not in cache and len(cache) == 2
    del b
    gc.collect()
    assert len(cache) == 1 and a in cache
    c = dataclasses.replace(CAT)
    assert cache(c) == 3 and len(cache) == 2
    cache.clear()
    assert len(cache) == 0 and a not in cache and c not in cache
    assert cache(a) == 4 and a in cache
