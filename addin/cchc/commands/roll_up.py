"""cchc roll-up: the report of a longer period from reports of adjacent periods of one unit
(6 tháng + Quý III → 9 tháng), written as a new standard workbook.

Exit code 0: written (warnings printed); 2: the reports cannot be rolled up (overlapping or
gapped periods, other units, years or catalogue versions) and nothing is written.
"""

NAME = "roll-up"
HELP = ("Cộng dồn báo cáo các kỳ liền nhau của cùng một đơn vị thành báo cáo kỳ dài hơn "
        "(ví dụ 6 tháng + Quý III = 9 tháng): số phát sinh cộng lại, số tại thời điểm báo cáo lấy kỳ sau.")


def add_arguments(p):
    p.add_argument("files", nargs="+", metavar="SỔ_TÍNH.xlsx",
                   help="báo cáo các kỳ liền nhau của cùng một đơn vị, cùng năm (thứ tự nào cũng được)")
    p.add_argument("-o", "--output", required=True, metavar="KẾT_QUẢ.xlsx",
                   help="sổ tính cộng dồn (.xlsx, hoặc .xlsm để có các nút lệnh)")


def run(args) -> int:
    import sys

    from cchc import app

    result = app.roll_up([app.load(f) for f in args.files], args.output)
    for line in result.lines:
        print(line, file=sys.stderr if line.startswith("Cảnh báo") else sys.stdout)
    return 0
