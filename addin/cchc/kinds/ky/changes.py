"""What the quarterly report says when it is compared with earlier reports (`cchc report
--compare`): for the main indicators of a section, how they changed, e.g. "Số hồ sơ TTHC tiếp
nhận tăng 12 hồ sơ (16,90%) so với cùng kỳ năm 2024". The changes and the names of the earlier
periods come from cchc.report.compare; a blank on either side says nothing.

The sentence goes after the section's generated sentences, in the same paragraph, and only
where the officer left the generated sentences on («Thêm câu số liệu tự động»).
"""

from __future__ import annotations

# Section → the indicators whose change it states, with the subject of the sentence.
MAIN: dict[str, tuple[tuple[str, str], ...]] = {
    "I": (("1:1", "số văn bản chỉ đạo, điều hành CCHC đã ban hành"),
          ("1:2", "tỷ lệ hoàn thành Kế hoạch CCHC năm")),
    "II.2.3": (("7:3.1", "số hồ sơ TTHC tiếp nhận"),
               ("3:2.3.1", "số hồ sơ do UBND cấp xã tiếp nhận đã giải quyết"),
               ("3:2.3", "tỷ lệ hồ sơ do UBND cấp xã tiếp nhận được giải quyết đúng hạn")),
    "II.5": (("6:1", "tỷ lệ thực hiện Kế hoạch giải ngân vốn đầu tư công"),),
    "II.6": (("7:3", "tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến"),),
}


def change_sentence(comparison, section_key: str) -> str:
    """"Số hồ sơ … tăng … so với cùng kỳ năm 2024; tỷ lệ … giảm … so với …." or ""."""
    clauses = []
    for ref, subject in MAIN.get(section_key, ()):
        try:
            clause = comparison.sentence(subject, ref)
        except KeyError:  # a province's catalogue without this row: say nothing of it
            continue
        if clause:
            clauses.append(clause)
    if not clauses:
        return ""
    text = "; ".join(clauses)
    return text[:1].upper() + text[1:] + "."


def add_changes(data, context: dict, comparison) -> dict:
    for section in context.get("muc", ()):
        key = section["key"]
        if not data.auto_sentences.get(key, True):
            continue
        sentence = change_sentence(comparison, key)
        if not sentence:
            continue
        if section["tu_dong"]:
            section["tu_dong"] = [f"{section['tu_dong'][0]} {sentence}", *section["tu_dong"][1:]]
        else:
            section["tu_dong"] = [sentence]
    return context
