"""cchc template-check: is a province's edited Word template usable by cchc?"""

NAME = "template-check"
HELP = "Kiểm tra mẫu báo cáo Word đã sửa: trường không có trong cchc, lỗi cú pháp."


def add_arguments(p):
    p.add_argument("template", metavar="MẪU.docx", help="mẫu Word cần kiểm tra")
    p.add_argument("--loai", default="tu-dong", metavar="LOẠI",
                   help="mẫu của báo cáo nào, ví dụ ky, chi-so, tong-hop, chuan; "
                        "mặc định tự nhận ra theo các trường mẫu dùng")


def run(args) -> int:
    from pathlib import Path

    from cchc import app
    from cchc.errors import EXIT_FINDINGS, EXIT_OK

    reports = app.report_templates()
    kind, report = app.check_word_template(Path(args.template), args.loai)
    if args.loai == "tu-dong":
        print(f"Mẫu của {reports[kind][0]} (nhận ra theo các trường mẫu dùng; chọn khác bằng --loai).")
    variables = reports[kind][1]
    for err in report.syntax_errors:
        print(f"Lỗi cú pháp: {err}")
    if report.unknown:
        print("Các trường mẫu dùng nhưng cchc không cung cấp (sẽ in ra trống):")
        for name in report.unknown:
            print(f"  - {name}")
        print("Các trường cchc cung cấp:")
        for name, what in variables.items():
            print(f"  {name}: {what}")
    if report.render_error:
        print(f"Lỗi khi thử điền mẫu bằng số liệu mẫu: {report.render_error}")
    if report.ok:
        print(f"Mẫu {report.path.name} dùng được: không có lỗi cú pháp, mọi trường đều có, điền thử "
              "bằng số liệu mẫu không lỗi.")
        return EXIT_OK
    return EXIT_FINDINGS
