"""Kiểm tra số liệu: findings about one report, each pointing at the cell to fix.

`run_checks(data, catalogue)` takes what the reader produced (ReportData) and returns Findings:

- the reader's own problems (unreadable or out-of-range values), word for word;
- the per-kind checks (whole numbers, ≥ 0, percent 0–100, codes in their lists, and a percent
  that looks like Excel turned "90%" into 0,9);
- the rules of the catalogue (`<kind>.rules.toml`): parts ≤ whole, sums, conditions and the
  cross-form relations, each with its severity and missing-value strategy;
- "Thông tin chung": required fields, the 5-digit code, period and year against the data
  window, the signing date against the window;
- the narrative ("Thuyết minh" and the "Căn cứ" list): a wrong year for a plan or a period, an
  empty section, a number the tables contradict;
- blank versus zero, and the ratios as recomputed.

Severity: "error" (lỗi: the data contradicts itself or is unusable; `cchc check` exits 1),
"warning" (cảnh báo: probably wrong, the officer decides), "info" (thông tin).
Nothing here imports openpyxl: checking a file must stay fast (see scripts/bench_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


@dataclass
class Finding:
    severity: str  # "error" | "warning" | "info"
    sheet: str  # "BM3", "Thông tin chung", "Thuyết minh"
    cell: str  # "D18"; "" when the finding has no cell
    form: str  # "3" for an indicator, "" otherwise
    code: str  # "2.3.1", an info key ("ngay_ky") or a section key ("II.2.3")
    rule_id: str
    message: str  # Vietnamese, tells the officer what to fix
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def address(self) -> str:
        """"BM3!D18" as officers see it; the sheet alone when there is no cell."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    @property
    def ref(self) -> str:
        return f"{self.form}:{self.code}" if self.form else self.code

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "address": self.address,
            "form": self.form,
            "code": self.code,
            "rule_id": self.rule_id,
            "message": self.message,
            "values": {k: _json_value(v) for k, v in self.values.items()},
        }


def _json_value(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_json_value(x) for x in v]
    return v


def run_checks(data, catalogue=None) -> list[Finding]:
    """Every finding about one report, in the order of the workbook's sheets and cells."""
    from cchc.checks.engine import check_all

    if catalogue is None:
        from cchc.catalogue import load_catalogue

        catalogue = load_catalogue(data.kind or "ky")
    return check_all(data, catalogue)


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {s: 0 for s in SEVERITIES}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


__all__ = ["Finding", "run_checks", "counts", "SEVERITIES", "SEVERITY_LABELS"]
