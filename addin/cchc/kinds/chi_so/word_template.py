"""Build docx_templates/bao_cao_chi_so.docx, the docxtpl template of the annual SIPAS / PAR Index
analysis report (the seed: UBND xã Nam Cường, 2025).

Built by `python scripts/build_word_templates.py`.

The ND30 layout (page, styles, header block, rules, "Kính gửi", signature table) comes from
cchc.report.nd30, shared with the periodic report's builder, so that the two reports of a
commune look alike. The structure follows the seed:

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

Template variables are documented in cchc.kinds.chi_so.report (TEMPLATE_VARIABLES).
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cchc.report.nd30 import (
    BODY,
    P,
    header_block,
    kinh_gui_block,
    nd30_document,
    paragraph_loop,
    save,
    signature_block,
    title_block,
)



def build(out: Path) -> Path:
    doc = nd30_document(
        title="Báo cáo kết quả phân tích Chỉ số SIPAS và Chỉ số cải cách hành chính",
        subject="Mẫu báo cáo phân tích chỉ số hằng năm (cchc)")
    header_block(doc, number="Số: {{ so_ky_hieu }}", date="{{ dia_danh_ngay }}")
    title_block(doc)
    kinh_gui_block(doc)

    # ---- Căn cứ and the opening sentence.
    paragraph_loop(doc, "can_cu", item="c")
    P(doc, "{{ mo_dau }}", BODY)

    def heading(var: str, level: int) -> None:
        P(doc, "{{ " + var + " }}", f"Heading {level}")

    # ---- I.
    heading("muc.I.heading", 1)
    paragraph_loop(doc, "muc.I.doan")

    # ---- II.1 SIPAS: "- Kết quả đạt được: …" with the label in italics, as in the seed.
    heading("muc.II.heading", 1)
    heading("muc.II_1.heading", 2)
    P(doc, "{%p for k in sipas %}")
    p = P(doc, style=BODY)
    p.add_run("- ")
    p.add_run("{{ k.label }}:").italic = True
    p.add_run("{% if k.first %} {{ k.first }}{% endif %}")
    paragraph_loop(doc, "k.rest")
    P(doc, "{%p endfor %}")

    # ---- II.2 PAR Index: result sentence, the fields, the chart.
    heading("muc.II_2.heading", 2)
    paragraph_loop(doc, "par_mo_dau")
    P(doc, "{%p for f in linh_vuc %}")
    P(doc, "- {{ f.dong }}", BODY)
    P(doc, "{%p for k in f.khoi %}")
    P(doc, "+ {{ k.label }}:{% if k.first %} {{ k.first }}{% endif %}", BODY)
    paragraph_loop(doc, "k.rest")
    P(doc, "{%p endfor %}")
    P(doc, "{%p endfor %}")
    P(doc, "{%p if bieu_do %}")
    p = P(doc, "{{ bieu_do }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.keep_with_next = True
    p = P(doc, "{{ bieu_do_chu_thich }}", BODY, italic=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.first_line_indent = Cm(0)
    P(doc, "{%p endif %}")

    # ---- II.3 Đánh giá chung.
    heading("muc.II_3.heading", 2)
    for key in ("II_3_1", "II_3_2"):
        heading(f"muc.{key}.heading", 3)
        paragraph_loop(doc, f"muc.{key}.doan")

    # ---- III. Giải pháp, per field.
    heading("muc.III.heading", 1)
    P(doc, "{%p for g in giai_phap %}")
    heading("g.heading", 2)
    paragraph_loop(doc, "g.doan")
    P(doc, "{%p endfor %}")
    P(doc, "{{ ket_luan }}", BODY)

    signature_block(doc)

    return save(doc, out)
