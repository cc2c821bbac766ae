"""The ND30 layout shared by the Word template builders (scripts/build_docx_*.py).

Nghị định 30/2020/NĐ-CP, Phụ lục I (see shared/spec/van-ban.md): A4 portrait, margins
top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman; the issuing agency and the national
header side by side in a borderless table, with the number line and the italic place-and-date
line on the same row; "BÁO CÁO", the subject line and a short rule; "Nơi nhận" beside the
signature block; page numbers centred in the top margin, not on the first page.

Used by the builders of the standard report (cchc.report.word_template), of each report kind's
own template (cchc.kinds.<kind>.word_template) and of the province report
(cchc.merge.word_template), so that the reports look alike. Only building a template needs this
module (`python scripts/build_word_templates.py`); reporting renders the committed .docx files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from cchc.atomic import atomic_write

FONT = "Times New Roman"
BODY_PT = 14
BODY = "Nội dung báo cáo"  # the body-text paragraph style
TEXT_WIDTH_PORTRAIT = Mm(210 - 30 - 15)  # 165 mm
# Width of "Độc lập - Tự do - Hạnh phúc" in Times New Roman bold 14 pt (measured with the
# metric-compatible Liberation Serif Bold): the rule under it has the same length.
MOTTO_WIDTH = Cm(5.75)
AGENCY_RULE = Cm(2.2)  # the short rule under the issuing agency's name
SUBJECT_RULE = Cm(3.0)  # the short rule under the subject line

# Landscape appendix. Bound with the portrait pages, a landscape page turns its top edge to the
# binding: that edge gets the binding margin (ND30: 30–35 mm), its bottom edge the right
# margin's 15–20 mm, its sides the top and bottom margins' 20–25 mm.
LAND_MARGINS = dict(top=Mm(30), bottom=Mm(15), left=Mm(20), right=Mm(20))
TEXT_WIDTH_LANDSCAPE = Mm(297 - 20 - 20)  # 257 mm

# The document comment of the commune templates. No template syntax here: docxtpl renders the
# document properties too.
EDITABLE_COMMENT = ("Mẫu báo cáo của cchc (docxtpl). Có thể sửa câu chữ, định dạng; "
                    "kiểm tra mẫu đã sửa bằng lệnh: cchc template-check TEP.docx")


# ---------------------------------------------------------------------------------------------
# Low-level helpers (python-docx has no API for these parts of WordprocessingML)


def _insert_in_order(parent, child, successors: tuple[str, ...]) -> None:
    """Insert child before the first existing successor element (schema order matters to Word)."""
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


_PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)


def rule_paragraph(cell_or_doc, width, *, align=WD_ALIGN_PARAGRAPH.CENTER, available=None,
                   after=0):
    """An empty, 1-pt-high paragraph whose top border is a centred solid rule of `width`."""
    p = cell_or_doc.add_paragraph()
    pf = p.paragraph_format
    pf.space_before = Pt(4)
    pf.space_after = Pt(after)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(1)
    if available is not None:
        side = max((available - width) // 2, 0)
        pf.left_indent = side
        pf.right_indent = side
    p.alignment = align
    pPr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), "6")
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), "000000")
    bdr.append(top)
    _insert_in_order(pPr, bdr, _PPR_AFTER_BORDER)
    _set_mark_size(p, 2)
    return p


def _set_mark_size(p, half_points: int) -> None:
    """Size of the paragraph mark (the height of an otherwise empty paragraph)."""
    pPr = p._p.get_or_add_pPr()
    rpr = pPr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        _insert_in_order(pPr, rpr, ("w:sectPr", "w:pPrChange"))
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(half_points))
    rpr.append(sz)


def _table_borders(table, attrs: dict[str, str]) -> None:
    """The same border (w:val, w:sz …, in this order) on every edge of the table."""
    tblPr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for name, value in attrs.items():
            el.set(qn(f"w:{name}"), value)
        borders.append(el)
    _insert_in_order(tblPr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"))


def no_borders(table) -> None:
    _table_borders(table, {"val": "nil"})


def all_borders(table) -> None:
    _table_borders(table, {"val": "single", "sz": "4", "space": "0", "color": "000000"})


def fixed_layout(table, widths) -> None:
    """Fixed column widths (Word and LibreOffice both honour tblGrid + tcW + tblLayout)."""
    widths = [Emu(int(w)) for w in widths]
    table.autofit = False
    tblPr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _insert_in_order(tblPr, layout, ("w:tblCellMar", "w:tblLook"))
    tblW = tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        _insert_in_order(tblPr, tblW, ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                                       "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"))
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    for col, w in zip(table.columns, widths):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w


def repeat_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trPr.append(el)


def cant_split(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    trPr.insert(0, el)


def page_field(paragraph) -> None:
    """A PAGE field (shows the page number)."""
    def fld(kind):
        r = OxmlElement("w:r")
        c = OxmlElement("w:fldChar")
        c.set(qn("w:fldCharType"), kind)
        r.append(c)
        return r

    paragraph._p.append(fld("begin"))
    r = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    r.append(instr)
    paragraph._p.append(r)
    paragraph._p.append(fld("separate"))
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "2"
    r.append(t)
    paragraph._p.append(r)
    paragraph._p.append(fld("end"))


def restart_page_numbers(section) -> None:
    sectPr = section._sectPr
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    _insert_in_order(sectPr, pg, ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                  "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
                                  "w:docGrid", "w:printerSettings", "w:sectPrChange"))


def set_run_fonts(rpr_parent_el, size_pt: float | None = None) -> None:
    """Times New Roman for every script slot, Vietnamese proofing language."""
    rPr = rpr_parent_el.get_or_add_rPr()
    fonts = rPr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rPr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]


# ---------------------------------------------------------------------------------------------
# Styles


def setup_styles(doc) -> None:
    styles = doc.styles
    # Document defaults: Times New Roman, 14 pt, Vietnamese language, black.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rPr = rpr_default.find(qn("w:rPr"))
    fonts = rPr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rPr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    lang.set(qn("w:bidi"), "ar-SA")

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_run_fonts(normal.element)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = True

    def para_style(name, *, size=BODY_PT, bold=False, italic=False, align=None,
                   first_line=None, before=0, after=6, line=1.15, keep_next=False,
                   base="Normal"):
        try:
            st = styles[name]
        except KeyError:
            st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles[base]
        st.quick_style = True
        f = st.font
        f.name = FONT
        f.size = Pt(size)
        f.bold = bold
        f.italic = italic
        f.color.rgb = None
        set_run_fonts(st.element)
        p = st.paragraph_format
        if align is not None:
            p.alignment = align
        p.first_line_indent = first_line
        p.space_before = Pt(before)
        p.space_after = Pt(after)
        p.line_spacing = line
        p.keep_with_next = keep_next
        p.widow_control = True
        return st

    J = WD_ALIGN_PARAGRAPH.JUSTIFY
    C = WD_ALIGN_PARAGRAPH.CENTER
    indent = Cm(1.27)
    # Body text of the report: justified, first-line indent, ≥ 6 pt between paragraphs.
    para_style(BODY, align=J, first_line=indent)
    # Section headings: built-in heading styles (Word's navigation pane uses them), restyled.
    for level, (caps, italic) in {1: (False, False), 2: (False, False), 3: (False, True)}.items():
        st = para_style(f"Heading {level}", align=J, first_line=indent, bold=True,
                        italic=italic, before=6, after=6, keep_next=True)
        st.font.all_caps = caps
        rpr = st.element.get_or_add_rPr()
        for tag in ("w:color",):
            el = rpr.find(qn(tag))
            if el is not None:
                rpr.remove(el)
        # Keep the built-in outline level; drop theme spacing/borders python-docx ships.
        st.paragraph_format.keep_together = True
    # Header block.
    para_style("Tiêu ngữ", size=13, bold=True, align=C, after=0, line=1.0)
    para_style("Số ký hiệu", size=13, align=C, after=0, line=1.0, before=6)
    para_style("Địa danh ngày", size=14, italic=True, align=C, after=0, line=1.0, before=6)
    para_style("Tên loại", size=14, bold=True, align=C, before=18, after=0, line=1.0,
               keep_next=True)
    para_style("Trích yếu", size=14, bold=True, align=C, after=2, line=1.0, keep_next=True)
    para_style("Kính gửi", size=14, align=C, before=6, after=12, line=1.0)
    # Recipients and signature.
    para_style("Nơi nhận", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT,
               after=0, line=1.0)
    para_style("Nơi nhận - mục", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0, line=1.0)
    para_style("Chữ ký", size=14, bold=True, align=C, after=0, line=1.0)
    # Appendix.
    para_style("Phụ lục", size=14, bold=True, align=C, after=0, line=1.0, keep_next=True)
    para_style("Phụ lục - tên", size=14, bold=True, align=C, after=0, line=1.0,
               keep_next=True)
    para_style("Phụ lục - kèm theo", size=14, italic=True, align=C, after=6, line=1.0,
               keep_next=True)
    para_style("Biểu mẫu - tên", size=13, bold=True, align=C, before=12, after=0, line=1.0,
               keep_next=True)
    para_style("Biểu mẫu - nội dung", size=13, bold=True, align=C, after=6, line=1.0,
               keep_next=True)
    # Header rows keep with the first data row (and repeat on every page of a long table).
    para_style("Bảng - tiêu đề", size=12, bold=True, align=C, after=0, line=1.0,
               keep_next=True)
    para_style("Bảng", size=12, align=WD_ALIGN_PARAGRAPH.LEFT, before=1, after=1, line=1.0)
    para_style("Bảng - giữa", size=12, align=C, before=1, after=1, line=1.0)
    para_style("Bảng - chú thích", size=12, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT,
               before=2, after=0, line=1.0)
    para_style("Số trang", size=13, align=C, after=0, line=1.0)


# ---------------------------------------------------------------------------------------------
# Paragraphs


def P(container, text="", style=None, *, bold=None, italic=None, size=None, align=None):
    p = container.add_paragraph(style=style)
    if text:
        r = p.add_run(text)
        if bold is not None:
            r.bold = bold
        if italic is not None:
            r.italic = italic
        if size is not None:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def paragraph_loop(doc, seq: str, style=BODY, *, item: str = "t", text: str | None = None) -> None:
    """One paragraph per element of the template list `seq` (a docxtpl `{%p for %}` loop);
    the paragraph is `text`, by default the element itself."""
    P(doc, "{%p for " + item + " in " + seq + " %}")
    P(doc, text if text is not None else "{{ " + item + " }}", style)
    P(doc, "{%p endfor %}")


def page_break(doc) -> None:
    P(doc).add_run().add_break(WD_BREAK.PAGE)


# ---------------------------------------------------------------------------------------------
# The parts of an ND30 document


def nd30_document(*, title: str, subject: str, comments: str = EDITABLE_COMMENT):
    """A new document with the ND30 styles, fixed properties (reproducible builds) and its first
    section: A4 portrait, ND30 margins, page numbers centred at the top from page 2."""
    doc = Document()
    setup_styles(doc)

    cp = doc.core_properties
    cp.title = title
    cp.subject = subject
    cp.author = "cchc"
    cp.last_modified_by = "cchc"
    cp.comments = comments
    fixed = dt.datetime(2025, 1, 1, 0, 0, 0)
    cp.created = fixed
    cp.modified = fixed
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
    page_field(hp)
    sec.first_page_header.paragraphs[0].style = doc.styles["Số trang"]
    return doc


def header_block(doc, *, number: str, date: str) -> None:
    """Agency (parent agency optional, issuing agency bold) | national header and motto, each
    with its rule; then the number line | the place-and-date line."""
    left_w, right_w = Cm(6.3), TEXT_WIDTH_PORTRAIT - Cm(6.3)
    hdr = doc.add_table(rows=2, cols=2)
    hdr.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(hdr)
    fixed_layout(hdr, [left_w, right_w])
    cell_margin = Cm(0.19) * 2

    a = hdr.cell(0, 0)
    a.paragraphs[0].add_run("{%p if co_quan_chu_quan %}")
    a.add_paragraph("{{ co_quan_chu_quan }}", style="Tiêu ngữ").runs[0].bold = False
    a.add_paragraph("{%p endif %}")
    a.add_paragraph("{{ co_quan_ban_hanh }}", style="Tiêu ngữ")
    rule_paragraph(a, AGENCY_RULE, available=left_w - cell_margin)

    n = hdr.cell(0, 1)
    p = n.paragraphs[0]
    p.style = doc.styles["Tiêu ngữ"]
    p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    p = n.add_paragraph(style="Tiêu ngữ")
    p.add_run("Độc lập - Tự do - Hạnh phúc").font.size = Pt(14)
    rule_paragraph(n, MOTTO_WIDTH, available=right_w - cell_margin)

    p = hdr.cell(1, 0).paragraphs[0]
    p.style = doc.styles["Số ký hiệu"]
    p.add_run(number)
    p = hdr.cell(1, 1).paragraphs[0]
    p.style = doc.styles["Địa danh ngày"]
    p.add_run(date)


def title_block(doc) -> None:
    """"BÁO CÁO", the subject line and the short rule under it."""
    P(doc, "BÁO CÁO", "Tên loại")
    P(doc, "{{ trich_yeu }}", "Trích yếu")
    rule_paragraph(doc, SUBJECT_RULE, available=TEXT_WIDTH_PORTRAIT, after=12)


def kinh_gui_block(doc) -> None:
    """"Kính gửi: X." on one line for one recipient, else a dashed list; nothing when empty."""
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


def signature_table(doc, *, keep_together: bool = True):
    """The borderless "Nơi nhận:" | signature table; returns its (left, right) cells with only
    the "Nơi nhận:" line written."""
    sig = doc.add_table(rows=1, cols=2)
    sig.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(sig)
    fixed_layout(sig, [Cm(8.0), TEXT_WIDTH_PORTRAIT - Cm(8.0)])
    if keep_together:
        cant_split(sig.rows[0])
    left, right = sig.cell(0, 0), sig.cell(0, 1)
    p = left.paragraphs[0]
    p.style = doc.styles["Nơi nhận"]
    p.paragraph_format.space_before = Pt(12)
    p.add_run("Nơi nhận:")
    return left, right


def signature_block(doc) -> None:
    """The commune templates' signature table: the `noi_nhan` list | `tham_quyen` (optional),
    `chuc_vu`, room for the signature, `nguoi_ky`."""
    left, right = signature_table(doc)
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


def appendix_section(doc, name: str, label: str = "Phụ lục") -> None:
    """A landscape section whose page numbers restart at 1, headed "Phụ lục", `name` and the
    `phu_luc_kem_theo` line; then the start of the loop over `bieu_mau` (each form's title and
    subtitle, kept with its table; the forms follow each other, a page breaks only where the
    page is full). The caller adds the form's table and closes the loop with `{%p endfor %}`."""
    app = doc.add_section(WD_SECTION.NEW_PAGE)
    app.orientation = WD_ORIENT.LANDSCAPE
    app.page_width, app.page_height = Mm(297), Mm(210)
    app.top_margin, app.bottom_margin = LAND_MARGINS["top"], LAND_MARGINS["bottom"]
    app.left_margin, app.right_margin = LAND_MARGINS["left"], LAND_MARGINS["right"]
    app.different_first_page_header_footer = True
    restart_page_numbers(app)

    P(doc, label, "Phụ lục")
    P(doc, name, "Phụ lục - tên")
    P(doc, "{{ phu_luc_kem_theo }}", "Phụ lục - kèm theo")

    P(doc, "{%p for f in bieu_mau %}")
    P(doc, "{{ f.title }}", "Biểu mẫu - tên")
    P(doc, "{{ f.subtitle }}", "Biểu mẫu - nội dung")


# ---------------------------------------------------------------------------------------------
# Bordered tables


def bordered_table(doc, widths, *, header_rows: int = 1):
    """A centred table with all borders and fixed column widths; its first `header_rows` rows
    repeat on every page and never split."""
    t = doc.add_table(rows=header_rows, cols=len(widths))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    all_borders(t)
    fixed_layout(t, widths)
    for row in t.rows:
        repeat_header(row)
        cant_split(row)
    return t


def header_cell(doc, cell, *lines: str, italic_last: bool = False) -> None:
    """A header cell: one bold centred paragraph per line (the last one italic, upright weight,
    when `italic_last`)."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.style = doc.styles["Bảng - tiêu đề"]
        r = p.add_run(line)
        if italic_last and i == len(lines) - 1:
            r.bold = False
            r.italic = True
    # merge() leaves the merged cells' empty paragraphs behind: drop the extras.
    for extra in cell.paragraphs[len(lines):]:
        extra._p.getparent().remove(extra._p)


def body_cell(doc, cell, text: str, style: str):
    """A data cell, vertically centred, in paragraph style `style`; returns the run."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = doc.styles[style]
    return p.add_run(text)


def control_row(table, text: str):
    """A row holding a docxtpl row tag (`{%tr … %}`) in its first cell."""
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(text)
    return row


# ---------------------------------------------------------------------------------------------
# Saving and the command line


def save(doc, out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(out) as tmp:
        doc.save(tmp)
    return out
