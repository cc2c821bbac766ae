"""The `cchc` command line.

Each subcommand lives in its own module under `cchc.commands` and defines
`NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`. Modules are discovered,
so adding a command never touches this file. Command modules keep heavy imports inside
`run()` so that `cchc --help` and the click-path commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from cchc import __version__
from cchc.errors import EXIT_UNREADABLE, CchcError


def _command_modules():
    import cchc.commands as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        yield importlib.import_module(f"cchc.commands.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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


def main(argv: list[str] | None = None) -> int:
    _configure_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_UNREADABLE
    try:
        return int(args._run(args) or 0)
    except CchcError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
