"""The use cases of cchc, each written once: load, check, mark, report, merge, templates, demo.

The command line (`cchc.commands`), the Excel buttons (`cchc.excel`) and the web portal call
these functions and nothing deeper, so they cannot drift apart. An adapter only turns its input
into a path (or a RawWorkbook) and shows what comes back: printed lines, a message box, an HTTP
page. Everything here works on files and plain values; nothing knows Excel the application or
the web, and nothing names a report kind: kinds come from the registry (cchc.registry).

    loaded = load("xa.xlsx")                    # CchcError (Vietnamese) when unusable
    findings = check(loaded)                    # list[Finding], in sheet order
    result = report(loaded, pdf=True)           # ReportResult: .docx, .pdf, .findings, .messages

Adapters that keep the workbooks they receive (the portal) also use: `read_upload` (a file
read once for its findings page and once as `cchc merge` reads it), `admit` (accepted or
refused for one unit and one period, by the merge's own rules), `record_to_json` /
`record_from_json` (what is stored of it), `merge_records` (the merge from stored records,
without reading the files again), and the catalogue and formatting helpers at the end.

Across periods (the same unit's reports of other periods, from workbooks or stored JSON):

    check(load("6T.xlsx"), previous=[load("Q1.xlsx")])       # + cross-period findings
    roll_up([load("6T.xlsx"), load("Q3.xlsx")], "9T.xlsx")  # RollUpResult: the 9-month workbook
    compare(load("Q1_2025.xlsx"), [load_json("Q1_2024.json")])   # Comparison: columns, changes
    report(loaded, compare_with=[load("Q1_2024.xlsx")])      # the report with the comparison
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from cchc.errors import CchcError  # re-exported: the one error adapters catch
from cchc.findings import SEVERITY_LABELS, Finding, counts


@dataclass
class Loaded:
    """One workbook, read: what every use case works on."""

    source: str  # the path (or, from Excel, the book's full name)
    data: Any  # cchc.model.ReportData
    catalogue: Any  # cchc.catalogue.Catalogue
    raw: Any  # cchc.workbook.raw.RawWorkbook; None for data read from JSON (load_json)

    @property
    def kind(self):
        from cchc.registry import kind_for

        return kind_for(self.catalogue)


# ----------------------------------------------------------------------------- files
def refuse_overwriting(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path | None]) -> None:
    """The rule every adapter shares (command line, Excel buttons, portal): an output is never
    an input of the same command (the same file, also through a link or under another
    spelling), nor a device, a FIFO or a folder to be replaced. CchcError (exit 2). The use
    cases below apply it themselves; an adapter calls it first when it reads before calling
    them, so that nothing is read when the command cannot finish."""
    from cchc.files import refuse_overwriting as refuse

    refuse(outputs, inputs)


# ----------------------------------------------------------------------------- one workbook
def load(path: str | Path) -> Loaded:
    """Open a filled workbook defensively and read it against its catalogue."""
    from cchc.workbook.raw import open_raw

    return load_raw(open_raw(Path(path)))


def load_raw(raw) -> Loaded:
    """Read an already opened RawWorkbook (the Excel adapter builds one from the open book)."""
    from cchc.workbook.reader import catalogue_for, interpret

    catalogue = catalogue_for(raw)
    return Loaded(source=str(raw.source), data=interpret(raw, catalogue), catalogue=catalogue, raw=raw)


def load_json(source: str | Path | dict[str, Any], *, name: str = "") -> Loaded:
    """A report's stored data: the JSON of `cchc export` (or of `cchc merge --json`), as a
    path or as the parsed object (the portal's stored values); `name` is what messages call it
    (default: the path, or the JSON's own "source")."""
    from cchc.workbook.json_data import data_from_json, read_json_file

    obj = source if isinstance(source, dict) else read_json_file(source)
    data, catalogue = data_from_json(obj, name or ("" if isinstance(source, dict) else str(source)))
    return Loaded(source=data.source, data=data, catalogue=catalogue, raw=None)


def load_any(path: str | Path) -> Loaded:
    """A workbook, or a report's JSON (.json: `cchc export`, `cchc merge --json`)."""
    return load_json(path) if Path(path).suffix.lower() == ".json" else load(path)


def check(loaded: Loaded, previous: Iterable[Loaded] = ()) -> list[Finding]:
    """Every finding about one workbook (the reader's included), in the order of its sheets.
    `previous`: reports of the same unit and year whose periods this one contains (Quý I for a
    6-month report): their flows and cumulative rows cannot be larger, their stocks seldom much
    larger. CchcError for one of another unit or year, or of a period not contained."""
    from cchc.checks import run_checks

    return run_checks(loaded.data, loaded.catalogue, [p.data for p in previous])


@dataclass
class LiveCounts:
    """The workbook's own counts of errors and warnings (its live checks, cchc.workbook.live)
    against what Python finds for the same rules."""

    state: str  # "agree" | "differ" | "not_computed" (never recalculated) | "absent" (no live checks)
    workbook: dict[str, int] = field(default_factory=dict)  # KT_* name → the file's count
    python: dict[str, int] = field(default_factory=dict)  # KT_* name → Python's count

    @property
    def differing(self) -> list[str]:
        return [n for n in self.python if self.workbook.get(n) != self.python[n]]

    def line(self) -> str:
        """One sentence for the officer."""
        from cchc.workbook.formulas import TOTAL_NAMES

        if self.state == "absent":
            return ("Sổ tính không có bộ đếm kiểm tra tự động (làm từ biểu mẫu cũ hoặc bởi chương trình khác): "
                    "không đối chiếu được.")
        if self.state == "not_computed":
            return ("Bộ đếm kiểm tra tự động trong sổ tính chưa được tính (tệp chưa được mở và lưu bằng Excel, "
                    "LibreOffice hay WPS): không đối chiếu được.")
        err, warn = TOTAL_NAMES["error"], TOTAL_NAMES["warning"]
        said = f"{self.workbook.get(err, 0)} lỗi, {self.workbook.get(warn, 0)} cảnh báo"
        if self.state == "agree":
            return (f"Bộ đếm kiểm tra tự động của sổ tính ({said}) khớp với kiểm tra bằng Python cho các quy tắc "
                    "sổ tính tự tính.")
        found = f"{self.python.get(err, 0)} lỗi, {self.python.get(warn, 0)} cảnh báo"
        return (f"Bộ đếm kiểm tra tự động của sổ tính ({said}) KHÔNG khớp với kiểm tra bằng Python ({found}) "
                f"ở {', '.join(self.differing)}: có thể tệp được lưu khi chưa tính lại công thức, hoặc trang "
                "«_kiemtra» đã bị sửa. Kết quả kiểm tra bằng Python ở trên là kết quả đầy đủ.")

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "workbook": self.workbook, "python": self.python}


def live_counts(loaded: Loaded, findings: list[Finding]) -> LiveCounts:
    """Whether the counts the workbook computed itself (its KT_* names, cached by the program
    that last saved it) agree with Python's findings for the rules it compiles."""
    from cchc.workbook.formulas import compile_checks, expected_counts

    names = loaded.raw.names
    python = expected_counts(compile_checks(loaded.catalogue), findings)
    present = [n for n in python if n in names]
    if not present:
        return LiveCounts("absent", python=python)
    workbook: dict[str, int] = {}
    for name in present:
        ref = names[name]
        v = loaded.raw.value(ref.sheet, ref.r0, ref.c0) if loaded.raw.has_sheet(ref.sheet) else None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return LiveCounts("not_computed", python=python)
        workbook[name] = int(v)
    python = {n: python[n] for n in present}
    return LiveCounts("agree" if workbook == python else "differ", workbook, python)


def check_json(file: str, findings: list[Finding], marked: str | Path | None = None,
               live: LiveCounts | None = None) -> dict[str, Any]:
    """What `cchc check --json` prints (and the portal's API returns)."""
    n = counts(findings)
    out: dict[str, Any] = {
        "file": str(file),
        "summary": {"errors": n["error"], "warnings": n["warning"], "infos": n["info"]},
        "findings": [f.to_json() for f in findings],
    }
    if live is not None:
        out["workbook_counts"] = live.to_json()
    if marked:
        out["marked"] = str(marked)
    return out


def mark(source: str | Path, findings: list[Finding], out: str | Path) -> Path:
    """A copy of `source` with the offending cells coloured and a «Kiểm tra» sheet."""
    from cchc.checks.mark import mark_workbook  # it refuses an output that is the source

    return mark_workbook(Path(source), findings, Path(out))


def export(path: str | Path) -> dict[str, Any]:
    """The data of a filled workbook as `cchc export` prints it (ratios recomputed)."""
    return load(path).data.to_json()


def export_text(data: dict[str, Any]) -> str:
    """The JSON text of `export` (valid JSON whatever the workbook held)."""
    from cchc.findings import json_text

    return json_text(data)


def write_export(path: str | Path, out: str | Path) -> dict[str, Any]:
    """`export` of the workbook at `path`, written to `out` atomically (never over `path`)."""
    from cchc.atomic import atomic_write

    refuse_overwriting([out], [path])
    data = export(path)
    with atomic_write(out) as tmp:
        tmp.write_text(export_text(data) + "\n", encoding="utf-8")
    return data


# A data file for `fill` is a few KB; 10 MB leaves room for long narratives.
MAX_DATA_BYTES = 10 * 1024 * 1024


def read_fill_data(path: str | Path) -> dict[str, Any]:
    """The JSON data of `cchc fill --data` (the shape `export` gives), from a file from outside:
    CchcError in Vietnamese when it is not a readable JSON object. What its values may be is
    checked against the catalogue by `fill`."""
    from cchc.files import read_json_object

    return read_json_object(path, "tệp số liệu", max_bytes=MAX_DATA_BYTES, hint="cần tệp như «cchc export» ghi ra: info, values, narrative…")


def fill(template: str | Path, data: dict[str, Any], out: str | Path, *, data_path: str | Path | None = None) -> Path:
    """A template filled with `data` (the shape `export` gives), written atomically. `data_path`:
    the file `data` came from, which `out` may not replace either."""
    from cchc.workbook.fill import fill_workbook
    from cchc.workbook.raw import open_raw
    from cchc.workbook.reader import catalogue_for

    refuse_overwriting([out], [template, data_path])
    # Checked for what openpyxl expands before fill_workbook loads the template with it.
    fill_workbook(template, data, out, catalogue_for(open_raw(Path(template), scan="openpyxl")))
    return Path(out)


# ----------------------------------------------------------------------------- across periods
@dataclass
class RollUpResult:
    output: Path  # the new workbook
    label: str  # the period it covers: "9 tháng năm 2025"
    lines: list[str] = field(default_factory=list)  # what to tell the officer (warnings included)
    warnings: list[str] = field(default_factory=list)


def roll_up(sources: Iterable[Loaded], out: str | Path) -> RollUpResult:
    """The standard workbook of the period that adjacent reports of one unit and year exactly
    cover (6 tháng + Quý III → 9 tháng): flows summed, stocks and cumulative rows from the
    latest. CchcError (nothing written) for overlapping or gapped periods, other units or
    years, other catalogue versions."""
    from cchc.workbook.rollup import roll_up as combine
    from cchc.workbook.rollup import write_rollup

    sources = list(sources)
    if not sources:
        raise CchcError("Không cộng dồn được: chưa có tệp nguồn nào.")
    catalogue = sources[0].catalogue
    rolled = combine([s.data for s in sources], catalogue)
    written = write_rollup(rolled, out, inputs=[s.source for s in sources])
    names = " và ".join(f"«{Path(d.source).name}»" for d in rolled.sources)
    lines = [f"Đã cộng dồn {names} thành báo cáo {rolled.label}: {written}"]
    lines += [f"Cảnh báo: {w}" for w in rolled.warnings]
    blank = [f.label for f in catalogue.info if f.key in set(rolled.data["info"]) and rolled.data["info"][f.key] is None
             and f.required]
    if blank:
        lines.append(f"Cần nhập trước khi trình ký: {', '.join(f'«{b}»' for b in blank)} (trang «Thông tin chung») "
                     "và các mục thuyết minh (trang «Thuyết minh»).")
    return RollUpResult(written, rolled.label, lines, list(rolled.warnings))


# ----------------------------------------------------------------------------- the Word report
def _loaded(report) -> Loaded:
    """A Loaded from what the portal or an adapter holds: a Loaded, a ReportData, or a report's
    JSON (`cchc export`, `cchc merge --json`) already parsed."""
    if isinstance(report, Loaded):
        return report
    if isinstance(report, dict):
        return load_json(report)
    from cchc.catalogue import load_catalogue

    return Loaded(source=report.source, data=report, catalogue=load_catalogue(report.kind), raw=None)


def compare(current, earlier: Iterable = ()):
    """`current` beside `earlier` reports of the same unit (the same period of an earlier year,
    or an earlier period): each a Loaded, a ReportData or a report's JSON (stored values work as
    a workbook does). Returns a cchc.report.compare.Comparison (.columns: heading, name;
    .change(ref, i), .clause(ref, i), .sentence(subject, ref); .to_json() for a page).
    CchcError for a report of another kind or unit, or not earlier than `current`."""
    from cchc.report.compare import compare as side_by_side

    current = _loaded(current)
    return side_by_side(current.data, current.catalogue, [_loaded(e).data for e in earlier])


def render_report(loaded: Loaded, *, template: str | Path | None = None, compare_with: Iterable = ()):
    """The Word report of one workbook, in memory (cchc.report.RenderedReport); with
    `compare_with` (earlier reports, as `compare` takes them), the comparison in its tables
    and sentences."""
    from cchc.report import render_report as render

    earlier = list(compare_with)
    comparison = compare(loaded, earlier) if earlier else None
    return render(loaded.data, loaded.catalogue, template, comparison)


def report(loaded: Loaded, out: str | Path | None = None, *, template: str | Path | None = None,
           pdf: bool = False, strict: bool = False, compare_with: Iterable = ()):
    """Check, render and write the report beside the workbook (or to `out`, a file or a
    folder), atomically and never over a file open in Word; a PDF beside it if asked.
    Errors found are returned in the result (cchc.report.ReportResult); with strict=True they
    raise cchc.report.ReportRefused and nothing is written. `compare_with`: earlier reports of
    the same unit, one appendix column each and the changes in the sentences."""
    from cchc.report import deliver_report, refuse_if_strict
    from cchc.report import render_report as render

    earlier = list(compare_with)
    comparison = compare(loaded, earlier) if earlier else None  # refused before anything is done
    findings = check(loaded)
    refuse_if_strict(findings, strict)
    rendered = render(loaded.data, loaded.catalogue, template, comparison)
    return deliver_report(Path(loaded.source), out, rendered, findings, pdf=pdf, inputs=[template])


def write_report(workbook: str | Path, out: str | Path | None = None, *, template: str | Path | None = None,
                 pdf: bool = False, strict: bool = False, compare_with: Iterable[str | Path] = ()):
    """`report` of the workbook at `workbook`; `compare_with`: paths of earlier reports
    (workbooks, or their JSON)."""
    compare_with = list(compare_with)
    refuse_overwriting([out, Path(out).with_suffix(".pdf") if out and pdf else None],
                       [workbook, template, *compare_with])
    return report(load(workbook), out, template=template, pdf=pdf, strict=strict,
                  compare_with=[load_any(p) for p in compare_with])


def convert_to_pdf(docx: str | Path) -> Path:
    """A PDF beside the .docx (LibreOffice); CchcError in Vietnamese when it cannot."""
    from cchc.report.output import convert_to_pdf as convert

    return convert(Path(docx))


def report_templates() -> dict[str, tuple[str, dict[str, str]]]:
    """The Word reports cchc writes, by the name `cchc template-check --loai` uses: (what it
    is, the variables its template may use)."""
    from cchc.merge.word import TEMPLATE_VARIABLES as PROVINCE
    from cchc.registry import registered
    from cchc.report.context import TEMPLATE_VARIABLES as STANDARD

    out = {}
    for kind in registered():
        if kind.word_template_name:
            out[kind.name] = (f"{kind.label} (cchc report)", kind.template_variables or STANDARD)
    out["chuan"] = ("báo cáo theo mẫu chuẩn (cchc report, loại báo cáo không có mẫu riêng)", STANDARD)
    out["tong-hop"] = ("báo cáo tổng hợp cấp tỉnh (cchc merge --report)", PROVINCE)
    return out


def check_word_template(path: str | Path, loai: str = "tu-dong"):
    """`cchc template-check`: which report a province's Word template is for (`loai`, or
    recognised by the variables it uses: the report whose variables leave the fewest of the
    template's unexplained, ties to the first listed), and what is wrong with it (syntax
    errors, unknown variables, and what happens when it is filled with the demo data).
    Returns (name, TemplateReport). The template is parsed and filled in a child process with
    a time and memory limit: a hostile template is refused (CchcError) within seconds."""
    from cchc.report.render import check_template, try_render

    reports = report_templates()
    if loai != "tu-dong" and loai not in reports:
        raise CchcError(f"Không có loại mẫu «{loai}»; chọn một trong: {', '.join(reports)}, tu-dong.")
    found = check_template(Path(path), set())
    if loai == "tu-dong":
        order = list(reports)
        loai = min(reports, key=lambda k: (len(found.used - set(reports[k][1])), order.index(k)))
    found = found.against(set(reports[loai][1]))
    if not found.syntax_errors:
        sample = _sample_context(loai)
        if sample is not None:
            found = try_render(found, sample)
    return loai, found


def _sample_context(loai: str) -> dict | None:
    """The context a template of report `loai` gets, from the demo data (None when that kind
    has none): to try a province's template before an officer relies on it."""
    import tempfile

    from cchc.registry import default_kind, kind_by_name, registered

    names = {k.name for k in registered()}
    kind = kind_by_name(loai) if loai in names else default_kind()
    if kind.demo_data() is None:
        return None
    from cchc.demo import write_demo_workbook

    with tempfile.TemporaryDirectory(prefix="cchc-mau-") as tmp:
        loaded = load(write_demo_workbook(tmp, kind.id))
        if loai == "tong-hop":
            from cchc.merge.word import build_context

            return build_context(merge([loaded.source], workers=1))
        if loai in names:
            from cchc.report import report_context

            return report_context(loaded.data, loaded.catalogue)
        from cchc.report.context import build_context

        return build_context(loaded.data, loaded.catalogue)


# ----------------------------------------------------------------------------- merge
def merge(paths: Iterable[str | Path], *, outputs: Iterable[str | Path | None] = (), **options):
    """Read, check, admit and aggregate many workbooks (options of cchc.merge.core.merge:
    units_csv, period, year, kind, prefer_newest, workers, file_timeout, on_found, progress).
    `outputs`: the files `write_merge` will write, refused if they are inputs (a previous
    consolidated workbook inside a folder is not one: it is left out and replaced).
    Returns a MergeResult; nothing is written."""
    from cchc.merge import merge as run

    paths = list(paths)
    outputs = [Path(o) for o in outputs if o]
    refuse_overwriting(outputs, [*(p for p in paths if Path(p).is_file()), options.get("units_csv")])
    return run(paths, exclude=set(outputs), **options)


def write_merge(result, out: str | Path, *, json_path: str | Path | None = None,
                report_path: str | Path | None = None, issuer=None, compare_with: Iterable[Loaded] = ()):
    """The consolidated workbook, and the JSON and province Word report when asked.
    `compare_with`: earlier merges (their --json, app.load_json): «Tổng hợp», the report and the
    JSON gain their values and the changes. CchcError, nothing written, for one that is not a
    merge's or not of an earlier period."""
    from cchc.merge import write_outputs

    earlier = list(compare_with)
    if earlier:
        from cchc.merge.compare import compare_merge

        for e in earlier:
            if not e.data.extra.get("merge"):
                raise CchcError(f"Tệp «{Path(e.source).name}» là số liệu của một đơn vị, không phải số liệu tổng hợp: "
                                "để so sánh bản tổng hợp, dùng tệp JSON do «cchc merge --json» ghi ra ở kỳ trước.")
        result.comparison = compare_merge(result, [e.data for e in earlier], str(out))
    return write_outputs(result, out, json_path=json_path, report_path=report_path, issuer=issuer)


def merge_lines(result, seconds: float | None = None) -> list[str]:
    """What a merge says to the officer: the files not merged, units missing, one summary line."""
    from cchc.merge.summary import problem_lines, summary_line

    return [*problem_lines(result), summary_line(result, seconds)]


@dataclass
class FolderMerge:
    output: Path  # the consolidated workbook
    report: Path | None
    exit_code: int
    lines: list[str] = field(default_factory=list)


def merge_folder(folder: str | Path) -> FolderMerge:
    """Merge every workbook under `folder`; the consolidated workbook and the province report
    go beside the folder (never into it, so a later merge never reads them back), under names
    that replace nothing."""
    from cchc.report.output import free_path

    folder = Path(folder)
    if not folder.is_dir():
        raise CchcError(f"Không tìm thấy thư mục «{folder}».")
    stem = f"Tổng hợp CCHC - {folder.name}"
    out = free_path(folder.parent / f"{stem}.xlsx")
    word = free_path(folder.parent / f"{stem}.docx")
    result = merge([folder])
    written = write_merge(result, out, report_path=word)
    return FolderMerge(written.output, written.report, result.exit_code,
                       merge_lines(result) + [f"Đã ghi {p}" for p in (written.output, written.report) if p]
                       + written.messages)


# ----------------------------------------------------------------------------- templates
def build_template(out: str | Path, kind: str | None = None, *, macros: bool = False) -> Path:
    """An empty standard workbook of one report kind (its id or command-line name; the default
    kind when None), with the buttons when macros=True."""
    from cchc.catalogue import load_catalogue
    from cchc.registry import default_kind, kind_by_name
    from cchc.workbook.template import build_template as build

    chosen = kind_by_name(kind) if kind else default_kind()
    out = Path(out)
    build(out, load_catalogue(chosen.id), macros=macros)
    return out


def build_workbook_templates(directory: str | Path) -> list[Path]:
    """The workbooks committed in workbook_templates/, for every registered kind."""
    from cchc.catalogue import load_catalogue
    from cchc.registry import registered
    from cchc.workbook.template import build_template as build

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for kind in registered():
        for name, options in kind.workbook_templates:
            out.append(build(directory / name, load_catalogue(kind.id), **options))
    return out


def build_word_templates(directory: str | Path) -> list[Path]:
    """The Word templates committed in docx_templates/: the standard report's, each kind's
    own, and the province report's."""
    from cchc.merge.word import TEMPLATE_NAME as PROVINCE
    from cchc.merge.word_template import build as build_province
    from cchc.registry import registered
    from cchc.report.word_template import STANDARD_TEMPLATE
    from cchc.report.word_template import build as build_standard

    directory = Path(directory)
    out = [build_standard(directory / STANDARD_TEMPLATE)]
    for kind in registered():
        if kind.word_template_name:
            built = kind.build_word_template(directory / kind.word_template_name)
            if built is not None:
                out.append(built)
    out.append(build_province(directory / PROVINCE))
    return out


# ----------------------------------------------------------------------------- demo
def demo(directory: str | Path, *, pdf: bool) -> list[str]:
    """The main job on built-in data: for every kind that has demo data, its filled workbook
    and its Word report (and PDF) in `directory`. Returns the lines to show."""
    from cchc.demo import write_demo_workbook
    from cchc.registry import registered

    directory = Path(directory)
    lines: list[str] = []
    for kind in sorted(registered(), key=lambda k: not k.default):  # the main report first
        data = kind.demo_data()
        if data is None:
            continue
        folder = directory / kind.demo_folder if kind.demo_folder else directory
        workbook = write_demo_workbook(folder, kind.id, kind.demo_workbook or None, data=data)
        loaded = load(workbook)
        lines.append(f"{kind.label[:1].upper()}{kind.label[1:]}, sổ tính đã điền số liệu mẫu: {workbook}")
        lines += kind.demo_lines(loaded.data, loaded.catalogue)
        out = folder / kind.demo_report if kind.demo_report else folder
        result = report(loaded, out, pdf=pdf)
        lines.append(f"Báo cáo Word: {result.docx}")
        if result.pdf:
            lines.append(f"Bản PDF: {result.pdf}")
        lines += result.messages
        if result.findings:
            lines.append(f"Kết quả kiểm tra số liệu mẫu ({len(result.findings)} mục):")
            lines += ["  " + f.describe() for f in result.findings]
    return lines


# ----------------------------------------------------------------------------- one at a time
# Adapters that receive workbooks one at a time and merge them later (the portal).

@dataclass
class Upload:
    """One received workbook, read: for its findings page and for the merge."""

    name: str  # the name to show (never a server path)
    loaded: Loaded | None  # None when the file is unreadable
    findings: list[Finding]  # as `cchc check` gives them ([] when unreadable)
    record: Any  # cchc.merge.records.FileRecord, as `cchc merge` reads the file
    error: str | None = None  # unreadable: the reader's Vietnamese reason

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.findings)


def _shown(message: str, path: Path, name: str) -> str:
    """The reader names the file by its path; an uploaded file is named by what its sender
    called it, never by where the server keeps it."""
    return message.replace(str(path), name)


def read_upload(path: str | Path, name: str) -> Upload:
    """Read a received file once as `cchc check` does (findings, report, marked copy) and once
    as `cchc merge` does (the record that is stored and merged later). Never raises for a bad
    file: `error` says why it cannot be used (the record then has `error` set too)."""
    from cchc.merge.worker import read_one

    path = Path(path)
    record = read_one(str(path))
    record.path = name
    if record.error:
        record.error = _shown(record.error, path, name)
        return Upload(name=name, loaded=None, findings=[], record=record, error=record.error)
    try:
        loaded = load(path)
        findings = check(loaded)
    except CchcError as exc:
        record.error = _shown(exc.message, path, name)
        return Upload(name=name, loaded=None, findings=[], record=record, error=record.error)
    return Upload(name=name, loaded=loaded, findings=findings, record=record)


def unit(code: str | None, name: str, group: str = ""):
    """A unit that should report (cchc.merge.records.Unit); its `id` is its key in a merge."""
    from cchc.merge.records import Unit
    from cchc.merge.units import norm_code, unit_id

    code = norm_code(code) if code else None
    return Unit(id=unit_id(code, name), code=code, name=name, group=group or "", expected=True)


def read_units(path: str | Path) -> list:
    """The units file of `cchc merge --units` (code, name, group): a list of Units."""
    from cchc.merge.units import read_units_csv

    return read_units_csv(path)


def admit(record, to_unit, *, kind: str, period: str | None = None, year: int | None = None):
    """Whether a file one unit sent for one period is accepted, by the merge's own rules:
    `record.state` becomes "merged" (accepted) or a refusal with its Vietnamese `reason`."""
    from cchc.merge.admit import admit_one

    if record.error:
        from cchc.merge import records as S

        record.state, record.reason = S.UNREADABLE, record.error
        return record
    admit_one(record, to_unit, kind=kind, period=period, year=year)
    record.unit_id = to_unit.id
    return record


ACCEPTED = "merged"  # the state of an accepted record


def record_to_json(record) -> dict[str, Any]:
    """What is stored of a received file for the merge: plain JSON, values by indicator ref
    (so a later catalogue with more rows still lines them up)."""
    from cchc.catalogue import load_catalogue
    from cchc.findings import json_value
    from cchc.merge.worker import input_refs

    values = {}
    if record.kind and record.values:
        refs = input_refs(load_catalogue(record.kind))
        values = {f"{f}:{c}": v for (f, c), v in zip(refs, record.values)}
    return {
        "path": record.path, "size": record.size, "mtime": record.mtime, "error": record.error,
        "kind": record.kind, "catalogue_version": record.catalogue_version, "info": record.info,
        "values": values,
        "findings": [[f.severity, f.sheet, f.cell, f.form, f.code, f.rule_id, f.message,
                      {k: json_value(v) for k, v in f.values.items()}] for f in record.findings],
        "missing_codes": list(record.missing_codes), "extra_codes": list(record.extra_codes),
        "state": record.state, "reason": record.reason, "unit_id": record.unit_id,
    }


def record_from_json(d: dict[str, Any]):
    from cchc.catalogue import load_catalogue
    from cchc.merge.records import FileRecord
    from cchc.merge.worker import input_refs

    values: tuple = ()
    if d.get("kind") and d.get("values"):
        stored = d["values"]
        values = tuple(stored.get(f"{f}:{c}") for f, c in input_refs(load_catalogue(d["kind"])))
    return FileRecord(
        path=d.get("path", ""), size=d.get("size", 0), mtime=d.get("mtime", 0.0), error=d.get("error"),
        kind=d.get("kind", ""), catalogue_version=d.get("catalogue_version", ""), info=dict(d.get("info") or {}),
        values=values, findings=[Finding(*f) for f in d.get("findings", ())],
        missing_codes=tuple(d.get("missing_codes", ())), extra_codes=tuple(d.get("extra_codes", ())),
        state=d.get("state", ""), reason=d.get("reason", ""), unit_id=d.get("unit_id", ""),
    )


def merge_records(records: list, units: list, *, kind: str, period: str | None = None,
                  year: int | None = None):
    """The merge of records admitted one by one (`admit`), without reading any file again:
    the same MergeResult as `merge` on the same files (write it with `write_merge`). `units`:
    every unit that should report; each record's `unit_id` names its unit."""
    from cchc.merge.admit import plan_admitted
    from cchc.merge.core import merge_plan

    plan = plan_admitted(list(records), list(units), kind=kind, period={"ky": period, "nam": year})
    return merge_plan(plan)


def stored_report(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record (`record_to_json`) as the JSON `cchc export` prints (values by form and
    code), which `load_json`, `compare` and `check(previous=…)` take."""
    values: dict[str, dict[str, Any]] = {}
    for ref, v in (record.get("values") or {}).items():
        form, _, code = str(ref).partition(":")
        values.setdefault(form, {})[code] = v
    return {"kind": record.get("kind"), "catalogue_version": record.get("catalogue_version"),
            "source": record.get("path") or "", "info": dict(record.get("info") or {}), "values": values}


def history_comparison(current: dict[str, Any], others: Iterable[dict[str, Any]]):
    """A unit's current report of one period (a stored record) beside the same period of the
    year before and the period just gone, among `others` (its current records of other
    periods): a cchc.report.compare.Comparison, or None when there is nothing to compare with."""
    from cchc.report.compare import compare as side_by_side
    from cchc.report.compare import earlier_of

    now = load_json(stored_report(current))
    candidates = []
    for other in others:
        try:
            candidates.append(load_json(stored_report(other)).data)
        except CchcError:
            continue  # a record of a catalogue this installation no longer has
    earlier = earlier_of(now.data, now.catalogue, candidates)
    if not earlier:
        return None
    try:
        return side_by_side(now.data, now.catalogue, earlier)
    except CchcError:
        return None  # another unit's file under this unit (refused at upload; never compared)


def finding_rows(findings: list[Finding]) -> list[dict[str, str]]:
    """The findings as `cchc check` lists them, one plain dict each: severity, label
    ("Cảnh báo"), address ("BM3!D18"), ref, message, values ("3:2.3 = trống; …")."""
    from cchc.checks.sheet import values_text

    return [{"severity": f.severity, "label": f.label, "address": f.address,
             "ref": f.ref, "message": f.message, "values": values_text(f), "rule_id": f.rule_id}
            for f in findings]


def merge_summary(result) -> str:
    """The one-line summary `cchc merge` prints at the end."""
    from cchc.merge.summary import summary_line

    return summary_line(result)


def can_make_pdf() -> bool:
    """Whether LibreOffice is installed here (the PDF of a report needs it)."""
    from cchc.office import find_soffice

    return find_soffice() is not None


# ----------------------------------------------------------------------------- catalogues, wording
def catalogues() -> list:
    """Every kind of report this installation knows (a Catalogue each), by catalogue id."""
    from cchc.catalogue import catalogue_ids, load_catalogue

    return [load_catalogue(i) for i in catalogue_ids()]


def catalogue(kind: str):
    from cchc.catalogue import load_catalogue

    return load_catalogue(kind)


def period_names(cat) -> tuple[str, ...]:
    """The periods a unit reports for in a year ("Quý I", …), in order; () for a kind
    reported once a year (merged per year)."""
    from cchc.merge.admit import period_keys
    from cchc.registry import kind_for

    if "ky" not in period_keys(kind_for(cat), cat):
        return ()
    try:
        return tuple(cat.info_field("ky").choices) or tuple(p.name for p in cat.periods)
    except KeyError:
        return tuple(p.name for p in cat.periods)


def period_text(ky: str | None, nam: int | None) -> str:
    """"Quý I năm 2025"; "năm 2025" for a yearly kind."""
    from cchc.merge.admit import period_text as text

    return text({"ky": ky, "nam": nam})


def format_number(v, decimals: int = 2) -> str:
    """2.700; 12,5 — numbers the Vietnamese way."""
    from cchc.numbers import format_number as fmt

    return fmt(v, decimals)


def format_pct(v) -> str:
    """98,59%."""
    from cchc.numbers import format_pct as fmt

    return fmt(v)


__all__ = ["Loaded", "refuse_overwriting", "load", "load_raw", "load_json", "load_any", "check", "check_json",
           "LiveCounts", "live_counts", "counts", "mark", "export", "export_text", "write_export", "read_fill_data", "fill", "RollUpResult",
           "roll_up", "compare", "render_report", "report", "write_report", "convert_to_pdf", "report_templates",
           "check_word_template", "merge", "write_merge", "merge_lines", "FolderMerge", "merge_folder",
           "build_template", "build_workbook_templates", "build_word_templates", "demo",
           "CchcError", "SEVERITY_LABELS", "Upload", "read_upload", "unit", "read_units", "admit", "ACCEPTED",
           "record_to_json", "record_from_json", "stored_report", "history_comparison", "merge_records",
           "finding_rows",
           "merge_summary", "can_make_pdf", "catalogues", "catalogue", "period_names", "period_text",
           "format_number", "format_pct"]
