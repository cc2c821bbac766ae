"""cchc fill: fill a template from JSON data (the inverse of export)."""

NAME = "fill"
HELP = "Điền số liệu từ tệp JSON vào biểu mẫu (ngược với export)."


def add_arguments(p):
    p.add_argument("template", metavar="MẪU.xlsx")
    p.add_argument("--data", required=True, metavar="SỐ_LIỆU.json")
    p.add_argument("-o", "--output", required=True, metavar="KẾT_QUẢ.xlsx")


def run(args) -> int:
    import json
    from pathlib import Path

    from cchc import app
    from cchc.errors import CchcError

    try:
        data = json.loads(Path(args.data).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CchcError(f"Không tìm thấy tệp số liệu «{args.data}».") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CchcError(f"Tệp số liệu «{args.data}» không phải JSON hợp lệ: {exc}.") from None
    if not isinstance(data, dict):
        raise CchcError(f"Tệp số liệu «{args.data}» phải là một đối tượng JSON (info, values, narrative…).")
    app.fill(args.template, data, args.output)
    print(f"Đã điền số liệu vào {args.output}")
    return 0
