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


def check(loaded: Loaded) -> list[Finding]:
    """Every finding about one workbook (the reader's included), in the order of its sheets."""
    from cchc.checks import run_checks

    return run_checks(loaded.data, loaded.catalogue)


def check_json(file: str, findings: list[Finding], marked: str | Path | None = None) -> dict[str, Any]:
    """What `cchc check --json` prints (and the portal's API returns)."""
    n = counts(findings)
    out: dict[str, Any] = {
        "file": str(file),
        "summary": {"errors": n["error"], "warnings": n["warning"], "infos": n["info"]},
        "findings": [f.to_json() for f in findings],
    }
    if marked:
        out["marked"] = str(marked)
    return out


def mark(source: str | Path, findings: list[Finding], out: str | Path) -> Path:
    """A copy of `source` with the offending cells coloured and a «Kiểm tra» sheet."""
    from cchc.checks.mark import mark_workbook

    refuse_overwriting([out], [source])
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
    import json

    from cchc.files import read_input, shown

    raw = read_input(path, "tệp số liệu", max_bytes=MAX_DATA_BYTES)

    def refuse_constant(name: str):
        raise ValueError(f"giá trị {name} không dùng được (cần một số thật)")

    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise CchcError(f"Tệp số liệu «{shown(path)}» không phải văn bản UTF-8; hãy lưu lại dạng UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise CchcError(f"Tệp số liệu «{shown(path)}» không phải JSON hợp lệ: {exc.msg} "
                        f"(dòng {exc.lineno}, cột {exc.colno}).") from None
    except RecursionError:
        raise CchcError(f"Tệp số liệu «{shown(path)}» lồng nhau quá sâu, không phải số liệu của một báo cáo.") from None
    except ValueError as exc:  # NaN/Infinity, an integer of thousands of digits
        raise CchcError(f"Tệp số liệu «{shown(path)}» không dùng được: {exc}.") from None
    if not isinstance(data, dict):
        raise CchcError(f"Tệp số liệu «{shown(path)}» phải là một đối tượng JSON (info, values, narrative…).")
    return data


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
    return deliver_report(Path(loaded.source), out, rendered, findings, pdf=pdf, inputs=[template])


def write_report(workbook: str | Path, out: str | Path | None = None, *, template: str | Path | None = None,
                 pdf: bool = False, strict: bool = False):
    """`report` of the workbook at `workbook`."""
    refuse_overwriting([out, Path(out).with_suffix(".pdf") if out and pdf else None], [workbook, template])
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
    outputs = [Path(o) for o in (*outputs, *options.pop("exclude", ())) if o]  # `exclude`: the older name
    refuse_overwriting(outputs, [*(p for p in paths if Path(p).is_file()), options.get("units_csv")])
    return run(paths, exclude=set(outputs), **options)


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


__all__ = ["Loaded", "refuse_overwriting", "load", "load_raw", "check", "check_json", "counts", "mark", "export",
           "export_text", "write_export", "read_fill_data", "fill",
           "render_report", "report", "write_report", "convert_to_pdf", "report_templates", "check_word_template",
           "merge",
           "write_merge", "merge_lines", "FolderMerge", "merge_folder", "build_template",
           "build_workbook_templates", "build_word_templates", "demo"]
