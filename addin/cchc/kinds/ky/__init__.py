"""The periodic (quarterly, 6-month, 9-month, annual) CCHC report of a commune: Biểu mẫu 1, 2a,
3–7 and the narrative sections I–IV (catalogue `ky.toml`, rules `ky.rules.toml`).

What it adds to the generic machinery: the sentences generated from the tables in the
narrative sections (`sentences`) and, compared with earlier reports, the changes of the main
indicators (`changes`), its Word template (`word_template`), what the merge ranks
on, and the seed commune's real report as demo data (UBND xã Đưng K'Nớ, 31/BC-UBND, Quý I/2025).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cchc.registry import ReportKind


class PeriodicReport(ReportKind):
    id = "ky"
    label = "báo cáo CCHC định kỳ"
    default = True
    word_template_name = "bao_cao_cchc_ky.docx"
    period_keys = ("ky", "nam")
    # 7:3 online applications, 3:2.3 applications settled on time at commune level, 1:2
    # completion of the year's CCHC plan, 6:1 disbursement of public investment.
    ranked = ("7:3", "3:2.3", "1:2", "6:1")
    workbook_templates = (("bao_cao_cchc_ky.xlsx", {}), ("bao_cao_cchc_ky.xlsm", {"macros": True}))
    demo_folder = ""
    demo_workbook = "bao_cao_cchc_quy_I_2025_Dung_KNo.xlsx"
    demo_report = "bao_cao_cchc_quy_I_2025_Dung_KNo.docx"

    @property
    def template_variables(self) -> dict[str, str]:  # type: ignore[override]
        from cchc.report.context import TEMPLATE_VARIABLES

        return TEMPLATE_VARIABLES

    def report_context(self, data, catalogue, context: dict[str, Any]) -> dict[str, Any]:
        from cchc.kinds.ky.sentences import add_sentences

        return add_sentences(data, catalogue, context)

    def compare_context(self, data, catalogue, context: dict[str, Any], comparison) -> dict[str, Any]:
        from cchc.kinds.ky.changes import add_changes

        return add_changes(data, context, comparison)

    def demo_data(self) -> dict[str, Any]:
        return json.loads((Path(__file__).parent / "demo.json").read_text(encoding="utf-8"))

    def demo_lines(self, data, catalogue) -> list[str]:
        from cchc.numbers import format_pct

        r = data.ratios
        return [
            "Tỷ lệ tính lại: hoàn thành KH CCHC (1:2) {}; đúng hạn cấp xã (3:2.3) {}; giải ngân (6:1) {}; "
            "hồ sơ trực tuyến (7:3) {}".format(format_pct(r["1"]["2"]), format_pct(r["3"]["2.3"]),
                                               format_pct(r["6"]["1"]), format_pct(r["7"]["3"]))
        ]

    def build_word_template(self, out: Path) -> Path:
        from cchc.kinds.ky.word_template import build

        return build(out)


KIND = PeriodicReport()
