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

Adapters that keep the workbooks they receive (the portal) also use: `read_upload` (a file
read once for its findings page and once as `cchc merge` reads it), `admit` (accepted or
refused for one unit and one period, by the merge's own rules), `record_to_json` /
`record_from_json` (what is stored of it), `merge_records` (the merge from stored records,
without reading the files again), `check_json` (the `cchc check --json` shape), and the
catalogue and formatting helpers at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from cchc.checks import SEVERITY_LABELS  # light: no check is imported
from cchc.errors import CchcError  # re-exported: the one error adapters catch


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



# --------------------------------------------------------------------------------------------
# Adapters that receive workbooks one at a time and merge them later (the portal)

@dataclass
class Upload:
    """One received workbook, read: for its findings page and for the merge."""

    name: str  # the name to show (never a server path)
    loaded: Loaded | None  # None when the file is unreadable
    findings: list  # as `cchc check` gives them ([] when unreadable)
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


def check_json(findings: list, file: str, marked: str | None = None) -> dict[str, Any]:
    """The findings as `cchc check --json` prints them."""
    n = counts(findings)
    out: dict[str, Any] = {
        "file": str(file),
        "summary": {"errors": n["error"], "warnings": n["warning"], "infos": n["info"]},
        "findings": [f.to_json() for f in findings],
    }
    if marked:
        out["marked"] = str(marked)
    return out


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
    from cchc.merge.worker import input_refs

    values = {}
    if record.kind and record.values:
        refs = input_refs(load_catalogue(record.kind))
        values = {f"{f}:{c}": v for (f, c), v in zip(refs, record.values)}
    return {
        "path": record.path, "size": record.size, "mtime": record.mtime, "error": record.error,
        "kind": record.kind, "catalogue_version": record.catalogue_version, "info": record.info,
        "values": values,
        "findings": [[f.severity, f.sheet, f.cell, f.ref, f.message, f.values, f.rule] for f in record.findings],
        "missing_codes": list(record.missing_codes), "extra_codes": list(record.extra_codes),
        "state": record.state, "reason": record.reason, "unit_id": record.unit_id,
    }


def record_from_json(d: dict[str, Any]):
    from cchc.catalogue import load_catalogue
    from cchc.merge.records import FileRecord, Finding
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


def finding_rows(findings: list) -> list[dict[str, str]]:
    """The findings as `cchc check` lists them, one plain dict each: severity, label
    ("Cảnh báo"), address ("BM3!D18"), ref, message, values ("3:2.3 = trống; …")."""
    from cchc.checks.sheet import values_text

    return [{"severity": f.severity, "label": SEVERITY_LABELS.get(f.severity, f.severity), "address": f.address,
             "ref": f.ref, "message": f.message, "values": values_text(f), "rule_id": f.rule_id}
            for f in findings]


def findings_summary(findings: list) -> str:
    """The verdict line under the findings ("Không có lỗi. Có 7 cảnh báo: …")."""
    from cchc.checks.sheet import summary

    return summary(list(findings))


def merge_summary(result) -> str:
    """The one-line summary `cchc merge` prints at the end."""
    from cchc.merge.summary import summary_line

    return summary_line(result)


def can_make_pdf() -> bool:
    """Whether LibreOffice is installed here (the PDF of a report needs it)."""
    from cchc.office import find_soffice

    return find_soffice() is not None


# --------------------------------------------------------------------------------------------
# Catalogues and wording, for adapters that show them

def catalogues() -> list:
    """Every kind of report this installation knows (a Catalogue each), by catalogue id."""
    from cchc.catalogue import catalogue_dir, load_catalogue

    out = []
    for p in sorted(catalogue_dir().glob("*.toml")):
        if p.name.endswith(".rules.toml"):
            continue
        out.append(load_catalogue(p.stem))
    return out


def catalogue(kind: str):
    from cchc.catalogue import load_catalogue

    return load_catalogue(kind)


def period_names(cat) -> tuple[str, ...]:
    """The periods a unit reports for in a year ("Quý I", …), in order; () for a kind
    reported once a year (merged per year)."""
    from cchc.merge.kinds import hooks_for

    if "ky" not in hooks_for(cat).period_keys:
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




__all__ = ["Loaded", "RenderedReport", "load", "load_raw", "check", "counts", "mark", "render_report",
           "write_report", "convert_to_pdf", "merge", "write_merge", "build_template",
           "CchcError", "Upload", "read_upload", "check_json", "unit", "read_units", "admit", "ACCEPTED",
           "record_to_json", "record_from_json", "merge_records", "catalogues", "catalogue", "period_names",
           "period_text", "format_number", "format_pct", "SEVERITY_LABELS", "finding_rows", "findings_summary",
           "merge_summary", "can_make_pdf"]
