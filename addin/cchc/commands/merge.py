"""cchc merge: merge the workbooks of many units into one consolidated workbook (and report).

The progress bar is tqdm: one small pure-Python package with no dependencies of its own,
which draws on stderr and switches itself off when stderr is not a terminal (logs, CI, the
Excel button). rich would bring a much larger tree (pygments, markdown-it) for one bar.
"""

NAME = "merge"
HELP = ("Tổng hợp biểu mẫu của nhiều đơn vị (thư mục hoặc tệp .xlsx/.xlsm) thành một sổ tính "
        "tổng hợp, kèm tình hình nộp báo cáo, kiểm tra, xếp hạng và báo cáo Word.")


def add_arguments(p):
    p.add_argument("paths", nargs="+", metavar="ĐƯỜNG_DẪN", help="tệp hoặc thư mục (tìm cả thư mục con)")
    p.add_argument("-o", "--output", required=True, metavar="TONG_HOP.xlsx", help="sổ tính tổng hợp")
    p.add_argument("--report", metavar="TONG_HOP.docx", help="tạo thêm báo cáo Word cấp tỉnh")
    p.add_argument("--units", metavar="DON_VI.csv",
                   help="danh sách đơn vị phải nộp: mã, tên, nhóm (không bắt buộc)")
    p.add_argument("--period", metavar="KỲ", help='kỳ báo cáo, ví dụ "Quý I"; mặc định: kỳ của đa số tệp')
    p.add_argument("--year", type=int, metavar="NĂM", help="năm báo cáo; mặc định: năm của đa số tệp")
    p.add_argument("--kind", metavar="LOẠI", help="loại báo cáo khi thư mục có nhiều loại, ví dụ ky hoặc chi-so")
    p.add_argument("--prefer-newest", action="store_true",
                   help="khi một đơn vị có nhiều tệp cùng kỳ: dùng tệp mới nhất (theo ngày ký, rồi thời điểm lưu)")
    p.add_argument("--json", metavar="TONG_HOP.json", help="ghi thêm số liệu tổng hợp dạng JSON")
    p.add_argument("--compare", action="append", default=[], metavar="KỲ_TRƯỚC.json",
                   help="so sánh với bản tổng hợp kỳ trước (tệp --json của lần tổng hợp đó): trang «Tổng hợp» "
                        "và báo cáo Word thêm số liệu kỳ trước và mức tăng, giảm; dùng nhiều lần được")
    g = p.add_argument_group("cơ quan ban hành báo cáo Word (--report)")
    g.add_argument("--co-quan", default="Sở Nội vụ", metavar="TÊN",
                   help='cơ quan tổng hợp, viết như trong câu; mặc định "Sở Nội vụ"')
    g.add_argument("--co-quan-chu-quan", default="", metavar="TÊN",
                   help='cơ quan chủ quản, ví dụ "UBND tỉnh Thái Nguyên"; mặc định theo tỉnh ghi trong các tệp')
    g.add_argument("--ky-hieu", default="SNV", metavar="CHỮ",
                   help='chữ viết tắt của cơ quan trong số, ký hiệu văn bản (…/BC-SNV); mặc định "SNV"')
    g.add_argument("--chuc-vu", default="Giám đốc", metavar="CHỨC_VỤ",
                   help='chức vụ người ký; mặc định "Giám đốc"')
    g.add_argument("--nguoi-ky", default="", metavar="HỌ_TÊN",
                   help="họ và tên người ký (dòng cuối của phần chữ ký)")
    g.add_argument("--kinh-gui", action="append", default=[], metavar="NƠI",
                   help='nơi kính gửi, ví dụ "Ủy ban nhân dân tỉnh Lâm Đồng" (ghi nhiều lần cho nhiều nơi); '
                        "mặc định Ủy ban nhân dân tỉnh ghi trong các tệp")
    g.add_argument("--kien-nghi", metavar="TEP.txt",
                   help="tệp văn bản (UTF-8) chứa phần kiến nghị, đề xuất, mỗi dòng một đoạn; không có thì "
                        "báo cáo để chỗ cho cán bộ viết")
    p.add_argument("--workers", type=int, metavar="N", help="số tiến trình đọc tệp (mặc định: số nhân CPU)")


def run(args) -> int:
    import sys
    import time
    from pathlib import Path

    from cchc import app
    from cchc.errors import CchcError
    from cchc.merge.word import Issuer

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise CchcError(f"Tệp tổng hợp phải có đuôi .xlsx (đang là «{out.name}»).")
    for extra, suffix in ((args.report, ".docx"), (args.json, ".json"), *((c, ".json") for c in args.compare)):
        if extra and Path(extra).suffix.lower() != suffix:
            raise CchcError(f"Tệp «{extra}» phải có đuôi {suffix}.")
    outputs = [Path(p) for p in (args.output, args.report, args.json) if p]
    app.refuse_overwriting(outputs, [*args.compare, args.kien_nghi])
    earlier = [app.load_json(c) for c in args.compare]  # read before the merge: a bad one stops it early
    for flag, value, example in (("--co-quan", args.co_quan, "Sở Nội vụ"), ("--ky-hieu", args.ky_hieu, "SNV"),
                                 ("--chuc-vu", args.chuc_vu, "Giám đốc")):
        if not value.strip():  # the report's header, number line and signature need it
            raise CchcError(f"Tùy chọn {flag} không được để trống (ví dụ {flag} \"{example}\").")
    kien_nghi = ()
    if args.kien_nghi:
        if not args.report:
            raise CchcError("Tùy chọn --kien-nghi chỉ dùng cùng --report (báo cáo Word).")
        from cchc.merge.word import read_recommendations

        kien_nghi = read_recommendations(args.kien_nghi)
    issuer = Issuer(co_quan=args.co_quan.strip(), chu_quan=args.co_quan_chu_quan.strip(),
                    ky_hieu=args.ky_hieu.strip(), chuc_vu=args.chuc_vu.strip(), nguoi_ky=args.nguoi_ky.strip(),
                    kinh_gui=tuple(k.strip() for k in args.kinh_gui if k.strip()), kien_nghi=kien_nghi)

    started = time.perf_counter()
    bar = None

    def on_found(n: int) -> None:
        nonlocal bar
        from tqdm import tqdm

        bar = tqdm(total=n, unit="tệp", desc="Đọc và kiểm tra", file=sys.stderr, disable=None,
                   dynamic_ncols=True, leave=False)

    def progress(k: int) -> None:
        if bar is not None:
            bar.update(k)

    try:
        result = app.merge(args.paths, units_csv=args.units, period=args.period, year=args.year, kind=args.kind,
                       prefer_newest=args.prefer_newest, workers=args.workers, outputs=outputs,
                       on_found=on_found, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    written = app.write_merge(result, out, json_path=args.json, report_path=args.report, issuer=issuer,
                              compare_with=earlier)
    for line in app.merge_lines(result, time.perf_counter() - started):
        print(line, file=sys.stderr)
    for p in (written.output, written.json, written.report):
        if p:
            print(f"Đã ghi {p}", file=sys.stderr)
    for line in written.messages:
        print(line, file=sys.stderr)
    return result.exit_code
