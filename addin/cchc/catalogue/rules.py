"""The rules of `<kind>.rules.toml`, parsed and validated.

They are part of the catalogue (data a province edits): the checks evaluate them in Python
(`cchc.checks`), the workbook template compiles them into formulas (`cchc.workbook.formulas`),
so both read them from here, below either.

Every rule is a `[[rules]]` table with an `id` and a `type` (default "compare"):

compare — a validation rule in the manner of DHIS2:
    left      an expression over indicator codes: "1:2.2", "1:4.2 + 1:4.3 + 1:4.4", or a number
    op        =  <=  <  >=  >  !=  (also ≤ ≥ ≠), "~" (equal within a tolerance),
              "both_or_neither", "not_both" (for two single codes: presence, not value),
              "empty", "filled" (left only)
    right     an expression (not for empty/filled)
    severity  "error" | "warning" (also "lỗi" | "cảnh báo"); default "error"
    missing   skip_if_any (default) | skip_if_all | zero; `missing_left` / `missing_right`
              override it for one side. It applies to each side as in DHIS2: skip_if_any skips
              the rule when a code of that side is blank, skip_if_all when every code of that
              side is blank (other blanks then count as 0), zero never skips.
    when      a precondition "1:5 = 0"; the rule applies only when it holds (blank → no)
    levels    apply only to these "Cấp đơn vị" values (info field `cap`); blank cap → skip
    tolerance_abs, tolerance_rel   for "~": allowed |left − right| = max(abs, rel × max)
    at        the code whose cell the finding points at (default: the first code of left;
              for both_or_neither, the blank one)
    skip_if_fired  ids of rules that, when they fired, make this one redundant
    message   the instruction to the officer (Vietnamese); the facts are prepended

not_applicable — codes that do not apply to units of some levels (a commune has no
    district-level figures). `levels`, `refs`. Such a blank is not "blank versus zero", and
    counts as 0 in the rules.

narrative_number — a number the narrative states for an indicator: `ref`, `sections`,
    `pattern` (a regex with a named group `n`), `zero` and `one` (regexes of phrasings that
    state 0 or 1 without a digit: "không ban hành văn bản quy phạm pháp luật", "vận hành hệ
    thống họp trực tuyến" for a flag; at least one of the three), `exclude` (words that,
    between the keyword and the number, mean another quantity), `clause_exclude` (words that,
    anywhere in the clause, mean another period or a comparison), severity, message. What these
    rules find is also what the report's generated sentences leave out: a figure the officer
    has stated is not stated again.

period_window — plausibility of the data window: `tolerance_days` (a province's own window
    may differ from Bộ Nội vụ's by this much, silently), `error_days` (beyond: an error).

report_date — `late_warning_days`, `late_error_days` after the end of the window.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cchc.catalogue import Catalogue
from cchc.errors import CchcError

OPS = {
    "=": "=", "==": "=", "<=": "<=", "≤": "<=", "<": "<", ">=": ">=", "≥": ">=", ">": ">",
    "!=": "!=", "≠": "!=", "<>": "!=", "~": "~", "≈": "~",
    "both_or_neither": "both_or_neither", "not_both": "not_both", "empty": "empty", "filled": "filled",
}
COMPARE_OPS = ("=", "<=", "<", ">=", ">", "!=")
PAIR_OPS = ("both_or_neither", "not_both")
UNARY_OPS = ("empty", "filled")
MISSING = ("skip_if_any", "skip_if_all", "zero")
SEVERITY_ALIASES = {
    "error": "error", "lỗi": "error", "loi": "error",
    "warning": "warning", "cảnh báo": "warning", "canh bao": "warning",
    "info": "info", "thông tin": "info",
}
TYPES = ("compare", "not_applicable", "narrative_number", "period_window", "report_date")

_REF = re.compile(r"^([0-9A-Za-z]+):(\d+(?:\.\d+)*)$")
_NUM = re.compile(r"^\d+(?:\.\d+)?$")
_COND = re.compile(r"^(.+?)\s*(<=|>=|!=|==|<>|=|<|>|≤|≥|≠)\s*(.+)$")


@dataclass(frozen=True)
class Term:
    sign: int  # +1 or -1
    ref: str | None  # "1:2.2", or None for a constant
    const: float = 0.0


@dataclass(frozen=True)
class Expr:
    text: str
    terms: tuple[Term, ...]

    @cached_property  # asked for on every evaluation; a frozen dataclass allows the cache
    def refs(self) -> tuple[str, ...]:
        return tuple(t.ref for t in self.terms if t.ref)


@dataclass(frozen=True)
class Condition:
    left: Expr
    op: str
    right: Expr
    text: str


@dataclass(frozen=True)
class CompareRule:
    id: str
    left: Expr
    op: str
    right: Expr | None
    severity: str
    missing_left: str
    missing_right: str
    message: str
    when: Condition | None = None
    levels: tuple[str, ...] = ()
    tolerance_abs: float = 0.0
    tolerance_rel: float = 0.0
    at: str | None = None
    skip_if_fired: tuple[str, ...] = ()

    @cached_property
    def refs(self) -> tuple[str, ...]:
        out = list(self.left.refs) + list(self.right.refs if self.right else ())
        if self.when:
            out += list(self.when.left.refs) + list(self.when.right.refs)
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class NotApplicable:
    id: str
    levels: tuple[str, ...]
    refs: tuple[str, ...]


@dataclass(frozen=True)
class NarrativeNumber:
    id: str
    ref: str
    sections: tuple[str, ...]
    pattern: re.Pattern | None
    exclude: tuple[str, ...]
    clause_exclude: tuple[str, ...]
    severity: str
    message: str
    # Phrasings that state a fixed value, with that value: (pattern, 0) for `zero`, (…, 1) for `one`.
    phrases: tuple[tuple[re.Pattern, int], ...] = ()


@dataclass(frozen=True)
class Rules:
    compare: tuple[CompareRule, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    narrative_numbers: tuple[NarrativeNumber, ...] = ()
    window_tolerance_days: int = 16
    window_error_days: int = 45
    late_warning_days: int = 60
    late_error_days: int = 366
    ids: tuple[str, ...] = field(default=())


class RuleError(CchcError):
    pass


def _fail(rule_id: str, msg: str) -> RuleError:
    return RuleError(f"Quy tắc kiểm tra «{rule_id}» trong tệp quy tắc (rules.toml) không hợp lệ: {msg}")


def parse_expr(text: Any, cat: Catalogue, rule_id: str) -> Expr:
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return Expr(str(text), (Term(1, None, float(text)),))
    if not isinstance(text, str) or not text.strip():
        raise _fail(rule_id, f"biểu thức rỗng hoặc không phải chuỗi: {text!r}.")
    s = text.replace("−", "-").strip()
    tokens = re.split(r"\s*([+-])\s*", s)
    if tokens and tokens[0] == "":
        tokens = tokens[1:]
    else:
        tokens = ["+"] + tokens
    terms = []
    for i in range(0, len(tokens), 2):
        if i + 1 >= len(tokens):
            raise _fail(rule_id, f"biểu thức «{text}» không đọc được.")
        sign = 1 if tokens[i] == "+" else -1
        item = tokens[i + 1].strip()
        if _NUM.match(item):
            terms.append(Term(sign, None, float(item)))
            continue
        m = _REF.match(item)
        if not m:
            raise _fail(rule_id, f"«{item}» trong «{text}» không phải mã chỉ tiêu dạng biểu:mã (ví dụ 3:2.3.1).")
        try:
            row = cat.row(item)
        except KeyError:
            raise _fail(rule_id, f"không có chỉ tiêu {item} trong danh mục.") from None
        if not row.is_input:
            raise _fail(rule_id, f"chỉ tiêu {item} không phải ô nhập số liệu (loại {row.type}).")
        terms.append(Term(sign, item))
    return Expr(text, tuple(terms))


def _condition(text: Any, cat: Catalogue, rule_id: str) -> Condition:
    m = _COND.match(str(text).strip())
    if not m:
        raise _fail(rule_id, f"điều kiện when «{text}» cần dạng «biểu thức toán_tử biểu thức».")
    left, op, right = m.groups()
    return Condition(parse_expr(left, cat, rule_id), OPS[op], parse_expr(right, cat, rule_id), str(text))


def _severity(raw: dict, rule_id: str, default: str = "error") -> str:
    sev = SEVERITY_ALIASES.get(str(raw.get("severity", default)).strip().casefold())
    if sev is None:
        raise _fail(rule_id, f"severity «{raw.get('severity')}» phải là error (lỗi) hoặc warning (cảnh báo).")
    return sev


def _missing(raw: dict, key: str, default: str, rule_id: str) -> str:
    v = str(raw.get(key, default))
    if v not in MISSING:
        raise _fail(rule_id, f"{key} «{v}» phải là một trong: {', '.join(MISSING)}.")
    return v


def _refs(values: Any, cat: Catalogue, rule_id: str) -> tuple[str, ...]:
    out = []
    for ref in values or ():
        try:
            cat.row(str(ref))
        except KeyError:
            raise _fail(rule_id, f"không có chỉ tiêu {ref} trong danh mục.") from None
        out.append(str(ref))
    return tuple(out)


_KNOWN_KEYS = {
    "compare": {"id", "type", "left", "op", "right", "severity", "missing", "missing_left", "missing_right",
                "when", "levels", "tolerance_abs", "tolerance_rel", "at", "skip_if_fired", "message", "note"},
    "not_applicable": {"id", "type", "levels", "refs", "note"},
    "narrative_number": {"id", "type", "ref", "sections", "pattern", "zero", "one", "exclude", "clause_exclude",
                         "severity", "message", "note"},
    "period_window": {"id", "type", "tolerance_days", "error_days", "note"},
    "report_date": {"id", "type", "late_warning_days", "late_error_days", "note"},
}


def _compare(raw: dict, cat: Catalogue, rule_id: str) -> CompareRule:
    op = OPS.get(str(raw.get("op", "")).strip())
    if op is None:
        raise _fail(rule_id, f"toán tử op «{raw.get('op')}» không được hỗ trợ ({', '.join(sorted(set(OPS.values())))}).")
    if "left" not in raw:
        raise _fail(rule_id, "thiếu vế trái (left).")
    left = parse_expr(raw["left"], cat, rule_id)
    right = None
    if op in UNARY_OPS:
        if "right" in raw:
            raise _fail(rule_id, f"toán tử {op} không có vế phải.")
    else:
        if "right" not in raw:
            raise _fail(rule_id, "thiếu vế phải (right).")
        right = parse_expr(raw["right"], cat, rule_id)
    if op in PAIR_OPS + UNARY_OPS:
        sides = [left] + ([right] if right else [])
        if any(len(s.terms) != 1 or s.terms[0].ref is None for s in sides):
            raise _fail(rule_id, f"toán tử {op} chỉ dùng với một mã chỉ tiêu ở mỗi vế.")
    message = str(raw.get("message", "")).strip()
    if not message:
        raise _fail(rule_id, "thiếu lời nhắn (message) hướng dẫn cán bộ sửa.")
    missing = _missing(raw, "missing", "skip_if_any", rule_id)
    tol_abs = float(raw.get("tolerance_abs", 0))
    tol_rel = float(raw.get("tolerance_rel", 0))
    if op == "~" and tol_abs <= 0 and tol_rel <= 0:
        raise _fail(rule_id, "toán tử ~ cần tolerance_abs hoặc tolerance_rel.")
    at = raw.get("at")
    rule = CompareRule(
        id=rule_id,
        left=left,
        op=op,
        right=right,
        severity=_severity(raw, rule_id),
        missing_left=_missing(raw, "missing_left", missing, rule_id),
        missing_right=_missing(raw, "missing_right", missing, rule_id),
        message=message,
        when=_condition(raw["when"], cat, rule_id) if raw.get("when") else None,
        levels=tuple(str(x) for x in raw.get("levels", ())),
        tolerance_abs=tol_abs,
        tolerance_rel=tol_rel,
        at=str(at) if at else None,
        skip_if_fired=tuple(str(x) for x in raw.get("skip_if_fired", ())),
    )
    if rule.at and rule.at not in rule.refs:
        raise _fail(rule_id, f"at «{rule.at}» phải là một mã có trong quy tắc.")
    return rule


def _narrative_number(raw: dict, cat: Catalogue, rule_id: str) -> NarrativeNumber:
    (ref,) = _refs([raw.get("ref", "")], cat, rule_id)
    keys = {s.key for s in cat.sections if s.input}
    sections = tuple(str(s) for s in raw.get("sections", ()))
    bad = [s for s in sections if s not in keys]
    if bad or not sections:
        raise _fail(rule_id, f"sections phải là các mục thuyết minh có nội dung ({', '.join(sorted(keys))}).")
    if not any(k in raw for k in ("pattern", "zero", "one")):
        raise _fail(rule_id, "cần pattern (con số), zero hoặc one (cách viết nêu giá trị 0 hoặc 1).")
    pattern = None
    phrases = []
    for key, value in (("pattern", None), ("zero", 0), ("one", 1)):
        if key not in raw:
            continue
        try:
            compiled = re.compile(str(raw[key]), re.IGNORECASE)
        except re.error as exc:
            raise _fail(rule_id, f"{key} không hợp lệ ({exc}).") from None
        if value is None:
            if "n" not in compiled.groupindex:
                raise _fail(rule_id, "pattern cần một nhóm tên (?P<n>…) cho con số.")
            pattern = compiled
        else:
            phrases.append((compiled, value))
    message = str(raw.get("message", "")).strip()
    if not message:
        raise _fail(rule_id, "thiếu lời nhắn (message).")
    return NarrativeNumber(
        id=rule_id,
        ref=ref,
        sections=sections,
        pattern=pattern,
        exclude=tuple(str(x).casefold() for x in raw.get("exclude", ())),
        clause_exclude=tuple(str(x).casefold() for x in raw.get("clause_exclude", ())),
        severity=_severity(raw, rule_id, "warning"),
        message=message,
        phrases=tuple(phrases),
    )


def parse_rules(cat: Catalogue) -> Rules:
    compare, na, numbers, ids = [], [], [], []
    extra: dict[str, int] = {}
    for raw in cat.rules:
        if not isinstance(raw, dict):
            raise _fail("?", "mỗi quy tắc phải là một bảng [[rules]].")
        rule_id = str(raw.get("id", "")).strip()
        if not rule_id:
            raise _fail("?", "thiếu mã quy tắc (id).")
        if rule_id in ids:
            raise _fail(rule_id, "mã quy tắc bị trùng.")
        ids.append(rule_id)
        kind = str(raw.get("type", "compare"))
        if kind not in TYPES:
            raise _fail(rule_id, f"type «{kind}» phải là một trong: {', '.join(TYPES)}.")
        unknown = set(raw) - _KNOWN_KEYS[kind]
        if unknown:  # a typo ("severty") must not silently change a rule
            raise _fail(rule_id, f"khóa không dùng được với type {kind}: {', '.join(sorted(unknown))}.")
        if kind == "compare":
            compare.append(_compare(raw, cat, rule_id))
        elif kind == "not_applicable":
            na.append(NotApplicable(rule_id, tuple(str(x) for x in raw.get("levels", ())),
                                    _refs(raw.get("refs"), cat, rule_id)))
        elif kind == "narrative_number":
            numbers.append(_narrative_number(raw, cat, rule_id))
        elif kind == "period_window":
            extra["window_tolerance_days"] = int(raw.get("tolerance_days", 16))
            extra["window_error_days"] = int(raw.get("error_days", 45))
        elif kind == "report_date":
            extra["late_warning_days"] = int(raw.get("late_warning_days", 60))
            extra["late_error_days"] = int(raw.get("late_error_days", 366))
    known = set(ids)
    for r in compare:
        for other in r.skip_if_fired:
            if other not in known:
                raise _fail(r.id, f"skip_if_fired nhắc đến quy tắc «{other}» không tồn tại.")
    return Rules(tuple(compare), tuple(na), tuple(numbers), ids=tuple(ids), **extra)


class PerCatalogue:
    """What `build(cat)` returns, worked out once per catalogue object and dropped with it.
    A Catalogue holds dicts, so it is not hashable: the key is its id, checked through a weak
    reference (an id may be reused once its catalogue is gone)."""

    def __init__(self, build: Callable[[Catalogue], Any]):
        self._build = build
        self._hits: dict[int, tuple[weakref.ref, Any]] = {}

    def __call__(self, cat: Catalogue) -> Any:
        key = id(cat)
        hit = self._hits.get(key)
        if hit is None or hit[0]() is not cat:
            hit = (weakref.ref(cat, self._forget(key)), self._build(cat))
            self._hits[key] = hit
        return hit[1]

    def _forget(self, key: int) -> Callable[[weakref.ref], None]:
        def forget(ref: weakref.ref) -> None:
            if self._hits.get(key, (None,))[0] is ref:
                del self._hits[key]

        return forget

    def __contains__(self, cat: Catalogue) -> bool:
        hit = self._hits.get(id(cat))
        return hit is not None and hit[0]() is cat

    def __len__(self) -> int:
        return len(self._hits)

    def clear(self) -> None:
        self._hits.clear()


_parsed = PerCatalogue(parse_rules)


def rules_for(cat: Catalogue) -> Rules:
    """Parsed rules of a catalogue, parsed once per catalogue object."""
    return _parsed(cat)
