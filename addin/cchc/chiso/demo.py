"""The annual analysis on the seed's real figures: UBND xã Nam Cường, results of 2025
(PAR Index 65,51 điểm, Trung bình, 78/92 xã, phường; SIPAS 87,70%)."""

from __future__ import annotations

from pathlib import Path

WORKBOOK_NAME = "phan_tich_chi_so_2025_Nam_Cuong.xlsx"


def write_demo(directory: str | Path, *, pdf: bool = False) -> tuple[Path, Path]:
    """Write the filled chi_so workbook and its Word report into `directory`;
    return (workbook_path, report_path)."""
    from cchc.chiso.report import write_chi_so_report
    from cchc.demo import write_demo_workbook

    wb = write_demo_workbook(directory, kind="chi_so", name=WORKBOOK_NAME)
    result = write_chi_so_report(wb, Path(directory), pdf=pdf)
    return wb, result.docx
