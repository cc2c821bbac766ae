"""Report kinds as plugins: what differs between the quarterly report, the annual index analysis
and any kind added later.

A report kind is a catalogue (`<id>.toml`, data) plus, optionally, a package that subclasses
`ReportKind` and registers one instance under the entry-point group `cchc.kinds`, named by the
catalogue id:

    [project.entry-points."cchc.kinds"]
    ky = "cchc.kinds.ky:KIND"

Generic code (workbook, checks, report, merge, app, the adapters) never imports a kind package:
it asks `kind_for(catalogue)`, which decides by the catalogue's id and nothing else, and calls
the hooks. Every hook is optional; the base class gives the generic behaviour, so a catalogue
with no kind package still gets the template, export, check, the standard report and the merge.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from cchc.catalogue import ENTRY_POINT_GROUP, Catalogue, catalogue_ids
from cchc.errors import CchcError


class ReportKind:
    """The hooks of one report kind. Subclass it and override what differs."""

    # The catalogue id ("ky"); the entry point's name must be the same.
    id: ClassVar[str] = ""
    # What an officer calls it, in a sentence: "báo cáo định kỳ CCHC".
    label: ClassVar[str] = ""
    # Its spelling on the command line when it differs from the id (a hyphen for an underscore).
    cli_name: ClassVar[str] = ""
    # The kind a workbook without cchc metadata is read as (exactly one kind says True).
    default: ClassVar[bool] = False

    # --- Word report
    # The shipped Word template (a file in the kind's package folder, in cchc/data/ or in the
    # repository's docx_templates/); "" for the standard report template.
    word_template_name: ClassVar[str] = ""
    # The variables its template may use, with what they hold (cchc template-check); empty for
    # the standard report's.
    template_variables: ClassVar[dict[str, str]] = {}

    # --- merge
    # General-information keys that must agree across merged files ("ky", "nam"); None: those
    # of ("ky", "nam") that the catalogue declares.
    period_keys: ClassVar[tuple[str, ...] | None] = None
    # Indicator refs ranked on the merge's «Xếp hạng» sheet, the first one first.
    ranked: ClassVar[tuple[str, ...]] = ()

    # --- workbook templates committed in workbook_templates/: (file name, build options)
    workbook_templates: ClassVar[tuple[tuple[str, dict[str, Any]], ...]] = ()

    # --- `cchc demo`: where its demo goes (a subfolder, "" for the demo folder itself) and
    # the names of the filled workbook and of its report ("" for the report's default name).
    demo_folder: ClassVar[str] = ""
    demo_workbook: ClassVar[str] = ""
    demo_report: ClassVar[str] = ""

    @property
    def name(self) -> str:
        """Its spelling on the command line."""
        return self.cli_name or self.id

    @property
    def folder(self) -> Path:
        """The kind's package folder (its catalogue, demo data and Word template live there)."""
        return Path(sys.modules[type(self).__module__].__file__).resolve().parent

    # ------------------------------------------------------------------ hooks
    def findings(self, data, catalogue: Catalogue) -> list:
        """Findings beyond the catalogue's rules (cchc.findings.Finding), e.g. scores above
        their maximum. Run by cchc.checks after the generic checks."""
        return []

    def report_context(self, data, catalogue: Catalogue, context: dict[str, Any]) -> dict[str, Any]:
        """The docxtpl context of its Word report, given the standard one (header, sections
        with the officer's text, appendix tables, signature): add to it or replace it."""
        return context

    def compare_context(self, data, catalogue: Catalogue, context: dict[str, Any], comparison) -> dict[str, Any]:
        """The context of its Word report compared with earlier reports (`cchc report --compare`;
        comparison: cchc.report.compare.Comparison). The standard context already has one
        appendix column per earlier report; a kind adds what it says of the changes (sentences,
        the previous score of each field)."""
        return context

    def finish_report(self, payload: bytes, data, catalogue: Catalogue,
                      context: dict[str, Any]) -> tuple[bytes, list[str]]:
        """The rendered .docx, changed after rendering (a chart put in); and messages for the
        officer (e.g. "no chart: matplotlib is not installed")."""
        return payload, []

    def report_name(self, info: dict[str, Any]) -> str | None:
        """The report's default file name; None for the standard one."""
        return None

    def merge_tables(self, result) -> list:
        """Province tables of a merge (cchc.merge.tables.Table), each its own sheet, JSON key
        and appendix table of the province report."""
        return []

    def demo_data(self) -> dict[str, Any] | None:
        """Built-in sample data in the shape of `cchc export` (for `cchc demo` and tests)."""
        return None

    def demo_lines(self, data, catalogue: Catalogue) -> list[str]:
        """What `cchc demo` says about its filled demo workbook, beyond the file names."""
        return []

    def build_word_template(self, out: Path) -> Path | None:
        """Build its shipped Word template into `out`; None when it uses the standard one."""
        return None


class _GenericKind(ReportKind):
    """A catalogue with no kind package: every hook as the base class has it."""

    def __init__(self, catalogue_id: str):
        self.id = catalogue_id  # type: ignore[misc] - per instance: one object per catalogue id


@lru_cache(maxsize=None)
def _registered() -> dict[str, ReportKind]:
    kinds: dict[str, ReportKind] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in kinds:
            continue  # the same kind installed twice (an editable and a wheel copy): first wins
        try:
            kind = ep.load()
        except Exception as exc:  # a broken plugin must say so, not take cchc down with it
            raise CchcError(f"Không nạp được loại báo cáo «{ep.name}» ({ep.value}): {exc}") from None
        if not isinstance(kind, ReportKind) or kind.id != ep.name:
            raise CchcError(f"Loại báo cáo «{ep.name}» ({ep.value}) không hợp lệ: cần một ReportKind có id «{ep.name}».")
        kinds[ep.name] = kind
    return kinds


def registered() -> list[ReportKind]:
    """The installed report kinds, in the order of their ids."""
    return [k for _, k in sorted(_registered().items())]


def kind_for(catalogue: Catalogue) -> ReportKind:
    """The kind of a catalogue, by its id; the generic kind when no package registers it."""
    return kind_by_id(catalogue.id)


def kind_by_id(catalogue_id: str) -> ReportKind:
    kind = _registered().get(catalogue_id)
    return kind if kind is not None else _generic(catalogue_id)


@lru_cache(maxsize=None)
def _generic(catalogue_id: str) -> ReportKind:
    return _GenericKind(catalogue_id)


def kind_by_name(name: str) -> ReportKind:
    """A kind as the command line names it: its command-line name or its catalogue id."""
    for kind in registered():
        if name in (kind.id, kind.name):
            return kind
    if name in catalogue_ids():
        return kind_by_id(name)
    known = ", ".join(sorted({k.name for k in registered()} | set(catalogue_ids())))
    raise CchcError(f"Không có loại báo cáo «{name}». Các loại có: {known}.")


def default_kind() -> ReportKind:
    """The kind of a workbook that carries no cchc metadata (the one whose `default` is True)."""
    for kind in registered():
        if kind.default:
            return kind
    raise CchcError("Chưa cài loại báo cáo mặc định nào của cchc (hãy cài lại cchc).")


__all__ = ["ReportKind", "registered", "kind_for", "kind_by_id", "kind_by_name", "default_kind"]
