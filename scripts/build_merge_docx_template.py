"""Build docx_templates/bao_cao_tong_hop.docx, the docxtpl template of the province report of
`cchc merge --report`.

Run from the repository root:  python scripts/build_merge_docx_template.py

Same ND30 layout and styles as the commune report (the helpers and styles of
scripts/build_docx_templates.py are reused): agency block and national header, "BÁO CÁO",
subject line; I. reporting (rate, units that did not submit, files not merged); II. the key
results with the chart of the distribution of 7:3 across units; III. units with errors;
then a landscape appendix with the consolidated tables (STT | Chỉ tiêu | Đơn vị tính |
Số liệu tổng hợp | Số đơn vị có số liệu | Cách tổng hợp) and any table the kind adds.
Template variables: cchc.merge.word.TEMPLATE_VARIABLES.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docx_templates" / "bao_cao_tong_hop.docx"


def _base():
    """The commune report's builder: its styles and low-level helpers."""
    spec = importlib.util.spec_from_file_location("build_docx_templates", ROOT / "scripts" / "build_docx_templates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


B = _base()
P = B.P
# STT | Chỉ tiêu | Đơn vị tính | Số liệu tổng hợp | Số đơn vị có số liệu | Cách tổng hợp
COLUMN_WIDTHS = [Mm(13), Mm(105), Mm(27), Mm(27), Mm(22), Mm(63)]


def _header_cell(doc, cell, text):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = doc.styles["Bảng - tiêu đề"]
    p.add_run(text)


def _table(doc, widths, headers, cells, loop: str):
    """A bordered table: one header row, then a docxtpl row loop over `loop`."""
    t = doc.add_table(rows=1, cols=len(widths))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    B.all_borders(t)
    B.fixed_layout(t, widths)
    B.repeat_header(t.rows[0])
    B.cant_split(t.rows[0])
    for cell, text in zip(t.rows[0].cells, headers):
        _header_cell(doc, cell, text)
    row = t.add_row()
    row.cells[0].paragraphs[0].add_run("{%tr for r in " + loop + " %}")
    row = t.add_row()
    B.cant_split(row)
    for cell, (text, style, bold) in zip(row.cells, cells):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.style = doc.styles[style]
        run = p.add_run(text)
        if bold:
            run.bold = bold
    row = t.add_row()
    row.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return t


def build(out: Path = OUT) -> Path:
    doc = Document()
    B.setup_styles(doc)
    cp = doc.core_properties
    cp.title = "Báo cáo tổng hợp kết quả công tác cải cách hành chính"
    cp.subject = "Mẫu báo cáo tổng hợp cấp tỉnh (cchc merge)"
    cp.author = cp.last_modified_by = "cchc"
    cp.comments = "Mẫu báo cáo tổng hợp của cchc (docxtpl). Có thể sửa câu chữ, định dạng."
    fixed = dt.datetime(2025, 1, 1)
    cp.created = cp.modified = fixed
    cp.revision = 1

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    sec.different_first_page_header_footer = True
    hp = sec.header.paragraphs[0]
    hp.style = doc.styles["Số trang"]
    B.page_field(hp)
    sec.first_page_header.paragraphs[0].style = doc.styles["Số trang"]

    left_w, right_w = Cm(6.3), B.TEXT_WIDTH_PORTRAIT - Cm(6.3)
    hdr = doc.add_table(rows=2, cols=2)
    hdr.alignment = WD_TABLE_ALIGNMENT.CENTER
    B.no_borders(hdr)
    B.fixed_layout(hdr, [left_w, right_w])
    margin = Cm(0.19) * 2
    a = hdr.cell(0, 0)
    a.paragraphs[0].add_run("{%p if co_quan_chu_quan %}")
    a.add_paragraph("{{ co_quan_chu_quan }}", style="Tiêu ngữ").runs[0].bold = False
    a.add_paragraph("{%p endif %}")
    a.add_paragraph("{{ co_quan_ban_hanh }}", style="Tiêu ngữ")
    B.rule_paragraph(a, B.AGENCY_RULE, available=left_w - margin)
    n = hdr.cell(0, 1)
    p = n.paragraphs[0]
    p.style = doc.styles["Tiêu ngữ"]
    p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r = n.add_paragraph(style="Tiêu ngữ").add_run("Độc lập - Tự do - Hạnh phúc")
    r.font.size = Pt(14)
    B.rule_paragraph(n, B.MOTTO_WIDTH, available=right_w - margin)
    p = hdr.cell(1, 0).paragraphs[0]
    p.style = doc.styles["Số ký hiệu"]
    p.add_run("Số:        /BC-{{ ky_hieu_co_quan }}")
    p = hdr.cell(1, 1).paragraphs[0]
    p.style = doc.styles["Địa danh ngày"]
    p.add_run("{{ dia_danh }}, ngày      tháng      năm {{ nam_ban_hanh }}")

    P(doc, "BÁO CÁO", "Tên loại")
    P(doc, "{{ trich_yeu }}", "Trích yếu")
    B.rule_paragraph(doc, B.SUBJECT_RULE, available=B.TEXT_WIDTH_PORTRAIT, after=12)
    P(doc, "{{ mo_dau }}", "Nội dung báo cáo")

    P(doc, "I. TÌNH HÌNH NỘP BÁO CÁO", "Heading 1")
    P(doc, "{{ cau_nop_bao_cao }}", "Nội dung báo cáo")
    P(doc, "{%p if nhom %}")
    _table(doc, [Mm(75), Mm(30), Mm(30), Mm(30)], ["Nhóm", "Đã nộp", "Phải nộp", "Tỷ lệ"],
           [("{{ r.ten }}", "Bảng", False), ("{{ r.da_nop }}", "Bảng - giữa", False),
            ("{{ r.phai_nop }}", "Bảng - giữa", False), ("{{ r.ty_le }}", "Bảng - giữa", False)], "nhom")
    P(doc, "{%p endif %}")
    P(doc, "{%p if chua_nop %}")
    P(doc, "Các đơn vị chưa nộp báo cáo ({{ chua_nop|length }}): {{ chua_nop|join('; ') }}.", "Nội dung báo cáo")
    P(doc, "{%p endif %}")
    P(doc, "{%p if tep_bi_loai %}")
    P(doc, "Các tệp không được tổng hợp ({{ tep_bi_loai|length }}):", "Nội dung báo cáo")
    P(doc, "{%p for x in tep_bi_loai %}")
    P(doc, "- {{ x }}", "Nội dung báo cáo")
    P(doc, "{%p endfor %}")
    P(doc, "{%p endif %}")

    P(doc, "II. KẾT QUẢ TỔNG HỢP", "Heading 1")
    P(doc, "{%p for x in ket_qua %}")
    P(doc, "{{ x }}", "Nội dung báo cáo")
    P(doc, "{%p endfor %}")
    P(doc, "{%p if bieu_do %}")
    P(doc, "{{ bieu_do }}", "Bảng - giữa")
    P(doc, "{{ bieu_do_chu_thich }}", "Bảng - chú thích")
    P(doc, "{%p endif %}")

    P(doc, "III. CÁC ĐƠN VỊ CÓ LỖI SỐ LIỆU", "Heading 1")
    P(doc, "{{ cau_loi }}", "Nội dung báo cáo")
    P(doc, "{%p if don_vi_loi %}")
    _table(doc, [Mm(10), Mm(45), Mm(15), Mm(18), Mm(77)], ["STT", "Đơn vị", "Số lỗi", "Số cảnh báo", "Lỗi đầu tiên"],
           [("{{ r.stt }}", "Bảng - giữa", False), ("{{ r.don_vi }}", "Bảng", False),
            ("{{ r.loi }}", "Bảng - giữa", False), ("{{ r.canh_bao }}", "Bảng - giữa", False),
            ("{{ r.vi_du }}", "Bảng", False)], "don_vi_loi")
    P(doc, "{%p endif %}")
    P(doc, "Trên đây là báo cáo tổng hợp kết quả công tác cải cách hành chính {{ ky_nam }}./.", "Nội dung báo cáo")

    sig = doc.add_table(rows=1, cols=2)
    sig.alignment = WD_TABLE_ALIGNMENT.CENTER
    B.no_borders(sig)
    B.fixed_layout(sig, [Cm(8.0), B.TEXT_WIDTH_PORTRAIT - Cm(8.0)])
    left, right = sig.cell(0, 0), sig.cell(0, 1)
    p = left.paragraphs[0]
    p.style = doc.styles["Nơi nhận"]
    p.paragraph_format.space_before = Pt(12)
    p.add_run("Nơi nhận:")
    left.add_paragraph("- Như trên;", style="Nơi nhận - mục")
    left.add_paragraph("- Lưu: VT.", style="Nơi nhận - mục")
    p = right.paragraphs[0]
    p.style = doc.styles["Chữ ký"]
    p.paragraph_format.space_before = Pt(12)
    p.add_run("{{ chuc_vu }}")
    for _ in range(5):
        right.add_paragraph("", style="Chữ ký")

    app = doc.add_section(WD_SECTION.NEW_PAGE)
    app.orientation = WD_ORIENT.LANDSCAPE
    app.page_width, app.page_height = Mm(297), Mm(210)
    for k, v in B.LAND_MARGINS.items():
        setattr(app, f"{k}_margin", v)
    app.different_first_page_header_footer = True
    B.restart_page_numbers(app)
    P(doc, "Phụ lục", "Phụ lục")
    P(doc, "{{ phu_luc_ten }}", "Phụ lục - tên")
    P(doc, "{{ phu_luc_kem_theo }}", "Phụ lục - kèm theo")
    P(doc, "{%p for f in bieu_mau %}")
    P(doc, "{%p if not loop.first %}")
    P(doc).add_run().add_break(WD_BREAK.PAGE)
    P(doc, "{%p endif %}")
    P(doc, "{{ f.title }}", "Biểu mẫu - tên")
    P(doc, "{{ f.subtitle }}", "Biểu mẫu - nội dung")
    _table(doc, COLUMN_WIDTHS,
           ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng hợp", "Số đơn vị có số liệu", "Cách tổng hợp"],
           [("{{ r.stt }}", "Bảng - giữa", False), ("{{ r.label }}", "Bảng", False),
            ("{{ r.unit }}", "Bảng - giữa", False), ("{{ r.value }}", "Bảng - giữa", False),
            ("{{ r.n }}", "Bảng - giữa", False), ("{{ r.how }}", "Bảng", False)], "f.rows")
    P(doc, "{%p endfor %}")
    P(doc, "{%p for t in bang_them %}")
    P(doc).add_run().add_break(WD_BREAK.PAGE)
    P(doc, "{{ t.title }}", "Biểu mẫu - tên")
    # Marker replaced by the table itself after rendering (cchc.merge.word): its columns vary.
    P(doc, "[[BANG:{{ loop.index0 }}]]")
    P(doc, "{%p endfor %}")

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    print(f"Đã tạo mẫu: {build(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
