"""Reading and writing workbook files (no Excel application involved)."""
