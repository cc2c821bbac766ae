"""cchc.excel driven through xlwings' real object model (the remote engine).

The payload is what an Excel client would send: the real template filled with the seed
data (plus planted errors), recalculated by LibreOffice so formula cells hold values,
every sheet's values from A1 and the workbook's defined names. `book.set_mock_caller()`
makes `xw.Book.caller()` return it, exactly as RunPython does in Excel; the test then
asserts the actions xlwings would send back to Excel.

XLWINGS_LICENSE_KEY=noncommercial is set here only: the remote engine is under the PolyForm
Noncommercial licence; the product's Windows path is classic RunPython (BSD).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import zipfile
from pathlib import Path

import pytest

# Before xlwings is imported: its remote engine is registered at import when licensed.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw  # noqa: E402

if "remote" not in [e.name for e in xw.engines]:  # imported earlier in this session
    from xlwings.pro import _xlremote  # noqa: E402

    xw.engines.add(xw.main.Engine(impl=_xlremote.engine))
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

import cchc.excel as excel
from cchc.checks.sheet import findings_links, findings_rows
from cchc.office import convert
from cchc.checks import run_checks
from cchc.cells import a1, parse_a1
from cchc.workbook.raw import open_raw
from cchc.workbook.reader import read_workbook
from cchc.workbook.style import INPUT_FILL_RGB, SHEET_FINDINGS

RED, AMBER = "#" + excel._fills()[1].lower(), "#" + excel._fills()[2].lower()
YELLOW = "#" + INPUT_FILL_RGB.lower()


@pytest.fixture(autouse=True)
def _remote_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # log file and Documents go here
    (tmp_path / "home").mkdir()


def _json_value(v):
    if isinstance(v, (dt.datetime, dt.date)):  # as Excel clients send dates
        v = v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time())
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if v is None:
        return ""
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)  # Excel has one number type: 5 arrives as 5.0
    return v


def payload_for(path: Path, soffice: str, tmp: Path, name: str | None = None) -> tuple[dict, Path]:
    """The JSON an Excel client sends for the workbook at `path`, formulas recalculated
    by LibreOffice (returned too: the file as Excel would hold it)."""
    recalculated = convert(path, "xlsx", tmp / "recalc")
    cal = CalamineWorkbook.from_path(str(recalculated))
    raw = open_raw(path)
    sheets = []
    for sheet_name in cal.sheet_names:
        rows = cal.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        values = [[_json_value(v) for v in r] + [""] * (width - len(r)) for r in rows] or [[]]
        sheets.append({"name": sheet_name, "values": values, "pictures": [], "tables": []})
    index = {s["name"]: i for i, s in enumerate(sheets)}
    names = []
    for n, ref in raw.names.items():
        address = a1(ref.r0, ref.c0) + (f":{a1(ref.r1, ref.c1)}" if (ref.r1, ref.c1) != (ref.r0, ref.c0) else "")
        absolute = ":".join("$" + re.sub(r"(\d+)", r"$\1", part) for part in address.split(":"))
        quoted = ref.sheet if ref.sheet.isalnum() and ref.sheet.isascii() else "'" + ref.sheet.replace("'", "''") + "'"
        names.append({
            "name": n, "sheet_index": index[ref.sheet], "address": address, "book_scope": True,
            "scope_sheet_index": None, "scope_sheet_name": None,
            "refers_to": f"={quoted}!{absolute}",  # as Excel writes it: ='Thông tin chung'!$B$4
        })
    payload = {
        "client": "Microsoft Excel", "version": xw.__version__,
        "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": names, "sheets": sheets,
    }
    return payload, recalculated


def _put(src: Path, out: Path, cells: dict[str, object]) -> Path:
    wb = load_workbook(src)
    for name, value in cells.items():
        ((sheet, coord),) = list(wb.defined_names[name].destinations)
        wb[sheet][coord.replace("$", "")] = value
    wb.save(out)
    return out


def _book(payload: dict):
    # The engine keeps (and changes) the dict it is given: give it its own copy.
    book = xw.Book(json=copy.deepcopy(payload))
    book.set_mock_caller()
    return book


def _colours(actions, sheets) -> dict[tuple[str, str], str]:
    """Cell (sheet, A1) → colour set by the setRangeColor actions (later ones win)."""
    out = {}
    for a in actions:
        if a["func"] != "setRangeColor":
            continue
        for r in range(a["start_row"], a["start_row"] + a["row_count"]):
            for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                out[(sheets[a["sheet_position"]], a1(r, c))] = a["args"][0].lower()
    return out


PLANTED = {"BM3_2_3_1": "bảy mươi", "BM1_5": "Có lẽ"}


@pytest.fixture(scope="module")
def planted(tmp_path_factory, seed_workbook, soffice):
    tmp = tmp_path_factory.mktemp("planted")
    path = _put(seed_workbook, tmp / "xa_co_loi.xlsx", PLANTED)
    payload, recalculated = payload_for(path, soffice, tmp)
    return recalculated, payload  # the file as Excel holds it: formulas calculated


@pytest.fixture(scope="module")
def clean(tmp_path_factory, seed_workbook, soffice):
    tmp = tmp_path_factory.mktemp("clean")
    payload, recalculated = payload_for(seed_workbook, soffice, tmp)
    return recalculated, payload


def _named_cell(path: Path, name: str) -> tuple[str, str]:
    ref = open_raw(path).names[name]
    return ref.sheet, a1(ref.r0, ref.c0)


def test_validate_colours_exactly_the_offending_input_cells(planted):
    path, payload = planted
    book = _book(payload)
    excel.validate()  # as RunPython calls it: no argument, the caller's book
    actions = book.json()["actions"]
    sheets = [s["name"] for s in payload["sheets"]]
    colours = _colours(actions, sheets)

    # The same core from disk: what the command line would report for this file.
    data = read_workbook(path)
    findings = run_checks(data, _cat(path))
    inputs = {(s, a1(r, c)) for (s, r, c) in excel._input_cells(open_raw(path), data, _cat(path))}
    expect_red = {(f.sheet, f.cell) for f in findings if f.severity == "error"} & inputs
    expect_amber = {(f.sheet, f.cell) for f in findings if f.severity == "warning"} & inputs - expect_red

    red = {cell for cell, colour in colours.items() if colour == RED}
    amber = {cell for cell, colour in colours.items() if colour == AMBER}
    assert red == expect_red and amber == expect_amber
    for name in PLANTED:
        assert _named_cell(path, name) in red
    # Every other input cell gets its yellow back (a cell fixed since the last check), and
    # nothing outside the input cells is touched.
    assert set(colours) == inputs
    assert {c for c, colour in colours.items() if colour == YELLOW} == inputs - red - amber
    # The "Kiểm tra" sheet is added and written once, starting at A1, one row per finding.
    add = [a for a in actions if a["func"] == "addSheet"]
    assert [a["args"][1] for a in add] == [SHEET_FINDINGS]
    writes = [a for a in actions if a["func"] == "setValues"]
    assert len(writes) == 1 and writes[0]["sheet_position"] == len(sheets)
    assert (writes[0]["start_row"], writes[0]["start_column"]) == (0, 0)
    # Exactly the rows the checks give the command line's marked copy (xlwings sends None as "").
    assert writes[0]["values"] == _padded(findings_rows(findings))
    # Each finding's address links to its cell.
    links = [a for a in actions if a["func"] == "addHyperlink"]
    assert [(a["start_row"], a["start_column"], a["args"][0]) for a in links] == [
        (r, c, "#" + target) for r, c, target in findings_links(findings)]
    # And a message box with the counts.
    (alert,) = [a for a in actions if a["func"] == "alert"]
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    assert f"{errors} lỗi, {warnings} cảnh báo" in alert["args"][0]
    assert alert["args"][1] == "Báo cáo CCHC"
    assert alert["args"][2:4] == ["ok", "critical" if errors else "info"]  # the modes Windows knows


def _padded(rows):
    width = max(len(r) for r in rows)
    return [["" if v is None else v for v in r] + [""] * (width - len(r)) for r in rows]


def _cat(path):
    from cchc.workbook.reader import catalogue_for

    return catalogue_for(open_raw(path))


def test_validate_on_the_seed_workbook_marks_nothing_red(clean):
    path, payload = clean
    book = _book(payload)
    findings = excel.validate()
    actions = book.json()["actions"]
    colours = _colours(actions, [s["name"] for s in payload["sheets"]])
    errors = [f for f in findings if f.severity == "error"]
    assert errors == [] and RED not in colours.values()
    (alert,) = [a for a in actions if a["func"] == "alert"]
    assert alert["args"][0].startswith("Kiểm tra xong")


def test_validate_rewrites_an_existing_findings_sheet(planted):
    _path, payload = planted
    payload = dict(payload, sheets=payload["sheets"] + [
        {"name": SHEET_FINDINGS, "values": [["cũ"] * 3] * 40, "pictures": [], "tables": []}
    ])
    book = _book(payload)
    excel.validate()
    funcs = [(a["func"], a["sheet_position"]) for a in book.json()["actions"]]
    last = len(payload["sheets"]) - 1
    assert ("addSheet", None) not in funcs
    assert funcs.index(("sheetClear", last)) < funcs.index(("setValues", last))


@pytest.mark.parametrize("kind", ["ky", "chi_so"])
def test_input_cells_are_yellow_in_the_template_so_clear_restores_them_exactly(kind, tmp_path):
    from cchc.catalogue import load_catalogue
    from cchc.workbook.template import build_template

    template_path = build_template(tmp_path / f"{kind}.xlsx", load_catalogue(kind))
    wb = load_workbook(template_path)
    raw = open_raw(template_path)
    data = read_workbook(template_path)
    cells = excel._input_cells(raw, data, _cat(template_path))
    assert len(cells) > 50
    for sheet, r0, c0 in cells:
        fill = wb[sheet].cell(r0 + 1, c0 + 1).fill
        assert fill.fgColor.rgb[-6:].upper() == INPUT_FILL_RGB.upper(), (sheet, a1(r0, c0))


def test_clear_restores_every_input_fill_removes_findings_and_touches_no_value(planted):
    path, payload = planted
    payload = dict(payload, sheets=payload["sheets"] + [
        {"name": SHEET_FINDINGS, "values": [["x"]], "pictures": [], "tables": []}
    ])
    book = _book(payload)
    excel.clear()
    actions = book.json()["actions"]
    sheets = [s["name"] for s in payload["sheets"]]
    colours = _colours(actions, sheets)
    inputs = {(s, a1(r, c)) for (s, r, c) in excel._input_cells(open_raw(path), read_workbook(path), _cat(path))}
    assert set(colours) == inputs and set(colours.values()) == {YELLOW}
    funcs = [a["func"] for a in actions]
    assert not {"setValues", "rangeClearContents", "rangeClear", "sheetClearContents", "sheetClear"} & set(funcs)
    deleted = [a for a in actions if a["func"] == "sheetDelete"]
    assert [d["sheet_position"] for d in deleted] == [len(sheets) - 1]
    assert funcs[-1] == "alert"


def test_colours_are_sent_as_few_vertical_runs(planted):
    _path, payload = planted
    book = _book(payload)
    excel.clear()
    runs = [a for a in book.json()["actions"] if a["func"] == "setRangeColor"]
    cells = sum(a["row_count"] * a["column_count"] for a in runs)
    assert all(a["column_count"] == 1 for a in runs)
    assert len(runs) < cells / 2


def test_report_needs_a_saved_workbook(planted):
    _path, payload = planted
    book = _book(dict(payload, book=dict(payload["book"], name="Book1")))
    assert excel.report() is None
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert "chưa được lưu" in alert["args"][0] and alert["args"][3] == "critical"


def test_report_writes_docx_beside_the_workbook_and_never_over_an_open_one(clean, tmp_path):
    path, payload = clean
    folder = tmp_path / "xa"
    folder.mkdir()
    saved = folder / "bao_cao_xa.xlsx"
    saved.write_bytes(path.read_bytes())
    book = _book(dict(payload, book=dict(payload["book"], name=str(saved))))
    first = excel.report()
    assert first.parent == folder and first.suffix == ".docx" and zipfile.is_zipfile(first)
    with zipfile.ZipFile(first) as zf:
        assert "word/document.xml" in zf.namelist()
    # Word has it open: its owner file is there. The next report goes to a new name.
    (folder / ("~$" + first.name[2:])).write_text("owner")
    book = _book(dict(payload, book=dict(payload["book"], name=str(saved))))
    second = excel.report()
    assert second != first and second.parent == folder and first.exists()
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert str(second) in alert["args"][0] and "đang mở trong Word" in alert["args"][0]


def test_report_button_on_an_annual_index_workbook_writes_its_own_report_with_the_chart(tmp_path, soffice):
    """«Tạo báo cáo Word» goes through cchc.app like `cchc report`: an annual SIPAS/PAR Index
    workbook gets the index analysis (its title, its chart), not the quarterly layout."""
    from cchc.demo import write_demo_workbook

    folder = tmp_path / "nam_cuong"
    saved = write_demo_workbook(folder, "chi_so")
    payload, _ = payload_for(saved, soffice, tmp_path)
    book = _book(dict(payload, book=dict(payload["book"], name=str(saved))))
    docx = excel.report()
    assert docx == folder / "Báo cáo phân tích chỉ số SIPAS, PAR Index năm 2025 - UBND xã Nam Cường.docx"
    with zipfile.ZipFile(docx) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        pictures = [n for n in zf.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    text = re.sub(r"<[^>]+>", "", body)
    assert "Kết quả đánh giá chỉ số mức độ hài lòng" in text and "Đạt 2,3/10 điểm" in text
    assert "Kết quả công tác cải cách hành chính" not in text  # not the quarterly report
    assert len(pictures) == 1 and "[[cchc:bieu_do]]" not in text  # the chart, in place
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert str(docx) in alert["args"][0]


def test_an_unexpected_exception_becomes_a_vietnamese_message_with_a_log(planted, monkeypatch, tmp_path):
    _path, payload = planted
    book = _book(payload)

    def boom(*_a, **_k):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(excel, "_read", boom)
    assert excel.validate() is None
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    message = alert["args"][0]
    log = excel.log_path()
    assert message.startswith("Không kiểm tra số liệu được.")
    assert "Nguyên nhân: ZeroDivisionError: division by zero\n" in message
    assert "second line" not in message and "Traceback" not in message
    assert str(log) in message and alert["args"][3] == "critical"
    assert "Traceback" in log.read_text(encoding="utf-8") and "second line" in log.read_text(encoding="utf-8")


def test_help_and_a_missing_merge_folder_are_messages(planted, tmp_path):
    _path, payload = planted
    book = _book(payload)
    excel.help()
    excel.merge_folder(folder=tmp_path / "khong_co")
    alerts = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    assert alerts[0].startswith("Cách dùng biểu mẫu báo cáo CCHC")
    assert alerts[1] == f"Không tìm thấy thư mục «{tmp_path / 'khong_co'}»."


def test_new_template_builds_a_macro_workbook(planted, tmp_path):
    _path, payload = planted
    book = _book(payload)
    out = excel.new_template(path=tmp_path / "trong.xlsm")
    assert out == tmp_path / "trong.xlsm"
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert str(out) in alert["args"][0]


def test_addin_caller_works_on_the_active_workbook(planted):
    """When the button belongs to the add-in, the caller is the .xlam: use the active book."""
    _path, payload = planted
    addin = xw.Book(json=copy.deepcopy(dict(payload, book=dict(payload["book"], name="bao_cao_cchc.xlam"))))
    addin.set_mock_caller()
    workbook = xw.Book(json=copy.deepcopy(dict(payload, book=dict(payload["book"], name="xa.xlsx"))))
    excel.validate()
    assert any(a["func"] == "setRangeColor" for a in workbook.json()["actions"])
    assert not addin.json()["actions"]


def _saved_copy(path: Path, payload: dict, folder: Path) -> dict:
    folder.mkdir()
    saved = folder / "bao_cao_xa.xlsx"
    saved.write_bytes(path.read_bytes())
    return dict(payload, book=dict(payload["book"], name=str(saved)))


def test_pdf_is_made_beside_the_report(clean, tmp_path, soffice):
    path, payload = clean
    book = _book(_saved_copy(path, payload, tmp_path / "xa"))
    docx = excel.pdf()
    pdf_file = docx.with_suffix(".pdf")
    assert docx.exists() and pdf_file.read_bytes().startswith(b"%PDF")
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert str(pdf_file) in alert["args"][0]


def test_pdf_says_plainly_when_no_converter_is_available(clean, tmp_path, monkeypatch):
    import cchc.office

    monkeypatch.setattr(cchc.office, "find_soffice", lambda: None)
    path, payload = clean
    book = _book(_saved_copy(path, payload, tmp_path / "xa"))
    docx = excel.pdf()
    assert docx.exists() and not docx.with_suffix(".pdf").exists()
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert "Đã tạo báo cáo Word" in alert["args"][0]
    assert "Chưa tạo được bản PDF: Máy này chưa cài LibreOffice" in alert["args"][0]


def test_merge_folder_runs_the_merge_command_and_writes_beside_the_folder(tmp_path, template_path, seed_data, catalogue, planted):
    from cchc.workbook.fill import fill_workbook

    folder = tmp_path / "cac_xa"
    folder.mkdir()
    for code, name in (("05014", "UBND xã A"), ("05017", "UBND xã B")):
        data = copy.deepcopy(seed_data)
        data["info"].update({"ma_dvhc": code, "don_vi": name})
        fill_workbook(template_path, data, folder / f"{code}.xlsx", catalogue)
    _path, payload = planted
    addin = _book(dict(payload, book=dict(payload["book"], name="bao_cao_cchc.xlam")))  # nothing else open
    out = excel.merge_folder(folder=folder)
    assert out == tmp_path / "Tổng hợp CCHC - cac_xa.xlsx" and zipfile.is_zipfile(out)
    assert (tmp_path / "Tổng hợp CCHC - cac_xa.docx").exists()
    assert sorted(p.name for p in folder.iterdir()) == ["05014.xlsx", "05017.xlsx"]  # nothing added
    (alert,) = [a for a in addin.json()["actions"] if a["func"] == "alert"]
    assert alert["args"][0].startswith(f"Tổng hợp các biểu mẫu trong thư mục:\n{folder}")
    assert f"Đã ghi {out}" in alert["args"][0]
    # Run again while the first result is open in Excel: a new name, the first one kept.
    (tmp_path / "~$Tổng hợp CCHC - cac_xa.xlsx").write_text("owner")
    again = excel.merge_folder(folder=folder)
    assert again != out and again.exists() and out.exists()


def test_a_workbook_that_is_not_a_cchc_form_gets_a_plain_message():
    book = _book({
        "client": "Microsoft Excel", "version": xw.__version__,
        "book": {"name": "so_lieu_khac.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [], "sheets": [{"name": "Sheet1", "values": [["a", 1.0]], "pictures": [], "tables": []}],
    })
    assert excel.validate() is None
    actions = book.json()["actions"]
    (alert,) = [a for a in actions if a["func"] == "alert"]
    assert "Thông tin chung" in alert["args"][0] and alert["args"][3] == "critical"
    assert "Nguyên nhân" not in alert["args"][0]  # an officer's error, not a crash: no log needed
    assert [a["func"] for a in actions] == ["alert"]  # nothing written


# ----------------------------------------------------------------------------- no workbook open


def _addin_caller(payload):
    """Excel with only the add-in open, its button clicked: the add-in is the caller and the
    only book (the remote engine then calls it the active one; Excel itself would say there
    is no active workbook — see the tests of _active_book below)."""
    return _book(dict(payload, book=dict(payload["book"], name="bao_cao_cchc.xlam")))


@pytest.mark.parametrize("entry, action", [
    ("validate", "kiểm tra số liệu"), ("clear", "xóa đánh dấu"),
    ("report", "tạo báo cáo Word"), ("pdf", "tạo báo cáo PDF"),
])
def test_addin_report_buttons_with_no_workbook_say_what_to_open(planted, entry, action):
    _path, payload = planted
    addin = _addin_caller(payload)
    assert getattr(excel, entry)() is None
    message = excel.no_workbook_message(action)
    assert message.startswith(f"Chưa có biểu mẫu nào đang mở để {action}.\n\nHãy mở biểu mẫu báo cáo CCHC của xã")
    # One message box, nothing written into the add-in.
    assert [(a["func"], a["args"][:4]) for a in addin.json()["actions"]] == [
        ("alert", [message, "Báo cáo CCHC", "ok", "critical"])]


def test_addin_buttons_that_need_no_workbook_work_with_none_open(planted, tmp_path):
    _path, payload = planted
    addin = _addin_caller(payload)
    excel.help()
    out = excel.new_template(path=tmp_path / "mau moi.xlsm")
    assert zipfile.is_zipfile(out)
    alerts = [a["args"][0] for a in addin.json()["actions"] if a["func"] == "alert"]
    assert alerts[0].startswith("Cách dùng biểu mẫu báo cáo CCHC") and str(out) in alerts[1]


def test_active_book_is_none_when_excel_has_no_active_workbook(planted):
    """The remote engine's state for Excel's ActiveWorkbook = Nothing. xlwings' books.active
    then tries to open a new workbook (on Windows it wraps Nothing in a Book that fails on
    every property); _active_book says None, and _target picks the add-in or refuses."""
    import xlwings

    _path, payload = planted
    addin = _addin_caller(payload)
    app = addin.app
    app.books.impl._active = None
    count = len(app.books)
    with pytest.raises(xlwings.XlwingsError):
        app.books.active  # noqa: B018 - what the old check relied on
    assert excel._active_book(app) is None and len(app.books) == count
    assert excel._target(None, needs_report=False) == addin
    with pytest.raises(excel._NoWorkbook) as refused:
        excel._target(None, needs_report=True)
    assert refused.value.caller == addin


def test_active_book_sees_through_the_windows_wrapper_of_nothing(planted, monkeypatch):
    """On Windows, xlwings wraps ActiveWorkbook in its Book class without checking for
    Nothing (None): pinned against the installed xlwings' source, then modelled here."""
    import xlwings

    source = (Path(xlwings.__file__).parent / "_xlwindows.py").read_text(encoding="utf-8")
    assert "return Book(self.xl.Application.ActiveWorkbook)" in source
    assert re.search(r"class Book\(base_classes\.Book\):\n    def __init__\(self, xl\):\n        self\.xl = xl", source)

    class WindowsBook:  # xlwings._xlwindows.Book(None), as Books.active returns it
        def __init__(self, xl):
            self.xl = xl

        @property
        def name(self):
            return self.xl.Name  # AttributeError on None, as on Windows

    _path, payload = planted
    addin = _addin_caller(payload)
    monkeypatch.setattr(type(addin.app.books.impl), "active", property(lambda self: WindowsBook(None)))
    assert excel._active_book(addin.app) is None
    with pytest.raises(AttributeError):
        xw.Book(impl=WindowsBook(None)).name  # noqa: B018 - the old check's crash
    workbook = _book(dict(payload, book=dict(payload["book"], name="xa.xlsx")))
    monkeypatch.setattr(type(addin.app.books.impl), "active", property(lambda self: workbook.impl))
    assert excel._active_book(addin.app) == workbook
