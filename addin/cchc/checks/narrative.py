"""Checks on the words: the narrative sections ("Thuyết minh") and the "Căn cứ" list.

A year is flagged only with evidence inside the report itself, because "năm 2024" is often
right in a 2025 report ("khắc phục tồn tại trong năm 2024", a 2024 dispatch still in force):

- the same document (kind, number/symbol and date) is cited twice with different subject
  years ("Kế hoạch số 11/KH-UBND ngày 21/01/2025 … năm 2024" and, elsewhere, "… năm 2025");
- a CCHC plan issued in one year about an earlier year's CCHC work (a plan looks forward;
  "khắc phục", "tổng kết", "kết quả" … mark the legitimate backward-looking ones);
- a document dated after the report was signed;
- a period or plan phrase ("Quý I năm …", "Kế hoạch CCHC năm …", "công tác CCHC năm …")
  with a year that is neither the report year nor the year before (the year after is
  allowed in section IV and in an annual report, which look ahead).

Numbers stated in the narrative are compared with the tables only through the tight
phrasings of the catalogue's narrative_number rules, and never when the phrasing is ambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cchc.findings import Finding
from cchc.vn_dates import format_date_ref
from cchc.workbook import style as S

_CLAUSE_END = re.compile(r"[;\n]|\.(?=\s|$)")
_DOC = re.compile(
    r"(?P<type>kế hoạch|quyết định|công văn|chỉ thị|thông tư|nghị định|nghị quyết|chương trình|thông báo"
    r"|hướng dẫn|văn bản|báo cáo)\s+số\s+(?P<num>\d+)\s*[/\s]\s*(?P<sym>(?:\d{4}\s*/\s*)?[^\W\d_][\w\-–]*)"
    r"\s+ngày\s+(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\w)năm\s+(\d{4})(?!\d)", re.IGNORECASE)
_PERIOD = re.compile(
    r"(?<!\w)(?P<p>quý\s+(?:IV|I{1,3}|[1-4])|6\s+tháng(?:\s+(?:đầu|cuối))?|9\s+tháng(?:\s+đầu)?"
    r"|(?:kế hoạch|chương trình)\s+(?:công tác\s+)?(?:cải cách hành chính|cchc)"
    r"|công tác\s+(?:cải cách hành chính|cchc))\s+(?:(?:trong|của)\s+)?năm\s+(?P<y>\d{4})(?!\d)",
    re.IGNORECASE,
)
_CCHC = ("cải cách hành chính", "cchc")
_BACKWARD = ("khắc phục", "tồn tại", "hạn chế", "tổng kết", "sơ kết", "kết quả", "đánh giá", "kiểm tra",
             "báo cáo", "xếp loại", "chỉ số", "chấn chỉnh")


@dataclass
class _Text:
    code: str  # section key, or "can_cu"
    where: str  # how the message names the place
    text: str
    at: tuple[str, str]


@dataclass
class _Mention:
    source: _Text
    clause: tuple[int, int]
    start: int
    end: int  # end of the subject
    kind: str
    ident: str  # "11/KH-UBND"
    date: dt.date | None
    subject: str
    year: int | None

    @property
    def key(self):
        return (self.kind, self.ident.casefold(), self.date)

    @property
    def excerpt(self) -> str:
        return _shorten(self.source.text[self.start:self.end])


@dataclass
class _Hit:
    source: _Text
    clause: tuple[int, int]
    excerpt: str
    reasons: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


def _shorten(s: str, limit: int = 170) -> str:
    s = " ".join(s.split()).strip(" ,;.")
    if len(s) <= limit:
        return s
    half = limit // 2 - 2
    return s[:half].rstrip() + " … " + s[-half:].lstrip()


# What is found in a text depends on the text alone, and the same texts come back in every
# file of a merge (the "Căn cứ" lines of a province) and at every check of one workbook: the
# text-only steps below are memoised on the text, the report-specific filters are not. They are
# memoised by wrapping (`f = lru_cache(…)(f)`), not by a decorator, so that the mutation tester
# (scripts/mutation.py), which leaves decorated functions alone, reaches their bodies.
_TEXTS_CACHED = 1024


def _clauses(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each clause: the non-empty stretches between ";", a line break and a full stop."""
    out = []
    start = 0
    for m in _CLAUSE_END.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return tuple(out)


_clauses = lru_cache(maxsize=_TEXTS_CACHED)(_clauses)


def _texts(ctx) -> list[_Text]:
    out = []
    for sec in ctx.cat.sections:
        at = ctx.data.narrative_cells.get(sec.key)
        text = ctx.data.narrative.get(sec.key) or ""
        if at is not None and text:
            out.append(_Text(sec.key, f"Mục «{sec.heading}»", text, (at.sheet, at.a1)))
    first = ctx.data.info_cells.get("can_cu")
    items = ctx.data.info.get("can_cu") or []
    cells = ctx.data.info_item_cells.get("can_cu") or []
    for i, item in enumerate(items, start=1):
        where = "Căn cứ" + (f", dòng {i}" if len(items) > 1 else "")
        at = cells[i - 1] if i <= len(cells) else first  # the cell holding this line
        out.append(_Text("can_cu", where, item, (at.sheet, at.a1) if at else (S.SHEET_INFO, "")))
    return out


def _mentions(t: _Text) -> list[_Mention]:
    return [_Mention(t, *fields) for fields in _document_refs(t.text)]


def _document_refs(text: str) -> tuple[tuple, ...]:
    """The document references of a text, each as the fields of a _Mention after its source."""
    out = []
    if "số" not in text.lower():  # cheap: no "số …" means no document reference
        return ()
    for c0, c1 in _clauses(text):
        clause = text[c0:c1]
        if "số" not in clause.lower():
            continue
        docs = list(_DOC.finditer(clause))
        for i, m in enumerate(docs):
            stop = docs[i + 1].start() if i + 1 < len(docs) else len(clause)
            subject = clause[m.end():stop]
            ym = _YEAR.search(subject)
            try:
                date = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                date = None
            end = m.end() + (ym.end() if ym else len(subject))
            sym = re.sub(r"\s+", "", m["sym"]).replace("–", "-")
            ident = f"{m['num']}/{sym}"
            out.append(((c0, c1), c0 + m.start(), c0 + end, m["type"].casefold(), ident, date,
                        subject, int(ym.group(1)) if ym else None))
    return tuple(out)


_document_refs = lru_cache(maxsize=_TEXTS_CACHED)(_document_refs)


def _period_phrases(text: str) -> tuple[tuple[tuple[int, int], int, str], ...]:
    """Period and plan phrases with a year ("Quý I năm 2025"): (clause, year, phrase)."""
    if "năm" not in text.lower():
        return ()
    return tuple(((c0, c1), int(m["y"]), m.group(0))
                 for c0, c1 in _clauses(text) for m in _PERIOD.finditer(text, c0, c1))


_period_phrases = lru_cache(maxsize=_TEXTS_CACHED)(_period_phrases)


def _year_checks(ctx, texts: list[_Text]) -> list[Finding]:
    year = ctx.year
    signed = ctx.data.info.get("ngay_ky") if isinstance(ctx.data.info.get("ngay_ky"), dt.date) else None
    hits: dict[tuple[int, tuple[int, int]], _Hit] = {}

    def hit(t: _Text, clause, excerpt: str) -> _Hit:
        k = (id(t), clause)
        if k not in hits:
            hits[k] = _Hit(t, clause, excerpt)
        return hits[k]

    mentions = [m for t in texts for m in _mentions(t)]
    by_doc: dict = {}
    for m in mentions:
        if m.year is not None and m.date is not None:
            by_doc.setdefault(m.key, []).append(m)

    for m in mentions:
        # a. a CCHC plan issued in one year about an earlier year's CCHC work
        subject = m.subject.casefold()
        if (m.kind == "kế hoạch" and m.date and m.year and m.year < m.date.year
                and any(w in subject for w in _CCHC) and not any(w in subject for w in _BACKWARD)):
            h = hit(m.source, m.clause, m.excerpt)
            h.reasons.append(f"kế hoạch ban hành năm {m.date.year} mà lại về công tác CCHC năm {m.year}")
            h.values.update({"document": m.ident, "document_date": m.date, "year_here": m.year})
        # b. the same document cited elsewhere with another subject year
        if year is not None and m.year is not None and m.year != year:
            others = [o for o in by_doc.get(m.key, ()) if o is not m and o.year == year]
            if others:
                o = others[0]
                label = f"{m.kind} số {m.ident}" + (f" ngày {format_date_ref(m.date)}" if m.date else "")
                h = hit(m.source, m.clause, m.excerpt)
                h.reasons.append(f"{o.source.where[0].lower() + o.source.where[1:]} ghi cùng {label} là về năm {o.year} («{o.excerpt}»)")
                h.values.update({"document": m.ident, "year_here": m.year, "year_elsewhere": o.year})
        # c. a document dated after the report was signed
        if signed and m.date and m.date > signed:
            h = hit(m.source, m.clause, m.excerpt)
            h.reasons.append(f"văn bản ghi ngày {format_date_ref(m.date)}, sau ngày ký báo cáo {format_date_ref(signed)}")
            h.values.update({"document": m.ident, "document_date": m.date, "ngay_ky": signed})

    # d. period and plan phrases with a year far from the report year
    if year is not None:
        for t in texts:
            ahead = t.code == "IV" or str(ctx.data.info.get("ky") or "").casefold() == "năm"
            for (c0, c1), y, phrase in _period_phrases(t.text):
                if year - 1 <= y <= year + (1 if ahead else 0):
                    continue
                h = hit(t, (c0, c1), _shorten(t.text[c0:c1]))
                h.reasons.append(f"«{' '.join(phrase.split())}» không phải năm {year} của báo cáo"
                                 + ("" if y > year else " hay năm trước đó"))
                h.values.update({"phrase": phrase, "year_here": y})

    out = []
    for h in hits.values():
        t = h.source
        if year is not None and "year_here" in h.values and h.values["year_here"] != year:
            question = f" Có phải gõ nhầm năm {h.values['year_here']} thay cho {year}?"
        else:
            question = ""
        reasons = "; ".join(h.reasons)
        if year:
            msg = f"{t.where}: «{h.excerpt}». Báo cáo này là của năm {year}; {reasons}."
        else:  # the reasons open a sentence of their own
            msg = f"{t.where}: «{h.excerpt}». {reasons[0].upper()}{reasons[1:]}."
        msg += question + " Hãy kiểm tra lại và sửa cho thống nhất."
        h.values.update({"report_year": year, "text": h.excerpt})
        rule = "narrative.document_date" if all("sau ngày ký" in r for r in h.reasons) else "narrative.year"
        out.append(Finding("warning", t.at[0], t.at[1], "", t.code, rule, msg, h.values))
    return out


def _empty_sections(ctx) -> list[Finding]:
    inputs = [s for s in ctx.cat.sections if s.input and s.key in ctx.data.narrative_cells]
    empty = [s for s in inputs if not (ctx.data.narrative.get(s.key) or "").strip()]
    if not empty:
        return []

    def at(s):
        c = ctx.data.narrative_cells[s.key]
        return c.sheet, c.a1

    if len(empty) == len(inputs):
        sheet, cell = at(empty[0])
        return [Finding("warning", sheet, cell, "", empty[0].key, "narrative.all_empty",
                        f"Trang «{S.SHEET_NARRATIVE}» chưa có nội dung ở mục nào: báo cáo sẽ chỉ có các câu số liệu "
                        "tự động. Hãy viết phần thuyết minh cho các mục.", {"empty": len(empty)})]
    out = []
    for s in empty:
        sheet, cell = at(s)
        has_data = any(v is not None for f in s.forms for v in ctx.data.values.get(f, {}).values())
        if ctx.data.auto_sentences.get(s.key) and has_data:
            out.append(Finding("info", sheet, cell, "", s.key, "narrative.empty",
                               f"Mục «{s.heading}» chưa có nội dung: báo cáo chỉ có câu số liệu tự động ở mục này.",
                               {}))
        else:
            out.append(Finding("warning", sheet, cell, "", s.key, "narrative.empty",
                               f"Mục «{s.heading}» để trống: báo cáo sẽ không có nội dung ở mục này. "
                               "Hãy viết nội dung, hoặc ghi rõ «Không phát sinh».", {}))
    return out


def _parse_count(text: str) -> int | None:
    t = text.replace(".", "") if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text) else text
    return int(t) if t.isdigit() else None


def _stated_numbers(rule, text: str) -> tuple[tuple[int, str, tuple[int, ...]], ...]:
    """The numbers a narrative_number rule finds in a text: (number, excerpt, the years named
    before it in its clause). A `zero` or `one` phrasing states 0 or 1."""
    out = []
    for c0, c1 in _clauses(text):
        clause = text[c0:c1]
        found = []  # (number, match, start of what the number is about)
        if rule.pattern is not None:
            for m in rule.pattern.finditer(clause):
                gap = (m.groupdict().get("gap") or "").casefold()
                if any(w in gap for w in rule.exclude):
                    continue
                n = _parse_count(m["n"])
                if n is not None:
                    found.append((n, m, m.start("n")))
        for phrase, value in rule.phrases:
            found += [(value, m, m.start()) for m in phrase.finditer(clause)]
        for n, m, at in found:
            before = clause[:at].casefold()
            if any(w in before for w in rule.clause_exclude):
                continue
            out.append((n, _shorten(m.group(0)), tuple(int(y) for y in _YEAR.findall(before))))
    return tuple(out)


_stated_numbers = lru_cache(maxsize=_TEXTS_CACHED)(_stated_numbers)


def statements(rules, narrative: dict, year: int | None) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """What the narrative states for the indicators of the narrative_number rules: {(section,
    ref): [(number, excerpt), …]}, other years' figures left out. The check compares them with
    the tables; the report's generated sentences leave these figures out (said already)."""
    out: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for rule in rules.narrative_numbers:
        for key in rule.sections:
            text = narrative.get(key) or ""
            if not text:
                continue
            for n, excerpt, years in _stated_numbers(rule, text):
                if year is not None and any(y != year for y in years):
                    continue  # another year's figure
                out.setdefault((key, rule.ref), []).append((n, excerpt))
    return out


def _numbers(ctx) -> list[Finding]:
    out = []
    stated = statements(ctx.rules, {k: v for k, v in ctx.data.narrative.items() if k in ctx.data.narrative_cells},
                        ctx.year)
    for rule in ctx.rules.narrative_numbers:
        value = ctx.num(rule.ref)
        if value is None or ctx.raw(rule.ref) is None:
            continue
        found = [(key, n, excerpt) for key in rule.sections for n, excerpt in stated.get((key, rule.ref), ())]
        numbers = {n for _, n, _ in found}
        if len(numbers) != 1:
            continue  # nothing stated, or several different numbers: ambiguous, say nothing
        n = numbers.pop()
        if abs(n - value) < 1e-9:
            continue
        key, _, excerpt = found[0]
        sec = next(s for s in ctx.cat.sections if s.key == key)
        c = ctx.data.narrative_cells[key]
        sheet, cell = ctx.cell(rule.ref)
        form, _, code = rule.ref.partition(":")
        msg = (f"Mục «{sec.heading}» ghi «{excerpt}», nhưng {ctx.name(rule.ref)} ({sheet}!{cell}) = "
               f"{ctx.show(rule.ref)}. {rule.message}")
        out.append(Finding(rule.severity, c.sheet, c.a1, form, code, rule.id, msg,
                           {"narrative": n, rule.ref: value, "section": key}))
    return out


def check(ctx) -> list[Finding]:
    texts = _texts(ctx)
    return _year_checks(ctx, texts) + _empty_sections(ctx) + _numbers(ctx)
