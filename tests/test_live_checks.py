"""The workbook checks itself: the rules compiled into formulas (cchc.workbook.formulas), recalculated
by LibreOffice, flag exactly the (rule, cell) pairs that `cchc check` finds in Python.

Two ways through LibreOffice, each one process for many workbooks:

- real workbooks: the seed (filled into the template with `fill_workbook`) and, typed into it,
  every rule's planted error (test_checks_rules.CASES), recalculated, and read back: the
  «_kiemtra» sheet, the KT_* names, the «Kiểm tra» column and the line under each form's title;
- a case table: the same program (the formulas the template writes, with their references
  pointed at one row per case) over the near misses of every rule, the other planted cases of
  test_checks_builtin.py and at least 300 random fills drawn by hypothesis, all in one
  recalculation. Python reads each case's cells through the reader (`interpret`) exactly as
  it reads a workbook.

The domain where both must agree: numbers or blanks in number cells, labels or codes in yes/no
and choice cells, real dates in date cells, and text that is not a number at all (see the
docstring of cchc.workbook.formulas). The rules that are not compiled are named by
`test_the_rules_not_compiled_are_named`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cchc import app
from cchc.catalogue import load_catalogue
from cchc.demo import write_demo_workbook
from cchc.checks import run_checks
from cchc.cells import col_letter, parse_a1
from cchc.office import convert_all
from cchc.workbook import style as S
from cchc.merge.xlsx_rows import _sheet_parts
from cchc.workbook.values import EXCEL_EPOCH
from cchc.workbook.formulas import NOT_COMPILED, TOTAL_NAMES, compile_checks, count_name, render
from cchc.workbook.layout import layout_of, status_column
from cchc.workbook.raw import RawWorkbook, open_raw
from cchc.workbook.reader import interpret

from test_checks_builtin import ADMIN_CODES, SIGNINGS, WINDOWS, WRONG_VALUES
from test_checks_rules import CASES, COMMUNE_OFF

RANDOM_FILLS = 300
SEVERITY = {2: "error", 1: "warning"}


# ============================================================================ the cases
def planted() -> list[tuple[str, dict]]:
    """Every planted case of the checks' tests, as changes to the seed: "<form>:<code>" → value,
    "info.<key>" → value (the shape test_checks_rules.CASES uses)."""
    out: list[tuple[str, dict]] = [("seed", {})]
    for rule, (fire, ok, _) in sorted(CASES.items()):
        out += [(f"{rule} fires", fire), (f"{rule} near miss", ok)]
    out += [
        ("sum and companion", {"2a:1": 2, "2a:1.1": 1, "2a:1.2": 3}),
        ("commune district rows", {"2a:1": 5, "2a:1.2": 3}),
        ("department district rows", {**COMMUNE_OFF, "2a:1": 5, "2a:1.2": 3}),
        ("carry-over not for departments", {**COMMUNE_OFF, "3:2.3.1": 20, "3:2.3.2": 20}),
        ("percent typed as fraction", {"7:2.2": 0.9}),
        ("flag out of list", {"1:6": 3}),
        ("required field", {"info.nguoi_ky": None}),
        ("admin code as a number", {"info.ma_dvhc": 5014}),
        ("window order", {"info.tu_ngay": "2025-03-10", "info.den_ngay": "2024-12-11"}),
        ("impossible year", {"info.nam": 20250}),
        ("form 6 blank", {"6:1.1": None, "6:1.2": None}),
        ("zero total determines blanks", {"5:4": 0, "5:4.3": 0}),
        ("district unit", {"info.cap": "Huyện"}),
    ]
    for ref, value in WRONG_VALUES:
        extra = {"1:5": 1, "1:5.1": 10} if ref == "1:5.2" else {}
        out.append((f"wrong {ref} = {value}", {ref: value, **extra}))
    out += [(f"admin code {code}", {"info.ma_dvhc": code}) for code, _ in ADMIN_CODES]
    out += [(f"window {changes}", {"info.ngay_ky": "2025-04-01", **{f"info.{k}": v for k, v in changes.items()}})
            for changes, _ in WINDOWS]
    out += [(f"signed {signed}", {"info.ngay_ky": signed}) for signed, _ in SIGNINGS]
    return out


def _as_date(v):
    return dt.date.fromisoformat(v) if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else v


def raw_changes(catalogue, changes: dict) -> dict[str, object]:
    """Changes as the cells hold them after `fill_workbook` and as calamine reads them:
    numbers as floats, a yes/no or choice code as its label, ISO dates as dates."""
    out = {}
    for key, v in changes.items():
        if key.startswith("info."):
            out[key] = float(v) if isinstance(v, int) and not isinstance(v, bool) else _as_date(v)
            continue
        row = catalogue.row(key)
        if row.type in ("flag", "choice") and isinstance(v, (int, float)) and float(v).is_integer():
            v = row.choice_label(int(v)) or float(v)
        out[key] = float(v) if isinstance(v, int) and not isinstance(v, bool) else v
    return out


# ---------------------------------------------------------------------------- random fills
NOT_NUMBERS = ["bảy", "abc", "x"]  # text no reader can take for a number (in the domain)


@lru_cache(maxsize=None)
def _value(row):
    if row.type in ("flag", "choice"):
        codes = [c for c, _ in row.choices]
        return st.one_of(st.none(), st.sampled_from([label for _, label in row.choices]),
                         st.sampled_from(codes).map(float), st.sampled_from(codes).map(str),
                         st.sampled_from([7.0, 1.5, -1.0, "khác", " "]))
    small = st.integers(0, 6).map(float)
    odd = st.sampled_from([-1.0, -3.0, 2.5, 0.5, " "] + NOT_NUMBERS)
    if row.type == "money":
        return st.one_of(st.none(), small, st.integers(0, 500_000).map(lambda x: x / 100), odd)
    if row.type == "pct":
        return st.one_of(st.none(), small, st.integers(0, 10_000).map(lambda x: x / 100),
                         st.sampled_from([0.5, 1.0, 0.01, 100.5, 150.0, -1.0, "abc", " "]))
    return st.one_of(st.none(), small, st.integers(0, 300).map(float), odd)


def _info(catalogue, seed_info: dict):
    fields = {f.key: f for f in catalogue.info}
    day = lambda key: st.integers(-80, 80).map(lambda d: seed_info[key] + dt.timedelta(days=d))  # noqa: E731
    options = {
        "cap": st.sampled_from(list(fields["cap"].choices) + [None]),
        "ky": st.sampled_from(list(fields["ky"].choices) + [None, "Quý V"]),
        "nam": st.sampled_from([2024.0, 2025.0, 2026.0, None, 1850.0, 20250.0, 2025.5, "abc"]),
        "tu_ngay": st.one_of(st.none(), day("tu_ngay")),
        "den_ngay": st.one_of(st.none(), day("den_ngay")),
        "ngay_ky": st.one_of(st.none(), st.integers(-40, 420).map(
            lambda d: seed_info["den_ngay"] + dt.timedelta(days=d))),
        "ma_dvhc": st.sampled_from(["05014", "5014", 5014.0, -3.0, "1234a", "123456", None, " 05014 ", "0501"]),
        "so": st.sampled_from([31.0, None, 31.5, "x"]),
        "tham_quyen": st.sampled_from(list(fields["tham_quyen"].choices) + ["XYZ", None]),
    }
    for f in catalogue.info:
        if f.required and f.type in ("text", "multiline") and f.key not in options:
            options[f.key] = st.sampled_from([None, " ", "Có nội dung"])
    return st.fixed_dictionaries({}, optional={f"info.{k}": v for k, v in options.items()})


def random_fills(catalogue, seed_info: dict, n: int) -> list[dict]:
    """`n` fills drawn by hypothesis: each changes a random share of the seed's cells."""
    rows = list(catalogue.input_rows())

    @st.composite
    def fill(draw):
        share = draw(st.sampled_from([0.1, 0.3, 0.6, 1.0]))
        changes = {r.ref: draw(_value(r), label=r.ref) for r in rows if draw(st.floats(0, 1)) < share}
        changes.update(draw(_info(catalogue, seed_info)))
        return changes

    found: list[dict] = []

    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(fill())
    def collect(changes):
        found.append(changes)

    collect()
    return found


# ============================================================================ writing workbooks fast
def _cell_xml(ref: str, v, style: str = "") -> str:
    """One cell of SpreadsheetML: a number, a date (as its serial number), a text, or nothing."""
    if v is None or v == "":
        return f'<c r="{ref}"{style}/>'
    if isinstance(v, dt.date):
        v = float((v - EXCEL_EPOCH).days)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f'<c r="{ref}"{style} t="n"><v>{float(v)!r}</v></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'


_CELL_XML = re.compile(r'<c r="([A-Z]+\d+)"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', re.S)


def patched_copy(src: Path, out: Path, cells: dict[tuple[str, str], object]) -> Path:
    """A copy of the workbook `src` whose cells (sheet, "D18") hold new values: what an officer
    typing them would leave (openpyxl would take ~0,4 s per file to do the same)."""
    with zipfile.ZipFile(src) as zin:
        parts = _sheet_parts(zin)
        by_part: dict[str, dict[str, object]] = {}
        for (sheet, ref), v in cells.items():
            by_part.setdefault(parts[sheet], {})[ref] = v
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                where = by_part.get(info.filename)
                if where:
                    text = data.decode("utf-8")
                    seen = set()

                    def swap(m, where=where, seen=seen):
                        if m.group(1) not in where:
                            return m.group(0)
                        seen.add(m.group(1))
                        return _cell_xml(m.group(1), where[m.group(1)], m.group(2) or "")

                    text = _CELL_XML.sub(swap, text)
                    assert seen == set(where), (src, set(where) - seen)
                    data = text.encode("utf-8")
                zout.writestr(info, data)
    return out


def write_xlsx(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """A bare workbook: each sheet a list of rows, each a list of cell XML (`_cell_xml`); formulas are
    computed when LibreOffice opens it (fullCalcOnLoad)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                      f'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(names) + 1))
            + "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
            + '</sheets><calcPr fullCalcOnLoad="1"/></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1)) + "</Relationships>"))
        for i, n in enumerate(names, 1):
            rows = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in enumerate(sheets[n], 1))
            z.writestr(f"xl/worksheets/sheet{i}.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{rows}'
                       "</sheetData></worksheet>")
    return path


# ============================================================================ both sides
def python_side(findings, program) -> Counter:
    return Counter((f.rule_id, f.sheet, f.cell, f.severity) for f in findings
                   if f.rule_id in program.compiled and f.severity in SEVERITY.values())


def python_counts(side: Counter, catalogue) -> dict[str, int]:
    out = {name: 0 for name in TOTAL_NAMES.values()}
    for sheet in [S.SHEET_INFO] + [f.sheet for f in catalogue.forms]:
        for severity in SEVERITY.values():
            out[count_name(sheet, severity)] = 0
    for (_, sheet, _, severity), n in side.items():
        out[count_name(sheet, severity)] += n
        out[TOTAL_NAMES[severity]] += n
    return out


def _number(v) -> float:
    assert isinstance(v, (int, float)) and not isinstance(v, bool), v
    return float(v)


class CaseTable:
    """The program over one row per case: sheet «Dữ liệu» holds the inputs of every case (one
    column per input and general-information cell), sheet «Kiểm tra» the program (one column
    per program cell), each formula as the template writes it with its references moved."""

    def __init__(self, catalogue, template_names, base_grids):
        self.cat = catalogue
        self.program = compile_checks(catalogue)
        self.names = template_names
        self.base = base_grids
        lay = layout_of(catalogue)
        # The cells the program reads, each a column of «Dữ liệu».
        self.inputs: list[tuple[str, str, str]] = []  # (placeholder kind, arg, "Sheet!A1")
        for ref, (sheet, cell) in lay.indicators.items():
            if catalogue.row(ref).is_input:
                self.inputs.append(("in", ref, (sheet, cell)))
        for key, cells in lay.info.items():
            for i, at in enumerate(cells):
                self.inputs.append(("info", f"{key}:{i}", at))
        data_col = {(kind, arg): col_letter(j) for j, (kind, arg, _) in enumerate(self.inputs)}
        self.data_cols = [col_letter(j) for j in range(len(self.inputs))]
        cols = {c.key: col_letter(j) for j, c in enumerate(self.program.cells)}

        def address(kind: str, arg: str) -> str:
            if kind == "c":
                return f"{cols[arg]}\x00"
            return f"'Dữ liệu'!{data_col[(kind, arg)]}\x00"

        # Each program cell's XML with \x00 where the row goes (the messages shown in the
        # «Kiểm tra» column are left out: the test reads the checks and the counts).
        self.cells_xml = "".join(
            f'<c r="{cols[c.key]}\x00"><f>{escape(render(c.formula, address))}</f></c>'
            for c in self.program.cells if c.role != "status")

    def grids(self, changes: dict) -> dict:
        """The seed's cells with the case's changes, as calamine would read them."""
        grids = copy.deepcopy(self.base)
        for key, v in changes.items():
            if key.startswith("info."):
                field = next(f for f in self.cat.info if f.key == key[5:])
                ref = self.names[field.name]
            else:
                ref = self.names[self.cat.row(key).name]
            grid = grids[ref.sheet]
            while len(grid) <= ref.r0:
                grid.append([])
            line = grid[ref.r0]
            while len(line) <= ref.c0:
                line.append("")
            line[ref.c0] = "" if v is None else v
        return grids

    def write(self, path: Path, cases: list[dict]) -> list[dict]:
        data_rows, check_rows, all_grids = [], [], []
        for i, changes in enumerate(cases):
            grids = self.grids(changes)
            all_grids.append(grids)
            n = str(i + 1)
            row = []
            for col, (_, _, (sheet, cell)) in zip(self.data_cols, self.inputs):
                r0, c0 = parse_a1(cell)
                line = grids[sheet][r0] if r0 < len(grids[sheet]) else []
                row.append(_cell_xml(col + n, line[c0] if c0 < len(line) else None))
            data_rows.append(row)
            check_rows.append([self.cells_xml.replace("\x00", n)])
        write_xlsx(path, {"Dữ liệu": data_rows, "Kiểm tra": check_rows})
        return all_grids

    def results(self, recalculated: Path, n: int) -> list[tuple[Counter, dict[str, float]]]:
        # The case table is the tests' own sheet, one column per compiled cell (about 900): wider
        # than cchc lets a report's sheet be, so calamine reads it directly, not cchc's reader.
        from python_calamine import CalamineWorkbook

        grid = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name("Kiểm tra").to_python(
            skip_empty_area=False)
        grid = [[None if v == "" else v for v in line] for line in grid]
        out = []
        for i in range(n):
            line = grid[i]
            fired, counts = Counter(), {}
            for j, c in enumerate(self.program.cells):
                v = line[j] if j < len(line) else None
                if c.role == "check":
                    v = _number(v)
                    assert v in (0, 1, 2), (c.key, v)
                    if v:
                        fired[(c.rule_id, c.sheet, c.cell, SEVERITY[int(v)])] += 1
                elif c.role == "count":
                    counts[c.name] = _number(v)
            out.append((fired, counts))
        return out


# ============================================================================ the run
def _cells_of(catalogue, raw: dict) -> dict[tuple[str, str], object]:
    lay = layout_of(catalogue)
    return {(lay.info[k[5:]][0] if k.startswith("info.") else lay.indicators[k]): v for k, v in raw.items()}


# The annual index analysis: its generic checks are compiled too (its own, chi_so.*, are code).
CHI_SO_CASES = [
    ("chi_so demo", {}),
    ("chi_so planted", {"PAR:1": -2, "PAR:2": None, "SIPAS:1.1": 150, "SIPAS:1.2": 0.5, "info.nam": 20250,
                        "info.ma_dvhc": "12"}),
]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, soffice, template_path, seed_workbook, catalogue):
    """Everything through LibreOffice, two processes side by side: the real workbooks (the seed
    and each rule's planted error, as an officer would type it into the seed; the annual index
    workbook), and the case table."""
    tmp = tmp_path_factory.mktemp("live")
    program = compile_checks(catalogue)
    real = [("seed", {})] + [(f"{rule} fires", fire) for rule, (fire, _, _) in sorted(CASES.items())]
    files = [patched_copy(seed_workbook, tmp / f"real_{i:02d}.xlsx", _cells_of(catalogue, raw_changes(catalogue, c)))
             for i, (_, c) in enumerate(real)]
    chi_so = load_catalogue("chi_so")
    demo = write_demo_workbook(tmp / "chi_so", "chi_so", "demo.xlsx")
    files += [patched_copy(demo, tmp / f"chi_so_{i}.xlsx", _cells_of(chi_so, raw_changes(chi_so, c)))
              for i, (_, c) in enumerate(CHI_SO_CASES)]
    seed_raw = open_raw(seed_workbook)
    base = {s: copy.deepcopy(seed_raw.grid(s)) for s in seed_raw.sheet_names}
    seed_info = interpret(seed_raw, catalogue).info
    table = CaseTable(catalogue, open_raw(template_path).names, base)
    cases = [(name, raw_changes(catalogue, changes)) for name, changes in planted()]
    fills = random_fills(catalogue, seed_info, RANDOM_FILLS + 10)
    cases += [(f"random fill {i}", changes) for i, changes in enumerate(fills)]
    grids = table.write(tmp / "cases.xlsx", [c for _, c in cases])
    with ThreadPoolExecutor(2) as pool:
        table_job = pool.submit(convert_all, [tmp / "cases.xlsx"], "xlsx", tmp / "out", timeout=900)
        real_out = pool.submit(convert_all, files, "xlsx", tmp / "out", timeout=900).result()
        (table_out,) = table_job.result()
    n = len(real)
    return {"program": program, "real": list(zip(real, files[:n], real_out[:n])), "table": table, "cases": cases,
            "grids": grids, "results": table.results(table_out, len(cases)), "fills": fills,
            "chi_so": list(zip(CHI_SO_CASES, files[n:], real_out[n:]))}


def _workbook_side(converted: Path) -> tuple[Counter, dict[str, float]]:
    """What a recalculated workbook's «_kiemtra» sheet flags, and its KT_* counts."""
    raw = open_raw(converted)
    formulas = Counter()
    for line in raw.grid(S.SHEET_CHECKS)[1:]:
        if len(line) > 2 and line[2]:  # a check: its rule id in column C
            v = _number(line[1])
            if v:
                formulas[(line[2], line[3], line[4], SEVERITY[int(v)])] += 1
    counts = {n: _number(raw.value(r.sheet, r.r0, r.c0)) for n, r in raw.names.items() if n.startswith("KT_")}
    return formulas, counts


def _differences(python: Counter, formulas: Counter) -> str:
    return f"only Python: {sorted((python - formulas).elements())}; only formulas: {sorted((formulas - python).elements())}"


def test_real_workbooks_count_and_flag_as_python(recalculated, catalogue):
    program = recalculated["program"]
    for (name, _), original, converted in recalculated["real"]:
        python = python_side(app.check(app.load(original)), program)
        formulas, counts = _workbook_side(converted)
        assert formulas == python, f"{name}: {_differences(python, formulas)}"
        assert counts == python_counts(python, catalogue), name


def test_the_annual_index_workbook_counts_and_flags_as_python(recalculated):
    chi_so = load_catalogue("chi_so")
    program = compile_checks(chi_so)
    assert program.catalogue_rules_not_compiled == ()  # it declares no rules as data
    for (name, changes), original, converted in recalculated["chi_so"]:
        findings = app.check(app.load(original))
        python = python_side(findings, program)
        formulas, counts = _workbook_side(converted)
        assert formulas == python, f"{name}: {_differences(python, formulas)}"
        assert counts == python_counts(python, chi_so), name
        if changes:
            assert {"read.value", "kind.pct_fraction", "blank.cell", "info.year", "info.admin_code"} <= {
                rule for rule, _, _, _ in formulas}
            # Its own checks stay Python's: a score missing is not counted by the workbook.
            assert any(f.rule_id == "chi_so.score_missing" for f in findings)


def test_the_case_table_computes_what_the_workbook_computes(recalculated):
    """The case table is the workbook's program with its references moved: for the cases run
    both ways it gives the very same findings and counts."""
    table = {name: result for (name, _), result in zip(recalculated["cases"], recalculated["results"])}
    assert len(recalculated["real"]) == 1 + len(CASES)
    for (name, _), _, converted in recalculated["real"]:
        assert table[name] == _workbook_side(converted), name


def test_the_seed_has_no_error_and_its_warnings_are_marked(recalculated, catalogue):
    (_, _), original, converted = recalculated["real"][0]
    raw = open_raw(converted)
    value = lambda name: raw.value(raw.names[name].sheet, raw.names[name].r0, raw.names[name].c0)  # noqa: E731
    assert value("KT_LOI") == 0
    # The compiled warnings of the seed: the signing date, five blanks among filled siblings.
    assert value("KT_CANH_BAO") == 6 and value("KT_BM4_CANH_BAO") == 3 and value("KT_BM5_CANH_BAO") == 2
    assert value("KT_TT_CANH_BAO") == 1
    form = catalogue.form("4")
    at = raw.names["BM4_2_3"]
    status = raw.value("BM4", at.r0, status_column(form) - 1)
    assert status == "Cảnh báo: Để trống khi các mục cùng nhóm có số liệu: nếu không phát sinh, hãy ghi 0."
    assert raw.value("BM4", 2, S.COL_UNIT - 1) == "Kiểm tra tự động: 0 lỗi, 3 cảnh báo (ô tô đỏ: lỗi; ô tô cam: " \
                                                  "cảnh báo; lời nhắn ở cột «Kiểm tra»)."
    assert raw.value("BM3", 2, S.COL_UNIT - 1) == "Kiểm tra tự động: không có lỗi, không có cảnh báo."
    assert raw.value("BM3", 2, 0) == "UBND xã Đưng K’Nớ – Quý I năm 2025"
    # A row without a finding shows nothing.
    at = raw.names["BM3_2_3_2"]
    assert raw.value("BM3", at.r0, status_column(catalogue.form("3")) - 1) is None


def test_a_planted_error_is_counted_on_its_sheet_and_shown_on_its_row(recalculated, catalogue):
    real = {name: converted for (name, _), _, converted in recalculated["real"]}
    raw = open_raw(real["f3.ontime_le_resolved_commune fires"])
    value = lambda name: raw.value(raw.names[name].sheet, raw.names[name].r0, raw.names[name].c0)  # noqa: E731
    assert value("KT_BM3_LOI") >= 1 and value("KT_LOI") >= 1
    at = raw.names["BM3_2_3_2"]
    assert raw.value("BM3", at.r0, status_column(catalogue.form("3")) - 1) == (
        "Lỗi: Số hồ sơ giải quyết đúng hạn không thể nhiều hơn tổng số hồ sơ đã giải quyết xong.")
    assert raw.value("BM3", 2, S.COL_UNIT - 1).startswith("Kiểm tra tự động: 1 lỗi, 0 cảnh báo")
    summary = [line[1] for line in raw.grid(S.SHEET_INFO) if len(line) > 1 and isinstance(line[1], str)]
    assert "1 lỗi, 0 cảnh báo" in summary  # the BM3 line of «Thông tin chung»


def test_case_table_agrees_with_python_on_every_case(recalculated, catalogue):
    table, program = recalculated["table"], recalculated["program"]
    assert len(recalculated["fills"]) >= RANDOM_FILLS
    failures = []
    for (name, changes), grids, (formulas, counts) in zip(recalculated["cases"], recalculated["grids"],
                                                           recalculated["results"]):
        data = interpret(RawWorkbook.from_grids(name, grids, dict(table.names)), catalogue)
        python = python_side(run_checks(data, catalogue), program)
        if formulas != python or counts != python_counts(python, catalogue):
            failures.append(f"{name} {changes}: {_differences(python, formulas)}")
    assert not failures, "\n".join(failures[:5]) + f"\n({len(failures)} cases disagree)"


def test_random_fills_reach_every_compiled_rule(recalculated):
    """The fills are not vacuous: together they make every compiled check fire somewhere, and
    most rules hold somewhere too."""
    program = recalculated["program"]
    fired = set()
    for formulas, _ in recalculated["results"]:
        fired |= {rule for rule, _, _, _ in formulas}
    assert program.compiled - fired == set()


def test_the_rules_not_compiled_are_named(catalogue):
    program = compile_checks(catalogue)
    # The catalogue's own rules that no formula computes: the numbers stated in the narrative.
    assert program.catalogue_rules_not_compiled == ("tm.received_total", "tm.received_online", "tm.procedures_total",
                                                    "tm.vbqppl_issued", "tm.discipline", "tm.online_meetings")
    compare = {r["id"] for r in catalogue.rules if r.get("type", "compare") == "compare"}
    assert compare <= program.compiled
    assert {"read.value", "kind.pct_fraction", "blank.cell", "blank.form", "read.info", "info.required",
            "info.year", "info.admin_code", "info.window_order", "info.window", "info.report_date"} <= program.compiled
    assert [families for families, _ in NOT_COMPILED] == [
        "narrative.*", "narrative_number", "ratio.*", "read.missing_row, read.sheet, read.version",
        "<loại báo cáo>.*"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, soffice, seed_workbook):
    """The seed and the seed with 3:2.3.2 = 72 (more on time than resolved), as LibreOffice
    prints them (one process for both)."""
    tmp = tmp_path_factory.mktemp("pdf")
    raw = open_raw(seed_workbook)
    at = raw.names["BM3_2_3_2"]
    loi = patched_copy(seed_workbook, tmp / "loi.xlsx", {("BM3", f"D{at.r0 + 1}"): 72.0})
    ok = patched_copy(seed_workbook, tmp / "ok.xlsx", {})
    pdfs = convert_all([ok, loi], "pdf", tmp / "pdf")
    return dict(zip(("ok", "loi"), pdfs))


def test_the_cell_turns_red_after_recalculation(rendered, tmp_path):
    """The value cell of 3:2.3.2 is filled red when it exceeds 3:2.3.1, and keeps the input
    yellow in the seed."""
    assert _near(_colour_of_value(rendered["ok"], "BM3", "2.3.2", "71", tmp_path / "ok"), S.INPUT_FILL_RGB)
    assert _near(_colour_of_value(rendered["loi"], "BM3", "2.3.2", "72", tmp_path / "loi"), S.ERROR_FILL_RGB)
    text = _page_text(rendered["loi"], "BM3")
    assert "Lỗi: Số hồ sơ giải quyết đúng hạn không thể nhiều hơn" in " ".join(text.split())  # the message, wrapped


def test_printed_pages_say_whose_they_are_and_show_the_report_s_figures(rendered):
    for sheet in ("BM1", "BM3", "BM6"):
        text = " ".join(_page_text(rendered["ok"], sheet).split())
        assert "UBND xã Đưng K’Nớ – Quý I năm 2025" in text, sheet
        assert re.search(r"Trang \d+/13", text), sheet
    bm3, bm1, bm6 = (" ".join(_page_text(rendered["ok"], s).split()) for s in ("BM3", "BM1", "BM6"))
    # As the report writes them (LibreOffice prints with its own locale's separators here).
    assert "100%" in bm3 and "100.00" not in bm3 and "100,00" not in bm3
    assert re.search(r"57[.,]14%", bm1)
    assert re.search(r"2[.,]700(?![.,\d])", bm6) and "0%" in bm6
    assert "Kiểm tra tự động: không có lỗi, không có cảnh báo." in bm3


def _page_text(pdf: Path, sheet: str) -> str:
    """The text of the page whose footer names `sheet`."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    for page in pages:
        lines = [x for x in page.splitlines() if x.strip()]
        if lines and lines[-1].split()[0] == sheet:
            return page
    raise AssertionError(f"no page of {sheet} in {pdf}")


def _near(rgb: tuple[int, int, int], hexa: str) -> bool:
    want = tuple(int(hexa[i:i + 2], 16) for i in (0, 2, 4))
    return all(abs(a - b) <= 12 for a, b in zip(rgb, want))


def _colour_of_value(pdf: Path, sheet: str, code: str, shown: str, folder: Path) -> tuple[int, int, int]:
    """The background colour beside the value `shown` on the row of `code` of the page whose
    footer names `sheet`."""
    from PIL import Image

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = [(float(x0), float(y0), float(x1), float(y1), w) for x0, y0, x1, y1, w in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                            page)]
        if not any(w == sheet and y0 > height - 60 for _, y0, _, _, w in words):  # the footer names the sheet
            continue
        row = next(w for w in words if w[4] == code)
        value = next(w for w in words if w[4] == shown and abs((w[1] + w[3]) / 2 - (row[1] + row[3]) / 2) < 4)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", str(number), "-l", str(number), str(pdf),
                        str(folder / "page")], check=True)
        image = Image.open(next(folder.glob("page*.png"))).convert("RGB")
        # A point just left of the number, inside the cell: the fill, not the glyphs.
        return image.getpixel((int(value[0]) - 6, int((value[1] + value[3]) / 2)))
    raise AssertionError(f"no page of {sheet} in {pdf}")


def test_cchc_check_says_whether_the_workbook_counts_agree(recalculated, tmp_path, capsys):
    from cchc.cli import main

    (_, _), original, converted = next(r for r in recalculated["real"] if r[0][0] == "f3.ontime_le_resolved_commune fires")
    assert main(["check", str(converted)]) == 1
    out = capsys.readouterr().out
    assert ("Bộ đếm kiểm tra tự động của sổ tính (1 lỗi, 6 cảnh báo) khớp với kiểm tra bằng Python cho các quy "
            "tắc sổ tính tự tính.") in out
    # A file written by a program that does not compute formulas (openpyxl) holds no counts yet.
    main(["check", str(original)])
    assert "chưa được tính (tệp chưa được mở và lưu bằng Excel, LibreOffice hay WPS)" in capsys.readouterr().out
    # Counts that disagree are named.
    raw = open_raw(converted)
    at = raw.names["KT_BM3_LOI"]
    tampered = patched_copy(converted, tmp_path / "sua.xlsx", {(at.sheet, f"B{at.r0 + 1}"): 0})
    loaded = app.load(tampered)
    live = app.live_counts(loaded, app.check(loaded))
    assert live.state == "differ" and live.differing == ["KT_BM3_LOI"]
    assert "KHÔNG khớp" in live.line() and "KT_BM3_LOI" in live.line()
    main(["check", "--json", str(converted)])
    counts = json.loads(capsys.readouterr().out)["workbook_counts"]
    assert counts["state"] == "agree" and counts["workbook"]["KT_BM3_LOI"] == 1 == counts["python"]["KT_BM3_LOI"]
