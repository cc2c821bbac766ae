"""A plain table a report kind adds to the merge output (see `cchc.registry.ReportKind.merge_tables`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Column types: how a value is shown. "pct" values are percentages (57.14 → 57,14%).
COLUMN_TYPES = ("text", "int", "number", "pct")


@dataclass(frozen=True)
class Column:
    header: str
    type: str = "text"
    width: float = 14


@dataclass
class Table:
    key: str  # JSON key under "tables", e.g. "diem_linh_vuc"
    title: str  # shown above the table (Vietnamese)
    sheet: str  # worksheet name, ≤ 31 characters, no []:*?/\
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "columns": [{"header": c.header, "type": c.type} for c in self.columns],
            "rows": self.rows,
            "note": self.note,
        }
