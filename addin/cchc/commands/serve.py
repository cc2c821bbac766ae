"""cchc serve: the web portal «Cổng nộp báo cáo» (Django, served by waitress).

    cchc serve [--data DIR] [--host HOST] [--port PORT]
    cchc serve --init --units units.csv [--data DIR]

Django and waitress come with the optional extra `portal` (pip install "cchc[portal]"), so a
commune PC that only needs the Excel buttons never installs them; without it this command
says what to install and exits 2. Heavy imports stay inside run().
"""

NAME = "serve"
HELP = "Chạy cổng nộp báo cáo trên web (các xã nộp tệp Excel, tỉnh theo dõi và tổng hợp)."


def add_arguments(p):
    p.add_argument("--data", metavar="THƯ_MỤC", help="thư mục dữ liệu của cổng (mặc định ./cchc_data hoặc CCHC_DATA)")
    p.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                   help="địa chỉ lắng nghe (mặc định 127.0.0.1; 0.0.0.0 để máy khác trong mạng truy cập)")
    p.add_argument("--port", type=int, default=8000, metavar="CỔNG", help="cổng lắng nghe (mặc định 8000)")
    p.add_argument("--threads", type=int, default=8, metavar="N", help="số luồng xử lý yêu cầu (mặc định 8)")
    p.add_argument("--init", action="store_true",
                   help="khởi tạo: tạo đơn vị, tài khoản từ --units, ghi mật khẩu ban đầu ra tệp CSV rồi thoát")
    p.add_argument("--units", metavar="DON_VI.csv", help="danh sách đơn vị (như cchc merge --units), dùng với --init")


MISSING = ("Lệnh «cchc serve» cần thêm Django và waitress, chưa được cài trên máy này. "
           "Hãy cài bằng lệnh:  pip install \"cchc[portal]\"  (hoặc pip install django waitress).")


def _prepare(args):
    """Settings, Django, the database schema: what both --init and serving need."""
    import os

    from cchc.portal import config

    cfg = config.use(config.load_config(args.data, host=args.host))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.portal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from cchc.portal import store

    store.ensure_dirs()
    call_command("migrate", interactive=False, verbosity=0)
    return cfg


def run(args) -> int:
    import sys

    from cchc.errors import CchcError

    try:
        import django  # noqa: F401
        import waitress  # noqa: F401
    except ImportError:
        print(f"Lỗi: {MISSING}", file=sys.stderr)
        return 2
    if args.units and not args.init:
        raise CchcError("Tùy chọn --units chỉ dùng cùng --init (khởi tạo đơn vị và tài khoản).")
    if args.init:
        if not args.units:
            raise CchcError("Khởi tạo cần danh sách đơn vị: cchc serve --init --units DON_VI.csv")
        cfg = _prepare(args)
        from cchc.portal import services

        done = services.init_units(args.units, cfg.first_passwords)
        print(f"Thư mục dữ liệu: {cfg.data_dir}")
        print(f"Đã tạo {done.units} đơn vị và {done.accounts} tài khoản.")
        if done.passwords_csv:
            print(f"Mật khẩu ban đầu: {done.passwords_csv} (giao cho từng đơn vị; mỗi người phải đổi mật khẩu "
                  "khi đăng nhập lần đầu; hãy xóa tệp này sau khi đã giao).")
        else:
            print("Không có tài khoản mới; mật khẩu của các tài khoản đã có không thay đổi.")
        return 0

    cfg = _prepare(args)
    from waitress import serve

    from cchc.portal.wsgi import application

    for note in cfg.notes:
        print(note, file=sys.stderr)
    shown = "localhost" if args.host in ("127.0.0.1", "0.0.0.0", "::") else args.host
    print(f"Cổng nộp báo cáo CCHC: http://{shown}:{args.port}/  (dữ liệu: {cfg.data_dir}; dừng: Ctrl+C)",
          file=sys.stderr)
    limit = max(cfg.upload_max_bytes * 4, cfg.upload_max_bytes + 16 * 1024 * 1024)
    serve(application, host=args.host, port=args.port, threads=max(1, args.threads),
          max_request_body_size=limit, ident="cchc", clear_untrusted_proxy_headers=True)
    return 0
