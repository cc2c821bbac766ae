"""Build docx_templates/bao_cao_chi_so.docx, the docxtpl template of the annual SIPAS / PAR Index
analysis report (the seed: UBND xã Nam Cường, 2025).

Run from the repository root:  python scripts/build_docx_chi_so.py

The ND30 layout (page, styles, header block, rules, signature table) comes from the periodic
report's builder, scripts/build_docx_templates.py, whose helpers are reused here, so that the
two reports of a commune look alike. The structure follows the seed:

- header block, "BÁO CÁO" and the subject line, "Kính gửi", the "Căn cứ" paragraphs and the
  opening sentence;
- I. Công tác tổ chức, triển khai thực hiện;
- II. 1. SIPAS: "- Kết quả đạt được: …", "- Những tồn tại, hạn chế: …", "- Lý do, nguyên nhân: …";
  2. PAR Index: the result sentence ("đạt 65,51 điểm, xếp loại Trung bình, xếp hạng 78/92 xã,
  phường"), then per field "- Về …: Đạt x/y điểm." with "+ Kết quả đạt được: …" and
  "+ Hạn chế: …", then the bar chart of the percentage achieved per field;
  3. Đánh giá chung (3.1 Mặt ưu điểm, 3.2 Tồn tại, hạn chế, nguyên nhân);
- III. Các giải pháp, per field;
- "Nơi nhận" and the signature block.

Template variables are documented in cchc.chiso.report (TEMPLATE_VARIABLES).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docx_templates" / "bao_cao_chi_so.docx"


def _nd30():
    """The periodic report's builder, for its ND30 helpers and styles."""
    path = Path(__file__).resolve().parent / "build_docx_templates.py"
    spec = importlib.util.spec_from_file_location("build_docx_templates", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(out: Path = OUT) -> Path:
    b = _nd30()
    P = b.P
    doc = Document()
    b.setup_styles(doc)
    body = "Nội dung báo cáo"

    cp = doc.core_properties
    cp.title = "Báo cáo kết quả phân tích Chỉ số SIPAS và Chỉ số cải cách hành chính"
    cp.subject = "Mẫu báo cáo phân tích chỉ số hằng năm (cchc)"
    cp.author = "cchc"
    cp.last_modified_by = "cchc"
    cp.comments = ("Mẫu báo cáo của cchc (docxtpl). Có thể sửa câu chữ, định dạng; "
                   "kiểm tra mẫu đã sửa bằng lệnh: cchc template-check TEP.docx")
    fixed = dt.datetime(2025, 1, 1, 0, 0, 0)
    cp.created = cp.modified = fixed
    cp.revision = 1

    # ---- Page: A4 portrait, ND30 margins, page numbers centred at the top from page 2.
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    sec.different_first_page_header_footer = True
    hp = sec.header.paragraphs[0]
    hp.style = doc.styles["Số trang"]
    b.page_field(hp)
    sec.first_page_header.paragraphs[0].style = doc.styles["Số trang"]

    # ---- Header block: agency | national header; number | place and date.
    width = b.TEXT_WIDTH_PORTRAIT
    left_w, right_w = Cm(6.3), width - Cm(6.3)
    hdr = doc.add_table(rows=2, cols=2)
    hdr.alignment = WD_TABLE_ALIGNMENT.CENTER
    b.no_borders(hdr)
    b.fixed_layout(hdr, [left_w, right_w])
    cell_margin = Cm(0.19) * 2
    a = hdr.cell(0, 0)
    a.paragraphs[0].add_run("{%p if co_quan_chu_quan %}")
    a.add_paragraph("{{ co_quan_chu_quan }}", style="Tiêu ngữ").runs[0].bold = False
    a.add_paragraph("{%p endif %}")
    a.add_paragraph("{{ co_quan_ban_hanh }}", style="Tiêu ngữ")
    b.rule_paragraph(a, b.AGENCY_RULE, available=left_w - cell_margin)
    n = hdr.cell(0, 1)
    p = n.paragraphs[0]
    p.style = doc.styles["Tiêu ngữ"]
    p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    p = n.add_paragraph(style="Tiêu ngữ")
    p.add_run("Độc lập - Tự do - Hạnh phúc").font.size = Pt(14)
    b.rule_paragraph(n, b.MOTTO_WIDTH, available=right_w - cell_margin)
    p = hdr.cell(1, 0).paragraphs[0]
    p.style = doc.styles["Số ký hiệu"]
    p.add_run("Số: {{ so_ky_hieu }}")
    p = hdr.cell(1, 1).paragraphs[0]
    p.style = doc.styles["Địa danh ngày"]
    p.add_run("{{ dia_danh_ngay }}")

    # ---- Title, subject, Kính gửi.
    P(doc, "BÁO CÁO", "Tên loại")
    P(doc, "{{ trich_yeu }}", "Trích yếu")
    b.rule_paragraph(doc, b.SUBJECT_RULE, available=width, after=12)
    P(doc, "{%p if kinh_gui %}")
    P(doc, "{%p if kinh_gui|length == 1 %}")
    P(doc, "Kính gửi: {{ kinh_gui[0] }}.", "Kính gửi")
    P(doc, "{%p else %}")
    P(doc, "Kính gửi:", "Kính gửi")
    P(doc, "{%p for k in kinh_gui %}")
    p = P(doc, "- {{ k }}{% if loop.last %}.{% else %};{% endif %}", "Kính gửi")
    p.paragraph_format.left_indent = Cm(5.5)
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    P(doc, "{%p endfor %}")
    P(doc, "{%p endif %}")
    P(doc, "{%p endif %}")

    # ---- Căn cứ and the opening sentence.
    P(doc, "{%p for c in can_cu %}")
    P(doc, "{{ c }}", body)
    P(doc, "{%p endfor %}")
    P(doc, "{{ mo_dau }}", body)

    def paragraphs(var: str) -> None:
        P(doc, "{%p for t in " + var + " %}")
        P(doc, "{{ t }}", body)
        P(doc, "{%p endfor %}")

    def heading(var: str, level: int) -> None:
        P(doc, "{{ " + var + " }}", f"Heading {level}")

    # ---- I.
    heading("muc.I.heading", 1)
    paragraphs("muc.I.doan")

    # ---- II.1 SIPAS: "- Kết quả đạt được: …" with the label in italics, as in the seed.
    heading("muc.II.heading", 1)
    heading("muc.II_1.heading", 2)
    P(doc, "{%p for k in sipas %}")
    p = P(doc, style=body)
    p.add_run("- ")
    p.add_run("{{ k.label }}:").italic = True
    p.add_run("{% if k.first %} {{ k.first }}{% endif %}")
    paragraphs("k.rest")
    P(doc, "{%p endfor %}")

    # ---- II.2 PAR Index: result sentence, the fields, the chart.
    heading("muc.II_2.heading", 2)
    paragraphs("par_mo_dau")
    P(doc, "{%p for f in linh_vuc %}")
    P(doc, "- {{ f.dong }}", body)
    P(doc, "{%p for k in f.khoi %}")
    P(doc, "+ {{ k.label }}:{% if k.first %} {{ k.first }}{% endif %}", body)
    paragraphs("k.rest")
    P(doc, "{%p endfor %}")
    P(doc, "{%p endfor %}")
    P(doc, "{%p if bieu_do %}")
    p = P(doc, "{{ bieu_do }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    p = P(doc, "{{ bieu_do_chu_thich }}", body, italic=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.first_line_indent = Cm(0)
    P(doc, "{%p endif %}")

    # ---- II.3 Đánh giá chung.
    heading("muc.II_3.heading", 2)
    for key in ("II_3_1", "II_3_2"):
        heading(f"muc.{key}.heading", 3)
        paragraphs(f"muc.{key}.doan")

    # ---- III. Giải pháp, per field.
    heading("muc.III.heading", 1)
    P(doc, "{%p for g in giai_phap %}")
    heading("g.heading", 2)
    paragraphs("g.doan")
    P(doc, "{%p endfor %}")
    P(doc, "{{ ket_luan }}", body)

    # ---- Nơi nhận | signature.
    sig = doc.add_table(rows=1, cols=2)
    sig.alignment = WD_TABLE_ALIGNMENT.CENTER
    b.no_borders(sig)
    b.fixed_layout(sig, [Cm(8.0), width - Cm(8.0)])
    b.cant_split(sig.rows[0])
    left, right = sig.cell(0, 0), sig.cell(0, 1)
    p = left.paragraphs[0]
    p.style = doc.styles["Nơi nhận"]
    p.paragraph_format.space_before = Pt(12)
    p.add_run("Nơi nhận:")
    left.add_paragraph("{%p for x in noi_nhan %}")
    left.add_paragraph("{{ x }}", style="Nơi nhận - mục")
    left.add_paragraph("{%p endfor %}")
    right.paragraphs[0].add_run("{%p if tham_quyen %}")
    p = right.add_paragraph("{{ tham_quyen }}", style="Chữ ký")
    p.paragraph_format.space_before = Pt(12)
    right.add_paragraph("{%p endif %}")
    right.add_paragraph("{{ chuc_vu }}", style="Chữ ký")
    for _ in range(4):
        right.add_paragraph("", style="Chữ ký")
    right.add_paragraph("{{ nguoi_ky }}", style="Chữ ký")

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
