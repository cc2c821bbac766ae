"""cchc check: find what is wrong in a filled workbook, and optionally mark it on a copy.

--previous EARLIER.xlsx (repeatable): also check it against reports of the same unit and year
whose periods it contains (a 6-month report against the Quý I report).

Exit code 0: no error (warnings alone give 0); 1: errors found; 2: the file cannot be read.
The plain check never imports openpyxl (slow to import); only --mark needs it.
"""

NAME = "check"
HELP = "Kiểm tra số liệu của sổ tính đã điền: lỗi, cảnh báo, kèm địa chỉ ô cần sửa."


def add_arguments(p):
    p.add_argument("file", metavar="TỆP.xlsx")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho chương trình khác đọc)")
    p.add_argument("--mark", action="store_true",
                   help="ghi một bản sao có tô màu ô lỗi (đỏ), ô cảnh báo (vàng cam) và trang «Kiểm tra»")
    p.add_argument("--previous", action="append", default=[], metavar="KỲ_TRƯỚC.xlsx",
                   help="đối chiếu với báo cáo kỳ trước của cùng đơn vị, cùng năm, nằm trong kỳ này "
                        "(ví dụ báo cáo Quý I khi kiểm tra báo cáo 6 tháng); dùng nhiều lần được; "
                        "nhận cả tệp .json của cchc export")
    p.add_argument("-o", "--output", metavar="BẢN_ĐÁNH_DẤU.xlsx",
                   help="tên bản sao đánh dấu (mặc định: <tên tệp>_kiem_tra.xlsx cạnh tệp gốc)")


def _print_text(path, catalogue, findings, previous=()) -> None:
    from cchc.checks.sheet import summary, values_text
    from cchc.findings import counts
    from cchc.workbook import style as S

    n = counts(findings)
    against = f" (đối chiếu với {', '.join(f'«{p}»' for p in previous)})" if previous else ""
    print(f"Kiểm tra «{path}»{against}: {n['error']} lỗi, {n['warning']} cảnh báo, {n['info']} thông tin.")
    titles = {S.SHEET_INFO: S.SHEET_INFO, S.SHEET_NARRATIVE: S.SHEET_NARRATIVE}
    titles.update({f.sheet: f"{f.sheet} — {f.title}: {f.subtitle}" for f in catalogue.forms})
    current = None
    for f in findings:
        if f.sheet != current:
            current = f.sheet
            print(f"\n== {titles.get(f.sheet, f.sheet or 'Chung')} ==")
        head = f"[{f.label}] {f.address}"
        if f.ref:
            head += f" · {f.ref}"
        vals = values_text(f)
        print(head + (f" · {vals}" if vals else "") + f" · ({f.rule_id})")
        print(f"    {f.message}")
    print("\n" + summary(findings))


def run(args) -> int:
    import json
    import sys
    from pathlib import Path

    from cchc import app
    from cchc.errors import CchcError

    if args.output and not args.mark:
        raise CchcError("Tùy chọn -o chỉ dùng cùng --mark (ghi bản sao có đánh dấu).")
    src = Path(args.file)
    marked = None
    if args.mark:
        from cchc.checks.mark import default_output

        marked = Path(args.output) if args.output else default_output(src)
        app.refuse_overwriting([marked], [src, *args.previous])
    loaded = app.load(src)
    previous = [app.load_any(p) for p in args.previous]
    findings = app.check(loaded, previous)
    live = app.live_counts(loaded, findings)  # the workbook's own counts (its compiled rules only)
    if marked:
        marked = app.mark(src, findings, marked)

    if args.json:
        print(json.dumps(app.check_json(str(src), findings, marked, live), ensure_ascii=False, indent=1))
    else:
        _print_text(src, loaded.catalogue, findings, args.previous)
        print(live.line())
        if marked:
            print(f"Đã ghi bản sao có đánh dấu: {marked}")
    sys.stdout.flush()
    return 1 if app.counts(findings)["error"] else 0
