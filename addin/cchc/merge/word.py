"""--report: the province-level Word report of a merge.

Built on the commune report's machinery (`cchc.report`): the same sandboxed, autoescaping
docxtpl rendering (`cchc.report.render`), the same Vietnamese number formatting
(`cchc.numbers`) and the same safe writing (`cchc.report.output.write_report_file`: atomic,
never over a file open in Word). The template is docx_templates/bao_cao_tong_hop.docx,
built by scripts/build_merge_docx_template.py. matplotlib draws the chart of the distribution
of the first ranked indicator (7:3 for the periodic report) and is imported only here.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.errors import CchcError
from cchc.numbers import format_number, format_pct

TEMPLATE_NAME = "bao_cao_tong_hop.docx"

TEMPLATE_VARIABLES: dict[str, str] = {
    "co_quan_chu_quan": "Cơ quan chủ quản, in hoa, ví dụ UBND TỈNH LÂM ĐỒNG (theo tỉnh ghi trong các tệp)",
    "co_quan_ban_hanh": "Cơ quan tổng hợp, in hoa (mặc định SỞ NỘI VỤ)",
    "ky_hieu_co_quan": "Chữ viết tắt của cơ quan trong ký hiệu văn bản, ví dụ SNV",
    "dia_danh": "Địa danh (tên tỉnh)",
    "nam_ban_hanh": "Năm ban hành",
    "trich_yeu": "Trích yếu",
    "ky_nam": "Kỳ và năm, ví dụ Quý I năm 2025",
    "mo_dau": "Câu mở đầu",
    "cau_nop_bao_cao": "Câu về tình hình nộp báo cáo và tỷ lệ nộp",
    "nhom": "Tỷ lệ nộp theo nhóm: r.ten, r.da_nop, r.phai_nop, r.ty_le",
    "chua_nop": "Tên các đơn vị chưa nộp",
    "tep_bi_loai": "Các tệp không tổng hợp: «tệp (đơn vị): lý do»",
    "ket_qua": "Các câu kết quả tổng hợp chính",
    "bieu_do": "Hình biểu đồ phân bố tỷ lệ chính giữa các đơn vị",
    "bieu_do_chu_thich": "Chú thích của hình",
    "cau_loi": "Câu về các đơn vị có lỗi số liệu",
    "don_vi_loi": "Đơn vị có lỗi: r.stt, r.don_vi, r.loi, r.canh_bao, r.vi_du",
    "chuc_vu": "Chức vụ người ký",
    "phu_luc_ten": "Tên phụ lục",
    "phu_luc_kem_theo": "(Kèm theo Báo cáo …)",
    "bieu_mau": "Bảng tổng hợp: f.title, f.subtitle, f.rows (r.stt, r.label, r.unit, r.value, r.n, r.how)",
    "bang_them": "Bảng riêng của loại báo cáo: t.title; bảng được chèn vào đoạn «[[BANG:số thứ tự]]»",
}


@dataclass(frozen=True)
class Issuer:
    """Who issues the province report: the ND30 header, the number line and the signature.
    Names are given as written in a sentence ("Sở Nội vụ"); the header prints them in
    capitals. `chu_quan` empty: "UBND TỈNH <tỉnh>" from the province the files name."""

    co_quan: str = "Sở Nội vụ"
    chu_quan: str = ""
    ky_hieu: str = "SNV"
    chuc_vu: str = "Giám đốc"


def default_template() -> Path:
    """The shipped template: cchc/data/ when installed from a wheel, else docx_templates/."""
    from cchc.report.render import shipped_template

    return shipped_template(TEMPLATE_NAME, "mẫu báo cáo tổng hợp")


def format_total(row, s: dict[str, Any]) -> str:
    """The "Số liệu tổng hợp" cell, Vietnamese style."""
    k = row.type
    if k in ("count", "money"):
        return format_number(s.get("sum"))
    if k == "ratio":
        return format_pct(s.get("value"))
    if k == "flag":
        return f"{format_number(s['yes'])}/{format_number(s['n'])}" if s["n"] else ""
    if k == "choice":
        return ""
    if not s.get("n"):
        return ""
    mean = s.get("mean")
    return format_pct(mean) if k == "pct" else format_number(mean)


def _how(row, s: dict[str, Any]) -> str:
    from cchc.merge.workbook import _how as how

    return how(row, s, None)[4]


def _chart_png(result) -> tuple[bytes, str] | None:
    refs = list(result.plan.kind.ranked)
    if not refs or not len(result.merged_units):
        return None
    try:
        import matplotlib
    except ImportError:  # the report is still made, without its chart
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cchc.merge.workbook import BANDS, band_counts, band_label

    ref = refs[0]
    row = result.catalogue.row(ref)
    src = result.unit_ratios if ref in result.unit_ratios.columns else result.frame
    values = src[ref].tolist()
    counts = band_counts(values)
    labels = [band_label(lo, hi).replace(" – dưới ", "–") for lo, hi in BANDS]
    fig, ax = plt.subplots(figsize=(7.0, 3.4), dpi=150)
    bars = ax.bar(range(len(counts)), counts, color="#4472C4")
    ax.set_xticks(range(len(counts)), labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("Số đơn vị")
    ax.set_title(f"Phân bố {row.short or row.label} ({ref}) giữa các đơn vị", fontsize=10)
    ax.bar_label(bars, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    blank = sum(1 for v in values if v != v)
    caption = (f"Hình: số đơn vị theo khoảng giá trị của chỉ tiêu {ref} «{row.label}»"
               + (f"; {format_number(blank)} đơn vị không có số liệu." if blank else "."))
    return buf.getvalue(), caption


def build_context(result, issuer: Issuer | None = None) -> dict[str, Any]:
    from cchc.merge import records as S

    issuer = issuer or Issuer()
    cat, totals = result.catalogue, result.totals
    ky_nam = result.period_text
    merged = result.merged_units
    provinces = Counter(str(u.merged.info.get("tinh") or "").strip() for u in merged)
    provinces.pop("", None)
    tinh = provinces.most_common(1)[0][0] if provinces else ""
    done, expected = result.reporting
    missing = [u for u in result.expected_units if u.state == S.UNIT_MISSING]
    excluded_units = [u for u in result.expected_units if u.state == S.UNIT_EXCLUDED]
    rate = format_pct(done / expected * 100) if expected else ""
    cau_nop = (f"Đến thời điểm tổng hợp, có {format_number(done)}/{format_number(expected)} đơn vị đã nộp báo cáo "
               f"và được tổng hợp, đạt tỷ lệ {rate}; {format_number(len(missing))} đơn vị chưa nộp"
               f"; {format_number(len(excluded_units))} đơn vị có nộp nhưng báo cáo không tổng hợp được.")
    groups: dict[str, list[int]] = {}
    for u in result.expected_units:
        if u.group:
            g = groups.setdefault(u.group, [0, 0])
            g[0] += u.merged is not None
            g[1] += 1
    nhom = [{"ten": k, "da_nop": format_number(a), "phai_nop": format_number(b),
             "ty_le": format_pct(a / b * 100) if b else ""} for k, (a, b) in groups.items()]
    bad = []
    for f in result.excluded_files:
        who = f.info.get("don_vi")
        bad.append(f"{os.path.basename(f.path)}{f' ({who})' if who else ''}: {f.reason}")

    ket_qua = [f"Số liệu được tổng hợp từ {format_number(len(merged))} đơn vị. Các tỷ lệ được tính lại từ tổng tử số "
               "và tổng mẫu số của các đơn vị, không lấy trung bình các tỷ lệ."]
    for row in cat.rows():
        if row.type != "ratio":
            continue
        s = totals.summaries[row.ref]
        if s["value"] is None:
            continue
        unit = cat.row(f"{row.form}:{row.den}").unit.lower()
        ket_qua.append(f"{row.label} ({row.ref}): {format_pct(s['value'])} "
                       f"({format_number(s['num'])}/{format_number(s['den'])}{' ' + unit if unit else ''}).")

    with_errors = [u for u in merged if u.merged.errors]
    n_err = sum(u.merged.errors for u in with_errors)
    cau_loi = (f"Có {format_number(len(with_errors))} đơn vị có lỗi số liệu (tổng số {format_number(n_err)} lỗi); "
               "số liệu của các đơn vị này vẫn được tổng hợp, đề nghị rà soát, chỉnh sửa:"
               if with_errors else "Không đơn vị nào có lỗi số liệu khi kiểm tra tự động.")
    don_vi_loi = []
    for i, u in enumerate(with_errors, start=1):
        first = next(f for f in u.merged.findings if f.severity == "error")
        don_vi_loi.append({"stt": i, "don_vi": u.name or u.code, "loi": format_number(u.merged.errors),
                           "canh_bao": format_number(u.merged.warnings), "vi_du": first.message})

    forms = []
    for form in cat.forms:
        rows = []
        for row in form.rows:
            s = totals.summaries.get(row.ref)
            rows.append({
                "stt": row.code, "label": row.label, "unit": row.unit, "level": row.level,
                "value": format_total(row, s) if s else "",
                "n": format_number(s["n"]) if s and "n" in s else "",
                "how": _how(row, s) if s else "",
            })
        forms.append({"title": form.title, "subtitle": form.subtitle, "rows": rows})

    return {
        "co_quan_chu_quan": (issuer.chu_quan.upper() if issuer.chu_quan
                             else f"UBND TỈNH {tinh.upper()}" if tinh else ""),
        "co_quan_ban_hanh": issuer.co_quan.upper(),
        "ky_hieu_co_quan": issuer.ky_hieu,
        "dia_danh": tinh,
        "nam_ban_hanh": result.plan.period.get("nam") or "",
        "trich_yeu": f"Tổng hợp kết quả công tác cải cách hành chính {ky_nam} của các đơn vị cấp xã",
        "ky_nam": ky_nam,
        "mo_dau": (f"Trên cơ sở báo cáo của các đơn vị, {issuer.co_quan} tổng hợp kết quả công tác cải cách "
                   f"hành chính {ky_nam} như sau:"),
        "cau_nop_bao_cao": cau_nop,
        "nhom": nhom,
        "chua_nop": [u.name or u.code for u in missing],
        "tep_bi_loai": bad,
        "ket_qua": ket_qua,
        "bieu_do": None,
        "bieu_do_chu_thich": "",
        "cau_loi": cau_loi,
        "don_vi_loi": don_vi_loi,
        "chuc_vu": issuer.chuc_vu.upper(),
        "phu_luc_ten": str(cat.extra.get("appendix_title") or cat.title).upper(),
        "phu_luc_kem_theo": f"(Kèm theo Báo cáo tổng hợp kết quả công tác cải cách hành chính {ky_nam})",
        "bieu_mau": forms,
        "bang_them": [],
    }


_MARKER = "[[BANG:"


def _cell_text(col, v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if col.type == "pct":
        return format_pct(v)
    if col.type in ("int", "number"):
        return format_number(v)
    return str(v)


def _insert_tables(payload: bytes, tables) -> bytes:
    """Put each extra table where the template left its marker paragraph "[[BANG:i]]".
    Tables of a kind module have their own columns, so they are built here with python-docx
    rather than written as fixed-column loops in the template."""
    from docx import Document
    from docx.shared import Pt

    doc = Document(io.BytesIO(payload))
    for p in list(doc.paragraphs):
        text = p.text.strip()
        if not (text.startswith(_MARKER) and text.endswith("]]")):
            continue
        table = tables[int(text[len(_MARKER):-2])]
        t = doc.add_table(rows=1, cols=len(table.columns))
        t.style = doc.styles["Table Grid"]
        for cell, col in zip(t.rows[0].cells, table.columns):
            run = cell.paragraphs[0].add_run(col.header)
            run.bold = True
            run.font.size = Pt(12)
        for values in table.rows:
            for cell, col, v in zip(t.add_row().cells, table.columns, values):
                cell.paragraphs[0].add_run(_cell_text(col, v)).font.size = Pt(12)
        p._p.addnext(t._tbl)
        if table.note:
            p.text = table.note
        else:
            p._p.getparent().remove(p._p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_province_report(result, template: str | Path | None = None, issuer: Issuer | None = None) -> bytes:
    from docx.shared import Mm
    from docxtpl import InlineImage
    from jinja2 import TemplateError

    from cchc.report.render import _open_template, jinja_env

    path = Path(template) if template else default_template()
    tpl = _open_template(path)
    ctx = build_context(result, issuer)
    chart = _chart_png(result)
    if chart is not None:
        ctx["bieu_do"] = InlineImage(tpl, io.BytesIO(chart[0]), width=Mm(160))
        ctx["bieu_do_chu_thich"] = chart[1]
    ctx["bang_them"] = [{"title": t.title} for t in result.tables]
    try:
        tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise CchcError(f"Mẫu Word {path.name} có lỗi: {exc}.") from None
    buf = io.BytesIO()
    tpl.save(buf)
    return _insert_tables(buf.getvalue(), result.tables) if result.tables else buf.getvalue()


def write_province_report(result, out: str | Path, template: str | Path | None = None,
                          issuer: Issuer | None = None) -> Path:
    from cchc.report.output import write_report_file

    out = Path(out)
    if not out.parent.exists():
        raise CchcError(f"Thư mục để ghi báo cáo không tồn tại: {out.parent}")
    return write_report_file(out, render_province_report(result, template, issuer))
