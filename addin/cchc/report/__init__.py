"""The Word report of a filled workbook: narrative + appendix tables, in the ND30 format.

    from cchc.report import write_report
    result = write_report("xa.xlsx")            # → ReportResult
    result.docx, result.pdf, result.errors, result.messages

docx and docxtpl are imported only when a report is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.errors import EXIT_FINDINGS, CchcError


@dataclass
class ReportResult:
    docx: Path | None
    pdf: Path | None = None
    findings: list[Any] = field(default_factory=list)
    # Plain Vietnamese sentences for the officer ("Tệp … đang mở trong Word, đã ghi …").
    messages: list[str] = field(default_factory=list)
    pdf_error: str | None = None

    @property
    def errors(self) -> list[Any]:
        return [f for f in self.findings if getattr(f, "severity", "error") == "error"]

    @property
    def warnings(self) -> list[Any]:
        return [f for f in self.findings if getattr(f, "severity", "") == "warning"]


class ReportRefused(CchcError):
    """--strict and the checks found errors: no report written."""

    def __init__(self, message: str, findings: list[Any]):
        super().__init__(message, exit_code=EXIT_FINDINGS)
        self.findings = findings


def describe_finding(f: Any) -> str:
    """"Lỗi (BM3!D16): …" for a checks Finding or a reader Problem."""
    sev = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}.get(
        getattr(f, "severity", "error"), "Lỗi")
    sheet, cell = getattr(f, "sheet", ""), getattr(f, "cell", "")
    where = f"{sheet}!{cell}" if sheet and cell else (sheet or cell)
    return f"{sev}{f' ({where})' if where else ''}: {getattr(f, 'message', str(f))}"


def collect_findings(data, catalogue) -> list[Any]:
    """The reader's problems plus the checks' findings (when the checks module exists)."""
    found: list[Any] = list(getattr(data, "problems", []) or [])
    try:
        from cchc.checks import run_checks
    except ImportError:
        run_checks = None
    if run_checks is not None:
        seen = {(getattr(p, "sheet", ""), getattr(p, "cell", ""), getattr(p, "message", ""))
                for p in found}
        for f in run_checks(data, catalogue):
            key = (getattr(f, "sheet", ""), getattr(f, "cell", ""), getattr(f, "message", ""))
            if key not in seen:
                seen.add(key)
                found.append(f)
    return found


def load(workbook_path: str | Path):
    """(data, catalogue) of a filled workbook."""
    from cchc.workbook.reader import catalogue_for, interpret
    from cchc.workbook.raw import open_raw

    raw = open_raw(workbook_path)
    catalogue = catalogue_for(raw)
    return interpret(raw, catalogue), catalogue


def render_report(data, catalogue, template: str | Path | None = None) -> bytes:
    """The .docx bytes of one report."""
    from cchc.report.context import build_context
    from cchc.report.render import render_docx

    return render_docx(build_context(data, catalogue), Path(template) if template else None)


def refuse_if_strict(findings: list[Any], strict: bool) -> None:
    """--strict: raise ReportRefused (nothing written) when the checks found errors."""
    errors = [f for f in findings if getattr(f, "severity", "error") == "error"]
    if strict and errors:
        raise ReportRefused(
            f"Sổ tính có {len(errors)} lỗi: không tạo báo cáo (--strict). "
            "Hãy sửa các lỗi rồi chạy lại.", findings)


def deliver_report(workbook_path: Path, out_path: str | Path | None, payload: bytes, findings: list[Any], *,
                   default_name: str, pdf: bool, messages: list[str] | None = None) -> ReportResult:
    """Write a rendered report where the officer expects it (next to the workbook by default),
    atomically and never over a file open in Word, then convert it to PDF if asked."""
    from cchc.report.output import convert_to_pdf, write_report_file

    if out_path is None:
        target = workbook_path.resolve().parent / default_name
    else:
        target = Path(out_path)
        if target.is_dir():
            target = target / default_name
        elif target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")
    if not target.parent.exists():
        raise CchcError(f"Thư mục để ghi báo cáo không tồn tại: {target.parent}")
    try:
        written = write_report_file(target, payload)
    except PermissionError:
        raise CchcError(f"Không ghi được báo cáo {target}: không có quyền ghi vào thư mục này.") from None

    result = ReportResult(docx=written, findings=findings, messages=list(messages or []))
    if written != target:
        result.messages.append(
            f"Tệp «{target.name}» đang mở trong Word nên không ghi đè; "
            f"đã ghi báo cáo vào «{written.name}».")
    if pdf:
        try:
            result.pdf = convert_to_pdf(written)
        except CchcError as exc:
            result.pdf_error = exc.message
            result.messages.append(exc.message)
    return result


def write_report(
    workbook_path: str | Path,
    out_path: str | Path | None = None,
    *,
    template: str | Path | None = None,
    pdf: bool = False,
    strict: bool = False,
) -> ReportResult:
    """Read the workbook, check it, render the report and write it (atomically, never over a
    file open in Word). Errors found by the checks are returned in the result, not raised;
    with strict=True they raise ReportRefused and nothing is written."""
    from cchc.report.output import default_report_name

    workbook_path = Path(workbook_path)
    data, catalogue = load(workbook_path)
    from cchc.chiso.analysis import is_chi_so

    if is_chi_so(catalogue):  # the annual SIPAS/PAR Index analysis has its own report
        from cchc.chiso import write_chi_so_report

        return write_chi_so_report(workbook_path, out_path, pdf=pdf, template=template, strict=strict)
    findings = collect_findings(data, catalogue)
    refuse_if_strict(findings, strict)
    payload = render_report(data, catalogue, template)

    return deliver_report(workbook_path, out_path, payload, findings,
                          default_name=default_report_name(data.info or {}), pdf=pdf)


__all__ = ["ReportResult", "ReportRefused", "write_report", "deliver_report", "refuse_if_strict", "render_report", "load",
           "collect_findings", "describe_finding"]
