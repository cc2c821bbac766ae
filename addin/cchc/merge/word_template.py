"""Build docx_templates/bao_cao_tong_hop.docx, the docxtpl template of the province report of
`cchc merge --report`.

Built by `python scripts/build_word_templates.py`.

Same ND30 layout and styles as the commune reports (cchc.report.nd30): agency block and
national header, "BÁO CÁO", subject line, «Kính gửi»; I. reporting (rate, by group, units
that did not submit, files not merged); II. the results form by form, each figure with the
units it rests on, and the chart of the first key indicator; III. the assessment per key
indicator and the errors, one row per kind of error; IV. the recommendations; the closing,
«Nơi nhận» beside the signature (title, room to sign, name); then a landscape appendix:
Phụ lục I the consolidated forms, Phụ lục II the rankings, and any table the kind adds.
Template variables: cchc.merge.word.TEMPLATE_VARIABLES.
"""

from __future__ import annotations

from pathlib import Path

from docx.shared import Cm, Mm, Pt

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
    page_break,
    paragraph_loop,
    save,
    signature_table,
    title_block,
)

# Phụ lục I, as (header, width, field of a row of bieu_mau, paragraph style): a column added
# to «Tổng hợp» (cchc.merge.total_rows) is added here too. The landscape text width is 257 mm.
APPENDIX_COLUMNS = [
    ("STT", Mm(13), "stt", "Bảng - giữa"),
    ("Chỉ tiêu thống kê", Mm(104), "label", "Bảng"),
    ("Đơn vị tính", Mm(24), "unit", "Bảng - giữa"),
    ("Số liệu tổng hợp", Mm(23), "value", "Bảng - giữa"),
    ("Số đơn vị có số liệu", Mm(19), "n", "Bảng - giữa"),
    ("Thấp nhất", Mm(19), "min", "Bảng - giữa"),
    ("Cao nhất", Mm(19), "max", "Bảng - giữa"),
    ("Cách tổng hợp", Mm(36), "how_short", "Bảng"),
]
# Phụ lục II: one ranking per key indicator, then the units not ranked.
RANKING_COLUMNS = [
    ("Hạng", Mm(16), "hang", "Bảng - giữa"),
    ("Đơn vị", Mm(70), "don_vi", "Bảng"),
    ("Nhóm", Mm(60), "nhom", "Bảng"),
    ("Giá trị", Mm(37), "gia_tri", "Bảng - giữa"),
    ("Tử số", Mm(37), "tu_so", "Bảng - giữa"),
    ("Mẫu số", Mm(37), "mau_so", "Bảng - giữa"),
]
NOT_RANKED_COLUMNS = [
    ("Đơn vị", Mm(70), "don_vi", "Bảng"),
    ("Giá trị", Mm(30), "gia_tri", "Bảng - giữa"),
    ("Lý do không xếp hạng", Mm(157), "ly_do", "Bảng"),
]


def _table(doc, columns, loop: str, *, variants=None):
    """A bordered table: one header row, then a docxtpl row loop over `loop`. `variants`:
    [(condition, bold, indent)] rows chosen by a condition on `r` (the last one "else")."""
    t = bordered_table(doc, [w for _, w, _, _ in columns])
    for cell, (header, _, _, _) in zip(t.rows[0].cells, columns):
        header_cell(doc, cell, header)
    control_row(t, "{%tr for r in " + loop + " %}")

    def data_row(bold=False, indent=None):
        row = t.add_row()
        cant_split(row)
        for i, (cell, (_, _, key, style)) in enumerate(zip(row.cells, columns)):
            run = body_cell(doc, cell, "{{ r." + key + " }}", style)
            if i < 2:
                run.bold = bold
            if i == 1 and indent:
                cell.paragraphs[0].paragraph_format.left_indent = indent

    if variants:
        for k, (condition, bold, indent) in enumerate(variants):
            tag = "if" if k == 0 else ("elif" if condition else "else")
            control_row(t, "{%tr " + tag + (" " + condition if condition else "") + " %}")
            data_row(bold, indent)
        control_row(t, "{%tr endif %}")
    else:
        data_row()
    control_row(t, "{%tr endfor %}")
    return t


def build(out: Path) -> Path:
    doc = nd30_document(title="Báo cáo tổng hợp kết quả công tác cải cách hành chính",
                        subject="Mẫu báo cáo tổng hợp cấp tỉnh (cchc merge)",
                        comments="Mẫu báo cáo tổng hợp của cchc (docxtpl). Có thể sửa câu chữ, định dạng.")
    header_block(doc, number="Số:        /BC-{{ ky_hieu_co_quan }}",
                 date="{{ dia_danh }}, ngày      tháng      năm {{ nam_ban_hanh }}")
    title_block(doc)
    kinh_gui_block(doc)
    P(doc, "{{ mo_dau }}", BODY)

    # ---- I. Reporting.
    P(doc, "I. TÌNH HÌNH NỘP BÁO CÁO", "Heading 1")
    P(doc, "{{ cau_nop_bao_cao }}", BODY)
    P(doc, "{%p if nhom %}")
    _table(doc, [("Nhóm", Mm(65), "ten", "Bảng"), ("Phải nộp", Mm(24), "phai_nop", "Bảng - giữa"),
                 ("Đã nộp", Mm(24), "da_nop", "Bảng - giữa"), ("Đã tổng hợp", Mm(26), "da_tong_hop", "Bảng - giữa"),
                 ("Tỷ lệ nộp", Mm(26), "ty_le", "Bảng - giữa")], "nhom")
    P(doc, "{%p endif %}")
    P(doc, "{%p if chua_nop %}")
    P(doc, "Các đơn vị chưa nộp báo cáo ({{ chua_nop|length }}): {{ chua_nop|join('; ') }}.", BODY)
    P(doc, "{%p endif %}")
    P(doc, "{%p if tep_bi_loai %}")
    P(doc, "Các tệp không được tổng hợp ({{ tep_bi_loai|length }}):", BODY)
    paragraph_loop(doc, "tep_bi_loai", item="x", text="- {{ x }}")
    P(doc, "{%p endif %}")

    # ---- II. Results, form by form.
    P(doc, "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", "Heading 1")
    P(doc, "{%p for k in ket_qua %}")
    P(doc, "{{ loop.index }}. {{ k.ten }}", "Heading 2")
    paragraph_loop(doc, "k.cau", item="c", text="- {{ c }}")
    P(doc, "{%p endfor %}")
    P(doc, "{%p if bieu_do %}")
    P(doc, "{{ bieu_do }}", "Bảng - giữa")
    P(doc, "{{ bieu_do_chu_thich }}", "Bảng - chú thích")
    P(doc, "{%p endif %}")

    # ---- III. Assessment: per key indicator, then the errors.
    P(doc, "III. ĐÁNH GIÁ CHUNG", "Heading 1")
    P(doc, "{%p for d in danh_gia %}")
    P(doc, "{{ loop.index }}. {{ d.ten }}", "Heading 2")
    paragraph_loop(doc, "d.cau", item="c")
    P(doc, "{%p endfor %}")
    P(doc, "{{ danh_gia|length + 1 }}. Các đơn vị có lỗi số liệu", "Heading 2")
    P(doc, "{{ cau_loi }}", BODY)
    P(doc, "{%p if loi %}")
    _table(doc, [("STT", Mm(13), "stt", "Bảng - giữa"), ("Lỗi", Mm(74), "noi_dung", "Bảng"),
                 ("Số đơn vị", Mm(18), "so_don_vi", "Bảng - giữa"), ("Các đơn vị", Mm(60), "don_vi", "Bảng")], "loi")
    P(doc, "{%p endif %}")

    # ---- IV. Recommendations: the officer's text.
    P(doc, "IV. KIẾN NGHỊ, ĐỀ XUẤT", "Heading 1")
    paragraph_loop(doc, "kien_nghi", item="x")
    # The closing sentence stays on the page of the signature.
    P(doc, "{{ ket_luan }}", BODY).paragraph_format.keep_with_next = True

    # ---- Nơi nhận | signature: the signer's title, room to sign, the name.
    left, right = signature_table(doc)
    left.add_paragraph("{%p for x in noi_nhan %}")
    left.add_paragraph("{{ x }}", style="Nơi nhận - mục")
    left.add_paragraph("{%p endfor %}")
    p = right.paragraphs[0]
    p.style = doc.styles["Chữ ký"]
    p.paragraph_format.space_before = Pt(12)
    p.add_run("{{ chuc_vu }}")
    for _ in range(4):
        right.add_paragraph("", style="Chữ ký")
    right.add_paragraph("{{ nguoi_ky }}", style="Chữ ký")

    # ---- Phụ lục I: the consolidated forms (the loop over bieu_mau opens in appendix_section).
    appendix_section(doc, "{{ phu_luc_ten }}", label="Phụ lục I")
    _table(doc, APPENDIX_COLUMNS, "f.rows",
           variants=[("r.level == 1", True, None), ("r.level == 2", False, Cm(0.4)), ("", False, Cm(0.8))])
    P(doc, "{%p endfor %}")

    # ---- Phụ lục II: the rankings.
    P(doc, "{%p if xep_hang %}")
    page_break(doc)
    P(doc, "Phụ lục II", "Phụ lục")
    P(doc, "XẾP HẠNG CÁC ĐƠN VỊ THEO CÁC CHỈ TIÊU CHÍNH", "Phụ lục - tên")
    P(doc, "{{ phu_luc_kem_theo }}", "Phụ lục - kèm theo")
    P(doc, "{%p for x in xep_hang %}")
    P(doc, "{{ loop.index }}. {{ x.ten }}{% if x.chung %} (chung: {{ x.chung }}){% endif %}", "Biểu mẫu - tên")
    P(doc, "{%p if x.rows %}")
    _table(doc, RANKING_COLUMNS, "x.rows")
    P(doc, "{%p endif %}")
    P(doc, "{%p if x.khong %}")
    P(doc, "Không xếp hạng ({{ x.khong|length }} đơn vị):", "Biểu mẫu - nội dung")
    _table(doc, NOT_RANKED_COLUMNS, "x.khong")
    P(doc, "{%p endif %}")
    P(doc, "{%p endfor %}")
    P(doc, "{%p endif %}")

    # ---- The kind's own tables.
    P(doc, "{%p for t in bang_them %}")
    page_break(doc)
    P(doc, "{{ t.title }}", "Biểu mẫu - tên")
    # Marker replaced by the table itself after rendering (cchc.merge.word): its columns vary.
    P(doc, "[[BANG:{{ loop.index0 }}]]")
    P(doc, "{%p endfor %}")

    return save(doc, out)
