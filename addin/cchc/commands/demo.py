"""cchc demo: the main job on built-in data (the seed commune's real Quý I/2025 report)."""

NAME = "demo"
HELP = "Chạy thử trên số liệu mẫu (UBND xã Đưng K'Nớ, Quý I/2025): tạo sổ tính đã điền và báo cáo Word/PDF."


def add_arguments(p):
    p.add_argument("-o", "--output", default="cchc_demo", metavar="THƯ_MỤC", help="thư mục kết quả (mặc định: cchc_demo)")
    p.add_argument("--no-pdf", action="store_true", help="không tạo bản PDF kể cả khi có LibreOffice")


def run(args) -> int:
    from pathlib import Path

    from cchc.demo import write_demo_workbook
    from cchc.numbers import format_pct
    from cchc.office import find_soffice
    from cchc.report import describe_finding, write_report
    from cchc.workbook.reader import read_workbook

    out_dir = Path(args.output)
    wb_path = write_demo_workbook(out_dir)
    data = read_workbook(wb_path)
    print(f"Sổ tính đã điền số liệu mẫu: {wb_path}")
    print(
        "Tỷ lệ tính lại: hoàn thành KH CCHC (1:2) {}; đúng hạn cấp xã (3:2.3) {}; giải ngân (6:1) {}; "
        "hồ sơ trực tuyến (7:3) {}".format(
            format_pct(data.ratios["1"]["2"]), format_pct(data.ratios["3"]["2.3"]),
            format_pct(data.ratios["6"]["1"]), format_pct(data.ratios["7"]["3"]),
        )
    )
    want_pdf = not args.no_pdf and find_soffice() is not None
    result = write_report(wb_path, out_dir / "bao_cao_cchc_quy_I_2025_Dung_KNo.docx", pdf=want_pdf)
    print(f"Báo cáo Word: {result.docx}")
    if result.pdf:
        print(f"Bản PDF: {result.pdf}")
    elif not args.no_pdf:
        print("Không tạo bản PDF: máy này chưa cài LibreOffice.")
    for msg in result.messages:
        print(msg)
    if result.findings:
        print(f"Kết quả kiểm tra số liệu mẫu ({len(result.findings)} mục):")
        for f in result.findings:
            print("  " + describe_finding(f))

    # The annual SIPAS / PAR Index analysis of UBND xã Nam Cường (2025), from its real figures.
    from cchc.chiso.demo import write_demo

    chi_so_wb, chi_so_report = write_demo(out_dir / "chi_so", pdf=want_pdf)
    print(f"Phân tích chỉ số SIPAS, PAR Index (xã Nam Cường, 2025): {chi_so_wb}")
    print(f"Báo cáo phân tích: {chi_so_report}")
    return 0
