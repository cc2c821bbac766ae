"""Short factual sentences generated from the tables, placed in the narrative sections.

Every number in a sentence is printed by `Facts`, which uses the very same formatting as the
appendix tables (cchc.numbers). A sentence never states a value the table does not show:
each clause is emitted only when the values it needs were entered, and a ratio whose
denominator is blank or 0 is left out (a blank ratio stays blank in the table too).

A sentence never repeats the officer either: a figure the officer's text of the section already
states counts as absent here (`SectionFacts`), so its clause is left out. "States" is what the
catalogue's narrative_number rules find (a phrasing per indicator, "không ban hành văn bản quy
phạm pháp luật", "công bố 173 Bộ thủ tục hành chính thuộc thẩm quyền"), whatever the number:
when it differs from the table that is a finding of the checks (narrative versus table), not a
second sentence; and any mention of the very value with its unit ("71 hồ sơ", "70 trường hợp",
"98,59%").

The style follows the seed report (UBND xã Đưng K'Nớ, Quý I/2025), with the unit as subject
("Trong Quý I năm 2025, Ủy ban nhân dân xã đã ban hành 4 văn bản chỉ đạo …"), e.g. for 2.3:
"Trong Quý I năm 2025, Ủy ban nhân dân xã đã tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ
sơ (đạt 98,59%); đã giải quyết 71 hồ sơ, đúng hạn 71 hồ sơ (đạt 100%)."
"""

from __future__ import annotations

import re
from typing import Callable

from cchc.checks.narrative import statements
from cchc.catalogue.rules import rules_for
from cchc.numbers import round_half_up
from cchc.report.context import full_unit_name
from cchc.report.facts import Facts

# The nouns a figure of each unit ("Đơn vị tính", folded) goes by in prose.
_NOUNS = {
    "hồ sơ": ("hồ sơ", "trường hợp"),
    "thủ tục": ("thủ tục", "tthc"),
    "văn bản": ("văn bản", "vbqppl"),
    "người": ("người", "cán bộ", "công chức", "viên chức", "biên chế"),
    "cơ quan, đơn vị": ("cơ quan", "đơn vị"),
    "số lượng": ("phiếu",),
    "triệu đồng": ("triệu",),
}
# A number in prose, not part of a date or a document number ("21/01/2025", "26/KH-UBND").
_NUMBER = re.compile(r"(?<![\d.,/\-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\d/]|[.,]\d)")
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:,\d+)?)\s*%")
# "Ủy ban nhân dân xã Đưng K'Nớ" → "Ủy ban nhân dân xã": the subject of the sentences.
_LEVEL = re.compile(r"^(Ủy ban nhân dân (?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh))\b")


def _subject(don_vi) -> str:
    full = full_unit_name(don_vi or "")
    m = _LEVEL.match(full)
    return m.group(1) if m else (full or "Đơn vị")


def _states_value(text: str, row, value) -> bool:
    """Whether `text` mentions `value` as a figure of `row`: the percentage as the table prints
    it, or the number followed (within two words) by a noun of the row's unit. Zero is left to
    the catalogue's phrasings ("không ban hành …"): a bare 0 in prose is usually another figure."""
    if row.type in ("pct", "ratio"):
        want = round_half_up(float(value), 2)
        return any(round_half_up(float(m[1].replace(",", ".")), 2) == want for m in _PERCENT.finditer(text))
    if row.type not in ("count", "money") or not value:
        return False
    unit = row.unit.casefold()
    nouns = "|".join(re.escape(n) for n in _NOUNS.get(unit, (unit,)) if n)
    if not nouns:
        return False
    after = re.compile(rf"\s*:?\s*(?:\S+\s+){{0,2}}?(?:{nouns})(?!\w)", re.IGNORECASE)
    for m in _NUMBER.finditer(text):
        n = float(m[1].replace(".", "") + ("." + m[2] if m[2] else ""))
        if abs(n - float(value)) < 1e-9 and after.match(text, m.end()):
            return True
    return False


class SectionFacts(Facts):
    """The facts of one section as its generated sentences see them: a figure the officer's
    text of the section states already counts as absent."""

    def __init__(self, data, catalogue, key: str, stated: set[str], subject: str):
        super().__init__(data, catalogue)
        self.key = key
        self.narrative_text = (data.narrative.get(key) or "").strip()
        self.stated = stated  # refs the catalogue's phrasings found in this section
        self.subject = subject
        self._said: dict[str, bool] = {}

    def said(self, ref: str) -> bool:
        hit = self._said.get(ref)
        if hit is None:
            value = Facts.raw(self, ref)
            hit = ref in self.stated or (bool(self.narrative_text) and value is not None
                                         and _states_value(self.narrative_text, self.cat.row(ref), value))
            self._said[ref] = hit
        return hit

    def has(self, *refs: str) -> bool:
        return super().has(*refs) and not any(self.said(r) for r in refs)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _sentence(*clauses: str) -> str:
    body = "".join(c for c in clauses if c)
    if not body:
        return ""
    body = body[0].upper() + body[1:]
    return body if body.endswith((".", "!", "?")) else body + "."


def _pct_clause(f: SectionFacts, ref: str) -> str:
    """" (đạt 98,59%)" when the ratio is computed, else ""."""
    return f" (đạt {f.text(ref)})" if f.has(ref) else ""


# ---------------------------------------------------------------------------------------------
# Section I: Biểu mẫu 1


def _section_I(f: SectionFacts) -> list[str]:
    out = []
    who = f.subject
    if f.has("1:1"):
        n = f.raw("1:1")
        if n:
            out.append(f"{f.within}, {who} đã ban hành {f.text('1:1')} văn bản chỉ đạo, điều hành CCHC.")
        else:
            out.append(f"{f.within}, {who} chưa ban hành văn bản chỉ đạo, điều hành CCHC.")
    if f.has("1:2.1"):
        s = f"Kế hoạch CCHC năm đề ra {f.text('1:2.1')} nhiệm vụ"
        if f.has("1:2.2"):
            s += (f", đến thời điểm báo cáo đã hoàn thành {f.text('1:2.2')} nhiệm vụ"
                  f"{_pct_clause(f, '1:2')}")
        out.append(_sentence(s))
    elif f.has("1:2"):
        out.append(f"Tỷ lệ hoàn thành Kế hoạch CCHC năm đến thời điểm báo cáo đạt {f.text('1:2')}.")
    if f.has("1:3.1") or f.has("1:3.2.1"):
        parts = []
        if f.has("1:3.1"):
            parts.append(f"đã kiểm tra công tác CCHC tại {f.text('1:3.1')} cơ quan, đơn vị")
        if f.has("1:3.2.1"):
            p = f"phát hiện {f.text('1:3.2.1')} vấn đề"
            if f.has("1:3.2.2"):
                p += f", đã xử lý xong {f.text('1:3.2.2')} vấn đề{_pct_clause(f, '1:3.2')}"
            parts.append(p)
        out.append(_sentence(f"{f.within}, {who} " + "; ".join(parts)))
    if f.has("1:4.1"):
        s = f"{who} được cấp trên giao {f.text('1:4.1')} nhiệm vụ"
        det = []
        for code, what in (("4.2", "hoàn thành đúng hạn"), ("4.3", "hoàn thành nhưng quá hạn"),
                           ("4.4", "quá hạn nhưng chưa hoàn thành")):
            if f.has(f"1:{code}"):
                det.append(f"{what} {f.text('1:' + code)} nhiệm vụ")
        if det:
            s += ", trong đó " + ", ".join(det)
        out.append(_sentence(s))
    survey_none = f.has("1:5") and not f.raw("1:5")
    dialogue_none = f.has("1:6") and not f.raw("1:6")
    if survey_none and dialogue_none:
        out.append(f"{f.within}, {who} chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức và chưa "
                   "tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp.")
        return out
    if f.has("1:5"):
        if f.raw("1:5"):
            s = f"{who} đã tổ chức khảo sát sự hài lòng của người dân, tổ chức"
            if f.has("1:5.1"):
                s += f" với {f.text('1:5.1')} phiếu"
            if f.has("1:5.2") and f.text("1:5.2"):
                s += f" theo hình thức {_lower_first(f.text('1:5.2'))}"
            out.append(_sentence(s))
        else:
            out.append(f"{f.within}, {who} chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức.")
    if f.has("1:6"):
        if f.raw("1:6"):
            out.append(f"{who} đã tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp.")
        else:
            out.append(f"{who} chưa tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh "
                       "nghiệp.")
    return out


# ---------------------------------------------------------------------------------------------
# Section II.1: Biểu mẫu 2a


def _section_II_1(f: SectionFacts) -> list[str]:
    out = []
    who = f.subject
    if f.has("2a:1"):
        if f.raw("2a:1"):
            s = f"{f.within}, {who} đã ban hành {f.text('2a:1')} văn bản quy phạm pháp luật"
            det = [f"cấp {lvl} ban hành {f.text(ref)} văn bản"
                   for ref, lvl in (("2a:1.1", "huyện"), ("2a:1.2", "xã"))
                   if f.has(ref) and f.raw(ref)]
            if det:
                s += " (" + ", ".join(det) + ")"
            out.append(_sentence(s))
        else:
            out.append(f"{f.within}, {who} không ban hành văn bản quy phạm pháp luật nào.")
    for base, verb in (("2", "kiểm tra"), ("3", "rà soát")):
        parts = []
        if f.has(f"2a:{base}.1"):
            parts.append(f"đã {verb} {f.text(f'2a:{base}.1')} văn bản quy phạm pháp luật")
        if f.has(f"2a:{base}.2.1"):
            p = f"{f.text(f'2a:{base}.2.1')} văn bản cần xử lý sau {verb}"
            if f.has(f"2a:{base}.2.2"):
                p += (f", đã xử lý xong {f.text(f'2a:{base}.2.2')} văn bản"
                      f"{_pct_clause(f, f'2a:{base}.2')}")
            parts.append(p)
        if parts:
            lead = f"{who} " if parts[0].startswith("đã") else "có "
            out.append(_sentence(f"{f.within}, {lead}" + "; ".join(parts)))
    return out


# ---------------------------------------------------------------------------------------------
# Section II.2: Biểu mẫu 3 (and 7 for online receipt)


def _section_II_2_1(f: SectionFacts) -> list[str]:
    items = (("3:1.1", "được phê duyệt phương án đơn giản hóa"), ("3:1.2", "công bố mới"),
             ("3:1.3", "bãi bỏ, thay thế"))
    given = [(ref, what) for ref, what in items if f.has(ref)]
    if not given:
        return []
    positive = [f"{f.text(ref)} TTHC {what}" for ref, what in given if f.raw(ref)]
    zero = [what for ref, what in given if not f.raw(ref)]
    clauses = []
    if positive:
        clauses.append("có " + ", ".join(positive))
    if zero:
        clauses.append("không có TTHC " + (", ".join(zero[:-1]) + " hoặc " + zero[-1]
                                           if len(zero) > 1 else zero[0]))
    return [_sentence(f.within + ", " + "; ".join(clauses))]


def _section_II_2_2(f: SectionFacts) -> list[str]:
    if not f.has("3:1"):
        return []
    return [f"Hiện nay, {f.subject} đã công bố, công khai {f.text('3:1')} TTHC thuộc thẩm quyền giải quyết."]


_RECEIVER = re.compile(r"\bdo (.+?) tiếp nhận\b")


def _section_II_2_3(f: SectionFacts) -> list[str]:
    received = ""
    if f.has("7:3.1"):
        received = f"{f.subject} đã tiếp nhận {f.text('7:3.1')} hồ sơ TTHC"
        if f.has("7:3.2"):
            received += f", trong đó trực tuyến {f.text('7:3.2')} hồ sơ{_pct_clause(f, '7:3')}"
        elif f.has("7:3"):
            received += f", tỷ lệ tiếp nhận trực tuyến đạt {f.text('7:3')}"
    elif f.has("7:3"):  # the officer gave the numbers, not the rate
        received = f"tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt {f.text('7:3')}"
    levels = []
    rows = [r for r in f.cat.form("3").rows if r.type == "ratio" and r.code.startswith("2.")]
    # Name the level whenever the table has several, even if the officer gave the others.
    several = sum(1 for r in rows if Facts.has(f, f"3:{r.den}")) > 1
    for row in rows:
        if f.has(f"3:{row.den}"):
            clause = f"đã giải quyết {f.text(f'3:{row.den}')} hồ sơ"
            if f.has(f"3:{row.num}"):
                clause += f", đúng hạn {f.text(f'3:{row.num}')} hồ sơ{_pct_clause(f, f'3:{row.code}')}"
            elif f.has(f"3:{row.code}"):
                clause += f", tỷ lệ giải quyết đúng hạn đạt {f.text(f'3:{row.code}')}"
        elif f.has(f"3:{row.code}"):
            clause = f"tỷ lệ hồ sơ giải quyết đúng hạn đạt {f.text(f'3:{row.code}')}"
        else:
            continue
        m = _RECEIVER.search(row.label)
        levels.append((m.group(1) if m else "", clause))
    if several:
        resolved = "; ".join(f"hồ sơ do {who} tiếp nhận: {clause}" if who else clause
                             for who, clause in levels)
    else:
        resolved = levels[0][1] if levels else ""
    if not received and not resolved:
        return []
    return [_sentence(f.within + ", " + "; ".join(x for x in (received, resolved) if x))]


# ---------------------------------------------------------------------------------------------
# Section II.3: Biểu mẫu 4


def _section_II_3(f: SectionFacts) -> list[str]:
    out = []
    if f.has("4:1.1"):
        out.append(_sentence(f"{f.label('4:1.1')} đạt {f.text('4:1.1')}"))
    if f.has("4:1.2"):
        s = f"Có {f.text('4:1.2')} đơn vị sự nghiệp công lập"
        if f.has("4:1.3"):
            s += f"; tỷ lệ đơn vị sự nghiệp công lập đã cắt giảm so với năm 2015 là {f.text('4:1.3')}"
        out.append(_sentence(s))
    if f.has("4:2.1"):
        s = f"Tổng số biên chế công chức được giao trong năm là {f.text('4:2.1')} người"
        if f.has("4:2.2"):
            s += f", có mặt tại thời điểm báo cáo {f.text('4:2.2')} người"
        out.append(_sentence(s))
    elif f.has("4:2.2"):
        out.append(f"Tổng số biên chế công chức có mặt tại thời điểm báo cáo là "
                   f"{f.text('4:2.2')} người.")
    if f.has("4:2.3"):
        out.append(f"Có {f.text('4:2.3')} người làm việc theo hợp đồng lao động tại các cơ quan, "
                   f"tổ chức hành chính (HĐ68).")
    parts = []
    if f.has("4:2.4"):
        parts.append(f"trong kỳ tinh giản {f.text('4:2.4')} biên chế")
    if f.has("4:2.5"):
        parts.append(f"tỷ lệ biên chế đã tinh giản so với năm 2015 là {f.text('4:2.5')}")
    if parts:
        out.append(_sentence("; ".join(parts)))
    parts = []
    if f.has("4:3.1"):
        parts.append(f"được giao {f.text('4:3.1')} người")
    if f.has("4:3.2"):
        parts.append(f"có mặt tại thời điểm báo cáo {f.text('4:3.2')} người")
    if f.has("4:3.3"):
        parts.append(f"tinh giản trong kỳ {f.text('4:3.3')} người")
    if f.has("4:3.4"):
        parts.append(f"tỷ lệ đã tinh giản so với năm 2015 là {f.text('4:3.4')}")
    if parts:
        out.append(_sentence("Số người làm việc hưởng lương từ ngân sách nhà nước tại các đơn vị "
                             "sự nghiệp công lập: " + "; ".join(parts)))
    return out


# ---------------------------------------------------------------------------------------------
# Section II.4: Biểu mẫu 5


def _section_II_4(f: SectionFacts) -> list[str]:
    out = []
    parts = []
    if f.has("5:1.1"):
        parts.append(f"có {f.text('5:1.1')} cơ quan, tổ chức hành chính đã được phê duyệt vị trí "
                     f"việc làm theo quy định")
    if f.has("5:1.2"):
        parts.append(f"{f.text('5:1.2')} đơn vị sự nghiệp đã được phê duyệt vị trí việc làm")
    if f.has("5:1.3"):
        parts.append(f"{f.text('5:1.3')} cơ quan, tổ chức có vi phạm trong thực hiện vị trí việc "
                     f"làm phát hiện qua thanh tra")
    if parts:
        out.append(_sentence("Hiện nay, " + "; ".join(parts)))
    hires = (("5:2.1", "công chức được tuyển dụng (thi tuyển, xét tuyển)"),
             ("5:2.2", "công chức được tuyển dụng theo trường hợp đặc biệt"),
             ("5:2.3", "cán bộ, công chức cấp xã được xét chuyển thành công chức cấp huyện trở lên"),
             ("5:2.4", "viên chức được tuyển dụng (thi tuyển, xét tuyển)"),
             ("5:2.5", "viên chức được tuyển dụng theo trường hợp đặc biệt"))
    given = [(ref, what) for ref, what in hires if f.has(ref)]
    if given:
        positive = [f"{f.text(ref)} {what}" for ref, what in given if f.raw(ref)]
        if positive:
            out.append(_sentence(f"{f.within}, có " + "; ".join(positive)))
        else:
            out.append(f"{f.within}, không có công chức, viên chức được tuyển dụng.")
    if f.has("5:3"):
        if f.raw("5:3"):
            out.append(f"Có {f.text('5:3')} lãnh đạo, quản lý được tuyển chọn, bổ nhiệm thông "
                       f"qua thi tuyển (lũy kế từ đầu năm).")
        else:
            out.append("Không có lãnh đạo, quản lý được tuyển chọn, bổ nhiệm thông qua thi tuyển.")
    if f.has("5:4"):
        if f.raw("5:4"):
            s = f"Có {f.text('5:4')} cán bộ, công chức, viên chức bị kỷ luật"
            det = [f"{f.text(ref)} {what}" for ref, what in (
                ("5:4.1", "lãnh đạo cấp sở, ngành và UBND cấp huyện"),
                ("5:4.2", "lãnh đạo cấp phòng"),
                ("5:4.3", "người làm việc tại đơn vị sự nghiệp công lập"),
            ) if f.has(ref) and f.raw(ref)]
            if det:
                s += ", trong đó " + ", ".join(det)
            out.append(_sentence(s))
        else:
            out.append("Không có cán bộ, công chức, viên chức bị kỷ luật.")
    return out


# ---------------------------------------------------------------------------------------------
# Section II.5: Biểu mẫu 6


def _section_II_5(f: SectionFacts) -> list[str]:
    out = []
    if f.has("6:1.1"):
        s = f"Kế hoạch giải ngân vốn đầu tư công được giao {f.text('6:1.1')} triệu đồng"
        if f.has("6:1.2"):
            s += f", đã thực hiện {f.text('6:1.2')} triệu đồng{_pct_clause(f, '6:1')}"
        out.append(_sentence(s))
    if f.has("6:2.1"):
        s = f"Có {f.text('6:2.1')} đơn vị sự nghiệp công lập"
        det = [f"{f.text(ref)} đơn vị {what}" for ref, what in (
            ("6:2.2", "tự bảo đảm chi thường xuyên và chi đầu tư"),
            ("6:2.3", "tự bảo đảm chi thường xuyên"),
            ("6:2.4", "tự bảo đảm một phần chi thường xuyên"),
            ("6:2.5", "do Nhà nước bảo đảm chi thường xuyên"),
        ) if f.has(ref)]
        if det:
            s += ", trong đó: " + "; ".join(det)
        out.append(_sentence(s))
    if f.has("6:2.6") and f.raw("6:2.6"):
        out.append(f"Có {f.text('6:2.6')} đơn vị sự nghiệp đã chuyển đổi thành công ty cổ phần "
                   f"(lũy kế đến thời điểm báo cáo).")
    return out


# ---------------------------------------------------------------------------------------------
# Section II.6: Biểu mẫu 7


def _section_II_6(f: SectionFacts) -> list[str]:
    out = []
    if f.has("7:1"):
        if f.raw("7:1"):
            out.append(f"{f.subject} đã xây dựng và vận hành Hệ thống họp trực tuyến.")
        else:
            out.append(f"{f.subject} chưa có Hệ thống họp trực tuyến.")
    for ref in ("7:2.1", "7:2.2"):
        if f.has(ref):
            out.append(_sentence(f"{f.label(ref)} đạt {f.text(ref)}"))
    if f.has("7:3"):
        of = f" ({f.text('7:3.2')}/{f.text('7:3.1')} hồ sơ)" if f.has("7:3.1", "7:3.2") else ""
        out.append(f"Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt {f.text('7:3')}{of}.")
    return out


GENERATORS: dict[str, Callable[[SectionFacts], list[str]]] = {
    "I": _section_I,
    "II.1": _section_II_1,
    "II.2.1": _section_II_2_1,
    "II.2.2": _section_II_2_2,
    "II.2.3": _section_II_2_3,
    "II.3": _section_II_3,
    "II.4": _section_II_4,
    "II.5": _section_II_5,
    "II.6": _section_II_6,
}


def generate(facts: SectionFacts) -> list[str]:
    """The generated sentences of one narrative section ([] when none apply). The period opens
    the paragraph once ("Trong Quý I năm 2025, …"); the sentences after it go without."""
    gen = GENERATORS.get(facts.key)
    if gen is None:
        return []
    try:
        sentences = [s for s in gen(facts) if s]
    except KeyError:
        # The catalogue in use lacks a row this generator speaks of (a province's edited
        # catalogue): say nothing rather than something wrong.
        return []
    prefix = facts.within + ", "
    out, opened = [], False
    for s in sentences:
        if s.startswith(prefix):
            if opened:
                s = s[len(prefix):len(prefix) + 1].upper() + s[len(prefix) + 1:]
            opened = True
        out.append(s)
    return out


def section_facts(data, catalogue) -> dict[str, SectionFacts]:
    """The facts of each narrative section, each knowing what the officer's text states."""
    year = data.info.get("nam")
    year = year if isinstance(year, int) and not isinstance(year, bool) else None
    stated: dict[str, set[str]] = {}
    for (key, ref), _ in statements(rules_for(catalogue), data.narrative, year).items():
        stated.setdefault(key, set()).add(ref)
    subject = _subject(data.info.get("don_vi"))
    return {s.key: SectionFacts(data, catalogue, s.key, stated.get(s.key, set()), subject)
            for s in catalogue.sections}


def add_sentences(data, catalogue, context: dict) -> dict:
    """The standard report context with the generated sentences of each section where the
    officer left them on (column «Thêm câu số liệu tự động» of «Thuyết minh»), each stating
    only figures the officer's text of that section does not."""
    facts = section_facts(data, catalogue)
    for section in context.get("muc", ()):
        key = section["key"]
        if not data.auto_sentences.get(key, True) or key not in facts:
            continue
        sentences = generate(facts[key])
        # The generated sentences of a section read as one paragraph.
        section["tu_dong"] = [" ".join(sentences)] if sentences else []
    return context
