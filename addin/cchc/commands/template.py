"""cchc template: build the standardized empty workbook from the catalogue."""

NAME = "template"
HELP = "Tạo biểu mẫu Excel chuẩn (trống) từ danh mục chỉ tiêu."


def add_arguments(p):
    p.add_argument("-o", "--output", required=True, metavar="TỆP.xlsx", help="tệp biểu mẫu sẽ tạo")
    p.add_argument("--kind", metavar="LOẠI",
                   help="loại báo cáo, ví dụ ky (định kỳ, mặc định) hoặc chi-so (phân tích chỉ số hằng năm)")
    p.add_argument("--macros", action="store_true", help="tạo bản có nút lệnh (.xlsm, dùng xlwings)")
    p.add_argument("--force", action="store_true", help="cho phép ghi đè tệp đã có")


def run(args) -> int:
    from pathlib import Path

    from cchc import app
    from cchc.errors import CchcError

    out = Path(args.output)
    if out.exists() and not args.force:
        raise CchcError(f"Tệp «{out}» đã có. Dùng --force nếu muốn ghi đè.")
    if args.macros and out.suffix.lower() not in (".xlsm", ".xlam"):
        raise CchcError("Bản có nút lệnh phải có đuôi .xlsm (hoặc .xlam cho add-in).")
    app.build_template(out, args.kind, macros=args.macros)
    loaded = app.load(out)
    print(f"Đã tạo biểu mẫu: {out} (danh mục {loaded.catalogue.id} phiên bản {loaded.catalogue.version})")
    return 0
