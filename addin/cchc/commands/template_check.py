"""cchc template-check: is a province's edited Word template usable by cchc?"""

NAME = "template-check"
HELP = "Kiểm tra mẫu báo cáo Word đã sửa: trường không có trong cchc, lỗi cú pháp."

# The three reports cchc writes, each with the variables its context provides.
KINDS = {
    "ky": ("báo cáo CCHC định kỳ (cchc report)", "cchc.report.context"),
    "chi-so": ("báo cáo phân tích chỉ số SIPAS, PAR Index (cchc report trên tệp chỉ số)", "cchc.chiso.report"),
    "tong-hop": ("báo cáo tổng hợp cấp tỉnh (cchc merge --report)", "cchc.merge.word"),
}


def add_arguments(p):
    p.add_argument("template", metavar="MẪU.docx", help="mẫu Word cần kiểm tra")
    p.add_argument("--loai", choices=[*KINDS, "tu-dong"], default="tu-dong",
                   help="mẫu của báo cáo nào: ky, chi-so, tong-hop; mặc định tự nhận ra theo các trường mẫu dùng")


def _variables(kind: str) -> dict[str, str]:
    import importlib

    return importlib.import_module(KINDS[kind][1]).TEMPLATE_VARIABLES


def run(args) -> int:
    from pathlib import Path

    from cchc.errors import EXIT_FINDINGS, EXIT_OK
    from cchc.report.render import check_template

    report = check_template(Path(args.template), set())
    kind = args.loai
    if kind == "tu-dong":
        # The kind whose variables leave the fewest of the template's unexplained (ties: ky).
        kind = min(KINDS, key=lambda k: (len(report.used - set(_variables(k))), k != "ky"))
        print(f"Mẫu của {KINDS[kind][0]} (nhận ra theo các trường mẫu dùng; chọn khác bằng --loai).")
    variables = _variables(kind)
    report = report.against(set(variables))
    for err in report.syntax_errors:
        print(f"Lỗi cú pháp: {err}")
    if report.unknown:
        print("Các trường mẫu dùng nhưng cchc không cung cấp (sẽ in ra trống):")
        for name in report.unknown:
            print(f"  - {name}")
        print("Các trường cchc cung cấp:")
        for name, what in variables.items():
            print(f"  {name}: {what}")
    if report.ok:
        print(f"Mẫu {report.path.name} dùng được: không có lỗi cú pháp, mọi trường đều có.")
        return EXIT_OK
    return EXIT_FINDINGS
