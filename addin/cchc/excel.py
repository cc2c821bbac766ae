"""What the buttons in Excel run: `RunPython "import cchc.excel; cchc.excel.validate()"`.

Thin on purpose. Each entry point reads the *open* workbook through xlwings (the officer may
not have saved), hands it to the use cases the command line and the portal call (cchc.app:
load, check, report, merge) and writes back through the xlwings `Book` API only, so it runs
the same on Windows Excel (classic RunPython) and on xlwings' remote engine used by the tests.

Every failure ends in a Vietnamese message box with a one-line cause and the path of a log
file holding the technical details; never a raw traceback window.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from cchc.errors import CchcError

TITLE = "Báo cáo CCHC"
LOG_FILE_NAME = "cchc-excel.log"

# --------------------------------------------------------------------------- plumbing


def log_path() -> Path:
    """Where the technical details of a failure go: %LOCALAPPDATA%\\cchc on Windows."""
    base = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else None
    folder = Path(base) / "cchc" if base else Path.home() / ".cchc"
    return folder / LOG_FILE_NAME


def _log_exception(action: str) -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\n[{dt.datetime.now():%Y-%m-%d %H:%M:%S}] {action}\n")
            fh.write(traceback.format_exc())
    except OSError:
        logging.getLogger(__name__).exception("cannot write %s", path)
    return path


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    cause = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return cause if len(cause) <= 200 else cause[:197] + "…"


def _alert(book, message: str, *, mode: str = "info") -> None:
    # xlwings on Windows knows two icons only: "info" and "critical" (a warning triangle).
    mode = mode if mode in ("info", "critical") else "critical"
    app = book.app if book is not None else None
    if app is None:
        import xlwings as xw

        app = xw.apps.active
    app.alert(message, title=TITLE, buttons="ok", mode=mode)


def _entry(action: str, *, needs_report: bool = True) -> Callable:
    """Run a button's work; turn any exception into a Vietnamese message box.
    `needs_report`: the work is on a report workbook (so an add-in button needs one active)."""

    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def run(book=None, *args, **kwargs):
            try:
                book = _target(book, needs_report=needs_report)
            except _NoWorkbook as exc:  # the add-in's button, and no workbook open in Excel
                _alert(exc.caller, no_workbook_message(action), mode="critical")
                return None
            except Exception as exc:  # no Excel to talk to: the buttons' VBA shows this line
                from cchc.vba.text import for_vba

                path = _log_exception(action)
                print(for_vba(
                    f"Không {action} được: chương trình cchc không kết nối được với Excel.\n\n"
                    f"Nguyên nhân: {_one_line(exc)}\n\n"
                    f"Chi tiết kỹ thuật đã ghi vào tệp:\n{path}\n"
                    "Hãy gửi tệp này cho cán bộ hỗ trợ nếu lỗi lặp lại."
                ), file=sys.stderr)
                raise
            try:
                return func(book, *args, **kwargs)
            except CchcError as exc:
                _alert(book, exc.message, mode="critical")
            except Exception as exc:
                path = _log_exception(action)
                _alert(
                    book,
                    f"Không {action} được.\n\nNguyên nhân: {_one_line(exc)}\n\n"
                    f"Chi tiết kỹ thuật đã ghi vào tệp:\n{path}\n"
                    "Hãy gửi tệp này cho cán bộ hỗ trợ nếu lỗi lặp lại.",
                    mode="critical",
                )
            return None

        return run

    return wrap


ADDIN_SUFFIXES = (".xlam", ".xla")


class _NoWorkbook(Exception):
    """An add-in button that works on a report was clicked with no workbook open."""

    def __init__(self, caller):
        super().__init__("no active workbook")
        self.caller = caller


def no_workbook_message(action: str) -> str:
    """What an add-in button that needs a report says when none is open (the buttons' VBA
    says the same before starting Python: CchcMsgNoWorkbook in vba/basic/CchcText.bas)."""
    return (
        f"Chưa có biểu mẫu nào đang mở để {action}.\n\n"
        "Hãy mở biểu mẫu báo cáo CCHC của xã (tệp .xlsx hoặc .xlsm), bấm vào một ô của biểu mẫu rồi bấm lại nút."
    )


def _active_book(app):
    """The workbook Excel calls active, or None when there is none (only add-ins open).

    Not `app.books.active`, which is never None: on Windows it wraps Excel's `Nothing` in a
    Book whose every property fails, and on the other engines it opens a new workbook."""
    import xlwings as xw

    impl = app.books.impl.active
    if impl is None or getattr(impl, "xl", impl) is None:
        return None
    book = xw.Book(impl=impl)
    return None if book.name.lower().endswith(ADDIN_SUFFIXES) else book


def _target(book, *, needs_report: bool = True):
    """The workbook to work on: the one whose button was clicked or, when the button
    belongs to the add-in, the active workbook (the add-in itself for work that needs none)."""
    if book is not None:
        return book
    import xlwings as xw

    caller = xw.Book.caller()
    if not caller.name.lower().endswith(ADDIN_SUFFIXES):
        return caller
    active = _active_book(caller.app)
    if active is not None:
        return active
    if not needs_report:
        return caller
    raise _NoWorkbook(caller)


def _is_com(book) -> bool:
    return getattr(getattr(book.app, "engine", None), "name", "") not in ("remote", "calamine")


class _Unprotected:
    """Lift the (password-less) protection of sheets while writing formats, then put it back
    with the same options. A no-op where the engine has no protection (remote engine)."""

    _FLAGS = (
        "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
        "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
        "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
        "AllowUsingPivotTables",
    )

    def __init__(self, book, sheet_names):
        self.book, self.names, self.saved = book, list(dict.fromkeys(sheet_names)), []

    def __enter__(self):
        if not _is_com(self.book):
            return self
        for name in self.names:
            ws = self.book.sheets[name].api
            if ws.ProtectContents:
                opts = {flag: getattr(ws.Protection, flag) for flag in self._FLAGS}
                opts.update(DrawingObjects=ws.ProtectDrawingObjects, Scenarios=ws.ProtectScenarios)
                ws.Unprotect()
                self.saved.append((ws, opts))
        return self

    def __exit__(self, *exc):
        for ws, opts in self.saved:
            ws.Protect(Contents=True, **opts)
        return False


# --------------------------------------------------------------------------- reading


def _grid(sheet) -> list[list[Any]]:
    """All values of a sheet from A1 to the end of its used range, as a list of rows."""
    used = sheet.used_range
    last_row, last_col = used.last_cell.row, used.last_cell.column
    values = sheet.range((1, 1), (last_row, last_col)).options(ndim=2).value
    return [[_plain(v) for v in row] for row in values]


def _plain(v: Any) -> Any:
    # Excel hands dates as datetimes; the reader wants what calamine gives: date or datetime.
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date()
    return v


def raw_from_book(book):
    """A RawWorkbook (as cchc.workbook.raw gives from a file) from an open xlwings Book."""
    from cchc.workbook.raw import RawWorkbook, parse_name_ref

    names = {}
    for n in book.names:
        name = n.name
        if "!" in name or name.startswith("_xlnm"):
            continue  # sheet-level and built-in names are not the catalogue's
        ref = parse_name_ref(n.refers_to or "")
        if ref is not None:
            names[name] = ref
    sheets = {s.name: s for s in book.sheets}
    return RawWorkbook(
        source=book.name,
        sheet_names=list(sheets),
        names=names,
        loader=lambda name: _grid(sheets[name]),
    )


@dataclass
class _Read:
    loaded: Any  # cchc.app.Loaded
    inputs: list  # (sheet, r0, c0) of every input cell the reader knows, in sheet order


def _read(book) -> _Read:
    from cchc import app

    loaded = app.load_raw(raw_from_book(book))
    return _Read(loaded, _input_cells(loaded.raw, loaded.data, loaded.catalogue))


def _input_cells(raw, data, catalogue) -> list[tuple[str, int, int]]:
    """Every cell the officer types into that the reader located: indicator values, all
    lines of the general information (list fields span several rows) and narrative texts.
    These are the only cells `validate` colours, and the ones `clear` gives back their fill."""
    cells: dict[tuple[str, int, int], None] = {}
    for form in catalogue.forms:
        for row in form.rows:
            at = data.cells.get(row.ref)
            if row.is_input and at is not None:
                cells[(at.sheet, at.r0, at.c0)] = None
            for col in form.columns:  # free-text columns (annual index workbook)
                span = raw.names.get(form.column_name(row.code, col.key)) if col.type == "text" else None
                if span is not None:
                    cells[(span.sheet, span.r0, span.c0)] = None
    for field in catalogue.info:
        span = raw.names.get(field.name)
        if span is not None:
            for r in range(span.r0, span.r1 + 1):
                for c in range(span.c0, span.c1 + 1):
                    cells[(span.sheet, r, c)] = None
        elif field.key in data.info_cells:
            at = data.info_cells[field.key]
            cells[(at.sheet, at.r0, at.c0)] = None
    for at in data.narrative_cells.values():
        cells[(at.sheet, at.r0, at.c0)] = None
    return list(cells)


# --------------------------------------------------------------------------- colours + findings


def _fills() -> tuple[str, str, str]:
    """Input, error and warning fills (RRGGBB): the template's and the marked copy's."""
    from cchc.workbook.style import ERROR_FILL_RGB, INPUT_FILL_RGB, WARNING_FILL_RGB

    return INPUT_FILL_RGB[-6:], ERROR_FILL_RGB[-6:], WARNING_FILL_RGB[-6:]


def _rgb(hex6: str) -> tuple[int, int, int]:
    return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)


def _paint(book, colours: dict[tuple[str, int, int], str]) -> None:
    """Set fills, one call per vertical run of cells with the same colour."""
    by_column: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for (sheet, r0, c0), colour in colours.items():
        by_column.setdefault((sheet, c0), []).append((r0, colour))
    with _Unprotected(book, [s for s, _ in by_column]):
        for (sheet, c0), cells in sorted(by_column.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            cells.sort()
            start = prev = cells[0][0]
            colour = cells[0][1]
            for r0, col in cells[1:] + [(None, None)]:
                if r0 is not None and r0 == prev + 1 and col == colour:
                    prev = r0
                    continue
                book.sheets[sheet].range((start + 1, c0 + 1), (prev + 1, c0 + 1)).color = _rgb(colour)
                if r0 is not None:
                    start = prev = r0
                    colour = col


def _finding_cell(f) -> tuple[str, int, int] | None:
    from cchc.cells import parse_a1

    sheet, cell = getattr(f, "sheet", ""), getattr(f, "cell", "")
    if not sheet or not cell:
        return None
    try:
        r0, c0 = parse_a1(cell.split(":")[0])
    except ValueError:
        return None
    return sheet, r0, c0


def _findings_rows(findings) -> list[list[Any]]:
    """The rows of the "Kiểm tra" sheet, as `cchc check --mark` writes them, made rectangular."""
    from cchc.cells import csv_value
    from cchc.checks.sheet import findings_rows

    # Excel reads a string written through COM as if typed: text that begins like a formula
    # gets Excel's text prefix (an apostrophe), so it stays text.
    rows = [[csv_value(v) for v in r] for r in findings_rows(findings)]
    width = max((len(r) for r in rows), default=1)
    return [r + [None] * (width - len(r)) for r in rows]


def _write_findings_sheet(book, findings) -> None:
    from cchc.workbook.style import SHEET_FINDINGS

    from cchc.checks.sheet import COLUMN_WIDTHS, findings_links

    rows = _findings_rows(findings)
    names = [s.name for s in book.sheets]
    if SHEET_FINDINGS in names:
        sheet = book.sheets[SHEET_FINDINGS]
        sheet.clear()  # values, formats and the old hyperlinks
    else:
        sheet = book.sheets.add(SHEET_FINDINGS, after=book.sheets[len(names) - 1])
    sheet["A1"].value = rows
    for r0, c0, target in findings_links(findings):
        cell = sheet.range((r0 + 1, c0 + 1))
        text = rows[r0][c0]
        if _is_com(book):
            sheet.api.Hyperlinks.Add(Anchor=cell.api, Address="", SubAddress=target, TextToDisplay=str(text))
        else:
            cell.add_hyperlink("#" + target, text_to_display=str(text))
    if _is_com(book):  # widths in characters, as the command line's marked copy has them
        for c0, width in enumerate(COLUMN_WIDTHS):
            sheet.range((1, c0 + 1)).column_width = width


# --------------------------------------------------------------------------- entry points


@_entry("kiểm tra số liệu")
def validate(book=None):
    """Check the open workbook: colour offending input cells (errors red, warnings amber),
    write the "Kiểm tra" sheet and say how many problems were found."""
    from cchc.workbook.style import SHEET_FINDINGS

    from cchc import app

    read = _read(book)
    findings = app.check(read.loaded)
    input_fill, error_fill, warning_fill = _fills()
    colours = {cell: input_fill for cell in read.inputs}
    known = set(colours)
    for f in sorted(findings, key=lambda f: getattr(f, "severity", "") == "error"):
        at = _finding_cell(f)
        if at in known and f.severity in ("error", "warning"):
            colours[at] = error_fill if f.severity == "error" else warning_fill
    _paint(book, colours)
    _write_findings_sheet(book, findings)

    n = app.counts(findings)
    errors, warnings = n["error"], n["warning"]
    if not errors and not warnings:
        message = "Kiểm tra xong: không thấy lỗi hay điểm cần xem lại."
    else:
        message = (
            f"Kiểm tra xong: {errors} lỗi, {warnings} cảnh báo.\n\n"
            "Ô có lỗi được tô đỏ, ô cần xem lại được tô vàng cam. "
            f"Danh sách chi tiết ở trang «{SHEET_FINDINGS}».\n"
            "Sửa xong, bấm «Kiểm tra số liệu» lần nữa; bấm «Xóa đánh dấu» để bỏ màu."
        )
    _alert(book, message, mode="info" if not errors else "critical")
    return findings


@_entry("xóa đánh dấu")
def clear(book=None):
    """Give every input cell back its fill and remove the "Kiểm tra" sheet. No value changes."""
    from cchc.workbook.style import SHEET_FINDINGS

    read = _read(book)
    input_fill = _fills()[0]
    _paint(book, {cell: input_fill for cell in read.inputs})
    if SHEET_FINDINGS in [s.name for s in book.sheets]:
        book.sheets[SHEET_FINDINGS].delete()
    _alert(book, "Đã xóa các đánh dấu của lần kiểm tra trước. Số liệu không thay đổi.")


def _saved_folder(book) -> Path | None:
    full = book.fullname or ""
    if "://" in full:  # OneDrive/SharePoint: no local folder to write beside
        return None
    folder = Path(full).parent
    return folder if str(folder) not in ("", ".") and folder.is_dir() else None


def _open_file(path: Path) -> None:
    if sys.platform == "win32":
        os.startfile(path)  # noqa: S606 - opening our own report with its default program


def _report_folder(book) -> Path:
    folder = _saved_folder(book)
    if folder is None:
        raise CchcError(
            "Tệp Excel này chưa được lưu vào máy nên chưa biết ghi báo cáo vào đâu.\n"
            "Hãy lưu tệp (Tệp → Lưu dưới dạng, chọn thư mục trên máy), rồi bấm lại."
        )
    return folder


def _write_report(book, *, pdf: bool, compare_with: list | None = None) -> Path:
    from cchc import app

    folder = _report_folder(book)
    loaded = _read(book).loaded
    earlier = compare_with or []
    result = app.report(loaded, folder, compare_with=earlier)
    head = "Đã tạo báo cáo Word"
    if earlier:
        named = app.compare(loaded, earlier).columns
        head += f" (so sánh với {', '.join(c.name for c in named)})"
    lines = [f"{head}:\n{result.docx}", *result.messages]
    opened = result.docx
    if pdf:
        try:
            pdf_path = _to_pdf(result.docx)
            lines.append(f"Đã tạo bản PDF:\n{pdf_path}")
            opened = pdf_path
        except CchcError as exc:
            lines.append(f"Chưa tạo được bản PDF: {exc.message}")
    errors, warnings = len(result.errors), len(result.warnings)
    if errors or warnings:
        lines.append(
            f"Lưu ý: biểu mẫu còn {errors} lỗi, {warnings} cảnh báo. "
            "Bấm «Kiểm tra số liệu» để xem và sửa trước khi gửi báo cáo."
        )
    _open_file(opened)
    _alert(book, "\n\n".join(lines), mode="info" if not errors else "critical")
    return result.docx


def _to_pdf(docx: Path) -> Path:
    """PDF beside the .docx: through Word when it is installed (Windows), else LibreOffice."""
    if sys.platform == "win32":
        try:
            import win32com.client  # pywin32 comes with xlwings on Windows
        except ImportError:
            win32com = None
        if win32com is not None:
            from cchc.report.output import free_path

            target = free_path(docx.with_suffix(".pdf"))
            word = None
            try:
                word = win32com.client.DispatchEx("Word.Application")
                doc = word.Documents.Open(str(docx), ReadOnly=True)
                doc.ExportAsFixedFormat(str(target), 17)  # wdExportFormatPDF
                doc.Close(False)
                return target
            except Exception:
                pass  # no Word, or Word refused: try LibreOffice
            finally:
                if word is not None:
                    word.Quit()
    from cchc.report.output import convert_to_pdf

    return convert_to_pdf(docx)


@_entry("tạo báo cáo Word")
def report(book=None):
    """Write the Word report next to the workbook (never over one open in Word) and open it."""
    return _write_report(book, pdf=False)


@_entry("tạo báo cáo PDF")
def pdf(book=None):
    """Like `report`, then convert to PDF; says plainly when no converter is available."""
    return _write_report(book, pdf=True)


@_entry("so sánh với kỳ trước")
def compare_report(book=None, earlier: str | Path | list | None = None):
    """«So sánh với kỳ trước»: pick the workbook(s) of an earlier period of the same unit (the
    same period last year, or an earlier period), then write the report with one more appendix
    column per earlier report and the changes in its sentences, beside the workbook."""
    from cchc import app

    _report_folder(book)  # before the file picker: a report needs a saved workbook
    if earlier is None and _is_com(book):
        chosen = book.app.api.GetOpenFilename(
            FileFilter="Báo cáo CCHC (*.xlsx;*.xlsm;*.json),*.xlsx;*.xlsm;*.json",
            Title="Chọn báo cáo kỳ trước để so sánh (giữ Ctrl để chọn nhiều tệp)",
            MultiSelect=True,
        )
        if not chosen:
            return None  # cancelled: Excel answers False
        earlier = list(chosen) if isinstance(chosen, (list, tuple)) else [chosen]
    if not earlier:
        raise CchcError("Hãy chọn tệp báo cáo kỳ trước (cùng đơn vị) để so sánh.")
    paths = [earlier] if isinstance(earlier, (str, Path)) else list(earlier)
    return _write_report(book, pdf=False, compare_with=[app.load_any(p) for p in paths])


HELP_TEXT = """Cách dùng biểu mẫu báo cáo CCHC

1. Nhập số liệu vào các ô màu vàng ở trang «Thông tin chung», «Thuyết minh» và các trang BM.
2. Bấm «Kiểm tra số liệu»: ô có lỗi được tô đỏ, ô cần xem lại tô vàng cam, danh sách ở trang «Kiểm tra».
3. Sửa xong, bấm «Kiểm tra số liệu» lần nữa. «Xóa đánh dấu» trả lại màu ô như cũ, không đổi số liệu.
4. Lưu tệp, rồi bấm «Tạo báo cáo Word» (hoặc «Tạo báo cáo PDF»): báo cáo được ghi cạnh tệp Excel này.
5. «So sánh với kỳ trước»: chọn tệp báo cáo cùng kỳ năm trước (hoặc kỳ trước trong năm) của đơn vị;
   báo cáo Word có thêm cột số liệu của kỳ đó và các câu tăng, giảm so với kỳ đó.

Các nút có trên thẻ «Báo cáo CCHC» của thanh công cụ và ở trang «Thông tin chung».
Nếu bấm nút mà không có gì xảy ra: bấm «Enable Content» (Bật nội dung) trên thanh vàng phía trên,
và xem hướng dẫn cài đặt (lệnh «cchc excel-setup»)."""


@_entry("mở hướng dẫn", needs_report=False)
def help(book=None):  # noqa: A001 - the button is called "Hướng dẫn"; cchc.excel.help()
    _alert(book, HELP_TEXT)


def _documents_folder() -> Path:
    home = Path.home()
    docs = home / "Documents"
    return docs if docs.is_dir() else home


@_entry("tạo biểu mẫu trống", needs_report=False)
def new_template(book=None, path: str | Path | None = None):
    """Build an empty standard workbook (with buttons) and open it."""
    from cchc import app
    from cchc.report.output import free_path

    if path is None and _is_com(book):
        chosen = book.app.api.GetSaveAsFilename(
            InitialFileName=str(_documents_folder() / "Bieu mau bao cao CCHC.xlsm"),
            FileFilter="Sổ làm việc Excel có macro (*.xlsm),*.xlsm",
            Title="Lưu biểu mẫu trống",
        )
        if not chosen:
            return None  # cancelled
        path = Path(chosen)
    if path is None:
        path = free_path(_documents_folder() / "Biểu mẫu báo cáo CCHC.xlsm")
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        path = path.with_suffix(".xlsm")
    app.build_template(path, macros=True)
    if _is_com(book):
        book.app.books.open(str(path))
    _alert(book, f"Đã tạo biểu mẫu trống:\n{path}\n\nGửi tệp này cho các xã để nhập số liệu.")
    return path


@_entry("tổng hợp nhiều xã", needs_report=False)
def merge_folder(book=None, folder: str | Path | None = None):
    """Pick a folder of communes' workbooks and merge it as `cchc merge` does (consolidated
    workbook and province Word report written beside the folder); say what came of it and open
    the consolidated workbook."""
    from cchc import app

    if folder is None and _is_com(book):
        dialog = book.app.api.FileDialog(4)  # msoFileDialogFolderPicker
        dialog.Title = "Chọn thư mục chứa biểu mẫu của các xã"
        if dialog.Show() != -1:
            return None  # cancelled
        folder = dialog.SelectedItems(1)
    if folder is None:
        folder = _saved_folder(book)
    if folder is None:
        raise CchcError("Hãy chọn thư mục chứa các tệp biểu mẫu của các xã.")
    folder = Path(folder)
    done = app.merge_folder(folder)
    message = f"Tổng hợp các biểu mẫu trong thư mục:\n{folder}\n\n" + "\n".join(done.lines[-20:])
    if _is_com(book):
        book.app.books.open(str(done.output))
    _alert(book, message, mode="info" if done.exit_code == 0 else "critical")
    return done.output
