#!/usr/bin/env python3
"""Rebuild the committed Word templates in docx_templates/: the standard report's, each report
kind's own (ReportKind.build_word_template) and the province report's (cchc merge --report).

The .docx files are committed: a province opens one in Word, changes the wording or the styles,
and passes its copy with `cchc report --template`. The builders (cchc.report.word_template,
cchc.kinds.<kind>.word_template, cchc.merge.word_template) keep the originals reproducible.
"""

from __future__ import annotations

import os
from pathlib import Path

from cchc.app import build_word_templates

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    # CCHC_WORD_TEMPLATES_OUT: build elsewhere (the freshness test compares with the committed ones).
    out = Path(os.environ.get("CCHC_WORD_TEMPLATES_OUT") or ROOT / "docx_templates")
    for path in build_word_templates(out):
        print(f"built {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
