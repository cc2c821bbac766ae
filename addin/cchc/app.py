"""The use cases of cchc, each written once: load, check, mark, report, merge, template.

The command line (`cchc.commands`), the Excel buttons (`cchc.excel`) and the web portal call
these functions and nothing deeper, so the three cannot drift apart. An adapter only turns its
input into a path (or a RawWorkbook) and shows what comes back: printed lines, a message box,
an HTTP page. Everything here works on files and plain values; nothing knows Excel the
application or the web.

    loaded = load("xa.xlsx")                    # CchcError (Vietnamese) when unusable
    findings = check(loaded)                    # list[Finding], sheet order
    report = render_report(loaded)              # RenderedReport: .payload (docx bytes), .name
    result = write_report("xa.xlsx", pdf=True)  # ReportResult: .docx, .pdf, .findings
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable


@dataclass
class Loaded:
    """One workbook, read: what every use case works on."""

    source: str
    data: Any  # cchc.model.ReportData
    catalogue: Any  # cchc.catalogue.Catalogue
    raw: Any  # cchc.workbook.raw.RawWorkbook


@dataclass
class RenderedReport:
    payload: bytes  # the .docx
    name: str  # the file name an officer expects ("Báo cáo CCHC Quý I năm 2025 - UBND xã ….docx")
    findings: list = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # e.g. "no chart: matplotlib missing"


def load(path: str | Path) -> Loaded:
    """Open a filled workbook defensively and read it against its catalogue."""
    from cchc.workbook.raw import open_raw

    return load_raw(open_raw(Path(path)))


def load_raw(raw) -> Loaded:
    """Read an already opened RawWorkbook (the Excel adapter builds one from the open book)."""
    from cchc.workbook.reader import catalogue_for, interpret

    catalogue = catalogue_for(raw)
    return Loaded(source=str(raw.source), data=interpret(raw, catalogue), catalogue=catalogue, raw=raw)


def check(loaded: Loaded) -> list:
    """Every finding about one workbook (the reader's problems included), in sheet order."""
    from cchc.checks import run_checks

    return run_checks(loaded.data, loaded.catalogue)


def counts(findings: Iterable) -> dict[str, int]:
    """{"error": n, "warning": n, "info": n}."""
    from cchc.checks import counts as _counts

    return _counts(list(findings))


def mark(source: str | Path, findings: list, out: str | Path) -> Path:
    """A copy of `source` with the offending cells coloured and a «Kiểm tra» sheet."""
    from cchc.checks.mark import mark_workbook

    return mark_workbook(Path(source), findings, Path(out))


def render_report(loaded: Loaded, *, template: str | Path | None = None) -> RenderedReport:
    """The Word report of one workbook, in memory."""
    from cchc.chiso.analysis import is_chi_so
    from cchc.report import collect_findings
    from cchc.report import render_report as render_ky
    from cchc.report.output import default_report_name

    findings = collect_findings(loaded.data, loaded.catalogue)
    if is_chi_so(loaded.catalogue):
        from cchc.chiso.report import default_report_name as chi_so_name
        from cchc.chiso.report import render

        payload, messages = render(loaded.data, loaded.catalogue, template)
        return RenderedReport(payload, chi_so_name(loaded.data.info or {}), findings, messages)
    payload = render_ky(loaded.data, loaded.catalogue, template)
    return RenderedReport(payload, default_report_name(loaded.data.info or {}), findings)


def write_report(workbook: str | Path, out: str | Path | None = None, *, template: str | Path | None = None,
                 pdf: bool = False, strict: bool = False):
    """Read, check, render and write the report next to the workbook (or to `out`, a file or
    a folder), atomically and never over a file open in Word; a PDF beside it if asked.
    With strict=True, errors raise cchc.report.ReportRefused and nothing is written."""
    from cchc.report import deliver_report, refuse_if_strict

    workbook = Path(workbook)
    loaded = load(workbook)
    rendered = render_report(loaded, template=template)
    refuse_if_strict(rendered.findings, strict)
    return deliver_report(workbook, out, rendered.payload, rendered.findings,
                          default_name=rendered.name, pdf=pdf, messages=rendered.messages)


def convert_to_pdf(docx: str | Path) -> Path:
    """A PDF beside the .docx (LibreOffice); CchcError in Vietnamese when it cannot."""
    from cchc.report.output import convert_to_pdf as convert

    return convert(Path(docx))


def merge(paths: Iterable[str | Path], **options):
    """Read, check, admit and aggregate many workbooks (see cchc.merge.core.merge for the
    options: units_csv, period, year, kind, prefer_newest, workers, exclude, on_found,
    progress). Returns a MergeResult; nothing is written."""
    from cchc.merge import merge as run

    return run(list(paths), **options)


def write_merge(result, out: str | Path, *, json_path: str | Path | None = None,
                report_path: str | Path | None = None, issuer=None):
    """The consolidated workbook, and the JSON and province Word report when asked."""
    from cchc.merge import write_outputs

    return write_outputs(result, out, json_path=json_path, report_path=report_path, issuer=issuer)


def build_template(out: str | Path, kind: str = "ky", *, macros: bool = False) -> Path:
    """An empty standard workbook of one report kind (with the buttons when macros=True)."""
    from cchc.catalogue import load_catalogue
    from cchc.workbook.template import build_template as build

    out = Path(out)
    build(out, load_catalogue(kind), macros=macros)
    return out


__all__ = ["Loaded", "RenderedReport", "load", "load_raw", "check", "counts", "mark", "render_report",
           "write_report", "convert_to_pdf", "merge", "write_merge", "build_template"]
