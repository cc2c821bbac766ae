"""cchc template-check: is a province's edited Word template usable by cchc?"""

NAME = "template-check"
HELP = "Kiểm tra mẫu báo cáo Word đã sửa: trường không có trong cchc, lỗi cú pháp."


def add_arguments(p):
    p.add_argument("template", metavar="MẪU.docx", help="mẫu Word cần kiểm tra")


def run(args) -> int:
    from cchc.errors import EXIT_FINDINGS, EXIT_OK
    from cchc.report.context import TEMPLATE_VARIABLES
    from cchc.report.render import check_template

    report = check_template(args.template, set(TEMPLATE_VARIABLES))
    for err in report.syntax_errors:
        print(f"Lỗi cú pháp: {err}")
    if report.unknown:
        print("Các trường mẫu dùng nhưng cchc không cung cấp (sẽ in ra trống):")
        for name in report.unknown:
            print(f"  - {name}")
        print("Các trường cchc cung cấp:")
        for name, what in TEMPLATE_VARIABLES.items():
            print(f"  {name}: {what}")
    if report.ok:
        print(f"Mẫu {report.path.name} dùng được: không có lỗi cú pháp, mọi trường đều có.")
        return EXIT_OK
    return EXIT_FINDINGS
