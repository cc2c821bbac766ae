"""The use cases of cchc, each written once: load, check, mark, report, merge, templates, demo.

The command line (`cchc.commands`), the Excel buttons (`cchc.excel`) and the web portal call
these functions and nothing deeper, so they cannot drift apart. An adapter only turns its input
into a path (or a RawWorkbook) and shows what comes back: printed lines, a message box, an HTTP
page. Everything here works on files and plain values; nothing knows Excel the application or
the web, and nothing names a report kind: kinds come from the registry (cchc.registry).

    loaded = load("xa.xlsx")                    # CchcError (Vietnamese) when unusable
    findings = check(loaded)                    # list[Finding], in sheet order
    result = report(loaded, pdf=True)           # ReportResult: .docx, .pdf, .findings, .messages
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from cchc.errors import CchcError
from cchc.findings import Finding, counts


@dataclass
class Loaded:
    """One workbook, read: what every use case works on."""

    source: str  # the path (or, from Excel, the book's full name)
    data: Any  # cchc.model.ReportData
    catalogue: Any  # cchc.catalogue.Catalogue
    raw: Any  # cchc.workbook.raw.RawWorkbook

    @property
    def kind(self):
        from cchc.registry import kind_for

        return kind_for(self.catalogue)


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


def check(loaded: Loaded) -> list[Finding]:
    """Every finding about one workbook (the reader's included), in the order of its sheets."""
    from cchc.checks import run_checks

    return run_checks(loaded.data, loaded.catalogue)


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
    from cchc.checks.mark import mark_workbook

    return mark_workbook(Path(source), findings, Path(out))


def export(path: str | Path) -> dict[str, Any]:
    """The data of a filled workbook as `cchc export` prints it (ratios recomputed)."""
    return load(path).data.to_json()


def fill(template: str | Path, data: dict[str, Any], out: str | Path) -> Path:
    """A template filled with `data` (the shape `export` gives), written atomically."""
    from cchc.workbook.fill import fill_workbook
    from cchc.workbook.raw import open_raw
    from cchc.workbook.reader import catalogue_for

    fill_workbook(template, data, out, catalogue_for(open_raw(Path(template))))
    return Path(out)


# ----------------------------------------------------------------------------- the Word report
def render_report(loaded: Loaded, *, template: str | Path | None = None):
    """The Word report of one workbook, in memory (cchc.report.RenderedReport)."""
    from cchc.report import render_report as render

    return render(loaded.data, loaded.catalogue, template)


def report(loaded: Loaded, out: str | Path | None = None, *, template: str | Path | None = None,
           pdf: bool = False, strict: bool = False):
    """Check, render and write the report beside the workbook (or to `out`, a file or a
    folder), atomically and never over a file open in Word; a PDF beside it if asked.
    Errors found are returned in the result (cchc.report.ReportResult); with strict=True they
    raise cchc.report.ReportRefused and nothing is written."""
    from cchc.report import deliver_report, refuse_if_strict

    findings = check(loaded)
    refuse_if_strict(findings, strict)
    rendered = render_report(loaded, template=template)
    return deliver_report(Path(loaded.source), out, rendered, findings, pdf=pdf)


def write_report(workbook: str | Path, out: str | Path | None = None, *, template: str | Path | None = None,
                 pdf: bool = False, strict: bool = False):
    """`report` of the workbook at `workbook`."""
    return report(load(workbook), out, template=template, pdf=pdf, strict=strict)


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


# ----------------------------------------------------------------------------- merge
def merge(paths: Iterable[str | Path], **options):
    """Read, check, admit and aggregate many workbooks (options of cchc.merge.core.merge:
    units_csv, period, year, kind, prefer_newest, workers, exclude, on_found, progress).
    Returns a MergeResult; nothing is written."""
    from cchc.merge import merge as run

    return run(list(paths), **options)


def write_merge(result, out: str | Path, *, json_path: str | Path | None = None,
                report_path: str | Path | None = None, issuer=None):
    """The consolidated workbook, and the JSON and province Word report when asked."""
    from cchc.merge import write_outputs

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
                       merge_lines(result) + [f"Đã ghi {p}" for p in (written.output, written.report) if p])


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
    for kind in registered():
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


__all__ = ["Loaded", "load", "load_raw", "check", "LiveCounts", "live_counts", "check_json", "counts", "mark", "export", "fill",
           "render_report", "report", "write_report", "convert_to_pdf", "report_templates", "merge",
           "write_merge", "merge_lines", "FolderMerge", "merge_folder", "build_template",
           "build_workbook_templates", "build_word_templates", "demo"]
