"""cchc report: the Word report (and optionally PDF) of a filled workbook.

--compare EARLIER.xlsx (repeatable): one more appendix column per earlier report of the same
unit («Cùng kỳ năm 2024», «Quý I năm 2025») and the changes in the generated sentences.
"""

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
    p.add_argument("--compare", action="append", default=[], metavar="KỲ_TRƯỚC.xlsx",
                   help="so sánh với báo cáo kỳ trước của cùng đơn vị (cùng kỳ năm trước, hoặc kỳ trước "
                        "trong năm): thêm một cột số liệu cho mỗi kỳ và câu tăng/giảm; dùng nhiều lần được; "
                        "nhận cả tệp .json của cchc export")


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
                                  pdf=args.pdf, strict=args.strict, compare_with=args.compare)
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
