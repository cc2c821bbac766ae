"""cchc export: read a filled workbook and print its data as JSON (shape: see cchc.model)."""

NAME = "export"
HELP = "Đọc sổ tính đã điền và xuất số liệu dạng JSON (tỷ lệ được tính lại)."


def add_arguments(p):
    p.add_argument("file", metavar="TỆP.xlsx")
    p.add_argument("-o", "--output", metavar="KẾT_QUẢ.json", help="ghi ra tệp thay vì in ra màn hình")


def run(args) -> int:
    import sys

    from cchc import app

    if args.output:
        data = app.write_export(args.file, args.output)
        print(f"Đã ghi {args.output}", file=sys.stderr)
    else:
        data = app.export(args.file)
        print(app.export_text(data))
    if data["problems"]:
        print(f"Có {len(data['problems'])} giá trị cần xem lại (mục \"problems\").", file=sys.stderr)
    return 0
