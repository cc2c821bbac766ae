"""The limits themselves, at their boundaries: a sheet's reach, the number of cells, the cells
that read blank but are not, plausible values, the Word template sandbox, the same-file rule,
the leftovers of killed processes (issue 13; the corpus of whole commands is test_hostile.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cchc.workbook import bounds
from cchc.workbook.bounds import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, SheetCells, SheetRefused, scan_sheet
from hostile import append_row, rewrite, sheet_members

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(cells: str, *, canonical: bool = True) -> bytes:
    """A sheet holding `cells` ("A1=1;IV10000=2"), written the usual way or with the style
    attribute first (which sends the scan down its exact path)."""
    rows = []
    for part in cells.split(";"):
        ref, value = part.split("=")
        attrs = f'r="{ref}" s="1"' if canonical else f's="1" r="{ref}"'
        rows.append(f'<row r="{"".join(ch for ch in ref if ch.isdigit())}"><c {attrs}><v>{value}</v></c></row>')
    return f'<worksheet {_NS}><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()


@pytest.mark.parametrize("canonical", [True, False])
def test_a_sheet_may_reach_iv10000_and_not_one_cell_further(canonical):
    assert MAX_ROWS == 10_000 and MAX_COLUMNS == 256
    scan_sheet(_sheet("A1=1;IV10000=2", canonical=canonical))
    for far in ("IW1", "A10001", "XFD1048576", "AAA1"):
        with pytest.raises(SheetRefused) as exc:
            scan_sheet(_sheet(f"A1=1;{far}=2", canonical=canonical))
        assert "vượt giới hạn của cchc" in exc.value.why and far in exc.value.where


def test_merged_ranges_and_hyperlinks_are_held_to_the_limits_for_openpyxl():
    sheet = _sheet("A1=1").replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:IV10000"/>'
                                                     b'</mergeCells>')
    scan_sheet(sheet, openpyxl=True)
    with pytest.raises(SheetRefused, match="vùng ô gộp"):
        scan_sheet(sheet.replace(b"IV10000", b"IV10001"), openpyxl=True)
    scan_sheet(sheet.replace(b"IV10000", b"IV10001"))  # calamine never expands a merged range


def test_a_workbook_may_hold_exactly_the_cells_allowed(tmp_path, seed_workbook):
    from cchc.errors import WorkbookError
    from cchc.workbook.raw import open_raw

    have = 0
    import zipfile

    with zipfile.ZipFile(seed_workbook) as zf:
        for member in sheet_members(seed_workbook).values():
            have += zf.read(member).count(b"<c ")

    def with_extra(n: int, name: str) -> Path:
        per_row = 40
        cells = []
        for i in range(n):
            r, c = 100 + i // per_row, 5 + i % per_row
            from cchc.cells import a1

            cells.append(f'<c r="{a1(r, c)}"><v>1</v></c>')
        rows = "".join(f'<row r="{101 + k}">' + "".join(cells[k * per_row:(k + 1) * per_row]) + "</row>"
                       for k in range(-(-n // per_row)))
        return rewrite(seed_workbook, tmp_path / name, sheets={"BM1": lambda x: append_row(x, rows)})

    open_raw(with_extra(MAX_CELLS - have, "du.xlsx"), scan="openpyxl")
    with pytest.raises(WorkbookError, match="200.000 ô"):
        open_raw(with_extra(MAX_CELLS - have + 1, "thua.xlsx"), scan="openpyxl")


@pytest.mark.parametrize("canonical", [True, False])
def test_cells_that_read_blank_but_are_not(canonical):
    def cell(ref, attrs, inner):
        return f'<c r="{ref}" {attrs}>{inner}</c>' if canonical else f'<c {attrs} r="{ref}">{inner}</c>'

    style, error = 's="1"', 's="1" t="e"'
    rows = [cell("D7", error, "<v>#DIV/0!</v>"), cell("D8", style, "<f>D7*2</f><v></v>"),
            cell("D9", style, "<f>D7*3</f><v>6</v>") + cell("E9", style, "")]
    data = "".join(f'<row r="{7 + i}">{r}</row>' for i, r in enumerate(rows))
    xml = f"<worksheet {_NS}><sheetData>{data}</sheetData></worksheet>".encode()
    for cells in (SheetCells(xml), scan_sheet(xml)):
        get = cells.special if isinstance(cells, SheetCells) else (lambda r, c: cells.special.get((r, c)))
        assert get(6, 3) == "#DIV/0!" and get(7, 3) == "=D7*2"
        assert get(8, 3) is None and get(8, 4) is None  # a computed formula, an empty cell


def test_plausible_values_stop_below_a_billion(catalogue):
    from cchc.workbook.values import read_indicator, read_int

    money = catalogue.row("6:1.1")
    assert read_indicator(money, 999_999_999) == (999_999_999, None)
    assert read_indicator(money, 1_000_000_000)[0] is None and "lớn bất thường" in read_indicator(money, 10**9)[1]
    assert read_indicator(money, float("nan")) == (None, "không phải một số (NaN hoặc vô cùng)")
    assert read_int(1) == (1, None) and read_int(0) == (0, "không phải số nguyên dương")


# ----------------------------------------------------------------------------- the Word template sandbox
def _render(source: str, **context) -> str:
    from cchc.report.sandbox import BoundedSandbox

    return BoundedSandbox().from_string(source).render(**context)


@pytest.mark.parametrize("ok,refused", [
    ("{% for i in range(10000) %}{% endfor %}", "{% for i in range(10001) %}{% endfor %}"),
    (f"{{% for j in {list(range(20))} %}}{{% for i in range(10000) %}}{{% endfor %}}{{% endfor %}}",
     f"{{% for j in {list(range(21))} %}}{{% for i in range(10000) %}}{{% endfor %}}{{% endfor %}}"),  # steps
    ("{{ (2**2048) > 0 }}", "{{ (2**2049) > 0 }}"),
    ('{{ ("x" * 1000000)|length }}', '{{ ("x" * 1000001)|length }}'),
    ('{{ "x"|center(100000)|length }}', '{{ "x"|center(100001)|length }}'),
    ('{{ "x".ljust(100000)|length }}', '{{ "x".ljust(100001)|length }}'),
    ('{{ "%99999d"|format(1)|length }}', '{{ "%100000d"|format(1)|length }}'),
])
def test_the_sandbox_bounds_at_its_limits(ok, refused):
    from cchc.report.sandbox import TemplateTooCostly

    _render(ok)
    with pytest.raises(TemplateTooCostly):
        _render(refused)


def test_the_sandbox_does_not_bound_the_reports_own_numbers():
    # The value a filter filters is data (a province's total may well pass 100.000).
    assert _render("{{ n|round|int }} {{ items|join('; ') }}", n=2_700_000.4, items=["a", "b"]) == "2700000 a; b"


# ----------------------------------------------------------------------------- files
def test_the_same_file_through_links_and_spellings(tmp_path):
    from cchc.files import same_file

    a = tmp_path / "a.xlsx"
    a.write_bytes(b"x")
    os.link(a, tmp_path / "hard.xlsx")
    (tmp_path / "soft.xlsx").symlink_to(a)
    (tmp_path / "b.xlsx").write_bytes(b"x")
    assert same_file(a, tmp_path / "hard.xlsx") and same_file(a, tmp_path / "soft.xlsx")
    assert same_file(a, tmp_path / "sub" / ".." / "a.xlsx")
    assert not same_file(a, tmp_path / "b.xlsx") and not same_file(a, tmp_path / "new.xlsx")


def test_leftovers_of_dead_processes_go_after_a_minute_others_stay(tmp_path):
    from cchc.atomic import sweep_leftovers

    dead = _dead_pid()
    now = time.time()

    def leftover(name: str, age: float) -> Path:
        p = tmp_path / name
        p.write_bytes(b"")
        os.utime(p, (now - age, now - age))
        return p

    gone = leftover(f".~cchc-{dead}-a.xlsx", 61)
    young = leftover(f".~cchc-{dead}-b.xlsx", 59)
    living = leftover(f".~cchc-{os.getppid()}-c.xlsx", 3600)
    ancient = leftover(".~cchc-old.xlsx", 24 * 3600 + 60)  # no process id: only its age tells
    other = leftover("~$bao_cao.docx", 7 * 24 * 3600)
    assert sorted(sweep_leftovers(tmp_path)) == sorted([gone, ancient])
    assert young.exists() and living.exists() and other.exists()


def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid
