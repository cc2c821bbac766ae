"""Build the macro-enabled workbook and the add-in from the text sources.

    python scripts/build_macros.py           # write both files
    python scripts/build_macros.py --check   # exit 1 if a committed file is out of date

Outputs (committed, so officers can download them):
- workbook_templates/bao_cao_cchc_ky.xlsm: the standard workbook with buttons;
- addin/bao_cao_cchc.xlam: the add-in for district and province staff.

Sources: addin/cchc/vba/basic/*.bas (our VBA), addin/cchc/vba/ribbon/*.xml (ribbon tabs), and
xlwings' standalone VBA from the installed xlwings. `cchc template --macros` uses the same
builder (cchc.vba.package) at run time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from cchc.app import build_template
from cchc.vba.compare import differences
from cchc.vba.package import build_addin

ROOT = Path(__file__).resolve().parents[1]

XLSM = ROOT / "workbook_templates" / "bao_cao_cchc_ky.xlsm"
XLAM = ROOT / "addin" / "bao_cao_cchc.xlam"


def build(xlsm: Path, xlam: Path) -> None:
    build_template(xlsm, macros=True)
    build_addin(xlam)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    if not args.check:
        build(XLSM, XLAM)
        print(f"wrote {XLSM.relative_to(ROOT)} and {XLAM.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh_xlsm, fresh_xlam = Path(tmp) / XLSM.name, Path(tmp) / XLAM.name
        build(fresh_xlsm, fresh_xlam)
        stale = False
        for committed, fresh in ((XLSM, fresh_xlsm), (XLAM, fresh_xlam)):
            diff = differences(committed, fresh) if committed.exists() else ["missing"]
            if diff:
                stale = True
                print(f"{committed.relative_to(ROOT)} is out of date: {', '.join(diff)}")
        if stale:
            print("run: python scripts/build_macros.py")
            return 1
    print("macro workbooks are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
