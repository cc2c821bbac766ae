"""Colours, fonts and sheet names shared by the template, the marker and the Excel adapter."""

from __future__ import annotations

FONT_NAME = "Times New Roman"

# Input cells: a light yellow officers recognise as "type here".
INPUT_FILL_RGB = "FFF2CC"
# Computed (ratio) cells: a light grey, protected.
COMPUTED_FILL_RGB = "EDEDED"
HEADER_FILL_RGB = "D9E1F2"

SHEET_INFO = "Thông tin chung"
SHEET_NARRATIVE = "Thuyết minh"
SHEET_META = "_cchc"  # hidden: catalogue and template versions
SHEET_FINDINGS = "Kiểm tra"
SHEET_CHECKS = "_kiemtra"  # hidden: the live checks compiled into formulas (cchc.workbook.live)

# Columns of a form sheet (1-based, as openpyxl counts).
COL_STT, COL_LABEL, COL_UNIT, COL_VALUE, COL_NOTE = 1, 2, 3, 4, 5
FORM_HEADER_ROWS = (4, 5)
FORM_FIRST_ROW = 6

# "Thông tin chung": labels in A, values in B.
INFO_FIRST_ROW = 4
# "Thuyết minh": heading in A, text in B, the generated-sentences switch in C.
NARRATIVE_FIRST_ROW = 4

SWITCH_ON, SWITCH_OFF = "Có", "Không"

# Marks left by the checks (`cchc check --mark` and the Excel adapter): Excel's own "Bad"
# (light red) and "Neutral" (light amber) fills, which officers already read as such.
ERROR_FILL_RGB = "FFC7CE"
WARNING_FILL_RGB = "FFEB9C"
