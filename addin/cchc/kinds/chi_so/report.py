"""The Word report of an annual index workbook, in the structure of the seed (UBND xã Nam Cường,
2025) and the ND30 format. The generic machinery renders it (cchc.report: sandboxed docxtpl with
autoescape, atomic writing that never overwrites a file open in Word, PDF through LibreOffice);
this module gives its context (`build_context`), its chart and its file name.

The bar chart (matplotlib) is put in after rendering, in place of the `{{ bieu_do }}`
paragraph of the template.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from cchc.kinds.chi_so.analysis import Analysis, analyse
from cchc.kinds.chi_so.text import (
    field_line,
    par_result,
    sipas_limitations,
    sipas_results,
    strong_sentence,
    unit_short,
    weak_sentence,
)

TEMPLATE_NAME = "bao_cao_chi_so.docx"
CHART_MARKER = "[[cchc:bieu_do]]"
CHART_WIDTH_CM = 15.0

# Template variables, for `cchc template-check` and for provinces editing their own copy.
TEMPLATE_VARIABLES: dict[str, str] = {
    "co_quan_chu_quan": "Tên cơ quan chủ quản, in hoa (có thể trống)",
    "co_quan_ban_hanh": "Tên cơ quan ban hành, in hoa (có thể nhiều dòng)",
    "so_ky_hieu": "Số và ký hiệu, ví dụ 15/BC-UBND (để trống số nếu chưa cấp)",
    "dia_danh_ngay": "Địa danh và ngày tháng, ví dụ Nam Cường, ngày 10 tháng 4 năm 2026",
    "trich_yeu": "Trích yếu của báo cáo",
    "kinh_gui": "Danh sách nơi kính gửi (có thể trống)",
    "can_cu": "Danh sách các đoạn Căn cứ",
    "mo_dau": "Câu mở đầu: «Ủy ban nhân dân xã … báo cáo kết quả phân tích … năm 2025, như sau:»",
    "muc": "Các mục theo khóa (I, II, II_1, II_1_1 … III): .heading, .tu_dong, .doan",
    "sipas": "Các khối SIPAS: k.label (Kết quả đạt được …), k.first (đoạn đầu), k.rest (các đoạn sau)",
    "par_mo_dau": "Các đoạn mở đầu mục PAR Index: căn cứ công bố và câu kết quả «đạt … điểm, xếp loại …»",
    "linh_vuc": "Các lĩnh vực: f.code, f.label, f.dong («Về …: Đạt x/y điểm.», khi so sánh thêm điểm các năm "
                "trước), f.khoi (k.label, k.first, k.rest), f.score, f.max, f.pct, f.truoc (khi so sánh: "
                "t.ten, t.diem, t.thay_doi)",
    "bieu_do": "Biểu đồ tỷ lệ điểm đạt được của từng lĩnh vực (để riêng một đoạn)",
    "bieu_do_chu_thich": "Chú thích dưới biểu đồ",
    "giai_phap": "Giải pháp theo lĩnh vực: g.heading («1. Công tác chỉ đạo …»), g.doan",
    "ket_luan": "Câu kết: «Trên đây là báo cáo …./.»",
    "noi_nhan": "Danh sách nơi nhận đã có dấu: '- …;' và '- Lưu: VT.'",
    "tham_quyen": "Dòng thẩm quyền ký, ví dụ TM. ỦY BAN NHÂN DÂN (có thể trống)",
    "chuc_vu": "Chức vụ người ký, in hoa",
    "nguoi_ky": "Họ và tên người ký",
    "don_vi": "Tên đơn vị như trong bảng tính",
    "don_vi_day_du": "Tên đơn vị viết đầy đủ, ví dụ Ủy ban nhân dân xã Nam Cường",
    "nam": "Năm đánh giá",
    "tong_diem": "Tổng điểm (đã định dạng, ví dụ 65,51)",
    "xep_loai": "Xếp loại",
    "xep_hang": "Xếp hạng, ví dụ 78/92",
}

SUBJECT = ("Kết quả đánh giá chỉ số mức độ hài lòng của tổ chức, cá nhân đối với sự phục vụ của "
           "cơ quan hành chính nhà nước (SIPAS) và chỉ số cải cách hành chính (PAR Index)")
ANALYSIS = ("kết quả phân tích, đánh giá chỉ số mức độ hài lòng của tổ chức, cá nhân đối với sự phục "
            "vụ của cơ quan hành chính nhà nước và chỉ số cải cách hành chính")


def _blocks(label: str, generated: list[str], typed: list[str]) -> dict[str, Any] | None:
    """"- Kết quả đạt được: <first paragraph>" then the other paragraphs; None when empty."""
    paras = [p for p in generated + typed if p]
    if not paras:
        return None
    return {"label": label, "first": paras[0], "rest": paras[1:]}


def _date_line(info: dict[str, Any], year: int | None) -> str:
    from cchc.vn_dates import format_date_prose

    place = (info.get("dia_danh") or "").strip()
    signed = info.get("ngay_ky")
    if signed is not None:
        line = format_date_prose(signed)
    else:
        # Unsigned yet: room for the day and month; the analysis is signed the year after.
        line = f"ngày      tháng      năm {year + 1}" if year else "ngày      tháng      năm"
    return f"{place}, {line}" if place else line[:1].upper() + line[1:]


def build_context(data, catalogue, a: Analysis | None = None) -> dict[str, Any]:
    """The template context of one chi_so workbook (the chart is added at rendering)."""
    from cchc.report.context import (
        _as_list,
        full_unit_name,
        _noi_nhan,
        _signature,
        _so_ky_hieu,
        _upper,
        clean,
        paragraphs,
    )

    a = a or analyse(data, catalogue)
    info = data.info or {}
    nam = info.get("nam") if isinstance(info.get("nam"), int) else None
    don_vi = clean(info.get("don_vi"))
    full = full_unit_name(don_vi)
    short = unit_short(don_vi)
    khoi = clean(info.get("khoi_xep_hang")) or "đơn vị"
    auto = data.auto_sentences
    texts = (data.extra.get("texts") or {}).get(a.scheme.par.id, {})

    def on(key: str) -> bool:
        return auto.get(key, True)

    muc: dict[str, dict[str, Any]] = {}
    for sec in catalogue.sections:
        muc[sec.key.replace(".", "_")] = {
            "key": sec.key, "heading": sec.heading, "level": sec.level,
            "tu_dong": [], "doan": paragraphs(data.narrative.get(sec.key)),
        }
    for key in ("I", "II", "II_1", "II_1_1", "II_1_2", "II_1_3", "II_2", "II_3", "II_3_1",
                "II_3_2", "III"):
        muc.setdefault(key, {"key": key, "heading": "", "level": 1, "tu_dong": [], "doan": []})

    # II.1 SIPAS
    sipas = []
    gen = [sipas_results(a, full or "đơn vị", nam)] if on("II.1.1") else []
    b = _blocks("Kết quả đạt được", [g for g in gen if g], muc["II_1_1"]["doan"])
    if b:
        sipas.append(b)
    lims = sipas_limitations(a) if on("II.1.2") else []
    lead = ["Tuy nhiên, bên cạnh những kết quả đạt được, một số tiêu chí còn thấp hơn chỉ số hài lòng "
            "chung, ảnh hưởng đến kết quả chung. Cụ thể:"] if lims else []
    b = _blocks("Những tồn tại, hạn chế", lead + lims, muc["II_1_2"]["doan"])
    if b:
        sipas.append(b)
    b = _blocks("Lý do, nguyên nhân", [], muc["II_1_3"]["doan"])
    if b:
        sipas.append(b)

    # II.2 PAR Index
    qd = clean(info.get("qd_cong_bo")).rstrip(" .;")
    result = par_result(a, short, nam, khoi)
    par_mo_dau = [(f"Căn cứ {qd}. " if qd else "") + result[:-1] + ". Cụ thể:"]
    linh_vuc = []
    for f in a.fields:
        t = texts.get(f.code, {})
        khoi_vb = [blk for blk in (
            _blocks("Kết quả đạt được", [], paragraphs(t.get("KQ"))),
            _blocks("Hạn chế", [], paragraphs(t.get("HC"))),
        ) if blk]
        linh_vuc.append({"code": f.code, "label": f.label, "short": f.short, "dong": field_line(f),
                         "khoi": khoi_vb, "score": f.score, "max": f.max, "pct": f.pct})

    # II.3 Đánh giá chung
    if on("II.3.1"):
        s = strong_sentence(a)
        muc["II_3_1"]["tu_dong"] = [f"- {s}"] if s else []
    if on("II.3.2"):
        s = weak_sentence(a)
        muc["II_3_2"]["tu_dong"] = [f"- {s}"] if s else []
    for key in ("II_3_1", "II_3_2"):
        muc[key]["doan"] = muc[key]["tu_dong"] + muc[key]["doan"]

    # III Giải pháp, per field (numbered among the fields that have one)
    giai_phap = []
    for f in a.fields:
        doan = paragraphs(texts.get(f.code, {}).get("GP"))
        if doan:
            giai_phap.append({"heading": f"{len(giai_phap) + 1}. {f.label}", "code": f.code, "doan": doan})

    year_txt = f" năm {nam}" if nam else ""
    tham_quyen, chuc_vu = _signature(info)
    total = a.total_for_text
    from cchc.numbers import format_number

    return {
        "co_quan_chu_quan": _upper(clean(info.get("co_quan_chu_quan"))),
        "co_quan_ban_hanh": "\n".join(_upper(x) for x in _as_list(info.get("co_quan_ban_hanh"))),
        "so_ky_hieu": _so_ky_hieu(info),
        "dia_danh_ngay": _date_line(info, nam),
        "trich_yeu": f"{SUBJECT}{' của ' + short if short else ''}{year_txt}",
        "kinh_gui": _as_list(info.get("kinh_gui")),
        "can_cu": _as_list(info.get("can_cu")),
        "mo_dau": f"{full or 'Đơn vị'} báo cáo {ANALYSIS}{year_txt}, như sau:",
        "muc": muc,
        "sipas": sipas,
        "par_mo_dau": par_mo_dau,
        "linh_vuc": linh_vuc,
        "bieu_do": "",
        "bieu_do_chu_thich": (f"Biểu đồ: Tỷ lệ điểm đạt được so với điểm tối đa của từng lĩnh vực "
                              f"Chỉ số cải cách hành chính{year_txt}"),
        "giai_phap": giai_phap,
        "ket_luan": f"Trên đây là báo cáo {ANALYSIS}{year_txt} của {full or 'đơn vị'}./.",
        "noi_nhan": _noi_nhan(_as_list(info.get("noi_nhan"))),
        "tham_quyen": tham_quyen,
        "chuc_vu": chuc_vu,
        "nguoi_ky": clean(info.get("nguoi_ky")),
        "don_vi": don_vi,
        "don_vi_day_du": full,
        "nam": nam or "",
        "tong_diem": format_number(total) if total is not None else "",
        "xep_loai": a.rating_for_text or "",
        "xep_hang": f"{a.rank}/{a.units}" if a.rank is not None and a.units is not None else "",
    }


def add_comparison(context: dict[str, Any], catalogue, comparison) -> dict[str, Any]:
    """The analysis beside earlier years' (`cchc report --compare`): each field's line gains the
    earlier score and the change ("Về cải cách thể chế: Đạt 7/7 điểm (năm 2024: 6/7 điểm, tăng 1
    điểm)."), and the PAR total its change. A field without an earlier score says nothing more."""
    from cchc.numbers import format_number
    from cchc.report.compare import raw

    current = analyse(comparison.current, catalogue)
    par = current.scheme.par
    for f in context["linh_vuc"]:
        row = par.row(f["code"])
        f["truoc"], said = [], []
        for i, c in enumerate(comparison.columns):
            before = raw(c.data, row)
            if before is None:
                continue
            ch = comparison.change(row.ref, i)
            t = {"ten": c.heading, "diem": format_number(before), "thay_doi": ch.phrase if ch else ""}
            f["truoc"].append(t)
            said.append(f"{c.name}: {t['diem']}/{format_number(row.max)} điểm"
                        + (f", {t['thay_doi']}" if t["thay_doi"] else ""))
        if said:
            f["dong"] = f"{f['dong'].rstrip('.')} ({'; '.join(said)})."
    totals = []
    now = current.total_for_text
    for c in comparison.columns:
        before = analyse(c.data, catalogue).total_for_text
        if now is None or before is None:
            continue
        diff = round(now - before, 6)
        change = ("không thay đổi" if diff == 0 else
                  f"{'tăng' if diff > 0 else 'giảm'} {format_number(abs(diff))} điểm")
        totals.append(f"{change} so với {c.name} ({format_number(before)} điểm)")
    if totals and context["par_mo_dau"]:
        first = context["par_mo_dau"][0]
        tail = " Cụ thể:"
        head = first[: -len(tail)] if first.endswith(tail) else first
        context["par_mo_dau"][0] = f"{head} Tổng điểm {' và '.join(totals)}.{tail if head != first else ''}"
    return context


def _put_chart(payload: bytes, png: bytes) -> bytes:
    """Replace the paragraph holding CHART_MARKER with the picture."""
    from docx import Document
    from docx.shared import Cm

    doc = Document(io.BytesIO(payload))
    for p in doc.paragraphs:
        if p.text.strip() == CHART_MARKER:
            for r in list(p.runs):
                r._r.getparent().remove(r._r)
            p.add_run().add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def chart(a: Analysis) -> tuple[bytes | None, list[str]]:
    """(the PNG of the bar chart, messages for the officer)."""
    try:
        from cchc.kinds.chi_so.chart import chart_png
    except ImportError:
        return None, ["Chưa cài matplotlib nên báo cáo không có biểu đồ "
                      "(cài bằng lệnh: pip install matplotlib)."]
    return chart_png(a), []


def put_chart(payload: bytes, png: bytes | None) -> bytes:
    return _put_chart(payload, png) if png else payload


def default_report_name(info: dict[str, Any]) -> str:
    """"Báo cáo phân tích chỉ số SIPAS, PAR Index năm 2025 - UBND xã Nam Cường.docx"."""
    from cchc.report.output import safe_filename

    nam = info.get("nam")
    stem = "Báo cáo phân tích chỉ số SIPAS, PAR Index"
    if isinstance(nam, int):
        stem += f" năm {nam}"
    unit = str(info.get("don_vi") or "").strip()
    if unit:
        stem += f" - {unit}"
    return safe_filename(stem)


def document_text(path: str | Path) -> list[str]:
    """The paragraphs of a .docx, tables included, in order (for tests and checks)."""
    from docx import Document

    doc = Document(str(path))
    out = []
    body = doc.element.body
    for el in body.iter():
        if el.tag.endswith("}p"):
            text = "".join(t.text or "" for t in el.iter() if t.tag.endswith("}t"))
            out.append(re.sub(r"\s+", " ", text).strip())
    return [t for t in out if t]


__all__ = ["build_context", "chart", "put_chart", "default_report_name", "TEMPLATE_VARIABLES", "document_text"]
