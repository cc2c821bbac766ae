"""The `cchc` command line.

Each subcommand lives in its own module under `cchc.commands` and defines
`NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`. Modules are discovered,
so adding a command never touches this file. Command modules keep heavy imports inside
`run()` so that `cchc --help` and the click-path commands start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import pkgutil
import re
import sys

from cchc import __version__
from cchc.errors import EXIT_UNREADABLE, CchcError


def _command_modules():
    import cchc.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        yield importlib.import_module(f"cchc.commands.{info.name}")


_ARGPARSE_MESSAGES = [
    (re.compile(r"the following arguments are required: (.*)"), r"thiếu tham số bắt buộc: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"tham số không nhận ra: \1"),
    (re.compile(r"argument (.*?): invalid int value: (.*)"), r"tham số \1: \2 không phải số nguyên"),
    (re.compile(r"argument (.*?): invalid (.*?) value: (.*)"), r"tham số \1: giá trị \3 không hợp lệ"),
    (re.compile(r"argument (.*?): expected one argument"), r"tham số \1 cần một giá trị"),
    (re.compile(r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)"), r"tham số \1: \2 không hợp lệ; chọn một trong: \3"),
    (re.compile(r"ambiguous option: (.*?) could match (.*)"), r"tùy chọn \1 không rõ, có thể là: \2"),
]


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors in Vietnamese and exit code 2 like every bad input."""

    def error(self, message: str):
        for pattern, vietnamese in _ARGPARSE_MESSAGES:
            if pattern.fullmatch(message):
                message = pattern.sub(vietnamese, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"Lỗi: {message}. Xem hướng dẫn: {self.prog} --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cchc",
        description="Báo cáo cải cách hành chính (CCHC): biểu mẫu Excel chuẩn, kiểm tra số liệu, "
        "tạo báo cáo Word và tổng hợp nhiều đơn vị.",
    )
    parser.add_argument("--version", action="version", version=f"cchc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for module in _command_modules():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def _configure_stdio() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):  # pragma: no cover - exotic streams
            pass


@contextlib.contextmanager
def _stop_on_sigterm():
    """SIGTERM (a service manager, `kill`, a time-out) ends the command the way Ctrl+C does, so
    the `finally` blocks run and no temporary file is left beside an output."""
    import signal
    import threading

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        try:
            previous = signal.signal(signal.SIGTERM, stop)
        except (ValueError, OSError):  # pragma: no cover - embedded interpreters
            previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _unexpected(exc: BaseException) -> str:
    """The last line of defence: an error no code path explained, said in Vietnamese (the
    traceback only with CCHC_DEBUG=1, for the person who fixes it)."""
    import os

    from cchc.files import os_reason, shown

    if isinstance(exc, OSError):
        where = f" «{shown(exc.filename)}»" if getattr(exc, "filename", None) else ""
        return f"Không đọc hoặc ghi được tệp{where} ({os_reason(exc)})."
    if isinstance(exc, MemoryError):
        return "Không đủ bộ nhớ để xử lý tệp này (tệp quá lớn hoặc bất thường)."
    if isinstance(exc, RecursionError):
        return "Tệp có cấu trúc lồng nhau quá sâu, không xử lý được."
    if os.environ.get("CCHC_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    return (f"Lỗi không mong đợi ({type(exc).__name__}: {shown(exc)}). Hãy gửi thông báo này cùng tệp "
            "đã dùng cho bộ phận kỹ thuật.")


def main(argv: list[str] | None = None) -> int:
    _configure_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_UNREADABLE
    try:
        with _stop_on_sigterm():
            return int(args._run(args) or 0)
    except CchcError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"Lỗi: {_unexpected(exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # a Rust panic in a reader (pyo3)
            raise
        print(f"Lỗi: {_unexpected(exc)}", file=sys.stderr)
        return EXIT_UNREADABLE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
