"""cchc excel-setup: make the buttons of the Excel workbook find this Python."""

NAME = "excel-setup"
HELP = (
    "Cài đặt cho các nút lệnh trong Excel: ghi đường dẫn Python này vào cấu hình xlwings "
    "và kiểm tra phiên bản xlwings của các tệp .xlsm/.xlam."
)

CONFIG_KEY = "INTERPRETER_WIN"


def add_arguments(p):
    p.add_argument(
        "workbooks", nargs="*", metavar="TỆP",
        help="tệp .xlsm hoặc .xlam cần kiểm tra phiên bản xlwings (không bắt buộc)",
    )
    p.add_argument(
        "--interpreter", metavar="PYTHON",
        help="đường dẫn python.exe muốn dùng (mặc định: Python đang chạy lệnh này)",
    )


def config_path():
    """The user's xlwings configuration file, where xlwings' VBA looks for it on Windows
    (%USERPROFILE%\\.xlwings\\xlwings.conf)."""
    from pathlib import Path

    return Path.home() / ".xlwings" / "xlwings.conf"


def _encoding() -> str:
    """xlwings' VBA reads the file with `Open … For Input`: the Windows ANSI code page."""
    import sys

    return "mbcs" if sys.platform == "win32" else "utf-8"


def write_interpreter(path, interpreter: str) -> tuple[str | None, list[str]]:
    """Set INTERPRETER_WIN in the config file, keeping every other line. Returns the
    previous value and warnings."""
    warnings: list[str] = []
    encoding = _encoding()
    try:
        interpreter.encode(encoding)
    except UnicodeEncodeError:
        # The buttons of cchc's workbooks read the file as UTF-8 when it is not ANSI
        # (CchcUserConfig in vba/basic/CchcPython.bas); xlwings' own RunPython cannot.
        warnings.append(
            "Đường dẫn Python có chữ tiếng Việt có dấu nên tệp cấu hình được ghi bằng UTF-8: các nút "
            "của biểu mẫu và add-in bản này đọc được, nhưng tệp tạo bằng phiên bản cchc cũ hơn thì không. "
            "Nếu cần dùng các tệp đó, hãy cài Python vào thư mục không dấu, ví dụ C:\\Python311, rồi chạy lại lệnh này."
        )
        encoding = "utf-8"
    previous = None
    kept: list[str] = []
    if path.exists():
        for line in path.read_text(encoding=encoding, errors="replace").splitlines():
            key = line.split(",", 1)[0].strip().strip('"')
            if key.upper() == CONFIG_KEY:
                value = line.split(",", 1)[1].strip().strip('"') if "," in line else ""
                previous = value
                continue
            if line.strip():
                kept.append(line)
            if key.upper() in ("CONDA PATH", "CONDA ENV"):
                warnings.append(
                    f"Tệp cấu hình có mục «{key}»: xlwings sẽ dùng Conda thay cho Python ở trên. "
                    "Nếu các nút không chạy, hãy xóa dòng đó."
                )
    kept.append(f'"{CONFIG_KEY}","{interpreter}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kept) + "\n", encoding=encoding, errors="replace")
    return previous, warnings


def embedded_version(workbook) -> str | None:
    """The xlwings version whose VBA a .xlsm/.xlam carries (None if it has none)."""
    import zipfile

    from cchc.errors import CchcError
    from cchc.vba.ovba import read_modules
    from cchc.vba.package import embedded_xlwings_version

    try:
        with zipfile.ZipFile(workbook) as zf:
            if "xl/vbaProject.bin" not in zf.namelist():
                return None
            modules = read_modules(zf.read("xl/vbaProject.bin"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CchcError(f"Không đọc được mã VBA trong tệp «{workbook}»: {exc}") from None
    return embedded_xlwings_version(modules)


def _dll_folder(interpreter: str, version: str) -> str | None:
    """Where RunPython will load xlwings' DLL from (beside python.exe, or the venv root)."""
    from pathlib import Path

    exe = Path(interpreter)
    for folder in (exe.parent, exe.parent.parent):
        for bits in ("64", "32"):
            if (folder / f"xlwings{bits}-{version}.dll").exists():
                return str(folder)
    return None


def run(args) -> int:
    import sys
    from pathlib import Path

    from cchc.errors import EXIT_FINDINGS, CchcError

    try:
        import xlwings
    except ImportError:
        raise CchcError(
            "Chưa cài xlwings nên Excel chưa gọi được cchc. Hãy chạy: pip install xlwings"
        ) from None
    version = xlwings.__version__
    interpreter = args.interpreter or sys.executable
    if not Path(interpreter).exists():
        raise CchcError(f"Không thấy chương trình Python «{interpreter}».")

    path = config_path()
    previous, warnings = write_interpreter(path, interpreter)
    print(f"Đã ghi cấu hình xlwings: {path}")
    print(f"  {CONFIG_KEY} = {interpreter}")
    if previous and previous != interpreter:
        print(f"  (trước đây: {previous})")
    print(f"Phiên bản xlwings trên máy: {version}")
    if sys.platform == "win32":
        folder = _dll_folder(interpreter, version)
        if folder:
            print(f"Thư viện xlwings cho Excel: có, trong {folder}")
        else:
            warnings.append(
                f"Không thấy tệp xlwings64-{version}.dll cạnh Python: hãy cài lại xlwings "
                f"bằng chính Python này («{interpreter}» -m pip install --force-reinstall xlwings=={version})."
            )
    else:
        print("Lưu ý: các nút lệnh trong Excel chỉ chạy trên Windows (Excel cho Windows).")

    status = 0
    for wb in args.workbooks:
        p = Path(wb)
        if not p.exists():
            raise CchcError(f"Không tìm thấy tệp «{p}».")
        embedded = embedded_version(p)
        if embedded is None:
            print(f"✗ {p}: không có mã VBA của xlwings (không phải biểu mẫu có nút lệnh).")
            status = EXIT_FINDINGS
        elif embedded == version:
            print(f"✓ {p}: mã VBA xlwings {embedded}, khớp với máy.")
        else:
            print(
                f"✗ {p}: mã VBA xlwings {embedded}, máy đang cài xlwings {version}: các nút sẽ báo lỗi.\n"
                f"  Cách sửa: pip install xlwings=={embedded}\n"
                "  hoặc tạo lại biểu mẫu có nút lệnh trên máy này: cchc template --macros -o TỆP.xlsm"
            )
            status = EXIT_FINDINGS
    for w in warnings:
        print(f"Cảnh báo: {w}")
    if not args.workbooks:
        print("Để kiểm tra một tệp nhận được: cchc excel-setup TỆP.xlsm")
    print("Xong. Mở tệp Excel, bấm «Enable Content» (Bật nội dung), rồi dùng thẻ «Báo cáo CCHC».")
    return status
