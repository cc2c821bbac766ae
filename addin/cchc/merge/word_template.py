"""Build docx_templates/bao_cao_tong_hop.docx, the docxtpl template of the province report of
`cchc merge --report`.

Built by `python scripts/build_word_templates.py`.

Same ND30 layout and styles as the commune reports (cchc.report.nd30): agency block and national header, "BÁO CÁO",
subject line; I. reporting (rate, units that did not submit, files not merged); II. the key
results with the chart of the distribution of 7:3 across units; III. units with errors;
then a landscape appendix with the consolidated tables (STT | Chỉ tiêu | Đơn vị tính |
Số liệu tổng hợp | Số đơn vị có số liệu | Cách tổng hợp) and any table the kind adds.
Template variables: cchc.merge.word.TEMPLATE_VARIABLES.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Mm, Pt

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
    nd30_document,
    page_break,
    paragraph_loop,
    save,
    signature_table,
    title_block,
)


# STT | Chỉ tiêu | Đơn vị tính | Số liệu tổng hợp | Số đơn vị có số liệu | Cách tổng hợp
COLUMN_WIDTHS = [Mm(13), Mm(105), Mm(27), Mm(27), Mm(22), Mm(63)]


def _table(doc, widths, headers, cells, loop: str):
    """A bordered table: one header row, then a docxtpl row loop over `loop` whose row has the
    (text, paragraph style) `cells`."""
    t = bordered_table(doc, widths)
    for cell, text in zip(t.rows[0].cells, headers):
        header_cell(doc, cell, text)
    control_row(t, "{%tr for r in " + loop + " %}")
    row = t.add_row()
    cant_split(row)
    for cell, (text, style) in zip(row.cells, cells):
        body_cell(doc, cell, text, style)
    control_row(t, "{%tr endfor %}")
    return t


def build(out: Path) -> Path:
    doc = nd30_document(title="Báo cáo tổng hợp kết quả công tác cải cách hành chính",
                        subject="Mẫu báo cáo tổng hợp cấp tỉnh (cchc merge)",
                        comments="Mẫu báo cáo tổng hợp của cchc (docxtpl). Có thể sửa câu chữ, định dạng.")
    header_block(doc, number="Số:        /BC-{{ ky_hieu_co_quan }}",
                 date="{{ dia_danh }}, ngày      tháng      năm {{ nam_ban_hanh }}")
    title_block(doc)
    P(doc, "{{ mo_dau }}", BODY)

    P(doc, "I. TÌNH HÌNH NỘP BÁO CÁO", "Heading 1")
    P(doc, "{{ cau_nop_bao_cao }}", BODY)
    P(doc, "{%p if nhom %}")
    _table(doc, [Mm(75), Mm(30), Mm(30), Mm(30)], ["Nhóm", "Đã nộp", "Phải nộp", "Tỷ lệ"],
           [("{{ r.ten }}", "Bảng"), ("{{ r.da_nop }}", "Bảng - giữa"),
            ("{{ r.phai_nop }}", "Bảng - giữa"), ("{{ r.ty_le }}", "Bảng - giữa")], "nhom")
    P(doc, "{%p endif %}")
    P(doc, "{%p if chua_nop %}")
    P(doc, "Các đơn vị chưa nộp báo cáo ({{ chua_nop|length }}): {{ chua_nop|join('; ') }}.", BODY)
    P(doc, "{%p endif %}")
    P(doc, "{%p if tep_bi_loai %}")
    P(doc, "Các tệp không được tổng hợp ({{ tep_bi_loai|length }}):", BODY)
    paragraph_loop(doc, "tep_bi_loai", item="x", text="- {{ x }}")
    P(doc, "{%p endif %}")

    P(doc, "II. KẾT QUẢ TỔNG HỢP", "Heading 1")
    paragraph_loop(doc, "ket_qua", item="x")
    P(doc, "{%p if bieu_do %}")
    P(doc, "{{ bieu_do }}", "Bảng - giữa")
    P(doc, "{{ bieu_do_chu_thich }}", "Bảng - chú thích")
    P(doc, "{%p endif %}")

    P(doc, "III. CÁC ĐƠN VỊ CÓ LỖI SỐ LIỆU", "Heading 1")
    P(doc, "{{ cau_loi }}", BODY)
    P(doc, "{%p if don_vi_loi %}")
    _table(doc, [Mm(10), Mm(45), Mm(15), Mm(18), Mm(77)], ["STT", "Đơn vị", "Số lỗi", "Số cảnh báo", "Lỗi đầu tiên"],
           [("{{ r.stt }}", "Bảng - giữa"), ("{{ r.don_vi }}", "Bảng"),
            ("{{ r.loi }}", "Bảng - giữa"), ("{{ r.canh_bao }}", "Bảng - giữa"),
            ("{{ r.vi_du }}", "Bảng")], "don_vi_loi")
    P(doc, "{%p endif %}")
    P(doc, "Trên đây là báo cáo tổng hợp kết quả công tác cải cách hành chính {{ ky_nam }}./.", BODY)

    # ---- Nơi nhận | signature: fixed recipients, the signer's title and room to sign.
    left, right = signature_table(doc, keep_together=False)
    left.add_paragraph("- Như trên;", style="Nơi nhận - mục")
    left.add_paragraph("- Lưu: VT.", style="Nơi nhận - mục")
    p = right.paragraphs[0]
    p.style = doc.styles["Chữ ký"]
    p.paragraph_format.space_before = Pt(12)
    p.add_run("{{ chuc_vu }}")
    for _ in range(5):
        right.add_paragraph("", style="Chữ ký")

    # ---- Appendix: the consolidated forms, then the kind's own tables.
    appendix_section(doc, "{{ phu_luc_ten }}")
    _table(doc, COLUMN_WIDTHS,
           ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu tổng hợp", "Số đơn vị có số liệu", "Cách tổng hợp"],
           [("{{ r.stt }}", "Bảng - giữa"), ("{{ r.label }}", "Bảng"),
            ("{{ r.unit }}", "Bảng - giữa"), ("{{ r.value }}", "Bảng - giữa"),
            ("{{ r.n }}", "Bảng - giữa"), ("{{ r.how }}", "Bảng")], "f.rows")
    P(doc, "{%p endfor %}")
    P(doc, "{%p for t in bang_them %}")
    page_break(doc)
    P(doc, "{{ t.title }}", "Biểu mẫu - tên")
    # Marker replaced by the table itself after rendering (cchc.merge.word): its columns vary.
    P(doc, "[[BANG:{{ loop.index0 }}]]")
    P(doc, "{%p endfor %}")

    return save(doc, out)
