"""Kiểm tra số liệu: findings about one report, each pointing at the cell to fix.

`run_checks(data, catalogue)` takes what the reader produced (ReportData) and returns Findings:

- the reader's own problems (unreadable or out-of-range values), word for word;
- the checks of each row type (whole numbers, ≥ 0, percent 0–100, codes in their lists, and a
  percent that looks like Excel turned "90%" into 0,9);
- the rules of the catalogue (`<id>.rules.toml`): parts ≤ whole, sums, conditions and the
  cross-form relations, each with its severity and missing-value strategy;
- "Thông tin chung": required fields, the 5-digit code, period and year against the data
  window, the signing date against the window;
- the narrative ("Thuyết minh" and the "Căn cứ" list): a wrong year for a plan or a period, an
  empty section, a number the tables contradict;
- blank versus zero, and the ratios as recomputed;
- the report kind's own checks (`ReportKind.findings`);
- given earlier reports of the same unit and year, the cross-period checks (`across`): a
  flow or a cumulative row smaller than in a period it contains, a stock fallen sharply.

Severity: "error" (lỗi: the data contradicts itself or is unusable; `cchc check` exits 1),
"warning" (cảnh báo: probably wrong, the officer decides), "info" (thông tin).
Nothing here imports openpyxl: checking a file must stay fast (see scripts/bench_check.py).
"""

from __future__ import annotations

from cchc.findings import SEVERITIES, SEVERITY_LABELS, Finding, counts


def run_checks(data, catalogue=None, earlier=()) -> list[Finding]:
    """Every finding about one report, in the order of the workbook's sheets and cells; with
    `earlier` (ReportData of periods it contains), the cross-period findings among them."""
    from cchc.checks.engine import check_all

    if catalogue is None:
        from cchc.catalogue import load_catalogue
        from cchc.registry import default_kind

        catalogue = load_catalogue(data.kind or default_kind().id)
    return check_all(data, catalogue, earlier)


__all__ = ["Finding", "run_checks", "counts", "SEVERITIES", "SEVERITY_LABELS"]
