"""The standard docxtpl context of a report: everything the standard Word template can print.

Built from the catalogue alone (header, «Căn cứ», the sections with the officer's text, the
appendix tables, «Nơi nhận», signature), so every report kind has it; a kind adds to it
(`ReportKind.report_context`: the quarterly report's generated sentences) or builds its own.
Pure Python (no docx import), so it is cheap to build and easy to test. The variable names are
the template's public contract: a province that edits its own template may use exactly these
(`cchc template-check` lists the others).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from cchc.report.facts import Facts, table_value
from cchc.vn_dates import format_date_prose, format_date_ref, period_phrase

# Template variables cchc provides, with what they hold (shown by `cchc template-check`).
TEMPLATE_VARIABLES: dict[str, str] = {
    "co_quan_chu_quan": "Tên cơ quan chủ quản, in hoa (có thể trống)",
    "co_quan_ban_hanh": "Tên cơ quan ban hành, in hoa (có thể nhiều dòng)",
    "so_ky_hieu": "Số và ký hiệu, ví dụ 31/BC-UBND",
    "dia_danh_ngay": "Địa danh và ngày tháng, ví dụ Đưng K'Nớ, ngày 07 tháng 3 năm 2025",
    "trich_yeu": "Trích yếu, ví dụ Kết quả công tác cải cách hành chính Quý I năm 2025",
    "mo_dau": "Câu mở đầu (sau lời dẫn, nếu có), ví dụ Ủy ban nhân dân xã … báo cáo kết quả … Quý I năm 2025, cụ thể như sau:",
    "ket_luan": "Câu kết, ví dụ Trên đây là báo cáo kết quả … Quý I năm 2025; phương hướng, nhiệm vụ Quý II năm 2025 của Ủy ban nhân dân xã …/.",
    "phu_luc_ten": "Tên phụ lục, ví dụ BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH TẠI UBND XÃ …",
    "loi_dan": "Lời dẫn trước câu báo cáo (có thể trống), ví dụ Trong quá trình thực hiện đã bám sát …",
    "nhiem_vu_ky_toi": "Phương hướng, nhiệm vụ kỳ tới trong câu kết, ví dụ phương hướng, nhiệm vụ Quý II năm 2025 (có thể trống)",
    "kinh_gui": "Danh sách nơi kính gửi (có thể trống)",
    "can_cu": "Danh sách các đoạn Căn cứ",
    "don_vi": "Tên đơn vị như trong bảng tính, ví dụ UBND xã Đưng K'Nớ",
    "don_vi_day_du": "Tên đơn vị viết đầy đủ, ví dụ Ủy ban nhân dân xã Đưng K'Nớ",
    "ky": "Kỳ báo cáo, ví dụ Quý I",
    "nam": "Năm báo cáo",
    "ky_nam": "Kỳ và năm trong câu văn, ví dụ Quý I năm 2025",
    "ky_toi": "Kỳ tiếp theo, ví dụ Quý II năm 2025",
    "ky_nay": "Kỳ báo cáo làm tiêu đề cột số liệu khi có kỳ so sánh, ví dụ Quý I năm 2025, Năm 2025",
    "tu_ngay": "Số liệu từ ngày (dd/m/yyyy)",
    "den_ngay": "Số liệu đến ngày (dd/m/yyyy)",
    "ngay_ky": "Ngày ký (dd/m/yyyy)",
    "muc": "Các mục I–IV: m.key, m.heading, m.level, m.tu_dong (câu tự động), m.doan (đoạn văn)",
    "noi_nhan": "Danh sách nơi nhận đã có dấu: '- …;' và '- Lưu: VT.'",
    "tham_quyen": "Dòng thẩm quyền ký, ví dụ TM. ỦY BAN NHÂN DÂN (có thể trống)",
    "chuc_vu": "Chức vụ người ký, in hoa",
    "nguoi_ky": "Họ và tên người ký",
    "phu_luc_kem_theo": "(Kèm theo Báo cáo số … ngày … của …)",
    "bieu_mau": "Các biểu mẫu: f.id, f.title, f.subtitle, f.note, f.rows (r.stt, r.label, "
                "r.unit, r.value, r.note, r.level, r.type, r.code, r.keep: dòng có dòng con ngay sau, "
                "r.so_sanh: số liệu của từng kỳ so sánh)",
    "so_sanh": "Các kỳ so sánh (cchc report --compare), mỗi kỳ một cột: c.ten (tiêu đề cột, ví dụ Cùng kỳ "
               "năm 2024), c.tep (tên tệp); danh sách trống khi không so sánh",
}

# Characters XML 1.0 cannot carry (and docxtpl's \a \f escapes): removed from officer text.
_XML_BAD = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\ufffe\uffff]")
_LINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def clean(text: Any) -> str:
    """Officer text made safe for the document: NFC, no control characters, trimmed."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text))
    s = s.replace("\t", " ")
    s = _XML_BAD.sub("", s)
    return s.strip()


def paragraphs(text: Any) -> list[str]:
    """Officer text → one paragraph per non-empty line."""
    if text is None:
        return []
    raw = unicodedata.normalize("NFC", str(text))
    return [p for p in (clean(line) for line in _LINES.split(raw)) if p]


def _lower_first(text: str) -> str:
    """"Kết quả công tác …" inside a sentence: "kết quả công tác …"."""
    return text[:1].lower() + text[1:] if text else text


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def full_unit_name(don_vi: str) -> str:
    """"UBND xã Đưng K'Nớ" → "Ủy ban nhân dân xã Đưng K'Nớ" (prose uses the full name)."""
    s = clean(don_vi)
    return re.sub(r"^UBND\b", "Ủy ban nhân dân", s)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = _LINES.split(value)
    else:
        items = list(value)
    return [c for c in (clean(x) for x in items) if c]


def _noi_nhan(items: list[str]) -> list[str]:
    """ND30 punctuation: "- Ủy ban nhân dân huyện;" … last "- Lưu: VT."."""
    entries = [re.sub(r"^[-–•+]\s*", "", x).rstrip(" ;.,") for x in items]
    entries = [e for e in entries if e]
    luu = [e for e in entries if e.casefold().startswith("lưu")]
    entries = [e for e in entries if not e.casefold().startswith("lưu")]
    entries.append(luu[0] if luu else "Lưu: VT")
    return [f"- {e};" for e in entries[:-1]] + [f"- {entries[-1]}."]


def _signature(info: dict[str, Any]) -> tuple[str, str]:
    """(authority line, title line) per ND30: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH";
    "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"; "Q. CHỦ TỊCH" alone."""
    tq = clean(info.get("tham_quyen")).upper()
    title = _upper(clean(info.get("chuc_vu")))
    issuing = [x for x in _as_list(info.get("co_quan_ban_hanh"))]
    body = _upper(issuing[0]) if issuing else ""
    if not tq:
        return "", title
    if not tq.endswith("."):
        tq += "."
    if tq == "TM.":
        return f"TM. {body}".strip(), title
    if tq == "Q.":
        return "", f"Q. {title}".strip()
    head = re.sub(r"^PHÓ\s+", "", title) if title.startswith("PHÓ") else "CHỦ TỊCH"
    return f"{tq} {head}", title  # KT., TL., TUQ.


def _so_ky_hieu(info: dict[str, Any]) -> str:
    so = info.get("so")
    kh = clean(info.get("ky_hieu"))
    if isinstance(so, (int, float)) and so == int(so) and so > 0:
        num = f"{int(so):02d}"
    else:
        num = clean(so) or "      "  # left for the clerk to fill in
    return f"{num}/{kh}" if kh else num


def appendix_title(catalogue, don_vi: str = "") -> str:
    """The appendix title of the catalogue in capitals, "{don_vi}" filled with the unit; with
    no unit (a province workbook) the words that name it ("TẠI {don_vi}") are left out."""
    title = clean(catalogue.extra.get("appendix_title") or "Phụ lục số liệu")
    if "{don_vi}" in title:
        if don_vi:
            title = title.replace("{don_vi}", clean(don_vi))
        else:
            title = re.sub(r"\s*(?:\S+\s+)?\{don_vi\}", "", title)
    return _upper(title)


def _next_tasks(catalogue, ky_toi: str) -> str:
    """"phương hướng, nhiệm vụ Quý II năm 2025": the heading of the next-period section in
    lower case, its "kỳ tới" replaced by the next period; "" without one."""
    section = next((s for s in catalogue.sections if s.next_period), None)
    if section is None or not ky_toi:
        return ""
    words = re.sub(r"^[IVXLC]+\.\s*", "", clean(section.heading)).lower()
    return words.replace("kỳ tới", ky_toi) if "kỳ tới" in words else ""


def _next_period(catalogue, ky: str, nam: int | None) -> str:
    period = catalogue.period(ky) if ky else None
    return period.named(period.next, nam) if period is not None else ""


def form_rows(facts: Facts, form, comparison=None) -> list[dict[str, Any]]:
    data = facts.data
    notes = data.notes.get(form.id) or {}
    rows = []
    for i, row in enumerate(form.rows):
        following = form.rows[i + 1] if i + 1 < len(form.rows) else None
        # One value per compared report (cchc.report.compare), printed like the current one.
        compared = comparison.texts(row) if comparison else []
        rows.append({
            "code": row.code,
            "stt": row.code,
            "label": row.label,
            "unit": row.unit,
            "type": row.type,
            "level": row.level,
            # A heading row stays on the page of its first sub-row; the last row of a form
            # keeps nothing (the next form starts where the page has room).
            "keep": following is not None and following.level > row.level,
            "value": table_value(row, facts.raw(row.ref)),
            "note": clean(notes.get(row.code)),
            "so_sanh": ["" if row.type == "group" else t for t in compared],
        })
    return rows


def build_context(data, catalogue, comparison=None) -> dict[str, Any]:
    """The template context for one workbook's data; with a comparison
    (cchc.report.compare.Comparison), one appendix column per earlier report."""
    info = data.info or {}
    facts = Facts(data, catalogue)
    ky = clean(info.get("ky"))
    nam = info.get("nam")
    nam = int(nam) if isinstance(nam, (int, float)) else None
    ky_nam = period_phrase(ky, nam)
    ky_toi = _next_period(catalogue, ky, nam)
    don_vi = clean(info.get("don_vi"))
    ngay_ky = info.get("ngay_ky")
    dia_danh = clean(info.get("dia_danh"))
    if ngay_ky is not None:
        date_line = format_date_prose(ngay_ky)
    else:
        date_line = f"ngày      tháng      năm {nam or ''}".rstrip()
    so_ky_hieu = _so_ky_hieu(info)
    ref_date = format_date_ref(ngay_ky) if ngay_ky is not None else f"      /      /{nam or ''}"

    sections = []
    for sec in catalogue.sections:
        heading = sec.heading
        if sec.next_period and ky_toi:
            heading = re.sub(r"KỲ TỚI", _upper(ky_toi), heading)
        sections.append({
            "key": sec.key,
            "heading": heading,
            "level": sec.level,
            "tu_dong": [],  # generated sentences: a report kind may add them
            "doan": paragraphs(data.narrative.get(sec.key)),
        })

    tham_quyen, chuc_vu = _signature(info)
    forms = [{
        "id": form.id,
        "title": form.title,
        "subtitle": form.subtitle,
        "note": form.note,
        "rows": form_rows(facts, form, comparison),
    } for form in catalogue.forms]

    # What the report is about, from the catalogue: "Kết quả công tác cải cách hành chính".
    subject = clean(catalogue.extra.get("report_subject") or catalogue.title)
    trich_yeu = f"{subject} {ky_nam}".strip()
    full = full_unit_name(don_vi)
    # The seed: "Trong quá trình thực hiện đã bám sát …, Ủy ban nhân dân xã báo cáo kết quả …
    # Quý I năm 2025, cụ thể như sau:" and "Trên đây là kết quả … Quý I năm 2025; phương hướng,
    # nhiệm vụ Quý II năm 2025 của Ủy ban nhân dân xã …/.".
    lead = clean(info.get("loi_dan")).rstrip(" ,;.:")
    lead = lead[:1].upper() + lead[1:]
    opening = f"{full or 'đơn vị'} báo cáo {_lower_first(trich_yeu)}, cụ thể như sau:"
    opening = f"{lead}, {opening}" if lead else opening
    opening = opening[:1].upper() + opening[1:]
    tasks = _next_tasks(catalogue, ky_toi)
    closing = (f"Trên đây là báo cáo {_lower_first(trich_yeu)}{'; ' + tasks if tasks else ''} "
               f"của {full or 'đơn vị'}./.")
    return {
        "co_quan_chu_quan": _upper(clean(info.get("co_quan_chu_quan"))),
        "co_quan_ban_hanh": "\n".join(_upper(x) for x in _as_list(info.get("co_quan_ban_hanh"))),
        "so_ky_hieu": so_ky_hieu,
        "dia_danh_ngay": f"{dia_danh}, {date_line}" if dia_danh else date_line[:1].upper() + date_line[1:],
        "trich_yeu": trich_yeu,
        "loi_dan": lead,
        "nhiem_vu_ky_toi": tasks,
        "mo_dau": opening,
        "ket_luan": closing,
        "phu_luc_ten": appendix_title(catalogue, don_vi),
        "kinh_gui": _as_list(info.get("kinh_gui")),
        "can_cu": _as_list(info.get("can_cu")),
        "don_vi": don_vi,
        "don_vi_day_du": full,
        "ky": ky,
        "nam": nam or "",
        "ky_nam": ky_nam,
        "ky_toi": ky_toi,
        "ky_nay": ky_nam[:1].upper() + ky_nam[1:],
        "tu_ngay": format_date_ref(info.get("tu_ngay")),
        "den_ngay": format_date_ref(info.get("den_ngay")),
        "ngay_ky": format_date_ref(ngay_ky),
        "muc": sections,
        "noi_nhan": _noi_nhan(_as_list(info.get("noi_nhan"))),
        "tham_quyen": tham_quyen,
        "chuc_vu": chuc_vu,
        "nguoi_ky": clean(info.get("nguoi_ky")),
        "phu_luc_kem_theo": f"(Kèm theo Báo cáo số {so_ky_hieu} ngày {ref_date} của {don_vi})",
        "bieu_mau": forms,
        "so_sanh": [{"ten": c.heading, "tep": Path(str(c.source or "")).name}
                    for c in (comparison.columns if comparison else ())],
    }
