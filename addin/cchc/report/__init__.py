"""The Word report of a filled workbook: narrative + appendix tables, in the ND30 format.

    rendered = render_report(data, catalogue)       # RenderedReport: .payload (docx bytes), .name
    result = deliver_report(workbook, None, rendered, findings, pdf=True)   # ReportResult

The standard context (cchc.report.context) and template (cchc.report.word_template) serve
every report kind; a kind adds to them through its hooks (cchc.registry.ReportKind): its own
context and template, a chart put in after rendering, its file name. Reading and checking the
workbook first is the caller's (cchc.app.write_report). docx and docxtpl are imported only when
a report is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cchc.errors import EXIT_FINDINGS, CchcError
from cchc.findings import Finding


@dataclass
class RenderedReport:
    payload: bytes  # the .docx
    name: str  # the file name an officer expects ("Báo cáo CCHC Quý I năm 2025 - UBND xã ….docx")
    messages: list[str] = field(default_factory=list)  # e.g. "no chart: matplotlib missing"


@dataclass
class ReportResult:
    docx: Path | None
    pdf: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    # Plain Vietnamese sentences for the officer ("Tệp … đang mở trong Word, đã ghi …").
    messages: list[str] = field(default_factory=list)
    pdf_error: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


class ReportRefused(CchcError):
    """--strict and the checks found errors: no report written."""

    def __init__(self, message: str, findings: list[Finding]):
        super().__init__(message, exit_code=EXIT_FINDINGS)
        self.findings = findings


def report_context(data, catalogue, comparison=None) -> dict:
    """The docxtpl context of one report: the standard one, as the report kind makes it its own;
    with a comparison (cchc.report.compare.Comparison), the appendix columns of the earlier
    reports and what the kind says of the changes (ReportKind.compare_context)."""
    from cchc.registry import kind_for
    from cchc.report.context import build_context

    kind = kind_for(catalogue)
    context = kind.report_context(data, catalogue, build_context(data, catalogue, comparison))
    return kind.compare_context(data, catalogue, context, comparison) if comparison else context


def render_report(data, catalogue, template: str | Path | None = None, comparison=None) -> RenderedReport:
    """The .docx of one report, in memory: the kind's context rendered into its template (or
    `template`, a province's edited copy), then finished by the kind."""
    from cchc.registry import kind_for
    from cchc.report.output import default_report_name
    from cchc.report.render import render_docx, template_for

    kind = kind_for(catalogue)
    context = report_context(data, catalogue, comparison)
    payload = render_docx(context, Path(template) if template else template_for(kind), trusted=template is None)
    payload, messages = kind.finish_report(payload, data, catalogue, context)
    info = data.info or {}
    return RenderedReport(payload, kind.report_name(info) or default_report_name(info), messages)


def refuse_if_strict(findings: list[Finding], strict: bool) -> None:
    """--strict: raise ReportRefused (nothing written) when the checks found errors."""
    errors = [f for f in findings if f.severity == "error"]
    if strict and errors:
        raise ReportRefused(
            f"Sổ tính có {len(errors)} lỗi: không tạo báo cáo (--strict). "
            "Hãy sửa các lỗi rồi chạy lại.", findings)


def report_target(workbook_path: Path, out_path: str | Path | None, default_name: str) -> Path:
    """Where a report goes: beside the workbook by default; into `out_path` when it is a
    folder; `out_path` itself (with .docx added when missing) otherwise."""
    if out_path is None:
        return workbook_path.resolve().parent / default_name
    target = Path(out_path)
    if target.is_dir():
        return target / default_name
    if target.suffix.lower() != ".docx":
        return target.with_name(target.name + ".docx")
    return target


def deliver_report(workbook_path: Path, out_path: str | Path | None, rendered: RenderedReport,
                   findings: list[Finding], *, pdf: bool, inputs=()) -> ReportResult:
    """Write a rendered report where the officer expects it (next to the workbook by default),
    atomically and never over a file open in Word nor over an input (the workbook, `inputs`
    such as the Word template), then convert it to PDF if asked."""
    from cchc.files import refuse_overwriting
    from cchc.report.output import convert_to_pdf, write_report_file

    target = report_target(Path(workbook_path), out_path, rendered.name)
    if not target.parent.exists():
        raise CchcError(f"Thư mục để ghi báo cáo không tồn tại: {target.parent}")
    refuse_overwriting([target, target.with_suffix(".pdf") if pdf else None], [workbook_path, *inputs])
    written = write_report_file(target, rendered.payload)

    result = ReportResult(docx=written, findings=findings, messages=list(rendered.messages))
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


__all__ = ["RenderedReport", "ReportResult", "ReportRefused", "report_context", "render_report", "refuse_if_strict",
           "report_target", "deliver_report"]

