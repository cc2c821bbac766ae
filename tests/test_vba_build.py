"""The macro-enabled workbook and the add-in, read back by independent tools.

oletools/olefile read the VBA project, the standard library parses the ribbon and drawing
XML, LibreOffice opens the workbook and imports its Basic library. Nothing here reads the
files back with cchc's own reader, except the round-trip tests of the codecs themselves,
which also run against a VBA project written by Excel (xlwings' quickstart workbook).
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import olefile
import pytest
import xlwings
from oletools.olevba import VBA_Parser, decompress_stream

from cchc.vba import cfb, ovba
from cchc.vba.compare import differences
from cchc.app import build_template
from cchc.vba.package import (
    ADDIN_MODULES, ADDIN_PROJECT, SHEET_BUTTONS, WORKBOOK_MODULES, build_addin, make_macro_workbook,
)
from cchc.vba.text import restore_source

ROOT = Path(__file__).resolve().parents[1]
BASIC = ROOT / "addin" / "cchc" / "vba" / "basic"
RIBBON = ROOT / "addin" / "cchc" / "vba" / "ribbon"
XLWINGS_DIR = Path(xlwings.__file__).parent
CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("macros")
    xlsx, xlsm, xlam = d / "bieu_mau.xlsx", d / "bieu_mau.xlsm", d / "cchc.xlam"
    build_template(xlsx)
    build_template(xlsm, macros=True)  # cchc.app.build_template: the default kind
    build_addin(xlam)
    chi_so = d / "chi_so.xlsm"
    build_template(chi_so, "chi_so", macros=True)
    return {"xlsx": xlsx, "xlsm": xlsm, "xlam": xlam, "chi_so": chi_so}


def _macros(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name: code for (_f, _s, name, code) in parser.extract_all_macros()}
    finally:
        parser.close()


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def _subs(code: str) -> set[str]:
    return set(re.findall(r"^\s*(?:Public\s+|Private\s+)?Sub\s+(\w+)\s*\(", code, re.M | re.I))


# ----------------------------------------------------------------------------- olevba


@pytest.mark.parametrize("kind", ["xlsm", "xlam"])
def test_olevba_extracts_exactly_our_modules_and_xlwings(built, kind):
    macros = _macros(built[kind])
    expected_own = {f"{n}.bas" for n in (ADDIN_MODULES if kind == "xlam" else WORKBOOK_MODULES)}
    assert {"CchcMacros.bas", "CchcPython.bas", "CchcText.bas"} <= expected_own
    assert ("CchcAddin.bas" in expected_own) == (kind == "xlam")
    for name in expected_own:
        # Stored in ASCII (Vietnamese literals as CchcU("\uXXXX…")), exactly the source once decoded.
        stored = macros[name].replace("\r\n", "\n")
        assert stored.isascii() and restore_source(stored) == _text(BASIC / name), name
    assert any(not _text(BASIC / name).isascii() for name in expected_own)  # there was something to escape
    xlwings_bas = (XLWINGS_DIR / "xlwings.bas").read_text(encoding="cp1252").replace("\r\n", "\n")
    assert macros["xlwings.bas"].replace("\r\n", "\n") == xlwings_bas
    assert f"'Version: {xlwings.__version__}" in macros["xlwings.bas"]
    # The Dictionary class xlwings' standalone VBA needs on Mac, with its code intact.
    dict_cls = (XLWINGS_DIR / "addin" / "Dictionary.cls").read_text(encoding="cp1252")
    body = dict_cls.replace("\r\n", "\n").split("Attribute VB_Description", 1)[1].split("\n", 1)[1]
    assert macros["Dictionary.cls"].replace("\r\n", "\n").endswith(body)
    assert 'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"' in macros["Dictionary.cls"]
    # One document module for the workbook and one per sheet.
    with zipfile.ZipFile(built[kind]) as zf:
        n_sheets = len(re.findall(r"<sheet\b", zf.read("xl/workbook.xml").decode()))
    docs = {n for n in macros if n.endswith(".cls") and n != "Dictionary.cls"}
    assert docs == {"ThisWorkbook.cls"} | {f"Sheet{i}.cls" for i in range(1, n_sheets + 1)}
    assert set(macros) == expected_own | {"xlwings.bas", "Dictionary.cls"} | docs


def test_code_names_bind_document_modules(built):
    with zipfile.ZipFile(built["xlsm"]) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        assert re.search(r'<workbookPr\b[^>]*codeName="ThisWorkbook"', wb)
        sheets = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        codes = {re.search(r'<sheetPr\b[^>]*codeName="(\w+)"', zf.read(n).decode()).group(1) for n in sheets}
    assert codes == {f"Sheet{i}" for i in range(1, len(sheets) + 1)}


def test_no_performance_cache_so_excel_compiles_from_source(built):
    """_VBA_PROJECT is the 7-byte header with version 0xFFFF and no cache; every module
    stream is nothing but compressed source from offset 0; no SRP streams."""
    with zipfile.ZipFile(built["xlsm"]) as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    head = ole.openstream("VBA/_VBA_PROJECT").read()
    assert len(head) == 7
    reserved1, version, reserved2 = struct.unpack_from("<HHB", head)
    assert (reserved1, version, reserved2) == (0x61CC, 0xFFFF, 0)
    names = ["/".join(e) for e in ole.listdir()]
    assert not [n for n in names if "__SRP_" in n]
    for name in names:
        if name.startswith("VBA/") and name not in ("VBA/dir", "VBA/_VBA_PROJECT"):
            raw = ole.openstream(name).read()
            text = bytes(decompress_stream(bytearray(raw))).decode("cp1252")
            assert text.startswith('Attribute VB_Name = "'), name


def test_project_stream_protection_lines_decrypt_with_project_id(built):
    with zipfile.ZipFile(built["xlsm"]) as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    fields = dict(re.findall(r'^(\w+)="?([^"\r\n]*)"?\r$', text, re.M))
    pid = fields["ID"]
    assert ovba.decrypt(pid, fields["CMG"]) == b"\0\0\0\0"  # not protected
    assert ovba.decrypt(pid, fields["DPB"]) == b"\0"  # no password
    assert ovba.decrypt(pid, fields["GC"]) == b"\xff"  # visible
    assert "Module=CchcMacros" in text and "Module=xlwings" in text and "Class=Dictionary" in text
    assert "Document=ThisWorkbook/&H00000000" in text


def test_encryption_matches_a_project_written_by_excel():
    """xlwings' quickstart workbook was saved by Excel: our decryption reads its lines."""
    with zipfile.ZipFile(XLWINGS_DIR / "quickstart_standalone.xlsm") as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    text = ole.openstream("PROJECT").read().decode("cp1252")
    fields = dict(re.findall(r'^(\w+)="?([^"\r\n]*)"?\r$', text, re.M))
    assert ovba.decrypt(fields["ID"], fields["CMG"]) == b"\0\0\0\0"
    assert ovba.decrypt(fields["ID"], fields["GC"]) == b"\xff"
    # Byte for byte, given the seed and the two free "ignored" bytes Excel chose (A9 DB).
    seed = int(fields["CMG"][:2], 16)
    assert ovba.encrypt(fields["ID"], b"\0\0\0\0", seed, ignored=b"\xa9\xdb") == fields["CMG"]


# ----------------------------------------------------------------------------- codecs


@pytest.mark.parametrize("size", [0, 1, 3, 100, 4095, 4096, 4097, 12289])
def test_compression_is_read_by_oletools(size):
    src = (XLWINGS_DIR / "xlwings.bas").read_bytes()[:size]
    packed = ovba.compress(src)
    assert bytes(decompress_stream(bytearray(packed))) == src
    assert ovba.decompress(packed) == src
    if size > 1000:
        assert len(packed) < 0.6 * size


def test_decompress_reads_excel_streams():
    with zipfile.ZipFile(XLWINGS_DIR / "quickstart_standalone.xlsm") as zf:
        modules = ovba.read_modules(zf.read("xl/vbaProject.bin"))
    assert modules["xlwings"].startswith('Attribute VB_Name = "xlwings"')
    assert "Sub SampleCall()" in modules["Module1"]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 13, 40])
def test_cfb_directory_is_a_valid_red_black_tree_and_olefile_reads_it(count):
    streams = {f"VBA/M{i:02d}": bytes([i]) * (37 * i + 1) for i in range(count)}
    streams["VBA/big"] = bytes(range(256)) * 40  # over the mini-stream cutoff
    streams["PROJECT"] = b"x" * 10
    data = cfb.write(streams)
    ole = olefile.OleFileIO(io.BytesIO(data))
    for name, blob in streams.items():
        assert ole.openstream(name).read() == blob
    assert cfb.read(data) == streams

    # Red-black properties of each storage's children ([MS-CFB] 2.6.4).
    for d in ole.direntries:
        if d is None or d.entry_type not in (olefile.STGTY_STORAGE, olefile.STGTY_ROOT):
            continue

        def black_height(sid, parent_red=False):
            if sid == olefile.NOSTREAM:
                return 1
            node = ole.direntries[sid]
            red = node.color == 0
            assert not (red and parent_red), "two red nodes in a row"
            left = black_height(node.sid_left, red)
            right = black_height(node.sid_right, red)
            assert left == right, "unequal black heights"
            return left + (0 if red else 1)

        root = ole.direntries[d.sid_child]
        assert root.color == 1
        black_height(d.sid_child)


# ----------------------------------------------------------------------------- ribbon + buttons


@pytest.mark.parametrize("kind", ["xlsm", "xlam"])
def test_ribbon_parses_and_every_on_action_is_a_sub_in_the_vba(built, kind):
    with zipfile.ZipFile(built[kind]) as zf:
        rels = zf.read("_rels/.rels").decode()
        assert 'Type="http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"' in rels
        assert 'Target="customUI/customUI.xml"' in rels
        root = ET.fromstring(zf.read("customUI/customUI.xml"))
    subs = set()
    for code in _macros(built[kind]).values():
        subs |= _subs(code)
    tab = root.find(f"{CUI}ribbon/{CUI}tabs/{CUI}tab")
    assert tab.get("label") == "Báo cáo CCHC"
    buttons = root.iter(f"{CUI}button")
    labels = []
    for b in buttons:
        labels.append(b.get("label"))
        assert b.get("onAction") in subs, b.get("onAction")
    expected = ["Kiểm tra số liệu", "Xóa đánh dấu", "Tạo báo cáo Word", "Tạo báo cáo PDF", "So sánh với kỳ trước",
                "Hướng dẫn"]
    if kind == "xlam":
        expected += ["Tạo biểu mẫu trống", "Tổng hợp nhiều xã"]
    assert labels == expected
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_ribbon_callbacks_take_the_control_argument():
    for xml in RIBBON.glob("*.xml"):
        root = ET.parse(xml).getroot()
        actions = {b.get("onAction") for b in root.iter(f"{CUI}button")}
        code = "\n".join(p.read_text() for p in BASIC.glob("*.bas"))
        for action in actions:
            assert re.search(rf"Public Sub {action}\(control As Object\)", code), action


def test_buttons_on_first_sheet_run_existing_macros(built):
    with zipfile.ZipFile(built["xlsm"]) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        first_rid = re.search(r'<sheet\b[^>]*name="Thông tin chung"[^>]*r:id="(\w+)"', wb).group(1)
        wb_rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        rel = next(r for r in re.findall(r"<Relationship\b[^>]*>", wb_rels) if f'Id="{first_rid}"' in r)
        target = re.search(r'Target="([^"]+)"', rel).group(1)
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        sheet_rels = zf.read(part.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
        drawing = "xl/drawings/" + re.search(r'Target="../drawings/([^"]+)"', sheet_rels).group(1)
        assert "<drawing " in zf.read(part).decode()
        dr = ET.fromstring(zf.read(drawing))
        ct = zf.read("[Content_Types].xml").decode()
    assert f'PartName="/{drawing}"' in ct
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
    shapes = {
        "".join(t.text for t in sp.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}t")): sp.get("macro")
        for sp in dr.iter(f"{ns}sp")
        if sp.get("macro")
    }
    assert shapes == {b.label: f"[0]!{b.macro}" for b in SHEET_BUTTONS}
    subs = _subs(_macros(built["xlsm"])["CchcMacros.bas"])
    assert {b.macro for b in SHEET_BUTTONS} <= subs


def test_content_types_and_rest_of_workbook_unchanged(built):
    with zipfile.ZipFile(built["xlsx"]) as a, zipfile.ZipFile(built["xlsm"]) as b:
        ct = b.read("[Content_Types].xml").decode()
        assert 'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"' in ct
        assert 'PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"' in ct
        changed = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
        changed.add("docProps/core.xml")  # openpyxl stamps the time of saving
        for name in a.namelist():
            if name in changed or name.startswith("xl/worksheets/"):
                continue
            assert a.read(name) == b.read(name), name
        # Sheets differ only by the code name and, on the first sheet, the drawing reference.
        for name in a.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xa, xb = a.read(name).decode(), b.read(name).decode()
                xb = re.sub(r'<drawing [^>]*/>', "", re.sub(r' codeName="Sheet\d+"', "", xb))
                assert xb == xa or xb.replace("<sheetPr/>", "") == xa, name
    with zipfile.ZipFile(built["xlam"]) as c:
        assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in c.read("[Content_Types].xml").decode()
        assert not [n for n in c.namelist() if n.startswith("xl/drawings/")]


def test_builds_are_reproducible(built, tmp_path):
    again = tmp_path / "again.xlsm"
    build_template(again, macros=True)
    with zipfile.ZipFile(built["xlsm"]) as a, zipfile.ZipFile(again) as b:
        assert [(i.filename, i.date_time) for i in a.infolist()] == [(i.filename, i.date_time) for i in b.infolist()]
    # openpyxl stamps docProps/core.xml with the time of saving; everything else is equal.
    assert differences(built["xlsm"], again) == []


def test_committed_macro_workbooks_are_up_to_date(tmp_path):
    committed_xlsm = ROOT / "workbook_templates" / "bao_cao_cchc_ky.xlsm"
    committed_xlam = ROOT / "addin" / "bao_cao_cchc.xlam"
    fresh_xlsm, fresh_xlam = tmp_path / "a.xlsm", tmp_path / "a.xlam"
    build_template(fresh_xlsm, macros=True)
    build_addin(fresh_xlam)
    hint = "run: python scripts/build_macros.py"
    assert differences(committed_xlsm, fresh_xlsm) == [], hint
    assert differences(committed_xlam, fresh_xlam) == [], hint


def test_cli_template_macros(tmp_path):
    from cchc.cli import main

    out = tmp_path / "mau.xlsm"
    assert main(["template", "-o", str(out), "--macros"]) == 0
    assert "CchcMacros.bas" in _macros(out)


def test_vietnamese_in_vba_is_refused_with_a_clear_message(tmp_path):
    module = ovba.Module("Bad", ovba.STANDARD, 'Attribute VB_Name = "Bad"\r\nSub X()\r\nMsgBox "Kiểm tra"\r\nEnd Sub\r\n')
    with pytest.raises(ValueError, match="code page 1252"):
        ovba.build_vba_project(ovba.Project(modules=[module]))


# ----------------------------------------------------------------------------- LibreOffice


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        pytest.fail("LibreOffice (soffice) is required for this test: apt-get install libreoffice-calc")
    return exe


def _convert(path: Path, out_dir: Path, fmt: str) -> Path:
    profile = out_dir / "profile"
    proc = subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(out_dir), str(path)],
        capture_output=True, text=True, timeout=300,
    )
    result = out_dir / (path.stem + "." + fmt.split(":")[0])
    assert proc.returncode == 0 and result.exists(), proc.stdout + proc.stderr
    assert "Error" not in proc.stderr, proc.stderr
    return result


def test_libreoffice_opens_the_xlsm_and_lists_our_basic_modules(built, tmp_path):
    ods = _convert(built["xlsm"], tmp_path, "ods")
    with zipfile.ZipFile(ods) as zf:
        lib = ET.fromstring(zf.read("Basic/VBAProject/script-lb.xml"))
        content = zf.read("content.xml").decode()
        cchc_module = zf.read("Basic/VBAProject/CchcMacros.xml").decode()
    ns = "{http://openoffice.org/2000/library}"
    elements = {e.get(f"{ns}name") for e in lib.iter(f"{ns}element")}
    assert {"CchcMacros", "xlwings", "Dictionary", "ThisWorkbook", "Sheet1"} <= elements
    assert "CchcKiemTra" in cchc_module
    # LibreOffice resolves each button's macro to the Sub in our module.
    for b in SHEET_BUTTONS:
        assert f"vnd.sun.star.script:VBAProject.CchcMacros.{b.macro}?" in content, b.macro
    # And the cells are there: the sheet names of the template.
    assert 'table:name="Thông tin chung"' in content


def test_libreoffice_imports_the_vba_project_of_the_xlam(built, tmp_path):
    """LibreOffice does not open add-ins (.xlam); a copy declared as a workbook checks that
    the add-in's VBA project, built like the workbook's, is still imported."""
    copy = tmp_path / "addin_as_workbook.xlsm"
    with zipfile.ZipFile(built["xlam"]) as src, zipfile.ZipFile(copy, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"ms-excel.addin.macroEnabled", b"ms-excel.sheet.macroEnabled")
            dst.writestr(info, data)
    ods = _convert(copy, tmp_path, "ods")
    with zipfile.ZipFile(ods) as zf:
        # The Basic library takes the VBA project's name.
        lib = zf.read(f"Basic/{ADDIN_PROJECT}/script-lb.xml").decode()
        addin = zf.read(f"Basic/{ADDIN_PROJECT}/CchcAddin.xml").decode()
    for module in ADDIN_MODULES:
        assert f'library:name="{module}"' in lib
    assert "Public Sub CchcTongHop()" in addin


# ----------------------------------------------------------------------------- names


COMMITTED = {
    "committed xlsm": ROOT / "workbook_templates" / "bao_cao_cchc_ky.xlsm",
    "committed xlam": ROOT / "addin" / "bao_cao_cchc.xlam",
}
# Type libraries every Excel VBA project sees besides its references.
HOST_LIBRARIES = ("VBA", "Excel")


def _reference_names(dir_stream: bytes) -> list[str]:
    """REFERENCENAME records of a decompressed dir stream ([MS-OVBA] 2.3.4.2.2.2), read
    record by record up to PROJECTMODULES."""
    names, pos = [], 0
    while pos + 6 <= len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        if rid == 0x0009:  # PROJECTVERSION: its size field is a constant 4, 6 bytes follow
            size = 6
        if rid == 0x000F:
            break
        if rid == 0x0016:
            names.append(dir_stream[pos + 6 : pos + 6 + size].decode("cp1252"))
        pos += 6 + size
    return names


def _project(path: Path):
    """(project name in the dir stream, name in the PROJECT stream, module names, reference
    names, {module: code}) read with olefile/oletools."""
    from oletools.olevba import VBA_Project

    with zipfile.ZipFile(path) as zf:
        ole = olefile.OleFileIO(io.BytesIO(zf.read("xl/vbaProject.bin")))
    project = VBA_Project(ole, "", "PROJECT", "VBA/dir")
    project.parse_project_stream()
    list(project.parse_modules())
    text = ole.openstream("PROJECT").read().decode("cp1252")
    stream_name = re.search(r'^Name="([^"]*)"', text, re.M).group(1)
    refs = _reference_names(bytes(decompress_stream(bytearray(ole.openstream("VBA/dir").read()))))
    code = {m.name: m.code_str for m in project.modules}
    return project.projectname, stream_name, [m.name for m in project.modules], refs, code


_PROC = re.compile(
    r"^\s*(?:(?:Public|Private|Friend|Static)\s+)*(?:Sub|Function|Property\s+(?:Get|Let|Set))\s+(\w+)", re.M | re.I
)


@pytest.mark.parametrize("kind", ["xlsm", "xlam", "chi_so", "committed xlsm", "committed xlam"])
def test_no_project_module_or_library_shares_a_name(built, kind):
    """Excel: "Name conflicts with existing module, project, or object library". The add-in's
    project and one of its modules were both CchcAddin."""
    name, stream_name, modules, refs, code = _project(COMMITTED.get(kind) or built[kind])
    assert name == stream_name
    assert {"CchcMacros", "xlwings", "ThisWorkbook"} <= set(modules) and refs == ["stdole", "Office"]
    everything = [name, *modules, *refs, *HOST_LIBRARIES]
    folded = [n.lower() for n in everything]
    assert len(folded) == len(set(folded)), everything
    # Nor may a procedure be called like one of them (Excel resolves such a name to the module).
    procedures = {p for src in code.values() for p in _PROC.findall(src)}
    assert len(procedures) > 60  # xlwings alone has about 70
    assert not {p for p in procedures if p.lower() in set(folded)}


def test_a_project_named_like_its_module_is_refused():
    module = ovba.module_from_bas('Attribute VB_Name = "CchcAddin"\r\nSub X()\r\nEnd Sub\r\n')
    with pytest.raises(ValueError, match="also a module or reference name"):
        ovba.Project(modules=[module], name="cchcaddin")
    with pytest.raises(ValueError, match="also a module or reference name"):
        ovba.Project(modules=[module], name="Office")
    assert ovba.Project(modules=[module], name="BaoCaoCchc").name == "BaoCaoCchc"


# ----------------------------------------------------------------------------- error handlers


def _public_subs(code: str) -> dict[str, list[str]]:
    """Public Sub name → its body lines (a Sub with no Private/Friend is public)."""
    subs, current, body = {}, None, []
    for line in re.sub(r" _\n\s*", " ", code.replace("\r\n", "\n")).split("\n"):  # join continued lines
        head = re.match(r"\s*(Public\s+|Private\s+|Friend\s+)?Sub\s+(\w+)", line, re.I)
        if head and current is None:
            current = head.group(2) if (head.group(1) or "Public").strip().lower() == "public" else ""
            body = []
        elif current is not None and re.match(r"\s*End\s+Sub\b", line, re.I):
            if current:
                subs[current] = body
            current = None
        elif current is not None:
            body.append(line)
    return subs


def handler_problem(body: list[str], *, button: bool = True) -> str | None:
    """Why a Sub's body lets an error reach the VBA editor, or None. Its first statement
    must be `On Error GoTo <label>`, with `Exit Sub` before the label and a handler after it
    that raises nothing; a button's handler calls CchcUnexpected (the Vietnamese message box),
    a ribbon getVisible's sets `visible = True`. Other public Subs (helpers) may instead
    ignore errors altogether (`On Error Resume Next`)."""
    statements = [ln.strip() for ln in body if ln.strip() and not ln.strip().startswith("'")]
    statements = [st for st in statements if not re.match(r"(Dim|Const|Static)\b", st, re.I)]
    if not statements:
        return "empty"
    if not button and statements[0] == "On Error Resume Next":
        return None
    m = re.fullmatch(r"On Error GoTo (\w+)", statements[0], re.I)
    if not m or m.group(1) == "0":
        return f"first statement is {statements[0]!r}"
    label = m.group(1)
    if f"{label}:" not in statements:
        return f"no label {label}"
    at = statements.index(f"{label}:")
    if "Exit Sub" not in statements[1:at]:
        return "falls into its handler"
    handler = statements[at + 1 :]
    if not handler or any("Err.Raise" in st for st in handler):
        return f"handler raises: {handler}"
    if button and not any(st.startswith("CchcUnexpected ") for st in handler) and handler != ["visible = True"]:
        return f"handler does not end in a message: {handler}"
    return None


@pytest.mark.parametrize("kind", ["xlsm", "xlam"])
def test_every_public_sub_has_an_error_handler(built, kind):
    """An unexpected VBA error shows a Vietnamese message box, never the VBA editor."""
    _name, _stream, _modules, _refs, code = _project(built[kind])
    own = ADDIN_MODULES if kind == "xlam" else WORKBOOK_MODULES
    subs = {}
    for module in own:
        subs |= _public_subs(code[module])
    # Every macro a button, a shape or the ribbon can call, and the helpers.
    entries = {b.macro for b in SHEET_BUTTONS} | {f"CchcRibbon{b.macro[4:]}" for b in SHEET_BUTTONS}
    entries |= {"CchcRibbonTabVisible", "CchcRun"}
    if kind == "xlam":
        entries |= {"CchcTaoBieuMau", "CchcTongHop", "CchcRibbonTaoBieuMau", "CchcRibbonTongHop"}
    assert set(subs) == entries | {"CchcShow", "CchcUnexpected"}
    problems = {name: handler_problem(body, button=name in entries) for name, body in subs.items()}
    assert {n: p for n, p in problems.items() if p} == {}


def test_the_handler_check_finds_a_sub_without_one():
    ok = ["    Dim buttonName As String", "    On Error GoTo Fail", "    CchcRun 1", "    Exit Sub", "Fail:",
          "    CchcUnexpected buttonName, Err.Number, Err.Description"]
    assert handler_problem(ok) is None
    assert handler_problem(["    CchcRun 1"]) == "first statement is 'CchcRun 1'"
    assert handler_problem(ok[:1] + ["    CchcRun 1"] + ok[1:]).startswith("first statement")
    assert handler_problem([ln for ln in ok if "Exit Sub" not in ln]) == "falls into its handler"
    assert handler_problem(ok[:-1] + ["    MsgBox Err.Description"]).startswith("handler does not end")
    assert handler_problem([ln.replace("GoTo Fail", "GoTo 0") for ln in ok]).startswith("first statement")
    assert handler_problem(ok[:-1] + ["    Err.Raise Err.Number"], button=False).startswith("handler raises")
    ignore = ["    On Error Resume Next", "    CchcShow 1"]
    assert handler_problem(ignore, button=False) is None and handler_problem(ignore).startswith("first statement")


# ----------------------------------------------------------------------------- ribbon: one tab


def _ribbon(path: Path):
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read("customUI/customUI.xml"))


def test_workbook_and_addin_ribbons_share_no_id_and_the_workbook_tab_yields(built):
    """With the add-in and an .xlsm both open, one "Báo cáo CCHC" tab: ids differ, and the
    workbook's tab asks the VBA whether the add-in is open (getVisible)."""
    workbook, addin = _ribbon(built["xlsm"]), _ribbon(built["xlam"])
    ids_w = [e.get("id") for e in workbook.iter() if e.get("id")]
    ids_a = [e.get("id") for e in addin.iter() if e.get("id")]
    assert len(ids_w) >= 7 and len(ids_a) >= 10
    assert not set(ids_w) & set(ids_a)
    (tab_w,), (tab_a,) = workbook.iter(f"{CUI}tab"), addin.iter(f"{CUI}tab")
    assert tab_w.get("label") == tab_a.get("label") == "Báo cáo CCHC"
    assert tab_a.get("getVisible") is None  # the add-in's tab always shows
    callback = tab_w.get("getVisible")
    code = _project(built["xlsm"])[4]
    assert re.search(rf"^Public Sub {callback}\(control As Object, ByRef visible\)", code["CchcMacros"], re.M)
    body = _public_subs(code["CchcMacros"])[callback]
    assert "    visible = Not CchcAddinIsOpen()" in body
    # The add-in is recognised by its file name: the one scripts/build_macros.py writes.
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_macros", ROOT / "scripts" / "build_macros.py")
    build_macros = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_macros)
    const = re.search(r'^Public Const CCHC_ADDIN_FILE As String = "([^"]+)"', code["CchcPython"], re.M)
    assert const.group(1) == build_macros.XLAM.name
    assert "Set wb = Application.Workbooks(CCHC_ADDIN_FILE)" in code["CchcPython"]


# ----------------------------------------------------------------------------- xlwings' VBA we call


def test_the_xlwings_functions_the_launcher_calls_exist_with_these_signatures(built):
    """CchcPython uses xlwings.bas for the config lookup (so the sheet and directory layers
    behave as for RunPython) and as a fallback file test; and it mirrors ExecuteWindows'
    command line, which Python's xlwings.Book.caller() parses. Pinned to the embedded xlwings."""
    code = _project(built["xlsm"])[4]
    xlw, ours = code["xlwings"], code["CchcPython"]
    assert 'Function GetConfig(configKey As String, Optional default As String = "", Optional source As String = "") As Variant' in xlw
    for source in ('"sheet"', '"directory"', '"user"'):
        assert f'source = "" Or source = {source}' in xlw and f'GetConfig(key, "", {source})' in ours
    assert "Function FileExists(ByVal FileSpec As String) As Boolean" in xlw and "FileExists(path)" in ours
    # The interpreter: INTERPRETER_WIN, else INTERPRETER, else "python" ...
    assert 'interpreter = GetConfig("INTERPRETER_WIN", "")' in xlw and 'GetConfig("INTERPRETER", "python")' in xlw
    # ... run as: [drive & cd &] "<python>" -B -c "<code>" --wb="<book>" --from_xl=1 --app=... --hwnd=... 2> log
    assert 'RunCommand = CondaCmd & PythonInterpreter & " -B -c ""import xlwings.utils;xlwings.utils.prepare_sys_path(\\""" & PYTHONPATH & "\\""); " & PythonCommand & """ "' in xlw
    assert '" --wb=" & """" & ThisWorkbook.Name & """ --from_xl=1" & " --app=" & Chr(34) & _' in xlw
    assert 'Application.Path & "\\" & Application.Name & Chr(34) & " --hwnd=" & Chr(34) & Application.Hwnd & Chr(34) & _' in xlw
    assert 'DriveCommand = Left$(PYTHON_WIN, 2) & " & cd """ & PythonDir & """ & "' in xlw
    assert 'PYTHONPATH = Replace(PYTHONPATH, "&", "^&")' in xlw and 'PYTHONPATH = Replace(PYTHONPATH, "\\", "\\\\")' in xlw
    # Python's side of that protocol.
    caller = (XLWINGS_DIR / "main.py").read_text(encoding="utf-8")
    assert 'if arg.startswith("--wb="):' in caller and 'elif arg.startswith("--hwnd"):' in caller
    assert 'app = App(impl=xlwings._xlwindows.App(xl=int(hwnd)))' in caller


def test_the_portal_setting_is_a_named_input_cell_the_vba_reads(built):
    """The province types the address of its portal in the template («Thông tin chung»,
    named TT_CONG_NOP); the message about a missing Python quotes it."""
    from openpyxl import load_workbook

    wb = load_workbook(built["xlsm"], keep_vba=True)
    ((sheet, coord),) = list(wb.defined_names["TT_CONG_NOP"].destinations)
    assert sheet == "Thông tin chung"
    cell = wb[sheet][coord.replace("$", "")]
    assert cell.protection.locked is False and cell.value is None  # an input cell, empty in the template
    code = _project(built["xlsm"])[4]["CchcPython"]
    assert 'CchcPortal = Trim$(CStr(wb.Names("TT_CONG_NOP").RefersToRange.Cells(1, 1).Value))' in code


# ----------------------------------------------------------------------------- Vietnamese in VBA source


def test_ascii_source_escapes_vietnamese_literals_only_and_is_reversible():
    from cchc.vba.text import ascii_source, escape

    source = (
        'Attribute VB_Name = "M"\n'
        "' A comment with \"quotes\" stays as it is\n"
        'Sub X()\n'
        '    p = folder & "\\" & name  \' an ASCII literal with a backslash is untouched\n'
        '    m = "Lỗi ""nặng"" ở C:\\Dữ liệu" & vbLf & "OK"\n'
        'End Sub\n'
    )
    out = ascii_source(source)
    assert out.isascii()
    assert '    p = folder & "\\" & name' in out
    assert '    m = CchcU("L\\u1ED7i ""n\\u1EB7ng"" \\u1EDF C:\\u005CD\\u1EEF li\\u1EC7u") & vbLf & "OK"' in out
    assert restore_source(out) == source
    assert escape("a\\b") == "a\\u005Cb"


@pytest.mark.parametrize("line, why", [
    ("' Bình luận tiếng Việt", "only string literals"),
    ('Private Const T As String = "Báo cáo"', "Const cannot hold"),
    ('    x = CchcU("B\\u00E1o")', "write the text itself"),
    ('    x = "' + "ạ" * 200 + '"', "characters once escaped"),
])
def test_ascii_source_refuses_what_vba_could_not_store(line, why):
    from cchc.vba.text import ascii_source

    with pytest.raises(ValueError, match=why):
        ascii_source('Attribute VB_Name = "M"\n' + line + "\n")


def test_escape_round_trips_any_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from cchc.vba.text import escape, for_vba, message_from, unescape

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def check(text):
        assert escape(text).isascii() and unescape(escape(text)) == text
        line = for_vba(text)
        # The line survives any code page VBA may read it with, and holds no line break.
        for cp in ("cp1252", "cp1258", "cp437", "ascii"):
            assert line.encode(cp).decode(cp) == line
        assert "\n" not in line and message_from("noise\r\n" + line + "\r\nTraceback …") == text

    check()
