"""«Kiểm tra số liệu» compiled into spreadsheet formulas: the workbook checks itself.

The checks exist once, as the catalogue's rules (`<id>.rules.toml`) and the built-in checks
of `cchc.checks`. Python evaluates them; this module compiles every one that a formula can
express into a *program*: an ordered list of cells, each a formula over the input cells and
over earlier cells of the program. The template writes the program into its hidden sheet
«_kiemtra» (one cell per line), so Excel 2010+, LibreOffice Calc and WPS compute it while the
officer types, with no macro and no Python; a differential test (tests/test_live_checks.py)
recalculates it in LibreOffice and requires the same (rule, cell) findings as `cchc check`.

Only IF, AND, OR, NOT, ISNUMBER, ISERROR, ISLOGICAL, LEN, TRIM, MID, FIND, CHAR, SUM, COUNT,
ABS, INT, MAX, DATE and arithmetic are used: functions the three compute alike.

What is compiled (rule ids as `cchc check` reports them):

- `read.value` (an input that is not a number, negative, not whole for a count, above 100
  for a percentage, a choice outside its list) and `kind.pct_fraction`;
- every `compare` rule of the catalogue, with its levels, `when`, missing-value strategies
  (skip_if_any, skip_if_all, zero), tolerance, `at`, `skip_if_fired`, and the cell it points
  at (the first filled code of the left side, the blank one of a pair…);
- `blank.form` and `blank.cell` (blank versus zero), with the rows that do not apply to the
  unit's level and the blanks a zero total already determines;
- `read.info`, `info.required`, `info.year`, `info.admin_code`, `info.window_order`,
  `info.window` and `info.report_date` on «Thông tin chung».

The domain where both agree exactly: input cells hold a number or nothing, a yes/no or choice
cell also its label or its code as text, date cells real dates. Python also reads numbers
typed as text («2.700», «98,5%») and dates typed as text; the formulas count such text as not
a number (a stricter answer, and the ratios of the sheet cannot use it either).

What is not compiled is listed by `NOT_COMPILED`, shown on «Thông tin chung» and in
docs/kiem-tra-tu-dong.md: the narrative checks and the report kind's own checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from cchc.catalogue import Catalogue, Row
from cchc.catalogue.rules import CompareRule, Expr, PerCatalogue, Rules, rules_for
from cchc.errors import CchcError
from cchc.workbook import style as S
from cchc.workbook.layout import Layout, layout_of

ERROR, WARNING = 2, 1
# How a message starts in the «Kiểm tra» column (cchc.findings.SEVERITY_LABELS).
ERROR_LABEL, WARNING_LABEL = "Lỗi", "Cảnh báo"
EPS = "1E-9"  # cchc.checks.engine.EPS

# Rule ids `cchc check` reports that no formula computes, with what they are about.
NOT_COMPILED: tuple[tuple[str, str], ...] = (
    ("narrative.*", "năm, kỳ và ngày của văn bản nêu trong phần thuyết minh và danh sách căn cứ"),
    ("narrative_number", "số liệu nêu trong phần thuyết minh so với biểu mẫu"),
    ("ratio.*", "ô tỷ lệ bị gõ đè lên công thức"),
    ("read.missing_row, read.sheet, read.version", "trang, dòng chỉ tiêu bị xóa hoặc biểu mẫu phiên bản cũ"),
    ("<loại báo cáo>.*", "các kiểm tra riêng của từng loại báo cáo (ví dụ điểm Chỉ số PAR Index vượt điểm tối đa)"),
)
# What the workbook says of them (the wording, shown on «Thông tin chung»).
NOT_COMPILED_NOTE = "cần kiểm tra bằng nút «Kiểm tra số liệu» hoặc tại đơn vị tổng hợp"

_OPEN, _CLOSE = "\x01", "\x02"
_PLACEHOLDER = re.compile("\x01([a-z]+):([^\x02]*)\x02")
_LITERAL_MAX = 255  # Excel refuses a longer text constant in a formula


@dataclass(frozen=True)
class Cell:
    """One cell of the program. `formula` has no leading "=" and names other cells through
    placeholders (see `render`)."""

    key: str
    formula: str
    role: str = "helper"  # helper | check | errors | warnings | severity | status | count
    rule_id: str = ""  # a check: the rule it computes
    sheet: str = ""  # a check or a target: the sheet of the cell it speaks of
    cell: str = ""  # … and the cell ("D18")
    message: str = ""  # a check: what the officer reads when it fires
    name: str = ""  # a count: its workbook-level defined name (KT_LOI …)


@dataclass(frozen=True)
class Target:
    """A cell that checks point at, and the program cells that sum them up."""

    sheet: str
    cell: str
    checks: tuple[str, ...]  # keys of the check cells
    errors: str  # keys of its cells …
    warnings: str
    severity: str  # 2 error, 1 warning, 0 none: what the conditional formatting reads
    status: str  # the messages of the checks that fired, one per line


@dataclass(frozen=True)
class Program:
    cells: tuple[Cell, ...]
    targets: tuple[Target, ...]
    # Defined name → key of the count cell: KT_LOI, KT_CANH_BAO, KT_BM<form>_LOI …, KT_TT_LOI …
    counts: dict[str, str]
    # The rule ids whose findings the program computes exactly (in its domain).
    compiled: frozenset[str]
    # Rule ids of the catalogue's own rules that are not compiled (narrative numbers …).
    catalogue_rules_not_compiled: tuple[str, ...]

    @property
    def checks(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c.role == "check")

    def cell(self, key: str) -> Cell:
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[str, Cell]:
        return {c.key: c for c in self.cells}

    def target(self, sheet: str, cell: str) -> Target | None:
        for t in self.targets:
            if (t.sheet, t.cell) == (sheet, cell):
                return t
        return None


def count_name(sheet: str, severity: str) -> str:
    """KT_BM3_LOI, KT_BM3_CANH_BAO; KT_TT_… for «Thông tin chung»."""
    prefix = "KT_TT" if sheet == S.SHEET_INFO else f"KT_{sheet}"
    return f"{prefix}_{'LOI' if severity == 'error' else 'CANH_BAO'}"


TOTAL_NAMES = {"error": "KT_LOI", "warning": "KT_CANH_BAO"}


def render(formula: str, address: Callable[[str, str], str]) -> str:
    """The formula with its placeholders replaced: `address(kind, arg)` gives the cell
    reference of an input ("in", "3:2.3.1"), of a general-information cell ("info",
    "nam:0"), of another program cell ("c", key) or of a check's message ("m", key)."""
    return _PLACEHOLDER.sub(lambda m: address(m.group(1), m.group(2)), formula)


def expected_counts(program: Program, findings) -> dict[str, int]:
    """The counts the workbook should show (KT_LOI, KT_BM3_CANH_BAO …) for Python's findings:
    the errors and warnings of the rules the program compiles, by sheet and in total."""
    out = {name: 0 for name in program.counts}
    for f in findings:
        if f.rule_id not in program.compiled or f.severity not in TOTAL_NAMES:
            continue
        out[TOTAL_NAMES[f.severity]] += 1
        name = count_name(f.sheet, f.severity)
        if name in out:
            out[name] += 1
    return out


# ============================================================================ building blocks
def _ph(kind: str, arg: str) -> str:
    return f"{_OPEN}{kind}:{arg}{_CLOSE}"


def _c(key: str) -> str:
    return _ph("c", key)


def text_constant(value: str) -> str:
    """A text constant of a formula. Catalogue texts (labels, choices) reach formulas only
    this way: quoted, quotes doubled, so an officer's or a province's text stays text."""
    value = str(value)
    if len(value) > _LITERAL_MAX or _OPEN in value or _CLOSE in value:
        raise CchcError(f"Không đưa được «{value[:60]}…» vào công thức kiểm tra của sổ tính "
                        f"(dài quá {_LITERAL_MAX} ký tự hoặc có ký tự điều khiển).")
    return '"' + value.replace('"', '""') + '"'


def _number(x: float) -> str:
    if float(x).is_integer():
        return str(int(x))
    return repr(float(x)).upper().replace("E+", "E")


def _combine(function: str, parts: list[str], neutral: str, absorbing: str) -> str:
    """AND/OR of the parts, folding the constants away (the formulas stay short)."""
    parts = [p for p in parts if p != neutral]
    if absorbing in parts:
        return absorbing
    if not parts:
        return neutral
    return parts[0] if len(parts) == 1 else f"{function}({','.join(parts)})"


def _and(parts: list[str]) -> str:
    return _combine("AND", parts, "TRUE", "FALSE")


def _or(parts: list[str]) -> str:
    return _combine("OR", parts, "FALSE", "TRUE")


def _not(x: str) -> str:
    return {"TRUE": "FALSE", "FALSE": "TRUE"}.get(x, f"NOT({x})")


# cchc.checks.engine._holds, with its tolerance: a {op} b.
_HOLDS = {
    "=": "ABS({a}-({b}))<={e}*MAX(1,ABS({a}),ABS({b}))",
    "!=": "ABS({a}-({b}))>{e}*MAX(1,ABS({a}),ABS({b}))",
    "<=": "{a}<=({b})+{e}",
    "<": "{a}<({b})-{e}",
    ">=": "{a}>=({b})-{e}",
    ">": "{a}>({b})+{e}",
}


def _holds(a: str, op: str, b: str) -> str:
    return _HOLDS[op].format(a=a, b=b, e=EPS)


def norm_label(label: str) -> str:
    """A label as TRIM leaves a typed one: single spaces, none at the ends."""
    return re.sub(r"\s+", " ", str(label)).strip()


_TYPE_MESSAGES = {
    "count": "Phải là số nguyên không âm (0, 1, 2, …).",
    "money": "Phải là số không âm (triệu đồng).",
    "pct": "Phải là tỷ lệ từ 0 đến 100, không gõ dấu %.",
    "score": "Phải là số điểm không âm.",
}
_PCT_FRACTION = "Dưới 1%? Nếu đã gõ dấu % (90% thành 0,9), hãy gõ lại số từ 0 đến 100."
_BLANK_CELL = "Để trống khi các mục cùng nhóm có số liệu: nếu không phát sinh, hãy ghi 0."


# ============================================================================ the compiler
class _Builder:
    def __init__(self, cat: Catalogue, rules: Rules, lay: Layout):
        self.cat, self.rules, self.lay = cat, rules, lay
        self.cells: list[Cell] = []
        self.keys: set[str] = set()
        self.value: dict[str, str] = {}  # ref → placeholder of its value (number or "")
        self.num: dict[str, str] = {}  # … counting a blank that does not apply as 0
        self.filled: dict[str, str] = {}  # … of "the cell is not blank"
        self.na: dict[str, str] = {}  # ref → placeholder of "does not apply to this unit"
        self.levels: dict[tuple[str, ...], str] = {}
        self.rows = {r.ref: r for r in cat.rows()}
        self.compiled: set[str] = set()

    def add(self, key: str, formula: str, **kw) -> str:
        if key in self.keys:
            raise ValueError(key)
        self.keys.add(key)
        self.cells.append(Cell(key, formula, **kw))
        return _c(key)

    def check(self, key: str, rule_id: str, sheet_cell: tuple[str, str], condition: str,
              severity: int | str | None, message: str) -> None:
        """A check cell: `severity` (2 error, 1 warning, or a formula giving it) when
        `condition` holds, else 0. No cell for a severity None (an information rule)."""
        if severity is None:
            return
        self.compiled.add(rule_id)
        if condition == "FALSE":
            return
        sev = str(severity)
        formula = sev if condition == "TRUE" else f"IF({condition},{sev},0)"
        self.add(key, formula, role="check", rule_id=rule_id, sheet=sheet_cell[0], cell=sheet_cell[1],
                 message=message)

    # ------------------------------------------------------------------ inputs
    def info_cell(self, key: str, i: int = 0) -> str:
        return _ph("info", f"{key}:{i}")

    def has_info(self, key: str) -> bool:
        return key in self.lay.info

    def level(self, levels: tuple[str, ...]) -> str:
        """"The unit's «Cấp đơn vị» is one of `levels`" (compared as Excel compares text)."""
        key = tuple(sorted({norm_label(x) for x in levels}))
        if key in self.levels:
            return self.levels[key]
        if not self.has_info("cap"):
            self.levels[key] = "FALSE"
            return "FALSE"
        if "cap" not in self.keys:
            x = self.info_cell("cap")
            self.add("cap", f'IF(ISERROR({x}),"",TRIM({x}))')
        cap = _c("cap")
        ref = self.add(f"level:{'|'.join(key)}", _or([f"{cap}={text_constant(x)}" for x in key]))
        self.levels[key] = ref
        return ref

    def inputs(self) -> None:
        na_levels: dict[str, list[tuple[str, ...]]] = {}
        for rule in self.rules.not_applicable:
            for ref in rule.refs:
                na_levels.setdefault(ref, []).append(rule.levels)
        for row in self.cat.input_rows():
            x = _ph("in", row.ref)
            if row.type in ("flag", "choice"):
                chain = '""'
                for code, label in reversed(row.choices):
                    chain = f"IF(TRIM({x})={text_constant(str(code))},{code},{chain})"
                for code, label in reversed(row.choices):
                    chain = f"IF(TRIM({x})={text_constant(norm_label(label))},{code},{chain})"
                formula = f'IF(ISERROR({x}),"",IF(ISNUMBER({x}),{x},IF(ISLOGICAL({x}),IF({x},1,0),{chain})))'
            else:
                formula = f'IF(ISNUMBER({x}),{x},"")'
            v = self.add(f"v:{row.ref}", formula)
            self.value[row.ref] = v
            self.filled[row.ref] = self.add(f"o:{row.ref}", f"IF(ISERROR({x}),TRUE,LEN(TRIM({x}))>0)")
            if row.ref in na_levels:
                na = self.add(f"na:{row.ref}", _or([self.level(lv) for lv in na_levels[row.ref]]))
                self.na[row.ref] = na
                self.num[row.ref] = self.add(f"n:{row.ref}", f'IF(ISNUMBER({v}),{v},IF({na},0,""))')
            else:
                self.num[row.ref] = v

    def has(self, ref: str) -> str:
        """The reader's value is not None (cchc.checks.engine Context.raw)."""
        return f"ISNUMBER({self.value[ref]})"

    def present(self, ref: str) -> str:
        """Context.num(ref) is not None: a blank row that does not apply counts as 0."""
        return f"ISNUMBER({self.num[ref]})"

    def where(self, ref: str) -> tuple[str, str]:
        return self.lay.indicators[ref]

    # ------------------------------------------------------------------ read.value, kind.*
    def type_checks(self) -> None:
        for row in self.cat.input_rows():
            v, o, at = self.value[row.ref], self.filled[row.ref], self.where(row.ref)
            if row.type in ("flag", "choice"):
                valid = _and([f"ISNUMBER({v})", _or([f"{v}={c}" for c, _ in row.choices])])
                message = "Chỉ chọn một trong: " + "; ".join(f"{label} ({code})" for code, label in row.choices) + "."
            else:
                parts = [f"{v}>=0"]
                if row.type == "count":
                    parts.append(f"{v}=INT({v})")
                if row.type == "pct":
                    parts.append(f"{v}<=100")
                valid = f"IF(ISNUMBER({v}),{_and(parts)},FALSE)"
                message = _TYPE_MESSAGES.get(row.type, "Phải là một số không âm.")
            self.check(f"read.value:{row.ref}", "read.value", at, _and([o, _not(valid)]), ERROR, message)
            if row.type == "pct":
                self.check(f"kind.pct_fraction:{row.ref}", "kind.pct_fraction", at,
                           f"AND(ISNUMBER({v}),{v}>0,{v}<=1)", WARNING, _PCT_FRACTION)

    # ------------------------------------------------------------------ compare rules
    def total(self, expr: Expr) -> str:
        """Context.total: the sum of the expression, blanks left out, in the order of its terms."""
        out = ""
        for t in expr.terms:
            term = f"SUM({self.num[t.ref]})" if t.ref else _number(t.const)
            if t.sign < 0:
                out += "-" + term
            else:
                out += ("+" if out else "") + term
        return out or "0"

    def counted(self, refs: tuple[str, ...]) -> str:
        return f"COUNT({','.join(self.num[r] for r in refs)})"

    def side_ok(self, expr: Expr, strategy: str) -> str:
        """cchc.checks.engine._side: the side does not skip the rule."""
        refs = expr.refs
        if not refs or strategy == "zero":
            return "TRUE"
        if strategy == "skip_if_any":
            return f"{self.counted(refs)}={len(refs)}"
        return f"{self.counted(refs)}>0"

    def side_value(self, rule_id: str, name: str, expr: Expr) -> str:
        if not expr.refs:
            return self.total(expr)
        return self.add(f"rule:{rule_id}:{name}", self.total(expr))

    def compare_rules(self) -> None:
        fired: dict[str, str] = {}  # rule id → its "fired" cell, in the order of the rules
        self.determined: dict[str, list[str]] = {}
        for rule in self.rules.compare:
            self.compare_rule(rule, fired)

    def applies(self, rule: CompareRule) -> str:
        parts = []
        if rule.levels:
            parts.append(self.level(rule.levels))
        if rule.when is not None:
            c = rule.when
            a = self.side_value(rule.id, "when_left", c.left)
            b = self.side_value(rule.id, "when_right", c.right)
            parts += [self.side_ok(c.left, "skip_if_any"), self.side_ok(c.right, "skip_if_any"), _holds(a, c.op, b)]
        cond = _and(parts)
        if cond in ("TRUE", "FALSE") or len(parts) == 1:
            return cond
        return self.add(f"rule:{rule.id}:applies", cond)

    def compare_rule(self, rule: CompareRule, fired: dict[str, str]) -> None:
        applies = self.applies(rule)
        self.determining(rule, applies)
        earlier = [fired[r] for r in rule.skip_if_fired if r in fired]
        gate = [applies] + ([_not(_or(earlier))] if earlier else [])
        # An information rule still silences the rules that name it in skip_if_fired, but has no
        # check of its own: the workbook counts errors and warnings.
        sev = {"error": ERROR, "warning": WARNING}.get(rule.severity)
        op = rule.op
        if op in ("empty", "filled"):
            ref = rule.left.refs[0]
            cond = _and(gate + [self.has(ref) if op == "empty" else _not(self.has(ref))])
            f = self.add(f"rule:{rule.id}:fired", cond)
            fired[rule.id] = f
            self.check(f"{rule.id}:{ref}", rule.id, self.where(rule.at or ref), f, sev, rule.message)
            return
        if op in ("both_or_neither", "not_both"):
            a, b = rule.left.refs[0], rule.right.refs[0]
            if op == "both_or_neither":
                cond = _and(gate + [f"{self.present(a)}<>{self.present(b)}"])
            else:
                cond = _and(gate + [self.present(a), self.present(b)])
            f = self.add(f"rule:{rule.id}:fired", cond)
            fired[rule.id] = f
            if rule.at:
                self.check(f"{rule.id}:{rule.at}", rule.id, self.where(rule.at), f, sev, rule.message)
            elif op == "both_or_neither":  # the blank one
                for ref in (a, b):
                    self.check(f"{rule.id}:{ref}", rule.id, self.where(ref),
                               _and([f, _not(self.present(ref))]), sev, rule.message)
            else:
                self.check(f"{rule.id}:{a}", rule.id, self.where(a), f, sev, rule.message)
            return
        left = self.side_value(rule.id, "left", rule.left)
        right = self.side_value(rule.id, "right", rule.right)
        if op == "~":
            allowed = (f"MAX({_number(rule.tolerance_abs)},{_number(rule.tolerance_rel)}*MAX(ABS({left}),"
                       f"ABS({right})))")
            broken = f"ABS({left}-({right}))>{allowed}+{EPS}"
        else:
            broken = _not(_holds(left, op, right))
        cond = _and(gate + [self.side_ok(rule.left, rule.missing_left),
                            self.side_ok(rule.right, rule.missing_right), broken])
        f = self.add(f"rule:{rule.id}:fired", cond)
        fired[rule.id] = f
        if rule.at:
            self.check(f"{rule.id}:{rule.at}", rule.id, self.where(rule.at), f, sev, rule.message)
            return
        # cchc.checks.engine._point_at: the first filled code of the left side, else its first.
        refs = list(dict.fromkeys(rule.left.refs or rule.right.refs))
        for k, ref in enumerate(refs):
            before = _or([self.has(r) for r in refs[:k]])
            if k == 0:
                here = _or([self.has(ref), _not(_or([self.has(r) for r in refs[1:]]))])
            else:
                here = _and([_not(before), self.has(ref)])
            self.check(f"{rule.id}:{ref}", rule.id, self.where(ref), _and([f, here]), sev, rule.message)

    def determining(self, rule: CompareRule, applies: str) -> None:
        """cchc.checks.engine._determined_blanks: blanks whose value an applying rule fixes."""
        if rule.op == "empty":
            for ref in rule.left.refs:
                self.determined.setdefault(ref, []).append(applies)
            return
        if rule.op not in ("=", "<="):
            return
        pairs = [(rule.left, rule.right, "right")] + ([(rule.right, rule.left, "left")] if rule.op == "=" else [])
        for blanks, whole, name in pairs:
            if not blanks.refs or any(t.sign < 0 for t in blanks.terms):
                continue
            if whole.refs:
                total = _c(f"rule:{rule.id}:{name}")
                zero = _and([f"{self.counted(whole.refs)}={len(whole.refs)}", f"ABS({total})<={EPS}"])
            else:
                zero = "TRUE" if abs(sum(t.sign * t.const for t in whole.terms)) <= 1e-9 else "FALSE"
            cond = _and([applies, zero])
            for ref in blanks.refs:
                self.determined.setdefault(ref, []).append(cond)

    # ------------------------------------------------------------------ blank versus zero
    def blank_checks(self) -> None:
        flagged: dict[tuple[str, str], list[str]] = {}
        for c in self.cells:
            if c.role == "check":
                flagged.setdefault((c.sheet, c.cell), []).append(f"{_c(c.key)}>0")
        for form in self.cat.forms:
            rows = [r for r in form.rows if r.is_input]
            if not rows:
                continue
            self.compiled.update(("blank.form", "blank.cell"))

            def applies(r: Row) -> str:
                return _not(self.na[r.ref]) if r.ref in self.na else "TRUE"

            def counted(r: Row) -> str:
                return _and([self.filled[r.ref], applies(r)])

            any_filled = self.add(f"blank:{form.id}:any", _or([counted(r) for r in rows]))
            before: list[str] = []
            for r in rows:  # the first row that applies to the unit
                self.check(f"blank.form:{r.ref}", "blank.form", self.where(r.ref),
                           _and([_not(any_filled), applies(r)] + before), WARNING,
                           f"{form.title} ({form.subtitle}) để trống toàn bộ. Nếu đơn vị không phát sinh, hãy ghi 0 "
                           "vào các chỉ tiêu tương ứng; nếu chưa có số liệu, hãy bổ sung trước khi gửi báo cáo.")
                if r.ref not in self.na:
                    break
                before.append(self.na[r.ref])
            blocks: dict[str, list[Row]] = {}
            for r in rows:
                blocks.setdefault(r.code.rpartition(".")[0], []).append(r)
            for members in blocks.values():
                for r in members:
                    others = [counted(m) for m in members if m is not r]
                    if not others:
                        continue
                    at = self.where(r.ref)
                    cond = _and([applies(r), _not(self.filled[r.ref]), _or(others),
                                 _not(_or(self.determined.get(r.ref, []))), _not(_or(flagged.get(at, [])))])
                    self.check(f"blank.cell:{r.ref}", "blank.cell", at, cond, WARNING, _BLANK_CELL)

    # ------------------------------------------------------------------ Thông tin chung
    def info_checks(self) -> None:
        info = {f.key: f for f in self.cat.info}
        reported: dict[str, str] = {}
        for f in self.cat.info:
            if f.type not in ("int", "number", "date", "choice"):
                continue
            x = self.info_cell(f.key)
            filled = f"IF(ISERROR({x}),TRUE,LEN(TRIM({x}))>0)"
            if f.type == "int":
                valid, message = f"IF(ISNUMBER({x}),{x}=INT({x}),FALSE)", "Phải là một số nguyên."
            elif f.type == "number":
                valid, message = f"IF(ISNUMBER({x}),{x}>=0,FALSE)", "Phải là một số không âm."
            elif f.type == "date":
                valid = f"IF(ISNUMBER({x}),AND({x}>=1,{x}<2958466),FALSE)"
                message = "Phải là một ngày (ngày/tháng/năm)."
            else:
                valid = f'IF(ISERROR({x}),FALSE,{_or([f"TRIM({x})={text_constant(norm_label(c))}" for c in f.choices])})'
                message = "Chỉ chọn một trong: " + "; ".join(f.choices) + "."
            key = f"read.info:{f.key}"
            self.check(key, "read.info", self.lay.info[f.key][0], _and([filled, _not(valid)]), ERROR, message)
            reported[f.key] = _c(key)
        for f in self.cat.info:
            if not f.required:
                continue
            cells = [self.info_cell(f.key, i) for i in range(len(self.lay.info[f.key]))]
            blank = _and([f"IF(ISERROR({x}),FALSE,LEN(TRIM({x}))=0)" for x in cells])
            self.check(f"info.required:{f.key}", "info.required", self.lay.info[f.key][0], blank, ERROR,
                       f"Chưa nhập «{f.label}»: đây là thông tin bắt buộc của báo cáo.")
        year = None
        if "nam" in info and info["nam"].type == "int":
            x = self.info_cell("nam")
            self.check("info.year", "info.year", self.lay.info["nam"][0],
                       f"IF(ISNUMBER({x}),AND({x}=INT({x}),OR({x}<1900,{x}>2200)),FALSE)", ERROR,
                       "Năm báo cáo không hợp lệ: hãy nhập năm gồm 4 chữ số, ví dụ 2025.")
            year = self.add("year", f'IF(ISNUMBER({x}),IF(AND({x}=INT({x}),{x}>=1900,{x}<=2200),{x},""),"")')
        if "ma_dvhc" in info:
            x = self.info_cell("ma_dvhc")
            t = f"TRIM({x})"
            digits = _and([f"ISNUMBER(FIND(MID({t},{i},1),\"0123456789\"))" for i in range(1, 6)])
            wrong = (f'IF(ISERROR({x}),FALSE,IF(ISNUMBER({x}),NOT(AND({x}>-1,{x}<100000)),'
                     f'IF(LEN({t})=0,FALSE,NOT(IF(LEN({t})=5,{digits},FALSE)))))')
            cond = _and([wrong, _not(f"{reported['ma_dvhc']}>0")]) if "ma_dvhc" in reported else wrong
            self.check("info.admin_code", "info.admin_code", self.lay.info["ma_dvhc"][0], cond, ERROR,
                       "Mã đơn vị hành chính phải gồm đúng 5 chữ số, kể cả số 0 ở đầu (ví dụ 05014).")
        self.dates(info, year)

    def dates(self, info: dict, year: str | None) -> None:
        keys = ("tu_ngay", "den_ngay", "ngay_ky")
        if not all(k in info and info[k].type == "date" for k in keys):
            return
        d = {}
        for k in keys:
            x = self.info_cell(k)
            d[k] = self.add(f"date:{k}", f'IF(ISNUMBER({x}),IF(AND({x}>=1,{x}<2958466),INT({x}),""),"")')
        start, end, signed = d["tu_ngay"], d["den_ngay"], d["ngay_ky"]
        order = self.add("dates:reversed", f"AND(ISNUMBER({start}),ISNUMBER({end}),{start}>{end})")
        label = {k: info[k].label for k in keys}
        self.check("info.window_order", "info.window_order", self.lay.info["tu_ngay"][0], order, ERROR,
                   f"«{label['tu_ngay']}» sau «{label['den_ngay']}»: hãy kiểm tra lại hai ngày này.")
        periods = self.cat.periods
        if periods and year is not None and "ky" in info:
            ky = self.info_cell("ky")
            period = f'IF(ISERROR({ky}),"",TRIM({ky}))'
            kp = self.add("period", period)

            def expected(pick) -> str:
                out = '""'
                for p in reversed(periods):
                    out = f"IF({kp}={text_constant(norm_label(p.name))},{pick(p)},{out})"
                return f'IF(ISNUMBER({year}),{out},"")'

            def day(y: str, md: tuple[int, int]) -> str:
                m, dd = md
                if (m, dd) == (2, 29):  # cchc.checks.engine._shift_year: 28/2 in a common year
                    return f"IF(MONTH(DATE({y},2,29))=2,DATE({y},2,29),DATE({y},2,28))"
                return f"DATE({y},{m},{dd})"

            exp = {
                "tu_ngay": self.add("expected:tu_ngay", expected(
                    lambda p: day(f"{year}-1" if p.start_prev_year else year, p.start))),
                "den_ngay": self.add("expected:den_ngay", expected(lambda p: day(year, p.end))),
            }
            tol, err = self.rules.window_tolerance_days, self.rules.window_error_days
            for k in ("tu_ngay", "den_ngay"):
                days = f"ABS({d[k]}-{exp[k]})"
                # IF evaluates only the branch it takes: the days are computed from two dates.
                cond = _and([_not(order), f"ISNUMBER({d[k]})", f"ISNUMBER({exp[k]})"])
                self.check(f"info.window:{k}", "info.window", self.lay.info[k][0], cond,
                           f"IF({days}>{err},2,IF({days}>{tol},1,0))",
                           f"Ngày này lệch xa khoảng lấy số liệu thường dùng của kỳ báo cáo (mặc định của Bộ Nội vụ): "
                           "hãy kiểm tra lại kỳ báo cáo, năm báo cáo và ngày này.")
        late = f"{signed}-{end}"
        sev = (f"IF(AND(ISNUMBER({start}),{signed}<{start}),2,IF({signed}<{end},1,"
               f"IF({late}>{self.rules.late_error_days},2,IF({late}>{self.rules.late_warning_days},1,0))))")
        self.check("info.report_date", "info.report_date", self.lay.info["ngay_ky"][0],
                   _and([f"ISNUMBER({signed})", f"ISNUMBER({end})", _not(order)]), sev,
                   f"Ngày ký không khớp với kỳ số liệu (ký trước khi kỳ khép lại, hoặc muộn bất thường): hãy kiểm tra "
                   f"lại «{label['ngay_ky']}» và «{label['den_ngay']}».")

    # ------------------------------------------------------------------ sums
    def aggregate(self) -> tuple[tuple[Target, ...], dict[str, str]]:
        by_target: dict[tuple[str, str], list[Cell]] = {}
        for c in self.cells:
            if c.role == "check":
                by_target.setdefault((c.sheet, c.cell), []).append(c)
        targets = []
        per_sheet: dict[str, dict[str, list[str]]] = {}
        for (sheet, cell), checks in by_target.items():
            base = f"target:{sheet}!{cell}"
            err = self.add(f"{base}:errors", "0+" + "+".join(f"({_c(c.key)}=2)" for c in checks),
                           role="errors", sheet=sheet, cell=cell)
            warn = self.add(f"{base}:warnings", "0+" + "+".join(f"({_c(c.key)}=1)" for c in checks),
                            role="warnings", sheet=sheet, cell=cell)
            self.add(f"{base}:severity", f"IF({err}>0,2,IF({warn}>0,1,0))", role="severity", sheet=sheet, cell=cell)
            # The errors first: the sheet colours a row red when its messages start with «Lỗi:».
            lines = "&".join(f'IF({_c(c.key)}={level},CHAR(10)&"{label}: "&{_ph("m", c.key)},"")'
                             for level, label in ((ERROR, ERROR_LABEL), (WARNING, WARNING_LABEL)) for c in checks)
            self.add(f"{base}:status", f"MID({lines},2,32000)", role="status", sheet=sheet, cell=cell)
            targets.append(Target(sheet, cell, tuple(c.key for c in checks), f"{base}:errors", f"{base}:warnings",
                                  f"{base}:severity", f"{base}:status"))
            sums = per_sheet.setdefault(sheet, {"error": [], "warning": []})
            sums["error"].append(err)
            sums["warning"].append(warn)
        counts: dict[str, str] = {}
        sheets = [S.SHEET_INFO] + [f.sheet for f in self.cat.forms]
        totals: dict[str, list[str]] = {"error": [], "warning": []}
        for sheet in sheets:
            for severity in ("error", "warning"):
                name = count_name(sheet, severity)
                parts = per_sheet.get(sheet, {}).get(severity, [])
                ref = self.add(f"count:{name}", "0+" + "+".join(parts) if parts else "0", role="count", name=name,
                               sheet=sheet)
                counts[name] = f"count:{name}"
                totals[severity].append(ref)
        for severity, name in TOTAL_NAMES.items():
            self.add(f"count:{name}", "+".join(totals[severity]), role="count", name=name)
            counts[name] = f"count:{name}"
        return tuple(targets), counts


def _compile(cat: Catalogue) -> Program:
    rules = rules_for(cat)
    b = _Builder(cat, rules, layout_of(cat))
    b.inputs()
    b.type_checks()
    b.compare_rules()
    b.info_checks()
    b.blank_checks()
    targets, counts = b.aggregate()
    compiled = frozenset(b.compiled | {r.id for r in rules.compare if r.severity in ("error", "warning")})
    return Program(tuple(b.cells), targets, counts, compiled, tuple(r.id for r in rules.narrative_numbers))


_programs = PerCatalogue(_compile)


def compile_checks(cat: Catalogue) -> Program:
    """The program of a catalogue, compiled once per catalogue object."""
    return _programs(cat)


__all__ = ["Cell", "Target", "Program", "compile_checks", "render", "count_name", "TOTAL_NAMES", "NOT_COMPILED",
           "NOT_COMPILED_NOTE", "ERROR", "WARNING", "ERROR_LABEL", "WARNING_LABEL", "expected_counts", "text_constant", "norm_label"]
