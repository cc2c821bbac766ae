"""Tổng hợp: merge the workbooks of many units into one province-level workbook and report.

    from cchc.merge import merge, write_outputs
    result = merge(["bao_cao_cac_xa/"], units_csv="units.csv", period="Quý I", year=2025)
    write_outputs(result, "TONG_HOP.xlsx", json_path="TONG_HOP.json", report_path="TONG_HOP.docx")
    result.exit_code          # 0 all merged, 1 some files excluded, 2 nothing merged

Modules: `discover` (which files), `worker` (read and check one file, in a process pool),
`admit` (which files are merged and why not), `units` (the --units list and name matching),
`aggregate` (totals by row type, with pandas), `workbook` + `xlsx_rows` (the consolidated
workbook), `json_out`, `word` + `word_template` (the province report). What differs between
report kinds (period keys, ranked indicators, the kind's own tables) comes from the kind's
hooks (cchc.registry.ReportKind).

pandas, openpyxl and docx are imported only when a merge runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cchc.merge.core import MergeResult, merge


@dataclass
class Outputs:
    output: Path
    json: Path | None = None
    report: Path | None = None
    messages: list[str] = field(default_factory=list)


def write_outputs(result: MergeResult, out: str | Path, *, json_path: str | Path | None = None,
                  report_path: str | Path | None = None, issuer=None) -> Outputs:
    """`issuer`: a cchc.merge.word.Issuer for the Word report's header and signature."""
    from cchc.merge.workbook import write_workbook

    done = Outputs(output=write_workbook(result, out))
    if json_path:
        from cchc.merge.json_out import write_json

        done.json = write_json(result, json_path)
    if report_path:
        from cchc.merge.word import Issuer, write_province_report

        done.report = write_province_report(result, report_path, issuer=issuer)
        issuer = issuer or Issuer()
        if not issuer.kien_nghi:
            done.messages.append("Báo cáo Word chưa có phần kiến nghị, đề xuất (--kien-nghi TEP.txt): "
                                 "hãy viết vào chỗ đã đánh dấu trước khi trình ký.")
        if not issuer.nguoi_ky:
            done.messages.append("Báo cáo Word chưa có họ tên người ký (--nguoi-ky): hãy ghi trước khi trình ký.")
    return done


__all__ = ["merge", "MergeResult", "write_outputs", "Outputs"]
