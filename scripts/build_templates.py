#!/usr/bin/env python3
"""Rebuild the committed workbook templates in workbook_templates/ from the catalogue.

Run after editing a catalogue file; tests/test_template.py fails while they are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addin"))

from cchc.workbook.templates_dir import TEMPLATES, build_all  # noqa: E402


def main() -> int:
    for path in build_all(ROOT / "workbook_templates"):
        print(f"built {path.relative_to(ROOT)}")
    return 0 if TEMPLATES else 1


if __name__ == "__main__":
    raise SystemExit(main())
