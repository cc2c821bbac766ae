"""The annual analysis of the SIPAS and PAR Index results ("chi_so" workbooks).

- `analysis`: the computations (total, percentages, rating from the bands, weakest fields,
  SIPAS criteria below the overall figure), driven by `catalogue/chi_so.toml`;
- `checks`: findings of the same type as `cchc.checks` (rule ids `chi_so.*`);
- `report`: the Word report in the seed's structure (ND30), with a bar chart;
- `demo`: the seed's real figures (UBND xã Nam Cường, 2025);
- `merge`: the province table of many communes.

The defined names of the workbook are documented in docs/chi-so.md.
"""

from __future__ import annotations


def write_chi_so_report(workbook_path, out_path=None, *, pdf: bool = False, template=None,
                        strict: bool = False):
    """Write the report of a chi_so workbook; see cchc.chiso.report.write_chi_so_report."""
    from cchc.chiso.report import write_chi_so_report as write

    return write(workbook_path, out_path, pdf=pdf, template=template, strict=strict)


__all__ = ["write_chi_so_report"]
