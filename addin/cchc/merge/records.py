"""Plain records the merge passes around: what one file held, and what became of it.

`FileRecord` is what a worker process sends back for one file. It is small and picklable on
purpose (values as a tuple in the catalogue's input-row order, the findings of the checks): with
3,500 files the cost of sending ReportData objects between processes would show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cchc.findings import Finding

# What became of a file. The Vietnamese labels are what officers read.
MERGED = "merged"
SKIPPED = "skipped"  # not an Excel workbook: listed, never read
UNREADABLE = "unreadable"
WRONG_KIND = "wrong_kind"
WRONG_PERIOD = "wrong_period"
WRONG_VERSION = "wrong_version"
NO_UNIT = "no_unit"
NOT_EXPECTED = "not_expected"
DUPLICATE = "duplicate"
SUPERSEDED = "superseded"  # an older duplicate, replaced under --prefer-newest

FILE_STATE_LABELS = {
    MERGED: "Đã tổng hợp",
    SKIPPED: "Bỏ qua (không phải tệp Excel)",
    UNREADABLE: "Không đọc được",
    WRONG_KIND: "Khác loại báo cáo",
    WRONG_PERIOD: "Khác kỳ báo cáo",
    WRONG_VERSION: "Khác phiên bản biểu mẫu",
    NO_UNIT: "Không xác định được đơn vị",
    NOT_EXPECTED: "Đơn vị ngoài danh sách",
    DUPLICATE: "Trùng đơn vị, chưa tổng hợp",
    SUPERSEDED: "Đã có tệp mới hơn",
}

# States that count as "excluded" for the exit code. A superseded file was replaced at the
# user's request (--prefer-newest); a skipped file was never a workbook.
EXCLUDED_STATES = {UNREADABLE, WRONG_KIND, WRONG_PERIOD, WRONG_VERSION, NO_UNIT, NOT_EXPECTED, DUPLICATE}

# What became of an expected (or found) unit.
UNIT_SUBMITTED = "submitted"
UNIT_MISSING = "missing"
UNIT_EXCLUDED = "excluded"  # files came, none could be merged
UNIT_STATE_LABELS = {
    UNIT_SUBMITTED: "Đã nộp, đã tổng hợp",
    UNIT_MISSING: "Chưa nộp",
    UNIT_EXCLUDED: "Có nộp nhưng không tổng hợp được",
}


@dataclass(slots=True)
class FileRecord:
    """What one file held (or why it could not be read)."""

    path: str
    size: int = 0
    mtime: float = 0.0
    error: str | None = None  # unreadable: the reader's message
    kind: str = ""
    catalogue_version: str = ""
    info: dict[str, Any] = field(default_factory=dict)  # don_vi, ma_dvhc, ky, nam, ngay_ky (ISO), …
    values: tuple = ()  # in the order of `input_refs(catalogue)`
    findings: list[Finding] = field(default_factory=list)
    # Codes of the catalogue the workbook lacks / holds beyond it (by defined names BM…).
    missing_codes: tuple[str, ...] = ()
    extra_codes: tuple[str, ...] = ()
    # Filled in by the admission step.
    state: str = ""
    reason: str = ""
    unit_id: str = ""

    @property
    def errors(self) -> int:
        return self.tally()[0]

    @property
    def warnings(self) -> int:
        return self.tally()[1]

    def tally(self) -> tuple[int, int]:
        """(errors, warnings), counted in one pass over the findings."""
        severities = [f.severity for f in self.findings]
        return severities.count("error"), severities.count("warning")

    @property
    def state_label(self) -> str:
        return FILE_STATE_LABELS.get(self.state, self.state)


@dataclass
class Unit:
    """An administrative unit: expected (from --units) or found in the files."""

    id: str  # the 5-digit code when known, else "ten:<folded name>"
    code: str | None
    name: str
    group: str = ""
    expected: bool = False
    files: list[FileRecord] = field(default_factory=list)
    merged: FileRecord | None = None

    @property
    def state(self) -> str:
        if self.merged is not None:
            return UNIT_SUBMITTED
        return UNIT_EXCLUDED if self.files else UNIT_MISSING

    @property
    def state_label(self) -> str:
        return UNIT_STATE_LABELS[self.state]
