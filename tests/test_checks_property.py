"""Property: random fills of the template never crash the checker, and every finding points
at a cell that exists.

Two ways in, as in production: the cells of the real template set to random values and read
through `interpret` (what the Excel adapter does with an open book; fast, many examples), and
real files written with `fill_workbook`, read from disk, checked and marked (fewer examples).
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cchc.checks import SEVERITIES, run_checks
from cchc.checks.mark import mark_workbook
from cchc.checks.sheet import HEADER_ROW, findings_rows
from cchc.workbook import style as S
from cchc.cells import parse_a1
from cchc.workbook.raw import RawWorkbook, open_raw
from cchc.workbook.reader import interpret, read_workbook

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
ODD_TEXT = st.sampled_from(["", " ", "1.234", "2,5", "90%", "bảy mươi", "1,234", " 12 ", "-3", "1e5", "#DIV/0!",
                            "Có", "Không", "Đã có", "Kết hợp", "Có = 1", "2 - Kết hợp", "=SUM(A1)"])
NUMBERS = st.one_of(
    st.none(), st.integers(-10, 10**7), st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 0.5, 0.9, 1, 1.0, 100, 100.5, 2700]),
)
ANY_VALUE = st.one_of(NUMBERS, ODD_TEXT, TEXT, st.booleans(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)))
FRAGMENTS = st.sampled_from([
    "Thực hiện Kế hoạch số 11/KH-UBND ngày 21/01/2025 về công tác cải cách hành chính năm 2024.",
    "Kế hoạch số 11/KH-UBND ngày 21/01/2025 về thực hiện nhiệm vụ CCHC năm 2025;",
    "Kế hoạch số 7/KH-UBND ngày 31/02/2025 về CCHC năm 2025.",
    "Công văn số 48 UBND-VH ngày 15/3/2024 của Ủy ban nhân dân xã.",
    "Trong Quý I năm 2023 tiếp nhận 71 hồ sơ, trong đó trực tuyến 70 hồ sơ.",
    "tiếp nhận xử lý TTHC trên hệ thống dịch vụ công 1.234 hồ sơ",
    "hồ sơ nộp trực tuyến: 70 trường hợp", "công bố 173 Bộ thủ tục hành chính thuộc thẩm quyền",
    "Khắc phục tồn tại trong năm 2024.", "Kế hoạch CCHC năm 2031", "6 tháng đầu năm 1999", "năm 99999",
    "\n", ";", ". ",
])
NARRATIVE = st.one_of(st.none(), TEXT, st.lists(st.one_of(FRAGMENTS, TEXT), max_size=6).map(" ".join))
DATES = st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
                  st.sampled_from(["07/3/2025", "31/02/2025", "2025-03-10", "ngày 7 tháng 3 năm 2025", "hôm qua"]))


@pytest.fixture(scope="module")
def template_raw(template_path):
    raw = open_raw(template_path)
    grids = {name: copy.deepcopy(raw.grid(name)) for name in raw.sheet_names}
    return raw.names, grids


def _put(grids, sheet, r0, c0, value):
    grid = grids[sheet]
    while len(grid) <= r0:
        grid.append([])
    row = grid[r0]
    while len(row) <= c0:
        row.append("")
    row[c0] = value


def _assert_sound(findings, sizes: dict[str, tuple[int, int]]):
    for f in findings:
        assert f.severity in SEVERITIES
        assert f.message.strip()
        assert f.sheet in sizes, f
        assert f.cell, f  # a template always has every cell the checks talk about
        r0, c0 = parse_a1(f.cell)
        rows, cols = sizes[f.sheet]
        assert r0 < rows and c0 < cols, (f.address, rows, cols)
    json.dumps([f.to_json() for f in findings], ensure_ascii=False)
    assert len(findings_rows(findings)) == HEADER_ROW + 1 + len(findings)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_cells_never_crash(template_raw, catalogue, data):
    names, grids0 = template_raw
    grids = copy.deepcopy(grids0)
    sizes = {s: (len(g), max((len(r) for r in g), default=0)) for s, g in grids.items()}
    for row in catalogue.input_rows():
        ref = names[row.name]
        labels = st.sampled_from([label for _, label in row.choices]) if row.choices else ANY_VALUE
        _put(grids, ref.sheet, ref.r0, ref.c0, data.draw(st.one_of(ANY_VALUE, labels), label=row.ref))
    for field in catalogue.info:
        ref = names[field.name]
        if field.type == "date":
            value = data.draw(DATES, label=field.key)
        elif field.type == "choice":
            value = data.draw(st.one_of(st.sampled_from(field.choices), ANY_VALUE), label=field.key)
        else:
            value = data.draw(st.one_of(ANY_VALUE, FRAGMENTS), label=field.key)
        for r in range(ref.r0, ref.r1 + 1):
            _put(grids, ref.sheet, r, ref.c0, value if r == ref.r0 else data.draw(NARRATIVE))
    for sec in catalogue.sections:
        if sec.input:
            ref = names[sec.name]
            _put(grids, ref.sheet, ref.r0, ref.c0, data.draw(NARRATIVE, label=sec.key))
    raw = RawWorkbook.from_grids("random.xlsx", grids, names)
    sizes = {s: (max(sizes[s][0], len(g)), max(sizes[s][1], max((len(r) for r in g), default=0)))
             for s, g in grids.items()}
    report = interpret(raw, catalogue)
    _assert_sound(run_checks(report, catalogue), sizes)


VALUE_FOR_FILL = st.one_of(st.none(), st.integers(-5, 10**6), st.floats(-10, 1e6, allow_nan=False),
                           st.sampled_from([0.9, 150, 2.5, "bảy", "1.234", "90%"]))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_files_check_and_mark(make_workbook, catalogue, tmp_path_factory, data):
    changes = {row.ref: data.draw(VALUE_FOR_FILL, label=row.ref) for row in catalogue.input_rows()
               if data.draw(st.booleans())}
    cap = data.draw(st.sampled_from(["Xã", "Huyện", None]))
    signed = data.draw(st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1)))

    def edit(d):
        for ref, value in changes.items():
            form, _, code = ref.partition(":")
            d["values"].setdefault(form, {})[code] = value
        d["info"]["cap"] = cap
        d["info"]["ngay_ky"] = signed.isoformat()

    path = make_workbook(edit, name="random.xlsx")
    findings = run_checks(read_workbook(path))
    wb = load_workbook(path)
    _assert_sound(findings, {ws.title: (ws.max_row, ws.max_column) for ws in wb.worksheets})
    out = tmp_path_factory.mktemp("marked") / "marked.xlsx"
    mark_workbook(path, findings, out)
    marked = load_workbook(out)
    assert marked[S.SHEET_FINDINGS].max_row == HEADER_ROW + 1 + len(findings)
