"""The one-line summary at the end of a merge, and the short list of files not merged."""

from __future__ import annotations

import os

from cchc.merge import records as S
from cchc.numbers import format_number, format_pct


def summary_line(result, seconds: float | None = None) -> str:
    done, expected = result.reporting
    rate = f" ({format_pct(done / expected * 100)})" if expected else ""
    n_files = sum(1 for f in result.files if f.state != S.SKIPPED)
    errors = sum(u.merged.errors for u in result.merged_units)
    warnings = sum(u.merged.warnings for u in result.merged_units)
    parts = [
        f"Tổng hợp {result.period_text or 'báo cáo'}: {format_number(done)}/{format_number(expected)} đơn vị{rate}",
        f"{format_number(n_files)} tệp Excel",
        f"{format_number(len(result.excluded_files))} tệp không tổng hợp",
    ]
    if result.skipped_files:
        parts.append(f"{format_number(len(result.skipped_files))} tệp bỏ qua")
    parts.append(f"{format_number(errors)} lỗi, {format_number(warnings)} cảnh báo trong các tệp đã tổng hợp")
    line = "; ".join(parts)
    if not result.merged_units:
        line = "Không tổng hợp được tệp nào. " + line
    if seconds is not None:
        line += f" ({format_number(seconds, 1)} giây)"
    return line + "."


def problem_lines(result, limit: int = 20) -> list[str]:
    """"- tệp: tình trạng — lý do" for the files not merged (the first `limit`), and the units
    that did not submit."""
    out = []
    bad = [f for f in result.files if f.state in S.EXCLUDED_STATES]
    for f in bad[:limit]:
        out.append(f"- {os.path.basename(f.path)}: {f.state_label} — {f.reason}")
    if len(bad) > limit:
        out.append(f"- … và {format_number(len(bad) - limit)} tệp khác (xem trang «Tình hình nộp báo cáo»).")
    missing = [u for u in result.expected_units if u.state == S.UNIT_MISSING]
    if missing:
        names = ", ".join(u.name or u.code for u in missing[:limit])
        more = f" và {format_number(len(missing) - limit)} đơn vị khác" if len(missing) > limit else ""
        out.append(f"- Chưa nộp ({format_number(len(missing))}): {names}{more}.")
    return out
