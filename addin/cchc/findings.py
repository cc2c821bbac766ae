"""The one finding type: something about a report that an officer should know, at its cell.

The reader (a value that cannot be read, a missing row or sheet), the checks (the rules of the
catalogue, the info and narrative checks, a kind's own checks) and the merge all speak in
Findings, and every adapter shows them the same way: `cchc check`, the marked copy, the Excel
button's «Kiểm tra» sheet, the merge's «Kiểm tra» sheet, the portal's findings page.

Severity: "error" (lỗi: the data contradicts itself or is unusable; `cchc check` exits 1),
"warning" (cảnh báo: probably wrong, the officer decides), "info" (thông tin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from cchc.files import shown

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}


@dataclass(slots=True)
class Finding:
    severity: str  # "error" | "warning" | "info"
    sheet: str  # "BM3", "Thông tin chung", "Thuyết minh"; "" when about the whole file
    cell: str  # "D18"; "" when the finding has no cell
    form: str  # "3" for an indicator, "" otherwise
    code: str  # "2.3.1", an info key ("ngay_ky") or a section key ("II.2.3")
    rule_id: str  # "compare.3.2.3", "read.value", "info.required" …
    message: str  # Vietnamese, tells the officer what to fix
    # What the message speaks of: {"3:2.3.1": 71, …}; the reader's findings carry "found" (what
    # the cell holds) and "expected" (what it should hold).
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def address(self) -> str:
        """"BM3!D18" as officers see it; the sheet alone when there is no cell."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    @property
    def ref(self) -> str:
        """"3:2.3.1" for an indicator, else the info or section key."""
        return f"{self.form}:{self.code}" if self.form else self.code

    @property
    def label(self) -> str:
        """"Lỗi", "Cảnh báo", "Thông tin"."""
        return SEVERITY_LABELS.get(self.severity, self.severity)

    def describe(self) -> str:
        """"Lỗi (BM3!D16): …" — one line for a terminal or a message box."""
        where = self.address
        return f"{self.label}{f' ({where})' if where else ''}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        out = {
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "address": self.address,
            "ref": self.ref,
            "form": self.form,
            "code": self.code,
            "rule_id": self.rule_id,
            "message": self.message,
            "values": {k: json_value(v) for k, v in self.values.items()},
        }
        # The reader's findings keep the two keys `cchc export` has always printed.
        for key in ("found", "expected"):
            if key in self.values:
                out[key] = json_value(self.values[key])
        return out


def json_value(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [json_value(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):  # NaN and infinities have no JSON spelling
        return None
    if isinstance(v, str):
        return shown(v)
    return v


def json_text(data: Any) -> str:
    """`data` as the JSON cchc writes (export, merge --json, the portal's API): valid JSON
    whatever it holds (no NaN or Infinity, which strict readers refuse; no lone surrogates
    from a file name that is not UTF-8, which no UTF-8 writer accepts)."""
    import json

    def clean(v: Any) -> Any:
        if isinstance(v, dict):
            return {clean(k) if isinstance(k, str) else k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        return json_value(v)

    return json.dumps(clean(data), ensure_ascii=False, indent=1, allow_nan=False)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """{"error": n, "warning": n, "info": n}."""
    out = {s: 0 for s in SEVERITIES}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]
