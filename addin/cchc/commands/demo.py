"""cchc demo: the main job on built-in data (each report kind's demo: the seed commune's real Quý I/2025
report, the annual index analysis of xã Nam Cường)."""

NAME = "demo"
HELP = ("Chạy thử trên số liệu mẫu (UBND xã Đưng K'Nớ, Quý I/2025; chỉ số SIPAS, PAR Index của xã Nam Cường): "
        "tạo sổ tính đã điền và báo cáo Word/PDF của mỗi loại báo cáo.")


def add_arguments(p):
    p.add_argument("-o", "--output", default="cchc_demo", metavar="THƯ_MỤC", help="thư mục kết quả (mặc định: cchc_demo)")
    p.add_argument("--no-pdf", action="store_true", help="không tạo bản PDF kể cả khi có LibreOffice")


def run(args) -> int:
    from pathlib import Path

    from cchc import app
    from cchc.office import find_soffice

    want_pdf = not args.no_pdf and find_soffice() is not None
    for line in app.demo(Path(args.output), pdf=want_pdf):
        print(line)
    if not args.no_pdf and not want_pdf:
        print("Không tạo bản PDF: máy này chưa cài LibreOffice.")
    return 0
