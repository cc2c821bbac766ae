"""cchc serve: the web portal «Cổng nộp báo cáo» (Django).

    cchc serve [--data DIR] [--host HOST] [--port PORT]                 waitress (any system)
    cchc serve --server gunicorn [--workers N] [--threads T] …          production on Linux
    cchc serve --init --units units.csv [--data DIR]
    cchc serve --backup DIR | --restore BACKUP | --verify [--data DIR]

Two servers. waitress, the default, is pure Python and runs the same on a province's Windows
server: one process whose threads share one core for Python code. gunicorn (Linux) runs several
worker processes, so uploads and a long «Tổng hợp» use every core, a worker that dies or grows is
replaced without stopping the others; it is the documented production start behind nginx
(docs/trien-khai.md, with a systemd unit and the figures of both).
Both serve the same WSGI application (cchc.portal.wsgi).

Django, waitress, gunicorn and psycopg come with the optional extra `portal` (pip install
"cchc[portal]"), so a commune PC that only needs the Excel buttons never installs them; without
it this command says what to install and exits 2. Heavy imports stay inside run().
"""

NAME = "serve"
HELP = "Chạy cổng nộp báo cáo trên web (các xã nộp tệp Excel, tỉnh theo dõi và tổng hợp)."


def add_arguments(p):
    p.add_argument("--data", metavar="THƯ_MỤC", help="thư mục dữ liệu của cổng (mặc định ./cchc_data hoặc CCHC_DATA)")
    p.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                   help="địa chỉ lắng nghe (mặc định 127.0.0.1; 0.0.0.0 để máy khác trong mạng truy cập)")
    p.add_argument("--port", type=int, default=8000, metavar="CỔNG", help="cổng lắng nghe (mặc định 8000)")
    p.add_argument("--server", choices=("waitress", "gunicorn"), default="waitress",
                   help="máy chủ ứng dụng: waitress (mặc định, mọi hệ điều hành) hoặc gunicorn (Linux, chạy "
                        "chính thức: nhiều tiến trình, dùng hết các nhân CPU)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="gunicorn: số tiến trình xử lý (mặc định số nhân CPU + 1)")
    p.add_argument("--threads", type=int, metavar="N",
                   help="số luồng xử lý yêu cầu (waitress: mặc định 8; gunicorn: mỗi tiến trình, mặc định 4)")
    p.add_argument("--init", action="store_true",
                   help="khởi tạo: tạo đơn vị, tài khoản từ --units, ghi mật khẩu ban đầu ra tệp CSV rồi thoát")
    p.add_argument("--units", metavar="DON_VI.csv", help="danh sách đơn vị (như cchc merge --units), dùng với --init")
    p.add_argument("--backup", metavar="THƯ_MỤC",
                   help="sao lưu cơ sở dữ liệu và các tệp vào một thư mục mới trong THƯ_MỤC (cổng vẫn chạy được) rồi thoát")
    p.add_argument("--restore", metavar="BẢN_SAO_LƯU",
                   help="khôi phục một bản sao lưu vào cổng trống (--data, CCHC_DATABASE_URL) rồi thoát")
    p.add_argument("--verify", action="store_true",
                   help="kiểm tra mọi lần nộp có tệp nguyên vẹn (dung lượng, SHA-256) rồi thoát; mã thoát 1 khi có vấn đề")


MISSING = ("Lệnh «cchc serve» cần thêm Django và waitress, chưa được cài trên máy này. "
           "Hãy cài bằng lệnh:  pip install \"cchc[portal]\"  (hoặc pip install django waitress).")
MISSING_GUNICORN = ("Máy chủ gunicorn chưa được cài trên máy này. Hãy cài bằng lệnh:  pip install \"cchc[portal]\"  "
                    "(gunicorn chỉ chạy trên Linux; trên Windows dùng waitress, mặc định).")
MISSING_PSYCOPG = ("Cơ sở dữ liệu PostgreSQL cần thư viện psycopg, chưa được cài trên máy này. Hãy cài bằng lệnh:  "
                   "pip install \"cchc[portal]\"  (hoặc pip install \"psycopg[binary]\").")


def _setup(args, host=None):
    """Settings and Django, without touching the database."""
    import os

    from cchc.errors import CchcError
    from cchc.portal import config

    cfg = config.use(config.load_config(args.data, host=host))
    if cfg.database["ENGINE"].endswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise CchcError(MISSING_PSYCOPG) from None
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.portal.settings"
    import django

    django.setup()
    from cchc.portal import store

    store.ensure_dirs()
    return cfg


def _migrate():
    from django.core.management import call_command
    from django.db import OperationalError

    from cchc.errors import CchcError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except OperationalError as exc:
        raise CchcError(f"Không kết nối được cơ sở dữ liệu: {exc}".strip()) from None


def _prepare(args):
    """Settings, Django, the database schema: what --init and serving need."""
    cfg = _setup(args, host=args.host)
    _migrate()
    return cfg


def _before_serving(cfg) -> list[str]:
    """Once, before any worker: the admin's static files, what crashed writes left behind,
    expired sessions; then no database connection stays open across a fork."""
    from django.core.management import call_command
    from django.db import connections

    from cchc.portal.integrity import remove_temporary

    notes = []
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except OSError as exc:  # the portal still serves them itself; nginx would not find them
        notes.append(f"Không chép được tệp tĩnh của trang quản trị vào {exc.filename or 'CCHC_STATIC_ROOT'}: "
                     f"{exc.strerror or exc}.")
    removed = remove_temporary()
    if removed:
        notes.append(f"Đã xóa {removed} tệp tạm của các lần ghi bị ngắt (lần nộp chưa được ghi nhận).")
    call_command("clearsessions", verbosity=0)
    connections.close_all()
    return notes


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
    if sum(bool(x) for x in (args.init, args.backup, args.restore, args.verify)) > 1:
        raise CchcError("Chỉ dùng một trong các tùy chọn --init, --backup, --restore, --verify mỗi lần.")
    if args.init:
        return _init(args)
    if args.backup or args.restore or args.verify:
        from django.db import Error as DatabaseError

        try:
            if args.backup:
                return _backup(args)
            if args.restore:
                return _restore(args)
            _setup(args)
            return _verify()
        except DatabaseError as exc:
            raise CchcError(f"Cơ sở dữ liệu chưa dùng được: {str(exc).strip()} (kiểm tra CCHC_DATABASE_URL; cổng đã từng chạy "
                            "với cơ sở dữ liệu này chưa?)") from None
    if args.server == "gunicorn":
        if sys.platform == "win32":
            raise CchcError("gunicorn không chạy trên Windows: hãy dùng waitress (bỏ --server gunicorn).")
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            print(f"Lỗi: {MISSING_GUNICORN}", file=sys.stderr)
            return 2
    cfg = _prepare(args)
    notes = _before_serving(cfg)
    if args.server == "gunicorn":
        from cchc.portal import services

        services.warm_up()
        from django.db import connections

        connections.close_all()  # nothing opened by the warm-up crosses the fork
    from cchc.portal.wsgi import application

    for note in cfg.notes + notes:
        print(note, file=sys.stderr)
    shown = "localhost" if args.host in ("127.0.0.1", "0.0.0.0", "::") else args.host
    print(f"Cổng nộp báo cáo CCHC: http://{shown}:{args.port}/  (dữ liệu: {cfg.data_dir}; máy chủ {args.server}; "
          "dừng: Ctrl+C)", file=sys.stderr, flush=True)
    if args.server == "gunicorn":
        _gunicorn(application, cfg, args)
        return 0
    from waitress import serve

    limit = max(cfg.upload_max_bytes * 4, cfg.upload_max_bytes + 16 * 1024 * 1024)
    # X-Forwarded-* reach Django untouched; cchc.portal.access.ProxyHeadersMiddleware believes
    # them only from CCHC_TRUSTED_PROXIES, for waitress and gunicorn alike.
    serve(application, host=args.host, port=args.port, threads=max(1, args.threads or 8),
          max_request_body_size=limit, ident="cchc", clear_untrusted_proxy_headers=False)
    return 0


def _gunicorn(application, cfg, args) -> None:
    import os

    from gunicorn.app.base import BaseApplication

    host = f"[{args.host}]" if ":" in args.host else args.host
    threads = max(1, args.threads or 4)
    options = {
        "bind": f"{host}:{args.port}",
        "workers": max(1, args.workers or (os.cpu_count() or 1) + 1),
        # gthread workers, a few threads each: while one upload waits for its fsyncs and its
        # commit, another is checked (sync workers, one request each, did 6 uploads/s where
        # these did 9–10 on the same burst); a long «Tổng hợp» or PDF conversion runs in a thread
        # while the worker keeps answering gunicorn's heartbeat, so it is never killed as "hung".
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        "timeout": 300,  # only sync workers (--threads 1) need it above the longest request
        "graceful_timeout": 60,
        # Workers are replaced now and then, which bounds any slow growth of memory.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        # Django and cchc are imported once, in the master; workers share those pages.
        "preload_app": True,
        "forwarded_allow_ips": ",".join(cfg.trusted_proxies) or "127.0.0.1",
        "proc_name": "cchc-portal",
        "errorlog": "-",
        "loglevel": "warning",
    }
    if os.path.isdir("/dev/shm"):
        options["worker_tmp_dir"] = "/dev/shm"  # the heartbeat file, off a possibly slow disk

    class Portal(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Portal().run()


def _init(args) -> int:
    if not args.units:
        from cchc.errors import CchcError

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


def _backup(args) -> int:
    import sys

    _setup(args)
    from cchc.portal import backup

    result = backup.backup(args.backup)
    for line in backup.summary(result):
        print(line)
    for problem in result.problems:
        print(f"Cảnh báo: {problem}", file=sys.stderr)
    return 1 if result.problems else 0


def _restore(args) -> int:
    import sys

    _setup(args)
    from cchc.portal import backup

    result = backup.restore(args.restore)
    _migrate()  # a backup of an older version: its schema is brought up to date
    for line in backup.summary(result, restored=True):
        print(line)
    for note in result.notes:
        print(note)
    for problem in result.problems:
        print(f"Cảnh báo (từ lúc sao lưu): {problem}", file=sys.stderr)
    return _verify()


def _verify() -> int:
    from cchc.portal.integrity import verify

    rep = verify()
    for line in rep.lines():
        print(line)
    return 0 if rep.ok else 1
