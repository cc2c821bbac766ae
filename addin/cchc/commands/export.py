"""cchc export: read a filled workbook and print its data as JSON (shape: see cchc.model)."""

NAME = "export"
HELP = "Đọc sổ tính đã điền và xuất số liệu dạng JSON (tỷ lệ được tính lại)."


def add_arguments(p):
    p.add_argument("file", metavar="TỆP.xlsx")
    p.add_argument("-o", "--output", metavar="KẾT_QUẢ.json", help="ghi ra tệp thay vì in ra màn hình")


def run(args) -> int:
    import json
    import sys

    from cchc import app
    from cchc.atomic import atomic_write

    data = app.export(args.file)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.output:
        with atomic_write(args.output) as tmp:
            tmp.write_text(text + "\n", encoding="utf-8")
        print(f"Đã ghi {args.output}", file=sys.stderr)
    else:
        print(text)
    if data["problems"]:
        print(f"Có {len(data['problems'])} giá trị cần xem lại (mục \"problems\").", file=sys.stderr)
    return 0
