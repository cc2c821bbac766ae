"""Open an untrusted workbook file and expose its raw cells and defined names.

Nothing here knows the catalogue. `open_raw(path)` checks the file (a regular file, size, zip
sanity, password, legacy .xls), then the XML of its sheets before any reader builds a grid
from them (cchc.workbook.bounds: how far each sheet reaches, error cells, formulas without a
computed value), and gives a RawWorkbook: grids of plain Python values per sheet, read lazily
with calamine, plus the workbook-level defined names parsed from xl/workbook.xml with
defusedxml. The xlwings adapter builds the same RawWorkbook from an open Excel book.

`cchc merge` reads thousands of files in worker processes that survive a crash, so it opens
with `scan=False`: the sheets are not unpacked a second time (that costs a fifth of reading a
workbook), a sheet calamine read is still held to the limits before it becomes Python lists,
and error cells or formulas without a result read as blank there (`cchc check` and the Excel
button report them at their cells; in the merge the checks' blank warnings point at them).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple

from defusedxml import ElementTree as SafeET

from cchc.cells import a1
from cchc.errors import CchcError, WorkbookError
from cchc.files import read_input, shown
from cchc.numbers import format_number
from cchc.workbook.bounds import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    SheetCells,
    SheetRefused,
    check_range,
    col_index,
    limit_text,
    scan_sheet,
)

MAX_FILE_BYTES = 50 * 1024 * 1024  # a filled cchc workbook is ~40 KB
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # zip-bomb guard
MAX_ZIP_MEMBERS = 5000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

Grid = list[list[Any]]


class NameRef(NamedTuple):
    sheet: str
    r0: int
    c0: int
    r1: int
    c1: int


_NAME_REF = re.compile(
    r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$"
)


def parse_name_ref(text: str) -> NameRef | None:
    """`'Thông tin chung'!$B$4` or `BM3!$D$12:$D$14` → NameRef; None for #REF!, unions, constants."""
    m = _NAME_REF.match(text.strip())
    if not m:
        return None
    quoted, bare, c0, r0, c1, r1 = m.groups()
    sheet = quoted.replace("''", "'") if quoted is not None else bare
    r0, c0 = int(r0) - 1, col_index(c0)
    if c1 is None:
        return NameRef(sheet, r0, c0, r0, c0)
    return NameRef(sheet, r0, c0, int(r1) - 1, col_index(c1))


@dataclass
class RawWorkbook:
    """Raw cell values by sheet (row 0 = Excel row 1), and workbook-level defined names."""

    source: str
    sheet_names: list[str]
    names: Mapping[str, NameRef] = field(default_factory=dict)
    loader: Callable[[str], Grid] | None = None
    _grids: dict[str, Grid] = field(default_factory=dict)
    # (sheet, row, column) → "#DIV/0!" or "=formula" for a cell a grid shows blank that is not.
    special_loader: Callable[[str, int, int], str | None] | None = None

    def has_sheet(self, name: str) -> bool:
        return name in self.sheet_names

    def grid(self, sheet: str) -> Grid:
        if sheet not in self._grids:
            self._grids[sheet] = self.loader(sheet) if self.loader else []
        return self._grids[sheet]

    def value(self, sheet: str, r0: int, c0: int) -> Any:
        g = self.grid(sheet)
        if r0 < len(g):
            row = g[r0]
            if c0 < len(row):
                v = row[c0]
                return None if v == "" else v
        return None

    def special(self, sheet: str, r0: int, c0: int) -> str | None:
        """What a cell that reads blank really holds: an error value ("#DIV/0!") or a formula
        saved without its result ("=D7/D8"); None for a truly empty cell."""
        return self.special_loader(sheet, r0, c0) if self.special_loader else None

    @classmethod
    def from_grids(cls, source: str, grids: dict[str, Grid], names: dict[str, NameRef] | None = None):
        return cls(source=source, sheet_names=list(grids), names=names or {}, _grids=dict(grids))


def _refuse(path: Path, why: str) -> WorkbookError:
    return WorkbookError(f"Không đọc được tệp «{shown(path)}»: {why}")


@lru_cache(maxsize=64)
def _workbook_xml(xml: bytes) -> tuple[Mapping[str, NameRef], tuple[tuple[str, str], ...]]:
    """Workbook-level defined names, and (sheet name, relationship id) of each sheet.
    Memoised on the XML bytes: every workbook cut from one template carries the same ~130
    names, and parsing them was a quarter of reading a file in `cchc merge`. The mapping is
    shared by every caller, so it is read-only."""
    root = SafeET.fromstring(xml)
    names: dict[str, NameRef] = {}
    dn = root.find(f"{_NS_MAIN}definedNames")
    for el in (dn.findall(f"{_NS_MAIN}definedName") if dn is not None else ()):
        name = el.get("name", "")
        if not name or name.startswith("_xlnm") or el.get("localSheetId") is not None:
            continue
        ref = parse_name_ref(el.text or "")
        if ref is not None:
            if not (ref.r0 <= ref.r1 < MAX_ROWS and ref.c0 <= ref.c1 < MAX_COLUMNS):
                raise SheetRefused(f"tên ô {name[:60]} ({(el.text or '')[:60]})",
                                   "trỏ tới vùng vượt giới hạn của cchc hoặc vùng ngược")
            names[name] = ref
    sheets = []
    holder = root.find(f"{_NS_MAIN}sheets")
    for el in (holder.findall(f"{_NS_MAIN}sheet") if holder is not None else ()):
        sheets.append((el.get("name", ""), el.get(f"{_NS_REL}id", "")))
    return MappingProxyType(names), tuple(sheets)


def _defined_names(xml: bytes) -> Mapping[str, NameRef]:
    return _workbook_xml(xml)[0]


@lru_cache(maxsize=64)
def _targets(rels_xml: bytes) -> Mapping[str, str]:
    """Relationship id → zip member it points at, from xl/_rels/workbook.xml.rels."""
    root = SafeET.fromstring(rels_xml)
    out = {}
    for el in root.findall(f"{_NS_PKG_REL}Relationship"):
        target = el.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[el.get("Id", "")] = member
    return MappingProxyType(out)


@dataclass
class _Package:
    """The zip container, checked: its members, the workbook part, where each sheet lives."""

    members: dict[str, zipfile.ZipInfo]
    workbook_xml: bytes
    sheet_parts: dict[str, str]  # sheet name → zip member


def _check_zip(path: Path, data: bytes, *, parts: bool = True) -> _Package:
    """Sanity-check the zip container; find the workbook part and (parts=True) the part of
    each sheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise _refuse(path, "tệp chứa quá nhiều thành phần, không phải sổ tính Excel bình thường.")
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise _refuse(path, "dữ liệu giải nén quá lớn (nghi là tệp hỏng hoặc độc hại).")
            members = {i.filename: i for i in infos}
            if "xl/workbook.xml" not in members:
                if "word/document.xml" in members:
                    raise _refuse(path, "đây là tệp Word, không phải sổ tính Excel (.xlsx).")
                if "content.xml" in members:
                    raise _refuse(path, "đây là tệp OpenDocument; hãy mở bằng Excel/LibreOffice và lưu dạng .xlsx.")
                raise _refuse(path, "không phải sổ tính Excel (.xlsx).")
            workbook_xml = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels") if parts and "xl/_rels/workbook.xml.rels" in members else b""
    except zipfile.BadZipFile:
        raise _refuse(path, "tệp bị hỏng hoặc bị cắt cụt (không giải nén được). Hãy lấy lại bản gốc.") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError) as exc:
        raise _refuse(path, f"tệp nén bị hỏng hoặc dùng kiểu nén lạ ({type(exc).__name__}).") from None
    try:
        _, sheets = _workbook_xml(workbook_xml)
        targets = _targets(rels) if rels else {}
    except SheetRefused:
        raise
    except Exception:  # defusedxml refusals and malformed XML alike
        raise _refuse(path, "phần mô tả sổ tính (workbook.xml) bị hỏng hoặc không an toàn.") from None
    parts = {name: targets.get(rid, "") for name, rid in sheets}
    return _Package(members, workbook_xml, parts)


def _read_member(path: Path, zf: zipfile.ZipFile, member: str) -> bytes:
    try:
        return zf.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        raise _refuse(path, f"phần «{member}» của tệp bị hỏng ({type(exc).__name__}).") from None


def _inflate(path: Path, data: bytes, info: zipfile.ZipInfo, archive: list) -> bytes:
    """One member of the zip held in `data`, unpacked straight with zlib (about twice as fast
    as zipfile, and every sheet of every file checked goes through here); zipfile for anything
    but a plain deflated or stored member, or one that unpacks to another size than declared
    (zipfile then refuses it)."""
    try:
        off = info.header_offset
        if data[off:off + 4] == b"PK\x03\x04" and info.compress_type in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
            start = off + 30 + int.from_bytes(data[off + 26:off + 28], "little") + int.from_bytes(data[off + 28:off + 30], "little")
            body = data[start:start + info.compress_size]
            if info.compress_type == zipfile.ZIP_STORED:
                return body
            d = zlib.decompressobj(-15)
            out = d.decompress(body, info.file_size + 1)
            if len(out) == info.file_size:
                return out
    except (zlib.error, ValueError):
        pass
    if not archive:
        archive.append(zipfile.ZipFile(io.BytesIO(data)))
    return _read_member(path, archive[0], info.filename)


def _scanned_members(pkg: _Package, *, comments: bool) -> list[str]:
    """Every part a reader may build cells from: each sheet's (as the workbook points at it)
    and, for openpyxl, the comments (it places a cell for each)."""
    out = []
    for part in pkg.sheet_parts.values():
        if part in pkg.members and part not in out:
            out.append(part)
    if comments:
        out += [m for m in pkg.members if "comments" in m.rsplit("/", 1)[-1].lower() and m.endswith(".xml")]
    return out


_COMMENT_REF = re.compile(rb'<(?:\w+:)?comment\b[^>]*?\sref\s*=\s*["\']([^"\']*)["\']')


def _scan_package(path: Path, data: bytes, pkg: _Package, *, openpyxl: bool) -> dict[str, SheetCells]:
    """Check every sheet (and, for openpyxl, every comments part) against the limits; return
    each sheet's cells for the look-up of special ones. WorkbookError naming the sheet and
    the cell when one reaches too far."""
    by_part = {part: name for name, part in pkg.sheet_parts.items()}
    out: dict[str, SheetCells] = {}
    cells = 0
    archive: list = []
    for member in _scanned_members(pkg, comments=openpyxl):
        xml = _inflate(path, data, pkg.members[member], archive)
        sheet = by_part.get(member)
        try:
            if sheet is None:  # comments
                for m in _COMMENT_REF.finditer(xml):
                    check_range(m.group(1).decode("ascii", "replace"), "ghi chú ở ô")
                continue
            scan = scan_sheet(xml, openpyxl=openpyxl, special=False)
        except SheetRefused as exc:
            where = f"trang «{sheet}»" if sheet else f"phần «{member}»"
            raise _refuse(path, _too_far(where, exc)) from None
        cells += scan.cells
        if cells > MAX_CELLS:
            raise _refuse(path, f"sổ tính có hơn {format_number(MAX_CELLS)} ô, vượt giới hạn của cchc "
                                "(một biểu mẫu cchc chỉ có vài nghìn ô).")
        out[sheet] = SheetCells(xml, scan.formulas, usual=scan.formulas is not None)
    return out


def _too_far(where: str, exc: SheetRefused) -> str:
    return (f"{where}, {exc.where}: {exc.why}. Hãy xóa các dòng, cột thừa ở cuối trang (chọn chúng → "
            "chuột phải → Xóa), lưu lại rồi gửi lại; biểu mẫu cchc chỉ dùng vài chục dòng.")


def check_bounds(path: str | Path) -> str | None:
    """Why the workbook at `path` is past the limits (the message `open_raw` would give), or
    None. For a merge worker that died on a file: say why, when the reason is this."""
    try:
        open_raw(path, scan="openpyxl", grids=False)
    except WorkbookError as exc:
        return exc.message
    return None


def open_raw(path: str | Path, *, scan: bool | str = True, grids: bool = True) -> RawWorkbook:
    """Open a workbook file from outside, defensively. Raise WorkbookError (exit 2) if unusable.
    scan=True checks the sheets for what calamine builds from them; scan="openpyxl" also for
    what openpyxl expands (before `check --mark` or `fill` load the file with it); scan=False
    skips the check before parsing (cchc merge's isolated workers, see the module's
    docstring)."""
    import python_calamine as pc

    path = Path(path)
    try:
        data = read_input(path, "tệp Excel", max_bytes=MAX_FILE_BYTES)
    except CchcError as exc:
        raise WorkbookError(exc.message) from None
    if not data:
        raise _refuse(path, "tệp rỗng (0 byte).")

    names: Mapping[str, NameRef] = {}
    pkg: _Package | None = None
    scanned: dict[str, SheetCells] | None = None
    if data.startswith(_ZIP_MAGIC):
        try:
            pkg = _check_zip(path, data, parts=bool(scan))
            names = _defined_names(pkg.workbook_xml)
        except SheetRefused as exc:
            raise _refuse(path, _too_far("sổ tính", exc)) from None
        if scan:
            scanned = _scan_package(path, data, pkg, openpyxl=scan == "openpyxl")
    elif data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise _refuse(
                path,
                "tệp được đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc "
                "→ Mã hóa bằng mật khẩu → xóa mật khẩu), lưu lại rồi gửi lại.",
            )
        # A legacy .xls (whatever its name ends with): calamine reads it; cells are then found
        # by their STT codes.
    else:
        raise _refuse(path, "không phải sổ tính Excel (.xlsx, .xlsm hoặc .xls).")
    if not grids:
        return RawWorkbook(source=str(path), sheet_names=list(pkg.sheet_parts) if pkg else [], names=names)

    try:
        # From the bytes already read: the format is told by the content, not the name (a .xls
        # renamed .xlsx is still read), and the file is read once.
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise _refuse(path, "tệp được đặt mật khẩu. Hãy bỏ mật khẩu, lưu lại rồi gửi lại.") from None
    except BaseException as exc:  # calamine raises several error types for broken files, a panic too
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise _refuse(path, f"nội dung sổ tính bị hỏng ({type(exc).__name__}).") from None

    def load(sheet: str) -> Grid:
        try:
            found = book.get_sheet_by_name(sheet)
            # A sheet calamine has read (a .xls, or a merge worker's file) is still held to the
            # limits before it becomes Python lists.
            end = found.end
            if end is not None and (end[0] >= MAX_ROWS or end[1] >= MAX_COLUMNS):
                raise SheetRefused(f"ô {a1(*end)}", limit_text())
            return found.to_python(skip_empty_area=False)
        except SheetRefused as exc:
            raise _refuse(path, _too_far(f"trang «{sheet}»", exc)) from None
        except BaseException as exc:
            if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
                raise
            raise _refuse(path, f"trang «{sheet}» bị hỏng ({type(exc).__name__}).") from None

    def special(sheet: str, r0: int, c0: int) -> str | None:
        found = scanned.get(sheet)
        try:
            return found.special(r0, c0) if found is not None else None
        except SheetRefused as exc:
            raise _refuse(path, _too_far(f"trang «{sheet}»", exc)) from None

    sheet_names = list(book.sheet_names)
    return RawWorkbook(source=str(path), sheet_names=sheet_names, names=names, loader=load,
                       special_loader=special if pkg is not None and scan else None)


__all__ = ["RawWorkbook", "NameRef", "open_raw", "check_bounds", "parse_name_ref", "MAX_FILE_BYTES",
           "MAX_UNPACKED_BYTES", "MAX_ZIP_MEMBERS", "MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS"]
