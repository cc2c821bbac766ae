"""Plain data read from a workbook: what every part of cchc works on.

The JSON export (`cchc export`) is `ReportData.to_json()`:

    {
      "kind": "ky", "catalogue_version": "2025.1", "template_version": "1",
      "source": "path/to/file.xlsx",
      "info":      {"don_vi": "UBND xã …", "ngay_ky": "2025-03-07", "nam": 2025, "noi_nhan": [...], ...},
      "values":    {"3": {"2.3.1": 71, "2.3.2": 71, "2.1.1": null, ...}, ...},   # every input row; null = blank
      "notes":     {"7": {"2.2": "Trừ văn bản mật"}},                              # "Ghi chú" column, non-empty only
      "ratios":    {"3": {"2.3": 100.0, "2.1": null}, ...},                       # recomputed, unrounded
      "narrative": {"I": "…", "II.2.3": "…"},                                     # officer's text per section
      "auto_sentences": {"I": true, ...},                                         # generated sentences on/off
      "problems":  [{"severity": "error", "sheet": "BM3", "cell": "D16", "ref": "3:2.3.1",
                     "found": "bảy mươi", "expected": "số nguyên ≥ 0", "message": "…"}]
    }

Flags and choices are exported as their codes (0/1/2); their labels are in the catalogue.
Dates are ISO strings in JSON and `datetime.date` in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cchc.cells import a1
from cchc.findings import Finding

Value = int | float | None


@dataclass
class CellAt:
    sheet: str
    r0: int
    c0: int

    @property
    def a1(self) -> str:
        return _a1(self.r0, self.c0)

    @property
    def address(self) -> str:
        """"BM3!D12" — as officers see it (sheet names with spaces are quoted in Excel only)."""
        return f"{self.sheet}!{self.a1}"


@lru_cache(maxsize=8192)
def _a1(r0: int, c0: int) -> str:
    """"D12" for (11, 3), memoised: the checks ask for the same few hundred cells of every file."""
    return a1(r0, c0)


@dataclass
class ReportData:
    source: str
    kind: str
    catalogue_version: str
    template_version: str
    info: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Value]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    ratios: dict[str, dict[str, float | None]] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    auto_sentences: dict[str, bool] = field(default_factory=dict)
    # What the reader could not use (cchc.findings.Finding, rule ids "read.*").
    problems: list[Finding] = field(default_factory=list)
    # Where each thing was found: "3:2.3.1" → cell; info key → cell(s); section key → cell.
    cells: dict[str, CellAt] = field(default_factory=dict)
    info_cells: dict[str, CellAt] = field(default_factory=dict)
    # For list fields ("can_cu", "noi_nhan"): the cell of each item of info[key], in order
    # (one cell may hold several lines, each an item).
    info_item_cells: dict[str, list[CellAt]] = field(default_factory=dict)
    narrative_cells: dict[str, CellAt] = field(default_factory=dict)
    # What the file itself holds in each ratio cell ("3:2.3" → cached formula result, typed
    # number, or None). Never used as data; the checks compare it with the recomputed ratio.
    file_ratios: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def value(self, ref: str) -> Value:
        form, _, code = ref.partition(":")
        return self.values.get(form, {}).get(code)

    def to_json(self) -> dict[str, Any]:
        def enc(v: Any) -> Any:
            if isinstance(v, (dt.date, dt.datetime)):
                return v.isoformat()
            if isinstance(v, list):
                return [enc(x) for x in v]
            return v

        out = {
            "kind": self.kind,
            "catalogue_version": self.catalogue_version,
            "template_version": self.template_version,
            "source": self.source,
            "info": {k: enc(v) for k, v in self.info.items()},
            "values": self.values,
            "notes": self.notes,
            "ratios": self.ratios,
            "narrative": self.narrative,
            "auto_sentences": self.auto_sentences,
            "problems": [p.to_json() for p in self.problems],
        }
        out.update({k: v for k, v in self.extra.items() if k not in out})
        return out
