"""The annual analysis of a commune's SIPAS and PAR Index results (catalogue `chi_so.toml`).

- `analysis`: the computations (total, percentages, rating from the bands, weakest fields,
  SIPAS criteria below the overall figure), driven by the catalogue;
- `checks`: its own findings (rule ids `chi_so.*`): scores above their maximum, a published
  total or rating that disagrees with the fields, ranks;
- `report`, `text`, `chart`, `word_template`: the Word report in the seed's structure (ND30),
  with a bar chart of the share of points reached per field;
- `merge`: the province tables of many communes (scores ranked, ratings, mean per field, SIPAS);
- `demo.json`: the seed's real figures (UBND xã Nam Cường, 2025).

The defined names of the workbook are documented in docs/chi-so.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cchc.registry import ReportKind

# The context key that carries the chart from report_context to finish_report.
_CHART = "_bieu_do_png"


class IndexAnalysis(ReportKind):
    id = "chi_so"
    label = "báo cáo phân tích chỉ số SIPAS, PAR Index"
    cli_name = "chi-so"
    word_template_name = "bao_cao_chi_so.docx"
    period_keys = ("nam",)  # one merge per year
    ranked = ("SIPAS:1",)
    workbook_templates = (("bao_cao_chi_so.xlsx", {}), ("bao_cao_chi_so.xlsm", {"macros": True}))
    demo_folder = "chi_so"
    demo_workbook = "phan_tich_chi_so_2025_Nam_Cuong.xlsx"

    @property
    def template_variables(self) -> dict[str, str]:  # type: ignore[override]
        from cchc.kinds.chi_so.report import TEMPLATE_VARIABLES

        return TEMPLATE_VARIABLES

    def findings(self, data, catalogue) -> list:
        from cchc.kinds.chi_so.checks import check_chi_so

        return check_chi_so(data, catalogue)

    def report_context(self, data, catalogue, context: dict[str, Any]) -> dict[str, Any]:
        from cchc.kinds.chi_so.analysis import analyse
        from cchc.kinds.chi_so.report import CHART_MARKER, build_context, chart

        a = analyse(data, catalogue)
        own = build_context(data, catalogue, a)
        png, messages = chart(a)
        if png:
            own["bieu_do"] = CHART_MARKER
        own[_CHART] = (png, messages)
        return own

    def compare_context(self, data, catalogue, context: dict[str, Any], comparison) -> dict[str, Any]:
        from cchc.kinds.chi_so.report import add_comparison

        return add_comparison(context, catalogue, comparison)

    def finish_report(self, payload: bytes, data, catalogue, context: dict[str, Any]) -> tuple[bytes, list[str]]:
        from cchc.kinds.chi_so.report import put_chart

        png, messages = context.get(_CHART, (None, []))
        return put_chart(payload, png), list(messages)

    def report_name(self, info: dict[str, Any]) -> str:
        from cchc.kinds.chi_so.report import default_report_name

        return default_report_name(info)

    def merge_tables(self, result) -> list:
        from cchc.kinds.chi_so.merge import tables_from_merge

        return tables_from_merge(result)

    def demo_data(self) -> dict[str, Any]:
        return json.loads((Path(__file__).parent / "demo.json").read_text(encoding="utf-8"))

    def demo_lines(self, data, catalogue) -> list[str]:
        from cchc.kinds.chi_so.analysis import analyse
        from cchc.numbers import format_number

        a = analyse(data, catalogue)
        total = "chưa đủ điểm các lĩnh vực" if a.total_for_text is None else format_number(a.total_for_text)
        return [f"Chỉ số PAR Index của {data.info.get('don_vi') or 'đơn vị'} năm {data.info.get('nam') or ''}: "
                f"{total} điểm, xếp loại {a.rating_for_text or 'chưa xác định'}."]

    def build_word_template(self, out: Path) -> Path:
        from cchc.kinds.chi_so.word_template import build

        return build(out)


KIND = IndexAnalysis()
