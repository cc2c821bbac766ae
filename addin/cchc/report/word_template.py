"""The standard Word report template, built with python-docx in the ND30 layout (cchc.report.nd30).

Every report kind without a template of its own gets this report: the ND30 header, «BÁO CÁO»
and the subject, «Căn cứ», the opening sentence, the sections of the catalogue (generated
sentences, then the officer's paragraphs), the closing sentence, «Nơi nhận» beside the signature
and a landscape appendix with one table per form (STT | Chỉ tiêu thống kê | Đơn vị tính | Số
liệu | Ghi chú, two header rows as in the national forms, repeated on every page; one more
column per compared period after «Số liệu» when the report is compared), the forms following
each other without a forced page break. The
quarterly report's template is this one with its own wording (cchc.kinds.ky.word_template).

Template variables are documented in cchc.report.context (TEMPLATE_VARIABLES).
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Cm, Mm

from cchc.report.nd30 import (
    BODY,
    P,
    appendix_section,
    body_cell,
    bordered_table,
    cant_split,
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

# The standard template's file name (docx_templates/, cchc/data/).
STANDARD_TEMPLATE = "bao_cao_chuan.docx"

# STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú: 15, 129, 47, 28, 38 mm, the landscape
# text width (257 mm). Between «Số liệu» and «Ghi chú», one column per compared period (`so_sanh`, cchc report
# --compare): a docxtpl column loop, whose tags take a cell each side of the looped one. Those
# two cells are gone once rendered and the label column gives up the width of the compared
# ones (cchc.report.render fits the widths): the table is the five columns above without a
# comparison.
LOOP_TAG, COMPARED = Mm(8), Mm(24)
TEMPLATE_WIDTHS = [Mm(15), Mm(129) - COMPARED - 2 * LOOP_TAG, Mm(47), Mm(28), LOOP_TAG, COMPARED, LOOP_TAG, Mm(38)]


def build_standard(out: Path, *, title: str, subject: str, opening: str, closing: str, appendix_title: str,
                   column_subtitle: str = "") -> Path:
    """The ND30 report with the officer's sections and one appendix table per form.
    `opening`, `closing`, `appendix_title`: literal text or docxtpl fields; `title`, `subject`:
    the document properties Word shows."""
    doc = nd30_document(title=title, subject=subject)
    header_block(doc, number="Số: {{ so_ky_hieu }}", date="{{ dia_danh_ngay }}")
    title_block(doc)
    kinh_gui_block(doc)

    # ---- Căn cứ and the opening sentence.
    paragraph_loop(doc, "can_cu", item="c")
    P(doc, opening, BODY)

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
    P(doc, closing, BODY)

    signature_block(doc)

    # ---- Appendix: one table per form.
    appendix_section(doc, appendix_title)
    t = bordered_table(doc, TEMPLATE_WIDTHS, header_rows=2)
    # Two header rows as in the national form: "Kết quả thống kê" spans unit and value (and the
    # compared periods: docxtpl's colspan tag widens it with them).
    stt = t.cell(0, 0).merge(t.cell(1, 0))
    label = t.cell(0, 1).merge(t.cell(1, 1))
    result = t.cell(0, 2).merge(t.cell(0, 6))
    note = t.cell(0, 7).merge(t.cell(1, 7))
    header_cell(doc, stt, "STT")
    header_cell(doc, label, "Chỉ tiêu thống kê", *([column_subtitle] if column_subtitle else []),
                italic_last=True)
    header_cell(doc, result, "Kết quả thống kê")
    result.paragraphs[0].add_run("{% colspan so_sanh|length + 2 %}")
    header_cell(doc, note, "Ghi chú")
    header_cell(doc, t.cell(1, 2), "Đơn vị tính")
    # «Số liệu»; headed by its period when other periods stand beside it.
    header_cell(doc, t.cell(1, 3), "{%p if so_sanh %}", "{{ ky_nay }}", "{%p else %}", "Số liệu", "{%p endif %}")
    header_cell(doc, t.cell(1, 4), "{%tc for c in so_sanh %}")
    header_cell(doc, t.cell(1, 5), "{{ c.ten }}")
    header_cell(doc, t.cell(1, 6), "{%tc endfor %}")

    def data_row(bold: bool, italic: bool, indent, keep_next: bool = False):
        row = t.add_row()
        cant_split(row)
        values = ["{{ r.stt }}", "{{ r.label }}", "{{ r.unit }}", "{{ r.value }}",
                  "{%tc for v in r.so_sanh %}", "{{ v }}", "{%tc endfor %}", "{{ r.note }}"]
        styles_ = ["Bảng - giữa", "Bảng", "Bảng - giữa", "Bảng - giữa", "Bảng - giữa", "Bảng - giữa",
                   "Bảng - giữa", "Bảng"]
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
    # italic. A province can restyle each variant in Word. A level-1 row with sub-rows keeps
    # with the next row; no other row does, so a form never drags the next one to a new page.
    control_row(t, "{%tr for r in f.rows %}")
    control_row(t, "{%tr if r.level == 1 and r.keep %}")
    data_row(True, False, Cm(0), keep_next=True)
    control_row(t, "{%tr elif r.level == 1 %}")
    data_row(True, False, Cm(0))
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


def build(out: Path) -> Path:
    """The standard template: its wording comes from the context (mo_dau, ket_luan,
    phu_luc_ten), which the catalogue drives."""
    return build_standard(out, title="Báo cáo", subject="Mẫu báo cáo chuẩn (cchc)",
                          opening="{{ mo_dau }}", closing="{{ ket_luan }}", appendix_title="{{ phu_luc_ten }}")
