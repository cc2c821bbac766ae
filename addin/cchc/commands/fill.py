"""cchc fill: fill a template from JSON data (the inverse of export)."""

NAME = "fill"
HELP = "Điền số liệu từ tệp JSON vào biểu mẫu (ngược với export)."


def add_arguments(p):
    p.add_argument("template", metavar="MẪU.xlsx")
    p.add_argument("--data", required=True, metavar="SỐ_LIỆU.json")
    p.add_argument("-o", "--output", required=True, metavar="KẾT_QUẢ.xlsx")


def run(args) -> int:
    from cchc import app

    app.refuse_overwriting([args.output], [args.template, args.data])
    data = app.read_fill_data(args.data)
    app.fill(args.template, data, args.output, data_path=args.data)
    print(f"Đã điền số liệu vào {args.output}")
    return 0
