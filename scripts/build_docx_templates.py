"""Build docx_templates/bao_cao_cchc_ky.docx, the docxtpl template of the periodic CCHC report.

Run from the repository root:  python scripts/build_docx_templates.py

The .docx is committed: a province opens it in Word, changes the wording or the styles, and
passes its own copy with `cchc report --template`. This script is how the original is made, so
that the original stays reproducible and reviewable. The layout follows Nghị định 30/2020/NĐ-CP,
Phụ lục I (see shared/spec/van-ban.md); the parts common to the three reports (page, styles,
header block, title, "Kính gửi", signature, appendix section, tables) are in docx_nd30.py:

- A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman;
- agency block and national header side by side in a borderless table, with the number line
  and the italic place-and-date line on the same row;
- "BÁO CÁO", the subject line and a short rule; "Kính gửi" when given; "Căn cứ" paragraphs;
- sections I–IV from the catalogue (officer text + generated sentences);
- "Nơi nhận" and the signature block side by side;
- a landscape section "Phụ lục" whose page numbers restart, with the seven tables
  STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú (header rows repeat on each page);
- page numbers centred in the top margin, not on the first page of either section.

Template variables are documented in cchc.report.context (TEMPLATE_VARIABLES).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.shared import Cm, Mm

from docx_nd30 import (
    BODY,
    P,
    appendix_section,
    body_cell,
    bordered_table,
    cant_split,
    cli,
    control_row,
    header_block,
    header_cell,
    kinh_gui_block,
    nd30_document,
    paragraph_loop,
    save,
    signature_block,
    title_block,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docx_templates" / "bao_cao_cchc_ky.docx"

# STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú: the landscape text width, 257 mm
COLUMN_WIDTHS = [Mm(15), Mm(129), Mm(47), Mm(28), Mm(38)]


def build(out: Path = OUT) -> Path:
    doc = nd30_document(title="Báo cáo kết quả công tác cải cách hành chính",
                        subject="Mẫu báo cáo định kỳ CCHC (cchc)")
    header_block(doc, number="Số: {{ so_ky_hieu }}", date="{{ dia_danh_ngay }}")
    title_block(doc)
    kinh_gui_block(doc)

    # ---- Căn cứ and the opening sentence.
    paragraph_loop(doc, "can_cu", item="c")
    P(doc, "{{ don_vi_day_du }} báo cáo kết quả thực hiện công tác cải cách hành chính "
           "{{ ky_nam }}, cụ thể như sau:", BODY)

    # ---- Sections I–IV: heading, then generated sentences, then the officer's paragraphs.
    P(doc, "{%p for m in muc %}")
    P(doc, "{%p if m.level == 1 %}")
    P(doc, "{{ m.heading }}", "Heading 1")
    P(doc, "{%p elif m.level == 2 %}")
    P(doc, "{{ m.heading }}", "Heading 2")
    P(doc, "{%p else %}")
    P(doc, "{{ m.heading }}", "Heading 3")
    P(doc, "{%p endif %}")
    paragraph_loop(doc, "m.tu_dong")
    paragraph_loop(doc, "m.doan")
    P(doc, "{%p endfor %}")
    P(doc, "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {{ ky_nam }} "
           "của {{ don_vi_day_du }}./.", BODY)

    signature_block(doc)

    # ---- Appendix: one table per form.
    appendix_section(doc, "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH")
    t = bordered_table(doc, COLUMN_WIDTHS, header_rows=2)
    # Two header rows as in the national form: "Kết quả thống kê" spans unit and value.
    stt = t.cell(0, 0).merge(t.cell(1, 0))
    label = t.cell(0, 1).merge(t.cell(1, 1))
    result = t.cell(0, 2).merge(t.cell(0, 3))
    note = t.cell(0, 4).merge(t.cell(1, 4))
    header_cell(doc, stt, "STT")
    header_cell(doc, label, "Chỉ tiêu thống kê",
                "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)", italic_last=True)
    header_cell(doc, result, "Kết quả thống kê")
    header_cell(doc, note, "Ghi chú")
    header_cell(doc, t.cell(1, 2), "Đơn vị tính")
    header_cell(doc, t.cell(1, 3), "Số liệu")

    def data_row(bold: bool, italic: bool, indent, keep_next: bool = False):
        row = t.add_row()
        cant_split(row)
        values = ["{{ r.stt }}", "{{ r.label }}", "{{ r.unit }}", "{{ r.value }}",
                  "{{ r.note }}"]
        styles_ = ["Bảng - giữa", "Bảng", "Bảng - giữa", "Bảng - giữa", "Bảng"]
        for i, (cell, text, st) in enumerate(zip(row.cells, values, styles_)):
            r = body_cell(doc, cell, text, st)
            p = cell.paragraphs[0]
            if i in (0, 1):
                r.bold = bold
                r.italic = italic
            if i == 1 and indent:
                p.paragraph_format.left_indent = indent
            if keep_next:
                # A group row never ends a page: it stays with its first sub-row.
                p.paragraph_format.keep_with_next = True
        return row

    # One data row per level: level 1 bold, level 2 indented, level 3 indented further and
    # italic. A province can restyle each variant in Word.
    control_row(t, "{%tr for r in f.rows %}")
    control_row(t, "{%tr if r.level == 1 %}")
    data_row(True, False, Cm(0), keep_next=True)
    control_row(t, "{%tr elif r.level == 2 %}")
    data_row(False, False, Cm(0.4))
    control_row(t, "{%tr else %}")
    data_row(False, True, Cm(0.8))
    control_row(t, "{%tr endif %}")
    control_row(t, "{%tr endfor %}")

    # The form's footnote (abbreviations), when the catalogue has one.
    P(doc, "{%p if f.note %}")
    P(doc, "{{ f.note }}", "Bảng - chú thích")
    P(doc, "{%p endif %}")
    P(doc, "{%p endfor %}")

    return save(doc, out)


def main(argv: list[str] | None = None) -> int:
    return cli(build, OUT, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
