"""The province report names the agency that issues it (cchc merge --co-quan …)."""

from __future__ import annotations

from docx import Document

from cchc.cli import main


def _two_communes(make_workbook):
    def edit(name, code):
        def apply(data):
            data["info"]["don_vi"] = name
            data["info"]["ma_dvhc"] = code
        return apply

    return [make_workbook(edit("UBND xã An Bình", "05001"), "a.xlsx"),
            make_workbook(edit("UBND xã Tân Lập", "05002"), "b.xlsx")]


def _header_and_text(path):
    doc = Document(path)
    header = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    return header, "\n".join(p.text for p in doc.paragraphs)


def test_default_issuer_is_the_department_of_home_affairs(make_workbook, tmp_path):
    files = _two_communes(make_workbook)
    out = tmp_path / "th.docx"
    assert main(["merge", *map(str, files), "-o", str(tmp_path / "th.xlsx"), "--report", str(out)]) == 0
    header, text = _header_and_text(out)
    assert "SỞ NỘI VỤ" in header and "/BC-SNV" in header and "GIÁM ĐỐC" in header
    assert "Trên cơ sở báo cáo của các đơn vị, Sở Nội vụ tổng hợp" in text


def test_issuer_options_change_header_number_sentence_and_signature(make_workbook, tmp_path):
    files = _two_communes(make_workbook)
    out = tmp_path / "th.docx"
    code = main(["merge", *map(str, files), "-o", str(tmp_path / "th.xlsx"), "--report", str(out),
                 "--co-quan", "Phòng Văn hóa - Xã hội", "--co-quan-chu-quan", "UBND phường Đức Xuân",
                 "--ky-hieu", "VHXH", "--chuc-vu", "Trưởng phòng"])
    assert code == 0
    header, text = _header_and_text(out)
    assert "UBND PHƯỜNG ĐỨC XUÂN" in header
    assert "PHÒNG VĂN HÓA - XÃ HỘI" in header
    assert "/BC-VHXH" in header and "TRƯỞNG PHÒNG" in header
    assert "SỞ NỘI VỤ" not in header and "GIÁM ĐỐC" not in header
    assert "Trên cơ sở báo cáo của các đơn vị, Phòng Văn hóa - Xã hội tổng hợp" in text


def test_an_empty_issuer_option_is_refused_before_anything_is_written(make_workbook, tmp_path, capsys):
    files = _two_communes(make_workbook)
    before = [f.read_bytes() for f in files]
    for flag in ("--co-quan", "--ky-hieu", "--chuc-vu"):
        out = tmp_path / "th.xlsx"
        code = main(["merge", *map(str, files), "-o", str(out), "--report", str(tmp_path / "th.docx"), flag, "  "])
        assert code == 2
        assert f"Tùy chọn {flag} không được để trống" in capsys.readouterr().err
        assert not out.exists() and not (tmp_path / "th.docx").exists()
    assert [f.read_bytes() for f in files] == before
