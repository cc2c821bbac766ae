"""Turn a plain .xlsx into a macro-enabled workbook (.xlsm) or an add-in (.xlam).

What is added to the zip package:
- `xl/vbaProject.bin`, written by :mod:`cchc.vba.ovba` from text: xlwings' standalone VBA
  module (and its Dictionary class, used on Mac), read from the installed xlwings, and our
  own modules from `cchc/vba/basic/*.bas`; one document module per sheet, whose code name
  is set in the workbook and sheet XML so Excel binds them;
- the custom ribbon tab (`customUI/customUI.xml`, from `cchc/vba/ribbon/*.xml`);
- for the workbook, a row of clickable shapes on "Thông tin chung" running the same macros,
  for Excel versions or policies that hide custom ribbon tabs.

The XML parts of the source are edited with small, anchored text insertions rather than
re-serialised, so nothing else in the workbook changes. The output bytes depend only on
the input and the installed xlwings: zip members keep their order and get a fixed date.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from cchc.vba import ovba
from cchc.vba import text as vba_text

VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
CT_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_XLAM = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)

INFO_SHEET = "Thông tin chung"


@dataclass(frozen=True)
class Button:
    """A clickable shape on the first sheet: its text and the macro it runs."""

    label: str
    macro: str


# The fallback for hidden ribbons; same macros as the ribbon tab (see basic/CchcMacros.bas).
SHEET_BUTTONS = (
    Button("Kiểm tra số liệu", "CchcKiemTra"),
    Button("Xóa đánh dấu", "CchcXoaDanhDau"),
    Button("Tạo báo cáo Word", "CchcBaoCaoWord"),
    Button("Tạo báo cáo PDF", "CchcBaoCaoPdf"),
    Button("So sánh với kỳ trước", "CchcSoSanh"),
    Button("Hướng dẫn", "CchcHuongDan"),
)
SHEET_BUTTONS_TITLE = "Nút lệnh (dùng khi không thấy thẻ «Báo cáo CCHC» trên thanh công cụ):"


# --------------------------------------------------------------------------- sources


def _text(*parts: str) -> str:
    return resources.files("cchc.vba").joinpath(*parts).read_text(encoding="utf-8")


# Our modules: the buttons, the launcher of Python and the messages; the add-in's two extra
# buttons. Their Vietnamese string literals are stored escaped (cchc.vba.text).
WORKBOOK_MODULES = ("CchcMacros", "CchcPython", "CchcText")
ADDIN_MODULES = WORKBOOK_MODULES + ("CchcAddin",)

# VBA project names. No project may share a name with one of its modules or references
# (Excel: "Name conflicts with existing module, project, or object library").
WORKBOOK_PROJECT = "VBAProject"
ADDIN_PROJECT = "BaoCaoCchc"


def own_modules(*, addin: bool) -> list[ovba.Module]:
    """Our modules, from the .bas files shipped in the package."""
    names = ADDIN_MODULES if addin else WORKBOOK_MODULES
    return [
        ovba.module_from_bas(vba_text.ascii_source(_text("basic", f"{n}.bas"), f"{n}.bas")) for n in names
    ]


def ribbon_xml(*, addin: bool) -> str:
    return _text("ribbon", "addin.xml" if addin else "workbook.xml")


def xlwings_modules() -> tuple[str, list[ovba.Module]]:
    """xlwings' standalone VBA (what `xlwings quickstart --standalone` embeds), read from the
    installed xlwings so that the VBA always matches the Python side. Returns its version too."""
    try:
        import xlwings
    except ImportError:
        from cchc.errors import CchcError

        raise CchcError(
            "Chưa cài xlwings nên không tạo được bản có nút lệnh. Hãy chạy: pip install xlwings"
        ) from None
    root = Path(xlwings.__file__).parent
    bas = (root / "xlwings.bas").read_text(encoding="cp1252")
    cls = (root / "addin" / "Dictionary.cls").read_text(encoding="cp1252")
    return xlwings.__version__, [ovba.module_from_bas(bas), ovba.module_from_cls(cls)]


def embedded_xlwings_version(modules: dict[str, str]) -> str | None:
    """The version in the header of an xlwings VBA module ("'Version: 0.37.8")."""
    src = modules.get("xlwings", "")
    m = re.search(r"^'Version: (\S+)", src, re.M)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- XML edits


def _add_attr(tag_start: str, attr: str, value: str) -> str:
    """Set attribute `attr` in a start tag string like '<sheetPr ...>' or '<x/>'."""
    pattern = re.compile(rf'\s{attr}="[^"]*"')
    if pattern.search(tag_start):
        return pattern.sub(f' {attr}="{value}"', tag_start, count=1)
    m = re.match(r"<[\w:]+", tag_start)
    return tag_start[: m.end()] + f' {attr}="{value}"' + tag_start[m.end() :]


def _set_code_name(xml: str, element: str, parent: str, code_name: str, after: tuple[str, ...] = ()) -> str:
    """Give `element` (workbookPr / sheetPr) a codeName, creating the element if needed."""
    m = re.search(rf"<{element}\b[^>]*?/?>", xml)
    if m:
        return xml[: m.start()] + _add_attr(m.group(0), "codeName", code_name) + xml[m.end() :]
    new = f'<{element} codeName="{code_name}"/>'
    pos = None
    for prev in after:  # insert after the last sibling that must precede it
        mm = None
        for mm in re.finditer(rf"<{prev}\b[^>]*?(/>|>.*?</{prev}>)", xml, re.S):
            pass
        if mm:
            pos = mm.end()
            break
    if pos is None:
        pos = re.search(rf"<{parent}\b[^>]*>", xml).end()
    return xml[:pos] + new + xml[pos:]


def _rels_add(rels_xml: str | None, rel_type: str, target: str) -> tuple[str, str]:
    """Add a relationship; return the new XML and its id."""
    if rels_xml is None:
        rels_xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
        )
    ids = {int(n) for n in re.findall(r'Id="rId(\d+)"', rels_xml)}
    rid = f"rId{max(ids, default=0) + 1}"
    rel = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'
    return rels_xml.replace("</Relationships>", rel + "</Relationships>"), rid


def _content_types(ct: str, *, main: str, overrides: dict[str, str]) -> str:
    ct = re.sub(
        r'(<Override PartName="/xl/workbook.xml" ContentType=")[^"]*(")', rf"\g<1>{main}\g<2>", ct
    )
    for part, ctype in overrides.items():
        if f'PartName="{part}"' not in ct:
            ct = ct.replace("</Types>", f'<Override PartName="{part}" ContentType="{ctype}"/></Types>')
    return ct


# Children of <worksheet> that must come after <drawing> (ECMA-376 CT_Worksheet order).
_AFTER_DRAWING = (
    "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)


def _insert_drawing_ref(sheet_xml: str, rid: str) -> str:
    tag = f'<drawing r:id="{rid}"/>'
    if "xmlns:r=" not in sheet_xml[: sheet_xml.find(">", sheet_xml.find("<worksheet"))]:
        tag = f'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'
    positions = [m.start() for name in _AFTER_DRAWING for m in [re.search(rf"<{name}\b", sheet_xml)] if m]
    pos = min(positions) if positions else sheet_xml.rindex("</worksheet>")
    return sheet_xml[:pos] + tag + sheet_xml[pos:]


def _last_column(sheet_xml: str) -> int:
    """0-based index of the last used column, from <dimension> or the cells."""
    m = re.search(r'<dimension ref="[A-Z]+\d+(?::([A-Z]+)\d+)?"', sheet_xml)
    letters = []
    if m and m.group(1):
        letters.append(m.group(1))
    letters += re.findall(r'<c r="([A-Z]+)\d+"', sheet_xml)

    def idx(s: str) -> int:
        n = 0
        for ch in s:
            n = n * 26 + ord(ch) - 64
        return n - 1

    return max((idx(s) for s in letters), default=0)


_EMU_PER_INCH = 914400


def _shape(shape_id: int, col: int, row: int, button: Button | None, text: str) -> str:
    """One anchored shape: a rounded button running a macro, or a plain caption."""
    cx, cy = int(2.3 * _EMU_PER_INCH), int(0.38 * _EMU_PER_INCH)
    if button is None:
        cx = int(5.5 * _EMU_PER_INCH)
    macro = f' macro="[0]!{button.macro}"' if button else ' macro=""'
    name = f"{button.macro}Button" if button else "CchcButtonsTitle"
    if button:
        sp_pr = (
            '<a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
            '<a:solidFill><a:srgbClr val="2F5597"/></a:solidFill>'
            '<a:ln w="9525"><a:solidFill><a:srgbClr val="1F3864"/></a:solidFill></a:ln>'
        )
        run = '<a:rPr lang="vi-VN" sz="1100" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr>'
        body = '<a:bodyPr vertOverflow="clip" wrap="square" rtlCol="0" anchor="ctr"/>'
        align = "ctr"
    else:
        sp_pr = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
        run = '<a:rPr lang="vi-VN" sz="1000" i="1"/>'
        body = '<a:bodyPr vertOverflow="clip" wrap="square" lIns="0" rtlCol="0" anchor="b"/>'
        align = "l"
    return (
        "<xdr:oneCellAnchor>"
        f"<xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f'<xdr:ext cx="{cx}" cy="{cy}"/>'
        f'<xdr:sp{macro} textlink="">'
        f'<xdr:nvSpPr><xdr:cNvPr id="{shape_id}" name="{name}" descr="{escape(text)}"/>'
        "<xdr:cNvSpPr/></xdr:nvSpPr>"
        f"<xdr:spPr>{sp_pr}</xdr:spPr>"
        f"<xdr:txBody>{body}<a:lstStyle/>"
        f'<a:p><a:pPr algn="{align}"/><a:r>{run}<a:t>{escape(text)}</a:t></a:r></a:p>'
        "</xdr:txBody></xdr:sp>"
        '<xdr:clientData fPrintsWithSheet="0"/>'
        "</xdr:oneCellAnchor>"
    )


def buttons_drawing(first_col: int, first_row: int, buttons=SHEET_BUTTONS) -> str:
    """The drawing part holding the caption and one shape per button."""
    anchors = [_shape(2, first_col, first_row, None, SHEET_BUTTONS_TITLE)]
    for i, b in enumerate(buttons):
        anchors.append(_shape(3 + i, first_col, first_row + 1 + 2 * i, b, b.label))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">' + "".join(anchors) + "</xdr:wsDr>"
    )


# --------------------------------------------------------------------------- package


def _rels_path(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base_part.rpartition("/")[0].split("/") if "/" in base_part else []
    for seg in target.split("/"):
        if seg == "..":
            parts.pop()
        elif seg != ".":
            parts.append(seg)
    return "/".join(parts)


def _sheets(members: dict[str, bytes]) -> list[tuple[str, str]]:
    """(sheet name, part path) in workbook order."""
    wb = members["xl/workbook.xml"].decode("utf-8")
    rels = members["xl/_rels/workbook.xml.rels"].decode("utf-8")
    targets = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid = re.search(r'Id="([^"]+)"', tag).group(1)
        targets[rid] = _resolve("xl/workbook.xml", re.search(r'Target="([^"]+)"', tag).group(1))
    out = []
    for m in re.finditer(r"<sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'\bname="([^"]*)"', tag).group(1)
        rid = re.search(r'\br:id="([^"]+)"', tag).group(1)
        out.append((unescape(name, {"&quot;": '"', "&apos;": "'"}), targets[rid]))
    return out


def build_project(sheet_count: int, *, addin: bool, name: str | None = None) -> tuple[ovba.Project, str]:
    """The VBA project for a workbook with `sheet_count` sheets; returns it and the
    embedded xlwings version."""
    version, xlwings_mods = xlwings_modules()
    modules = [ovba.document_module("ThisWorkbook", workbook=True)]
    modules += [ovba.document_module(f"Sheet{i + 1}") for i in range(sheet_count)]
    modules += own_modules(addin=addin) + xlwings_mods
    project = ovba.Project(modules=modules, name=name or (ADDIN_PROJECT if addin else WORKBOOK_PROJECT))
    return project, version


def make_macro_workbook(xlsx_path: str | Path, out_path: str | Path, *, addin: bool = False) -> Path:
    """Write `out_path` (.xlsm, or .xlam with addin=True) from the .xlsx at `xlsx_path`."""
    from cchc.atomic import atomic_write

    with zipfile.ZipFile(xlsx_path) as zf:
        order = [i.filename for i in zf.infolist()]
        members = {n: zf.read(n) for n in order}

    sheets = _sheets(members)
    project, _version = build_project(len(sheets), addin=addin)

    # Code names bind the document modules to the workbook and its sheets.
    wb_xml = members["xl/workbook.xml"].decode("utf-8")
    wb_xml = _set_code_name(wb_xml, "workbookPr", "workbook", "ThisWorkbook", after=("fileSharing", "fileVersion"))
    members["xl/workbook.xml"] = wb_xml.encode("utf-8")
    for i, (_name, part) in enumerate(sheets):
        xml = members[part].decode("utf-8")
        members[part] = _set_code_name(xml, "sheetPr", "worksheet", f"Sheet{i + 1}").encode("utf-8")

    # VBA project.
    rels, _ = _rels_add(members["xl/_rels/workbook.xml.rels"].decode("utf-8"), VBA_REL, "vbaProject.bin")
    members["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    members["xl/vbaProject.bin"] = ovba.build_vba_project(project)
    overrides = {"/xl/vbaProject.bin": CT_VBA}

    # Ribbon.
    root_rels, _ = _rels_add(members["_rels/.rels"].decode("utf-8"), UI_REL, "customUI/customUI.xml")
    members["_rels/.rels"] = root_rels.encode("utf-8")
    members["customUI/customUI.xml"] = ribbon_xml(addin=addin).encode("utf-8")

    # Buttons on the first sheet.
    info = [part for name, part in sheets if name == INFO_SHEET]
    if not addin and info:
        part = info[0]
        sheet_xml = members[part].decode("utf-8")
        if "<drawing " in sheet_xml:
            raise ValueError(f"{part} already has a drawing; the button shapes need their own")
        n = 1
        while f"xl/drawings/drawing{n}.xml" in members:
            n += 1
        drawing = f"xl/drawings/drawing{n}.xml"
        members[drawing] = buttons_drawing(_last_column(sheet_xml) + 2, 3).encode("utf-8")
        order.append(drawing)
        sheet_rels = _rels_path(part)
        rels_xml = members[sheet_rels].decode("utf-8") if sheet_rels in members else None
        if rels_xml is None:
            order.append(sheet_rels)
        rels_xml, rid = _rels_add(rels_xml, DRAWING_REL, f"../drawings/drawing{n}.xml")
        members[sheet_rels] = rels_xml.encode("utf-8")
        members[part] = _insert_drawing_ref(sheet_xml, rid).encode("utf-8")
        overrides[f"/{drawing}"] = CT_DRAWING

    ct = members["[Content_Types].xml"].decode("utf-8")
    members["[Content_Types].xml"] = _content_types(
        ct, main=CT_XLAM if addin else CT_XLSM, overrides=overrides
    ).encode("utf-8")

    for new in ("xl/vbaProject.bin", "customUI/customUI.xml"):
        order.append(new)

    out_path = Path(out_path)
    with atomic_write(out_path) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in order:
                info_ = zipfile.ZipInfo(name, date_time=FIXED_DATE)
                info_.compress_type = zipfile.ZIP_STORED if name.endswith(".bin") else zipfile.ZIP_DEFLATED
                info_.external_attr = 0o600 << 16
                zf.writestr(info_, members[name])
    return out_path


def build_addin(out_path: str | Path) -> Path:
    """Write the add-in (.xlam) for district and province staff.

    Its only sheet is hidden by Excel (an add-in workbook is never shown); the tab it adds
    works on whichever workbook is active.
    """
    import datetime as dt
    import tempfile

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from cchc import __version__

    wb = Workbook()
    ws = wb.active
    ws.title = "CCHC"
    ws["A1"] = "Add-in «Báo cáo CCHC»"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "Thêm thẻ «Báo cáo CCHC» vào Excel: kiểm tra, tạo báo cáo, tạo biểu mẫu trống "
        "và tổng hợp biểu mẫu của nhiều xã."
    )
    ws["A3"] = f"Phiên bản cchc: {__version__}"
    props = wb.properties
    props.title = "Báo cáo CCHC (add-in)"
    props.creator = props.lastModifiedBy = "cchc"
    props.created = props.modified = dt.datetime(2025, 1, 1)
    out_path = Path(out_path)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "addin.xlsx"
        wb.save(src)
        return make_macro_workbook(src, out_path, addin=True)
