"""Short factual sentences generated from the tables, placed in the narrative sections.

Every number in a sentence is printed by `Facts`, which uses the very same formatting as the
appendix tables (cchc.numbers). A sentence never states a value the table does not show:
each clause is emitted only when the values it needs were entered, and a ratio whose
denominator is blank or 0 is left out (a blank ratio stays blank in the table too).

The style follows the seed report (UBND xã Đưng K'Nớ, Quý I/2025), e.g. for 2.3:
"Trong Quý I năm 2025, tiếp nhận 71 hồ sơ TTHC, trong đó trực tuyến 70 hồ sơ (đạt 98,59%); đã giải
quyết 71 hồ sơ, đúng hạn 71 hồ sơ (đạt 100%)."
"""

from __future__ import annotations

import re
from typing import Callable

from cchc.numbers import format_number, format_pct
from cchc.report.facts import Facts


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _sentence(*clauses: str) -> str:
    body = "".join(c for c in clauses if c)
    if not body:
        return ""
    body = body[0].upper() + body[1:]
    return body if body.endswith((".", "!", "?")) else body + "."


def _pct_clause(f: Facts, ref: str) -> str:
    """" (đạt 98,59%)" when the ratio is computed, else ""."""
    return f" (đạt {f.text(ref)})" if f.has(ref) else ""


# ---------------------------------------------------------------------------------------------
# Section I: Biểu mẫu 1


def _section_I(f: Facts) -> list[str]:
    out = []
    if f.has("1:1"):
        n = f.raw("1:1")
        if n:
            out.append(f"{f.within}, đã ban hành {f.text('1:1')} văn bản chỉ đạo, điều hành CCHC.")
        else:
            out.append(f"{f.within}, chưa ban hành văn bản chỉ đạo, điều hành CCHC.")
    if f.has("1:2.1"):
        s = f"Kế hoạch CCHC năm đề ra {f.text('1:2.1')} nhiệm vụ"
        if f.has("1:2.2"):
            s += (f", đến thời điểm báo cáo đã hoàn thành {f.text('1:2.2')} nhiệm vụ"
                  f"{_pct_clause(f, '1:2')}")
        out.append(_sentence(s))
    if f.has("1:3.1") or f.has("1:3.2.1"):
        parts = []
        if f.has("1:3.1"):
            parts.append(f"đã kiểm tra công tác CCHC tại {f.text('1:3.1')} cơ quan, đơn vị")
        if f.has("1:3.2.1"):
            p = f"phát hiện {f.text('1:3.2.1')} vấn đề"
            if f.has("1:3.2.2"):
                p += f", đã xử lý xong {f.text('1:3.2.2')} vấn đề{_pct_clause(f, '1:3.2')}"
            parts.append(p)
        out.append(_sentence(f.within + ", " + "; ".join(parts)))
    if f.has("1:4.1"):
        s = f"Được cấp trên giao {f.text('1:4.1')} nhiệm vụ"
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
        out.append(f"{f.within}, chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức và chưa "
                   "tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp.")
        return out
    if f.has("1:5"):
        if f.raw("1:5"):
            s = "Đã tổ chức khảo sát sự hài lòng của người dân, tổ chức"
            if f.has("1:5.1"):
                s += f" với {f.text('1:5.1')} phiếu"
            if f.has("1:5.2") and f.text("1:5.2"):
                s += f" theo hình thức {_lower_first(f.text('1:5.2'))}"
            out.append(_sentence(s))
        else:
            out.append(f"{f.within}, chưa tổ chức khảo sát sự hài lòng của người dân, tổ chức.")
    if f.has("1:6"):
        if f.raw("1:6"):
            out.append("Đã tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh nghiệp.")
        else:
            out.append("Chưa tổ chức đối thoại giữa lãnh đạo với người dân, cộng đồng doanh "
                       "nghiệp.")
    return out


# ---------------------------------------------------------------------------------------------
# Section II.1: Biểu mẫu 2a


def _section_II_1(f: Facts) -> list[str]:
    out = []
    if f.has("2a:1"):
        if f.raw("2a:1"):
            s = f"{f.within}, đã ban hành {f.text('2a:1')} văn bản quy phạm pháp luật"
            det = [f"cấp {lvl} ban hành {f.text(ref)} văn bản"
                   for ref, lvl in (("2a:1.1", "huyện"), ("2a:1.2", "xã"))
                   if f.has(ref) and f.raw(ref)]
            if det:
                s += " (" + ", ".join(det) + ")"
            out.append(_sentence(s))
        else:
            out.append(f"{f.within}, không ban hành văn bản quy phạm pháp luật nào.")
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
            out.append(_sentence(f.within + ", " + "; ".join(parts)))
    return out


# ---------------------------------------------------------------------------------------------
# Section II.2: Biểu mẫu 3 (and 7 for online receipt)


def _section_II_2_1(f: Facts) -> list[str]:
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


def _section_II_2_2(f: Facts) -> list[str]:
    if not f.has("3:1"):
        return []
    return [f"Hiện nay, đã công bố, công khai {f.text('3:1')} TTHC thuộc thẩm quyền giải quyết."]


_RECEIVER = re.compile(r"\bdo (.+?) tiếp nhận\b")


def _section_II_2_3(f: Facts) -> list[str]:
    received = ""
    if f.has("7:3.1"):
        received = f"tiếp nhận {f.text('7:3.1')} hồ sơ TTHC"
        if f.has("7:3.2"):
            received += f", trong đó trực tuyến {f.text('7:3.2')} hồ sơ{_pct_clause(f, '7:3')}"
    levels = []
    form3 = f.cat.form("3")
    for row in form3.rows:
        if row.type != "ratio" or not row.code.startswith("2."):
            continue
        if not f.has(f"3:{row.den}"):
            continue
        clause = f"đã giải quyết {f.text(f'3:{row.den}')} hồ sơ"
        if f.has(f"3:{row.num}"):
            clause += f", đúng hạn {f.text(f'3:{row.num}')} hồ sơ{_pct_clause(f, f'3:{row.code}')}"
        m = _RECEIVER.search(row.label)
        levels.append((m.group(1) if m else "", clause))
    if len(levels) > 1:
        resolved = "; ".join(f"hồ sơ do {who} tiếp nhận: {clause}" if who else clause
                             for who, clause in levels)
    else:
        resolved = levels[0][1] if levels else ""
    if not received and not resolved:
        return []
    return [_sentence(f.within + ", " + "; ".join(x for x in (received, resolved) if x))]


# ---------------------------------------------------------------------------------------------
# Section II.3: Biểu mẫu 4


def _section_II_3(f: Facts) -> list[str]:
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


def _section_II_4(f: Facts) -> list[str]:
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


def _section_II_5(f: Facts) -> list[str]:
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


def _section_II_6(f: Facts) -> list[str]:
    out = []
    if f.has("7:1"):
        if f.raw("7:1"):
            out.append("Đã xây dựng và vận hành Hệ thống họp trực tuyến.")
        else:
            out.append("Chưa có Hệ thống họp trực tuyến.")
    for ref in ("7:2.1", "7:2.2"):
        if f.has(ref):
            out.append(_sentence(f"{f.label(ref)} đạt {f.text(ref)}"))
    if f.has("7:3"):
        out.append(f"Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến đạt {f.text('7:3')} "
                   f"({f.text('7:3.2')}/{f.text('7:3.1')} hồ sơ).")
    return out


GENERATORS: dict[str, Callable[[Facts], list[str]]] = {
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


def generate(facts: Facts, section_key: str) -> list[str]:
    """The generated sentences of one narrative section ([] when none apply)."""
    gen = GENERATORS.get(section_key)
    if gen is None:
        return []
    try:
        return [s for s in gen(facts) if s]
    except KeyError:
        # The catalogue in use lacks a row this generator speaks of (a province's edited
        # catalogue): say nothing rather than something wrong.
        return []


def add_sentences(data, catalogue, context: dict) -> dict:
    """The standard report context with the generated sentences of each section where the
    officer left them on (column «Thêm câu số liệu tự động» of «Thuyết minh»)."""
    facts = Facts(data, catalogue)
    for section in context.get("muc", ()):
        key = section["key"]
        if not data.auto_sentences.get(key, True):
            continue
        sentences = generate(facts, key)
        # The generated sentences of a section read as one paragraph.
        section["tu_dong"] = [" ".join(sentences)] if sentences else []
    return context
