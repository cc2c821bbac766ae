"""The consolidated workbook's long tables (cchc.merge.xlsx_rows): every kind of value is
written as openpyxl would show it, texts go to one shared-strings table, the output does not
change from one run to the next, and the sheets hold exactly the rows the merge computed."""

from __future__ import annotations

import io
import math
import os
import random
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.styles import Border, Font, Side
from python_calamine import CalamineWorkbook

from cchc.merge import merge, write_outputs
from cchc.merge import workbook as W
from cchc.merge.xlsx_rows import BulkRows, inject_rows
from cchc.workbook.fill import fill_workbook

_THIN = Side(style="thin")


def _skeleton(formats: list[str | None]) -> io.BytesIO:
    """A one-sheet package: a header row, then the prototype row (row 2)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bảng"
    for c, fmt in enumerate(formats, start=1):
        ws.cell(1, c, f"Cột {c}")
        cell = ws.cell(2, c)
        cell.font = Font(name="Times New Roman", size=11)
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        if fmt:
            cell.number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


ROWS = [
    # text, int, float, mixed int/float, bool, anything else
    ["Đưng K'Nớ", 1, 12.0, 3, True, Decimal("1.5")],
    ["  lề trái và phải  ", 0, -0.0, 2.5, False, None],
    ["a & <b> > c", -7, math.nan, None, None, 3],
    ["x\x01y\x0bz", 2**40, math.inf, 1.0, True, "chữ"],
    ["", None, -math.inf, 1, None, 2.25],
    ["Đưng K'Nớ", 5, 0.1 + 0.2, -0.0, None, None],
    ["ngắn"],  # a short row: the rest blank, still styled
]
EXPECTED = [
    ["Đưng K'Nớ", 1, 12, 3, True, "1.5"],
    ["  lề trái và phải  ", 0, 0, 2.5, False, None],
    ["a & <b> > c", -7, None, None, None, 3],
    ["xyz", 2**40, None, 1, True, "chữ"],
    ["", None, None, 1, None, 2.25],
    ["Đưng K'Nớ", 5, 0.1 + 0.2, 0, None, None],
    ["ngắn", None, None, None, None, None],
]


def _inject(folder, rows=None, columns=None):
    folder.mkdir(exist_ok=True)
    out = folder / "bang.xlsx"
    inject_rows(_skeleton(["@", "0", "0.00", None, None, None]), out, [BulkRows("Bảng", 2, rows, 6, columns)])
    return out


def _text_cells(value) -> str:
    return "" if value is None else value


def test_every_kind_of_value_reads_back_as_written(tmp_path):
    out = _inject(tmp_path, rows=ROWS)
    ws = openpyxl.load_workbook(out)["Bảng"]
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=6)]
    # openpyxl gives "" for an empty text; a blank cell is None.
    assert [[_text_cells(got[i][0])] + got[i][1:] for i in range(len(got))] == \
        [[_text_cells(e[0])] + e[1:] for e in EXPECTED]
    assert type(ws["E2"].value) is bool and type(ws["C2"].value) is float
    assert ws.max_row == 1 + len(ROWS)
    # Blank cells keep their column's look (the table's grid).
    for col in "BCDEF":
        cell = ws[f"{col}8"]
        assert cell.value is None and cell.border.left.style == "thin", col
    assert ws["C3"].number_format == "0.00" and ws["A8"].number_format == "@"

    cal = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Bảng").to_python()
    assert cal[1][:3] == ["Đưng K'Nớ", 1, 12]
    assert cal[2][0] == "  lề trái và phải  " and cal[3][0] == "a & <b> > c" and cal[4][0] == "xyz"
    assert cal[3][2] == "" and cal[4][2] == ""  # NaN, inf: blank


def test_columns_and_rows_give_the_same_package_with_texts_shared(tmp_path):
    by_rows = _inject(tmp_path / "r", rows=ROWS)
    padded = [row + [None] * (6 - len(row)) for row in ROWS]
    by_cols = _inject(tmp_path / "c", columns=[list(col) for col in zip(*padded)])
    with zipfile.ZipFile(by_rows) as a, zipfile.ZipFile(by_cols) as b:
        for name in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
            assert a.read(name) == b.read(name), name
        sst = a.read("xl/sharedStrings.xml").decode()
        assert sst.count("<si>") == 8  # "Cột n" stays inline (openpyxl's); 8 distinct texts here
        assert 'count="9"' in sst  # cells that refer to it: "Đưng K'Nớ" twice
        assert '<si><t xml:space="preserve">  lề trái và phải  </t></si>' in sst
        assert "sharedStrings+xml" in a.read("[Content_Types].xml").decode()
        assert 'Target="sharedStrings.xml"' in a.read("xl/_rels/workbook.xml.rels").decode()


def test_columns_of_different_lengths_are_refused(tmp_path):
    with pytest.raises(ValueError):
        _inject(tmp_path, columns=[[1, 2], [1], [], [], [], []])


def test_band_counts_match_the_band_definitions():
    values = [0, 0.0, 9.999, 10, 10.0, 19.99, 50, 99.999, 100, 100.0, 250, -0.5, -1, None, math.nan,
              math.inf, -math.inf, 1e-12]
    rng = random.Random(3)
    values += [rng.uniform(-5, 120) for _ in range(500)]
    naive = [sum(1 for v in values if v is not None and not math.isnan(v) and lo <= v < hi) for lo, hi in W.BANDS]
    assert W.band_counts(values) == naive
    assert W.band_counts([]) == [0] * len(W.BANDS)


# ------------------------------------------------------------------------ the whole workbook
@pytest.fixture(scope="module")
def merged(tmp_path_factory, template_path, seed_data, catalogue):
    import copy

    root = tmp_path_factory.mktemp("xa")
    rng = random.Random(11)
    for k, (code, name) in enumerate([("00003", "UBND xã Hòa Bình"), ("00001", "UBND phường Thủy Xuân"),
                                      ("00002", "UBND xã Đưng K'Nớ")]):
        data = copy.deepcopy(seed_data)
        data["info"].update({"ma_dvhc": code, "don_vi": name})
        for form in data["values"].values():
            for c, v in form.items():
                if isinstance(v, int) and not isinstance(v, bool) and rng.random() < 0.3:
                    form[c] = None if k == 1 else v * (k + 1)
        fill_workbook(template_path, data, root / f"xa_{code}.xlsx", catalogue)
    return merge([root])


def test_the_long_sheets_hold_exactly_the_merged_rows(merged, tmp_path):
    out = tmp_path / "TONG_HOP.xlsx"
    write_outputs(merged, out)
    book = CalamineWorkbook.from_path(str(out))

    def body(sheet: str, first: int) -> list[list]:
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)[first - 1:]
        return [[None if v == "" else v for v in row] for row in rows]

    units = merged.merged_units
    expected = []
    for i, u in enumerate(units):
        f = u.merged
        row = [i + 1, u.code, u.name, os.path.basename(f.path), f.errors, f.warnings]
        for ref_row in W.detail_columns(merged.catalogue):
            src = merged.unit_ratios if ref_row.type == "ratio" else merged.frame
            v = src[ref_row.ref].iloc[i]
            row.append(None if math.isnan(v) else v)
        expected.append(row)
    assert body(W.SHEET_DETAIL, 3) == expected

    findings = [[x.severity, x.address, x.message] for f in merged.files for x in f.findings]
    got = body(W.SHEET_FINDINGS, 4)
    assert len(got) == len(findings) > 0
    assert [[r[4], r[5], r[8]] for r in got] == [[W.SEVERITY_LABELS[s], a or None, m] for s, a, m in findings]
    rows = [list(row) for row in zip(*W.finding_columns(merged))]
    assert got == [[None if v == "" else v for v in row] for row in rows]

    ranked = [list(row) for row in zip(*W.ranking_columns(merged, False))]
    # Every unit once per key indicator: ranked, or listed under the ranking.
    assert len(ranked) == len(units) * len(merged.plan.kind.ranked)
    first = [r[5] for r in ranked if r[0].startswith("7:3 ") and isinstance(r[1], int)]
    assert first == sorted(first, reverse=True)  # best first
    got = body(W.SHEET_RANKING, 22)
    assert got == [[None if v == "" else v for v in row] for row in ranked]


def test_the_workbook_is_the_same_on_every_run(merged, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_outputs(merged, a)
    write_outputs(merged, b)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist():
            if name != "docProps/core.xml":  # holds the time of writing
                assert za.read(name) == zb.read(name), name
