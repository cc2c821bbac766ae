"""The checks themselves. `check_all(data, catalogue)` is what `run_checks` calls.

Every finding names one cell (the one to fix) and carries the values involved. Checks never
guess: a rule whose inputs are blank is skipped according to its missing-value strategy, a
narrative number is compared only when the phrasing is unambiguous, and a blank is called
ambiguous only when nothing (a zero total, a condition, the unit's level) already says what
it must be.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from cchc.catalogue import Catalogue, Row
from cchc.checks import narrative
from cchc.checks.across import across_findings, row_name
from cchc.findings import Finding
from cchc.checks.prepared import Prepared, cell_position, prepared_for
from cchc.catalogue.rules import CompareRule, Condition, Expr, Rules
from cchc.model import ReportData
from cchc.registry import kind_for
from cchc.numbers import NumberParseError, format_number, format_pct, parse_vn_number
from cchc.periods import window
from cchc.vn_dates import format_date_ref
from cchc.workbook import style as S
from cchc.workbook.values import fold

EPS = 1e-9
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class Context:
    def __init__(self, data: ReportData, cat: Catalogue, prep: Prepared | None = None):
        prep = prep or prepared_for(cat)
        self.data = data
        self.cat = cat
        self.prep = prep
        self.rules: Rules = prep.rules
        self.rows: dict[str, Row] = prep.rows
        # Every indicator's value by its ref ("3:2.3.1"), laid out once per file.
        self.values: dict[str, Any] = _values_by_ref(data, prep)
        cap = data.info.get("cap")
        self.level = fold(cap) if cap else ""
        self.na: frozenset[str] = prep.not_applicable(self.level)
        year = data.info.get("nam")
        self.year = year if isinstance(year, int) and not isinstance(year, bool) and 1900 <= year <= 2200 else None
        # Cells the reader already reported (unreadable or out-of-range values).
        self.problem_cells = {(p.sheet, p.cell) for p in data.problems if p.cell}
        # Indicators whose cell the reader reported: such a cell holds something, if unreadable.
        self.reported: frozenset[str] = frozenset(
            ref for ref, at in data.cells.items() if (at.sheet, at.a1) in self.problem_cells
        ) if self.problem_cells else frozenset()
        self._totals: dict[int, tuple[float, tuple[str, ...]]] = {}

    # ----------------------------------------------------------------- values
    def raw(self, ref: str) -> Any:
        """The value as the file holds it (`values` has every row of the catalogue: what
        `data.value(ref)` returns)."""
        return self.values.get(ref)

    def num(self, ref: str) -> float | None:
        """The value as a number; a blank row that does not apply to this unit counts as 0."""
        v = self.values.get(ref)  # self.raw(ref), inlined: this is the innermost loop
        if v is None:
            return 0 if ref in self.na else None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        return v

    def total(self, expr: Expr) -> tuple[float, tuple[str, ...]]:
        """The sum of an expression (blanks left out) and its blank codes. Memoised per file:
        a whole is summed by several rules (its parts, the blanks it determines)."""
        key = id(expr)  # the rules, hence their expressions, outlive the check
        hit = self._totals.get(key)
        if hit is None:
            total, missing, num = 0.0, [], self.num
            for t in expr.terms:
                if t.ref is None:
                    total += t.sign * t.const
                    continue
                v = num(t.ref)
                if v is None:
                    missing.append(t.ref)
                else:
                    total += t.sign * v
            hit = self._totals[key] = (total, tuple(missing))
        return hit

    def present(self, ref: str) -> bool:
        return self.num(ref) is not None

    def cell(self, ref: str) -> tuple[str, str]:
        at = self.data.cells.get(ref)
        if at is not None:
            return at.sheet, at.a1
        form = ref.partition(":")[0]
        return f"BM{form}", ""

    def show(self, ref: str) -> str:
        """A value as an officer reads it: "2.700", "Có (1)", "trống"."""
        v = self.raw(ref)
        if v is None:
            return "trống"
        row = self.rows.get(ref)
        if row is not None and row.type in ("flag", "choice") and isinstance(v, (int, float)):
            label = row.choice_label(int(v)) if float(v).is_integer() else ""
            return f"{label} ({format_number(v)})" if label else format_number(v)
        if isinstance(v, (int, float)):
            return format_number(v)
        return f"«{v}»"

    def name(self, ref: str) -> str:
        """"BM1 mục 2.2 «Nhiệm vụ đã hoàn thành»"."""
        return row_name(self.rows[ref])

    def finding(self, severity: str, ref: str, rule_id: str, message: str, values: dict | None = None,
                at: tuple[str, str] | None = None) -> Finding:
        sheet, cell = at or self.cell(ref)
        form, _, code = ref.partition(":")
        return Finding(severity, sheet, cell, form, code, rule_id, message, values or {})


def _values_by_ref(data: ReportData, prep: Prepared) -> dict[str, Any]:
    """{"3:2.3.1": value} for every row of the catalogue: what `data.value(ref)` returns."""
    out: dict[str, Any] = {}
    for form_id, codes, refs in prep.form_refs:
        out.update(zip(refs, map(data.values.get(form_id, {}).get, codes)))
    return out


def _sort_key(prep: Prepared):
    order = prep.sheet_order

    def key(f: Finding):
        r0, c0 = cell_position(f.cell)
        return order.get(f.sheet, 99), f.sheet, r0, c0, _SEVERITY_ORDER.get(f.severity, 3)

    return key


def check_all(data: ReportData, cat: Catalogue, earlier: Sequence[ReportData] = ()) -> list[Finding]:
    """Every finding about `data`; with `earlier` (reports of the same unit and year whose periods
    it contains), the cross-period findings too (cchc.checks.across; CchcError for a report that
    cannot be compared)."""
    prep = prepared_for(cat)
    across = across_findings(data, cat, earlier) if earlier else []
    ctx = Context(data, cat, prep)
    out: list[Finding] = []
    out += reader_problems(ctx)
    out += kind_checks(ctx)
    fired, determined = compare_rules(ctx, out)
    out += fired
    out += ratio_checks(ctx)
    out += info_checks(ctx)
    out += narrative.check(ctx)
    out += blank_checks(ctx, out, determined)
    out += kind_for(cat).findings(data, cat)  # a report kind's own checks
    out += across
    out.sort(key=_sort_key(prep))
    return out


# ===================================================================== reader problems
def reader_problems(ctx: Context) -> list[Finding]:
    """The reader's findings, as they are (the report and the Excel adapter merge both lists
    and drop exact duplicates)."""
    return list(ctx.data.problems)


# ===================================================================== per kind
def kind_checks(ctx: Context) -> list[Finding]:
    out = []
    for row in ctx.prep.input_rows:
        v = ctx.values[row.ref]
        if v is None or row.ref in ctx.reported:
            continue
        rule = _kind_rule(row, v, ctx.prep.choice_codes.get(row.ref, ()))
        if rule is not None:
            out.append(_kind_finding(ctx, row, v, rule))
    return out


def _kind_rule(row: Row, v: Any, codes: tuple[int, ...]) -> str | None:
    """The kind rule a filled value breaks, or None."""
    if row.type in ("flag", "choice"):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v not in codes:
            return "kind.choice"
        return None
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return "kind.number"
    if v < 0:
        return "kind.nonnegative"
    if row.type == "count" and not float(v).is_integer():
        return "kind.whole"
    if row.type == "pct" and v > 100:
        return "kind.pct_range"
    if row.type == "pct" and 0 < v <= 1:
        return "kind.pct_fraction"
    return None


def _kind_finding(ctx: Context, row: Row, v: Any, rule: str) -> Finding:
    vals = {row.ref: v}
    label = ctx.name(row.ref)
    if rule == "kind.choice":
        choices = "; ".join(f"{lab} ({c})" for c, lab in row.choices)
        return ctx.finding("error", row.ref, rule,
                           f"{label} = {ctx.show(row.ref)} không có trong danh sách; hãy chọn một trong: {choices}.",
                           vals)
    if rule == "kind.number":
        return ctx.finding("error", row.ref, rule, f"{label} = «{v}» không phải là số.", vals)
    if rule == "kind.nonnegative":
        return ctx.finding("error", row.ref, rule,
                           f"{label} = {format_number(v)} là số âm; chỉ tiêu này không thể âm.", vals)
    if rule == "kind.whole":
        return ctx.finding("error", row.ref, rule,
                           f"{label} = {format_number(v, 4)} không phải số nguyên; hãy nhập số nguyên.", vals)
    if rule == "kind.pct_range":
        return ctx.finding("error", row.ref, rule,
                           f"{label} = {format_number(v)} lớn hơn 100; tỷ lệ phần trăm chỉ từ 0 đến 100.", vals)
    return ctx.finding(
        "warning", row.ref, rule,
        f"{label} = {format_number(v, 4)}: có thể bạn gõ {format_number(v * 100, 2)}% và Excel lưu thành "
        f"{format_number(v, 4)}. Tỷ lệ nhập bằng số phần trăm từ 0 đến 100 (ví dụ {format_number(v * 100, 2)}); "
        "nếu đúng là dưới 1% thì giữ nguyên.", vals)


# ===================================================================== rules
_VIOLATION = {"=": "khác", "<=": "lớn hơn", "<": "không nhỏ hơn", ">=": "nhỏ hơn", ">": "không lớn hơn",
              "!=": "bằng"}


def _holds(a: float, op: str, b: float) -> bool:
    if op == "=":
        return abs(a - b) <= EPS * max(1.0, abs(a), abs(b))
    if op == "!=":
        return not _holds(a, "=", b)
    if op == "<=":
        return a <= b + EPS
    if op == "<":
        return a < b - EPS
    if op == ">=":
        return a >= b - EPS
    if op == ">":
        return a > b + EPS
    raise ValueError(op)


def _side(ctx: Context, expr: Expr, strategy: str) -> tuple[float, tuple[str, ...]] | None:
    """The sum of an expression and its blank codes; None when its missing-value strategy
    skips the rule (skip_if_any: a code is blank; skip_if_all: every code is)."""
    total, missing = ctx.total(expr)
    if missing and (strategy == "skip_if_any" or (strategy == "skip_if_all" and len(missing) == len(expr.refs))):
        return None
    return total, missing


def _condition_holds(ctx: Context, cond: Condition) -> bool:
    a = _side(ctx, cond.left, "skip_if_any")
    b = _side(ctx, cond.right, "skip_if_any") if a is not None else None
    return b is not None and _holds(a[0], cond.op, b[0])


def _applies(ctx: Context, rule: CompareRule) -> bool:
    if rule.levels and (not ctx.level or ctx.level not in ctx.prep.rule_levels[rule.id]):
        return False
    return rule.when is None or _condition_holds(ctx, rule.when)


def _describe(ctx: Context, expr: Expr, total: float, missing: Sequence[str]) -> str:
    refs = expr.refs
    if not refs:
        return format_number(total)
    if len(expr.terms) == 1:
        ref = refs[0]
        return f"{ctx.name(ref)} để trống" if ref in missing else f"{ctx.name(ref)} = {ctx.show(ref)}"
    forms = {r.partition(":")[0] for r in refs}
    if len(forms) == 1:
        form = next(iter(forms))
        parts = f"BM{form} mục " + " + ".join(
            ("− " if t.sign < 0 else "") + (t.ref.partition(":")[2] if t.ref else format_number(t.const))
            for t in expr.terms)
    else:
        parts = " + ".join(f"BM{r.replace(':', ' mục ')}" for r in refs)
    text = f"tổng {parts} = {format_number(total)}"
    if missing:
        text += " (" + ", ".join("mục " + r.partition(":")[2] for r in missing) + " để trống)"
    return text


def _point_at(ctx: Context, rule: CompareRule, missing: Sequence[str]) -> str:
    """The cell to fix: `at`, else the blank one of a pair, else the first filled code of the
    left side (a part that exceeds its whole), else its first code."""
    if rule.at:
        return rule.at
    if rule.op in ("both_or_neither", "filled") and missing:
        return missing[0]
    refs = rule.left.refs or rule.right.refs
    filled = [r for r in refs if ctx.raw(r) is not None]
    return (filled or list(refs))[0]


def _rule_values(ctx: Context, rule: CompareRule) -> dict[str, Any]:
    """The values a fired rule reports: every code it names, as the file holds it."""
    return {ref: ctx.raw(ref) for ref in rule.refs}


def _evaluate(ctx: Context, rule: CompareRule) -> tuple[str, dict, Sequence[str]] | None:
    """None when the rule holds or does not apply; else (facts, values, missing refs)."""
    if rule.op in ("empty", "filled"):
        ref = rule.left.refs[0]
        filled = ctx.raw(ref) is not None
        if filled == (rule.op == "filled"):
            return None
        return (f"{ctx.name(ref)} = {ctx.show(ref)}" if filled else f"{ctx.name(ref)} để trống"), \
            _rule_values(ctx, rule), ([] if filled else [ref])
    if rule.op in ("both_or_neither", "not_both"):
        a, b = rule.left.refs[0], rule.right.refs[0]
        pa, pb = ctx.present(a), ctx.present(b)
        if rule.op == "both_or_neither" and pa != pb:
            have, lack = (a, b) if pa else (b, a)
            return (f"{ctx.name(have)} = {ctx.show(have)} nhưng {ctx.name(lack)} để trống",
                    _rule_values(ctx, rule), [lack])
        if rule.op == "not_both" and pa and pb:
            return (f"{ctx.name(a)} = {ctx.show(a)} và {ctx.name(b)} = {ctx.show(b)} đều có số liệu",
                    _rule_values(ctx, rule), [])
        return None
    sides = _side(ctx, rule.left, rule.missing_left), _side(ctx, rule.right, rule.missing_right)
    if None in sides:
        return None
    (left, miss_l), (right, miss_r) = sides
    if rule.op == "~":
        allowed = max(rule.tolerance_abs, rule.tolerance_rel * max(abs(left), abs(right)))
        diff = abs(left - right)
        if diff <= allowed + EPS:
            return None
    elif _holds(left, rule.op, right):
        return None
    # The rule fired: only now the values and the facts are worth writing out.
    values = _rule_values(ctx, rule)
    values["left"], values["right"] = left, right
    missing = miss_l + miss_r
    if rule.op == "~":
        values["difference"], values["allowed"] = diff, allowed
        facts = (f"{_describe(ctx, rule.left, left, miss_l)} chênh lệch {format_number(diff)} so với "
                 f"{_describe(ctx, rule.right, right, miss_r)} (mức thường gặp: không quá {format_number(allowed)})")
        return facts, values, missing
    if not rule.right.refs:  # against a constant: the left value says it all
        facts = _describe(ctx, rule.left, left, miss_l)
    else:
        facts = (f"{_describe(ctx, rule.left, left, miss_l)} {_VIOLATION[rule.op]} "
                 f"{_describe(ctx, rule.right, right, miss_r)}")
    return facts, values, missing


_DETERMINING_OPS = ("empty", "=", "<=")  # the only rules that can fix a blank's value


def _determined_blanks(ctx: Context, rule: CompareRule) -> set[str]:
    """Blank codes whose value this rule, which applies, already fixes (parts of a zero whole,
    "empty" under a condition that holds): such a blank is not ambiguous."""
    if rule.op == "empty":
        return set(rule.left.refs)
    out: set[str] = set()
    if rule.op in ("=", "<="):
        pairs = [(rule.left, rule.right)] + ([(rule.right, rule.left)] if rule.op == "=" else [])
        for blanks, whole in pairs:
            total, missing = ctx.total(whole)
            if not missing and abs(total) <= EPS and all(t.sign > 0 for t in blanks.terms):
                out.update(r for r in blanks.refs if ctx.raw(r) is None)
    return out


def compare_rules(ctx: Context, earlier: list[Finding]) -> tuple[list[Finding], set[str]]:
    out: list[Finding] = []
    fired: set[str] = set()
    determined: set[str] = set()
    for rule in ctx.rules.compare:
        if not _applies(ctx, rule):
            continue
        if rule.op in _DETERMINING_OPS:
            determined |= _determined_blanks(ctx, rule)
        if rule.skip_if_fired and not fired.isdisjoint(rule.skip_if_fired):
            continue
        result = _evaluate(ctx, rule)
        if result is None:
            continue
        facts, values, missing = result
        if rule.when is not None:
            c = rule.when
            cond = (_describe(ctx, c.left, 0, []) if len(c.left.terms) == 1 and c.left.refs
                    else c.text)
            facts = f"Vì {cond}: {facts}"
        fired.add(rule.id)
        facts = facts[0].upper() + facts[1:]
        out.append(ctx.finding(rule.severity, _point_at(ctx, rule, missing), rule.id, f"{facts}. {rule.message}", values))
    return out, determined


# ===================================================================== ratios
def _file_number(v: Any) -> tuple[float | None, str]:
    if v is None or isinstance(v, bool):
        return None, ""
    if isinstance(v, (int, float)):
        return float(v), ""
    text = str(v).strip()
    if not text:
        return None, ""
    try:
        return parse_vn_number(text, allow_percent=True), text
    except NumberParseError:
        return None, text


def ratio_checks(ctx: Context) -> list[Finding]:
    """The ratio as recomputed, compared with what the file's ratio cell holds.

    A file written by a program (openpyxl, this project's fill) holds no computed result in
    its formula cells, so a blank ratio cell is normal there: then one information per ratio
    gives the recomputed value, and only when numerator and denominator are both filled."""
    out = []
    for row, num, den in ctx.prep.ratio_rows:
        computed = ctx.data.ratios.get(row.form, {}).get(row.code)
        file_value = ctx.data.file_ratios.get(row.ref)
        filed, text = _file_number(file_value)
        if computed is not None:
            if filed is not None and abs(filed - computed) <= 0.005 + EPS * abs(computed):
                continue
        elif filed is None and not text:
            continue
        values = {"computed": computed, "file": file_value, num: ctx.raw(num), den: ctx.raw(den)}
        parts = f"mục {row.num} / mục {row.den} = {ctx.show(num)}/{ctx.show(den)}"
        if computed is not None:
            if filed is None and not text:
                msg = f"{ctx.name(row.ref)} được tính lại từ {parts}: {format_pct(computed)}."
            else:
                shown = text or format_number(filed, 4)
                msg = (f"Ô tỷ lệ {ctx.name(row.ref)} ghi {shown}, nhưng tính lại từ {parts} là "
                       f"{format_pct(computed)}; báo cáo dùng số tính lại.")
            out.append(ctx.finding("info", row.ref, "ratio.recomputed", msg, values))
        else:
            out.append(ctx.finding(
                "warning", row.ref, "ratio.without_parts",
                f"Ô tỷ lệ {ctx.name(row.ref)} ghi {text or format_number(filed, 4)} nhưng không tính được từ "
                f"{parts} (thiếu số hoặc mẫu số bằng 0), nên báo cáo để trống tỷ lệ này. "
                f"Hãy nhập mục {row.num} và mục {row.den}; tỷ lệ sẽ tự tính.", values))
    return out


# ===================================================================== Thông tin chung
def _info_at(ctx: Context, key: str) -> tuple[str, str]:
    at = ctx.data.info_cells.get(key)
    return (at.sheet, at.a1) if at is not None else (S.SHEET_INFO, "")


def _info_finding(ctx: Context, severity: str, key: str, rule_id: str, message: str, values: dict) -> Finding:
    sheet, cell = _info_at(ctx, key)
    return Finding(severity, sheet, cell, "", key, rule_id, message, values)


def _date(ctx: Context, key: str) -> dt.date | None:
    v = ctx.data.info.get(key)
    return v if isinstance(v, dt.date) else None


def info_checks(ctx: Context) -> list[Finding]:
    out = []
    info = ctx.data.info
    for field in ctx.prep.required_info:
        v = info.get(field.key)
        if v in (None, "", []) and _info_at(ctx, field.key) not in ctx.problem_cells:
            out.append(_info_finding(ctx, "error", field.key, "info.required",
                                     f"Chưa nhập «{field.label}»: đây là thông tin bắt buộc của báo cáo.", {field.key: None}))

    year = info.get("nam")
    if isinstance(year, int) and ctx.year is None:
        out.append(_info_finding(ctx, "error", "nam", "info.year",
                                 f"Năm báo cáo «{year}» không hợp lệ; hãy nhập năm gồm 4 chữ số, ví dụ 2025.",
                                 {"nam": year}))

    code = info.get("ma_dvhc")
    if code not in (None, "") and _info_at(ctx, "ma_dvhc") not in ctx.problem_cells:
        text = str(code).strip()
        if not re.fullmatch(r"\d{5}", text):
            out.append(_info_finding(ctx, "error", "ma_dvhc", "info.admin_code",
                                     f"Mã đơn vị hành chính «{text}» phải gồm đúng 5 chữ số (ví dụ 05014), "
                                     "kể cả số 0 ở đầu.", {"ma_dvhc": text}))

    start, end, signed = _date(ctx, "tu_ngay"), _date(ctx, "den_ngay"), _date(ctx, "ngay_ky")
    if start and end and start > end:
        out.append(_info_finding(ctx, "error", "tu_ngay", "info.window_order",
                                 f"«Số liệu từ ngày» {format_date_ref(start)} sau «Số liệu đến ngày» "
                                 f"{format_date_ref(end)}; hãy kiểm tra lại hai ngày này.",
                                 {"tu_ngay": start, "den_ngay": end}))
    else:
        out += _window(ctx, start, end)
    if signed and end and not (start and start > end):
        out += _signing(ctx, signed, start, end)
    return out


def _window(ctx: Context, start: dt.date | None, end: dt.date | None) -> list[Finding]:
    period_name, year = ctx.data.info.get("ky"), ctx.year
    period = ctx.cat.period(period_name) if period_name else None
    if period is None or year is None:
        return []
    expected = dict(zip(("tu_ngay", "den_ngay"), window(period, year)))
    label = {"tu_ngay": "Số liệu từ ngày", "den_ngay": "Số liệu đến ngày"}
    out = []
    for key, actual in (("tu_ngay", start), ("den_ngay", end)):
        if actual is None:
            continue
        days = abs((actual - expected[key]).days)
        if days <= ctx.rules.window_tolerance_days:
            continue
        severity = "error" if days > ctx.rules.window_error_days else "warning"
        msg = (f"Kỳ «{period_name}» năm {year} thường lấy số liệu {'từ' if key == 'tu_ngay' else 'đến'} khoảng ngày "
               f"{format_date_ref(expected[key])} (mặc định của Bộ Nội vụ; tỉnh có thể quy định lệch vài ngày), "
               f"nhưng ô «{label[key]}» ghi {format_date_ref(actual)}, lệch {days} ngày. "
               "Hãy kiểm tra lại kỳ báo cáo, năm báo cáo và ngày này.")
        out.append(_info_finding(ctx, severity, key, "info.window", msg,
                                 {"ky": period_name, "nam": year, key: actual, "expected": expected[key], "days": days}))
    return out


def _signing(ctx: Context, signed: dt.date, start: dt.date | None, end: dt.date) -> list[Finding]:
    values = {"ngay_ky": signed, "tu_ngay": start, "den_ngay": end}
    s, e = format_date_ref(signed), format_date_ref(end)
    if start and signed < start:
        return [_info_finding(ctx, "error", "ngay_ky", "info.report_date",
                              f"Ngày ký báo cáo {s} trước cả ngày bắt đầu kỳ số liệu {format_date_ref(start)}: "
                              "có lẽ gõ nhầm ngày hoặc năm.", values)]
    if signed < end:
        return [_info_finding(ctx, "warning", "ngay_ky", "info.report_date",
                              f"Ngày ký báo cáo {s} trước ngày cuối của kỳ số liệu {e}: báo cáo được ký khi kỳ số liệu "
                              f"chưa khép lại, nên số liệu từ sau ngày {s} đến ngày {e} chưa thể có. Hãy kiểm tra lại "
                              "ngày ký hoặc ô «Số liệu đến ngày».", values)]
    late = (signed - end).days
    if late > ctx.rules.late_error_days:
        return [_info_finding(ctx, "error", "ngay_ky", "info.report_date",
                              f"Ngày ký báo cáo {s} sau ngày cuối của kỳ số liệu {e} tới {late} ngày: "
                              "có lẽ gõ nhầm năm.", values)]
    if late > ctx.rules.late_warning_days:
        return [_info_finding(ctx, "warning", "ngay_ky", "info.report_date",
                              f"Ngày ký báo cáo {s} muộn {late} ngày so với ngày cuối của kỳ số liệu {e}: "
                              "hãy kiểm tra lại ngày ký.", values)]
    return []


# ===================================================================== blank versus zero
def blank_checks(ctx: Context, earlier: list[Finding], determined: set[str]) -> list[Finding]:
    flagged = {(f.sheet, f.cell) for f in earlier if f.cell}
    out = []
    for form, rows, blocks in ctx.prep.blank_layout(ctx.na):
        if not rows:
            continue
        filled = {r.ref for r in rows if ctx.values[r.ref] is not None or r.ref in ctx.reported}
        if not filled:
            first = rows[0]
            out.append(ctx.finding(
                "warning", first.ref, "blank.form",
                f"{form.title} ({form.subtitle}) để trống toàn bộ. Nếu đơn vị không phát sinh, hãy ghi 0 vào các chỉ "
                "tiêu tương ứng; nếu chưa có số liệu, hãy bổ sung trước khi gửi báo cáo.",
                {"form": form.id, "blank": len(rows)}))
            continue
        for members in blocks:
            others = [m for m in members if m.ref in filled]
            if not others:
                continue  # a block left wholly blank: not applicable or not started, not ambiguous
            for r in members:
                if r.ref in filled or r.ref in determined or ctx.cell(r.ref) in flagged:
                    continue
                out.append(ctx.finding(
                    "warning", r.ref, "blank.cell",
                    f"{ctx.name(r.ref)} để trống trong khi {', '.join('mục ' + m.code for m in others)} cùng nhóm có "
                    "số liệu: bằng 0 hay chưa có số liệu? Nếu không phát sinh, hãy ghi 0.",
                    {r.ref: None, **{m.ref: ctx.raw(m.ref) for m in others}}))
    return out
