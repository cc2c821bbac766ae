"""Open an untrusted workbook file and expose its raw cells and defined names.

Nothing here knows the catalogue. `open_raw(path)` checks the file (exists, size, zip sanity,
password, legacy .xls) and gives a RawWorkbook: grids of plain Python values per sheet, read
lazily with calamine, plus the workbook-level defined names parsed from xl/workbook.xml with
defusedxml. The xlwings adapter builds the same RawWorkbook from an open Excel book.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple

from defusedxml import ElementTree as SafeET

from cchc.errors import WorkbookError

MAX_FILE_BYTES = 50 * 1024 * 1024  # a filled cchc workbook is ~40 KB
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # zip-bomb guard
MAX_ZIP_MEMBERS = 5000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
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


def _col_index(letters: str) -> int:
    c = 0
    for ch in letters:
        c = c * 26 + (ord(ch) - 64)
    return c - 1


def parse_name_ref(text: str) -> NameRef | None:
    """`'Thông tin chung'!$B$4` or `BM3!$D$12:$D$14` → NameRef; None for #REF!, unions, constants."""
    m = _NAME_REF.match(text.strip())
    if not m:
        return None
    quoted, bare, c0, r0, c1, r1 = m.groups()
    sheet = quoted.replace("''", "'") if quoted is not None else bare
    r0, c0 = int(r0) - 1, _col_index(c0)
    if c1 is None:
        return NameRef(sheet, r0, c0, r0, c0)
    return NameRef(sheet, r0, c0, int(r1) - 1, _col_index(c1))


@dataclass
class RawWorkbook:
    """Raw cell values by sheet (row 0 = Excel row 1), and workbook-level defined names."""

    source: str
    sheet_names: list[str]
    names: Mapping[str, NameRef] = field(default_factory=dict)
    loader: Callable[[str], Grid] | None = None
    _grids: dict[str, Grid] = field(default_factory=dict)

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

    @classmethod
    def from_grids(cls, source: str, grids: dict[str, Grid], names: dict[str, NameRef] | None = None):
        return cls(source=source, sheet_names=list(grids), names=names or {}, _grids=dict(grids))


def _refuse(path: Path, why: str) -> WorkbookError:
    return WorkbookError(f"Không đọc được tệp «{path}»: {why}")


@lru_cache(maxsize=64)
def _defined_names(xml: bytes) -> Mapping[str, NameRef]:
    """Workbook-level defined names. Memoised on the XML bytes: every workbook cut from one
    template carries the same ~130 names, and parsing them was a quarter of reading a file in
    `cchc merge`. The mapping is shared by every caller, so it is read-only."""
    root = SafeET.fromstring(xml)
    names: dict[str, NameRef] = {}
    dn = root.find(f"{_NS_MAIN}definedNames")
    if dn is None:
        return names
    for el in dn.findall(f"{_NS_MAIN}definedName"):
        name = el.get("name", "")
        if not name or name.startswith("_xlnm") or el.get("localSheetId") is not None:
            continue
        ref = parse_name_ref(el.text or "")
        if ref is not None:
            names[name] = ref
    return MappingProxyType(names)


def _check_zip(path: Path) -> bytes:
    """Sanity-check the zip container; return xl/workbook.xml."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise _refuse(path, "tệp chứa quá nhiều thành phần, không phải sổ tính Excel bình thường.")
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise _refuse(path, "dữ liệu giải nén quá lớn (nghi là tệp hỏng hoặc độc hại).")
            members = {i.filename for i in infos}
            if "xl/workbook.xml" not in members:
                if "word/document.xml" in members:
                    raise _refuse(path, "đây là tệp Word, không phải sổ tính Excel (.xlsx).")
                if "content.xml" in members:
                    raise _refuse(path, "đây là tệp OpenDocument; hãy mở bằng Excel/LibreOffice và lưu dạng .xlsx.")
                raise _refuse(path, "không phải sổ tính Excel (.xlsx).")
            return zf.read("xl/workbook.xml")
    except zipfile.BadZipFile:
        raise _refuse(path, "tệp bị hỏng hoặc bị cắt cụt (không giải nén được). Hãy lấy lại bản gốc.") from None


def open_raw(path: str | Path) -> RawWorkbook:
    """Open a workbook file from outside, defensively. Raise WorkbookError (exit 2) if unusable."""
    import python_calamine as pc

    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"Không tìm thấy tệp «{path}». Hãy kiểm tra lại đường dẫn.")
    if path.is_dir():
        raise WorkbookError(f"«{path}» là một thư mục, không phải tệp Excel.")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _refuse(path, f"không mở được tệp ({exc.strerror}).") from None
    if size == 0:
        raise _refuse(path, "tệp rỗng (0 byte).")
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"tệp quá lớn ({size // (1024 * 1024)} MB); biểu mẫu cchc chỉ khoảng vài chục KB.")

    names: Mapping[str, NameRef] = {}
    if head.startswith(_ZIP_MAGIC):
        workbook_xml = _check_zip(path)
        try:
            names = _defined_names(workbook_xml)
        except Exception:  # defusedxml refusals and malformed XML alike
            raise _refuse(path, "phần mô tả sổ tính (workbook.xml) bị hỏng hoặc không an toàn.") from None
    elif head.startswith(_OLE_MAGIC):
        data = path.read_bytes()
        if _ENCRYPTION_INFO in data:
            raise _refuse(
                path,
                "tệp được đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc "
                "→ Mã hóa bằng mật khẩu → xóa mật khẩu), lưu lại rồi gửi lại.",
            )
        # A legacy .xls: calamine reads it; cells are then found by their STT codes.
    else:
        raise _refuse(path, "không phải sổ tính Excel (.xlsx, .xlsm hoặc .xls).")

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise _refuse(path, "tệp được đặt mật khẩu. Hãy bỏ mật khẩu, lưu lại rồi gửi lại.") from None
    except Exception as exc:  # calamine raises several error types for broken files
        raise _refuse(path, f"nội dung sổ tính bị hỏng ({type(exc).__name__}).") from None

    def load(sheet: str) -> Grid:
        try:
            return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:
            raise _refuse(path, f"trang «{sheet}» bị hỏng ({type(exc).__name__}).") from None

    return RawWorkbook(source=str(path), sheet_names=list(book.sheet_names), names=names, loader=load)
