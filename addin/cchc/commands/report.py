"""cchc report: the Word report (and optionally PDF) of a filled workbook."""

NAME = "report"
HELP = "Tạo báo cáo Word (thuyết minh và phụ lục Biểu mẫu 1–7) từ sổ tính đã điền."


def add_arguments(p):
    p.add_argument("workbook", metavar="SỔ_TÍNH.xlsx", help="sổ tính đã điền số liệu")
    p.add_argument("-o", "--output", metavar="BÁO_CÁO.docx",
                   help="tệp báo cáo (mặc định: cạnh sổ tính, tên theo đơn vị, kỳ và năm)")
    p.add_argument("--template", metavar="MẪU.docx",
                   help="mẫu Word riêng của tỉnh (sửa từ mẫu gốc của cchc)")
    p.add_argument("--pdf", action="store_true",
                   help="tạo thêm bản PDF (cần LibreOffice)")
    p.add_argument("--strict", action="store_true",
                   help="không tạo báo cáo nếu sổ tính còn lỗi")


def run(args) -> int:
    import sys

    from cchc import app
    from cchc.errors import EXIT_FINDINGS, EXIT_OK
    from cchc.report import ReportRefused

    def show(findings):
        # Errors and warnings; "info" findings are for `cchc check`.
        for f in findings:
            if f.severity in ("error", "warning"):
                print(f.describe(), file=sys.stderr)

    try:
        result = app.write_report(args.workbook, args.output, template=args.template,
                                  pdf=args.pdf, strict=args.strict)
    except ReportRefused as exc:
        show(exc.findings)
        raise
    show(result.findings)
    print(f"Đã tạo báo cáo: {result.docx}")
    for msg in result.messages:
        print(msg)
    if result.pdf:
        print(f"Đã tạo bản PDF: {result.pdf}")
    if result.errors:
        print(f"Sổ tính còn {len(result.errors)} lỗi (xem ở trên): báo cáo vẫn được tạo, "
              "hãy sửa sổ tính rồi tạo lại.", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK
