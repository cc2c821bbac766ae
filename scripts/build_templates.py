#!/usr/bin/env python3
"""Rebuild the committed workbook templates in workbook_templates/ from the catalogues of every
installed report kind (each kind lists its files: ReportKind.workbook_templates).

Run after editing a catalogue file; tests/test_template.py fails while they are stale.
"""

from __future__ import annotations

from pathlib import Path

from cchc.app import build_workbook_templates

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    built = build_workbook_templates(ROOT / "workbook_templates")
    for path in built:
        print(f"built {path.relative_to(ROOT)}")
    return 0 if built else 1


if __name__ == "__main__":
    raise SystemExit(main())
