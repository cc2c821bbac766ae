"""What the buttons say, run for real: our VBA modules, read back from the built files with
olevba, executed by LibreOffice Basic in its VBA mode (tests/basic_runner.py).

- every module compiles;
- every Vietnamese string literal, stored escaped so the module is ASCII, decodes to the
  source text; the message texts are pinned word for word;
- what Python hands back to VBA (a CCHC-MSG line on stderr when it cannot reach Excel) is
  produced by running the entry points as the launcher starts them, with stderr in the
  code pages of a Windows machine (cp1252, cp1258), and decoded by the VBA exactly;
- the launcher's command line is xlwings' (ExecuteWindows), the config file written by
  `cchc excel-setup` is read back, and docs/excel-setup.md quotes the message box.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

import cchc.excel as excel
from cchc.vba.package import ADDIN_MODULES, WORKBOOK_MODULES, build_addin
from cchc.vba.text import MESSAGE_PREFIX, escape, for_vba, message_from, unescape
from cchc.app import build_template

sys.path.insert(0, str(Path(__file__).parent))
from basic_runner import run_basic  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BASIC = ROOT / "addin" / "cchc" / "vba" / "basic"

# Every Vietnamese letter, upper and lower case (the 134 of the alphabet with its tones).
VIETNAMESE = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
SAMPLES = [
    VIETNAMESE,
    VIETNAMESE.upper(),
    'Dấu «» “ngoặc” → … \\ \\u1EA1 "quote" \'apos\' tab\tcr\rlf\n & ^ % !',
    "emoji 😀 (surrogate pair), NBSP\u00a0, ZWJ\u200d, BOM\ufeff, €",
]


def _macros(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for (_f, _s, name, code) in parser.extract_all_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    d = tmp_path_factory.mktemp("vba")
    xlsm, xlam = d / "bieu_mau.xlsm", d / "cchc.xlam"
    build_template(xlsm, macros=True)
    build_addin(xlam)
    return {"xlsm": _macros(xlsm), "xlam": _macros(xlam)}


@pytest.fixture(scope="module")
def basic(built, soffice, tmp_path_factory):
    """Run statements with the add-in's own modules loaded (as stored: ASCII, escaped)."""
    work = tmp_path_factory.mktemp("basic")
    modules = {name: built["xlam"][name] for name in ADDIN_MODULES}

    def run(body: str) -> list[str]:
        return run_basic(soffice, work, modules, body)

    return run


def lit(text: str) -> str:
    """A Basic expression for `text` (plain literals; LibreOffice reads the module as UTF-8)."""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("Chr(10)")
        parts.append('"' + line.replace('"', '""') + '"')
    return " & ".join(parts)


# ----------------------------------------------------------------------------- compiling


@pytest.mark.parametrize("kind", ["xlsm", "xlam"])
def test_our_modules_compile_and_run_in_libreoffice_basic(built, soffice, tmp_path, kind):
    """LibreOffice compiles a whole library before running any of it: a syntax error in any
    module stops the run."""
    own = ADDIN_MODULES if kind == "xlam" else WORKBOOK_MODULES
    modules = {name: built[kind][name] for name in own}
    assert all(code.isascii() for code in modules.values())
    start = time.monotonic()
    assert run_basic(soffice, tmp_path, modules, "    Emit CchcTitle()") == ["Báo cáo CCHC"]
    took = time.monotonic() - start
    if kind == "xlam":  # the same run with a syntax error in another module than the one called
        broken = dict(modules, CchcMacros=modules["CchcMacros"].replace("End Sub", "End Sbu", 1))
        with pytest.raises(AssertionError, match="did not finish"):
            run_basic(soffice, tmp_path, broken, "    Emit CchcTitle()", timeout=max(10, 3 * took))


# ----------------------------------------------------------------------------- literals


def _source_literals(text: str) -> list[str]:
    """The non-ASCII string literals of a .bas source, in order, unquoted (comments are
    ASCII-only: the build refuses anything else)."""
    values = (m.group(1).replace('""', '"') for m in re.finditer(r'"((?:[^"\n]|"")*)"', text))
    return [v for v in values if not v.isascii()]


def test_every_vietnamese_literal_decodes_to_the_source_text(built, basic):
    stored = built["xlam"]
    calls, expected = [], []
    for name in ADDIN_MODULES:
        code = "\n".join(ln for ln in stored[name].splitlines() if not ln.lstrip().startswith("'"))
        escaped = re.findall(r'CchcU\("((?:[^"]|"")*)"\)', code)
        source = _source_literals((BASIC / f"{name}.bas").read_text(encoding="utf-8"))
        assert len(escaped) == len(source), name
        calls += escaped
        expected += source
    assert len(expected) > 40
    got = basic("\n".join(f'    Emit CchcU("{c}")' for c in calls))
    assert got == expected


def test_cchcu_inverts_the_escape_for_any_text(basic):
    escaped = [escape(s) for s in SAMPLES]
    assert all(e.isascii() for e in escaped)
    assert [unescape(e) for e in escaped] == SAMPLES  # Python's model of CchcU
    assert basic("\n".join(f"    Emit CchcU({lit(e)})" for e in escaped)) == SAMPLES


# ----------------------------------------------------------------------------- the messages

THREE_WAYS = (
    "Có ba cách:\n"
    "1. Cài Python và cchc theo mục «Cài đặt» của hướng dẫn «Dùng các nút lệnh trong Excel» "
    "(tệp docs/excel-setup.md), hoặc nhờ bộ phận công nghệ thông tin cài giúp, rồi bấm lại nút.\n"
    "2. Nếu máy đã cài Python mà vẫn gặp thông báo này: nhờ bộ phận công nghệ thông tin thêm ngoại lệ "
    "cho python.exe trong quy tắc «Block all Office applications from creating child processes» "
    "của Microsoft Defender.\n"
    "{third}\n\n"
    "Không có Python, biểu mẫu vẫn dùng được: Excel vẫn tự tính các ô tỷ lệ và vẫn báo ngay "
    "khi nhập giá trị sai kiểu (ví dụ chữ vào ô số). Chỉ các nút lệnh cần Python."
)
THIRD_PORTAL = "3. Không dùng nút lệnh: lưu tệp Excel này và nộp qua cổng tiếp nhận báo cáo của tỉnh: {portal}"
THIRD_NO_PORTAL = (
    "3. Không dùng nút lệnh: lưu tệp Excel này và nộp qua cổng tiếp nhận báo cáo mà Sở Nội vụ đã thông báo."
)
THIRD_DISTRICT = "3. Làm việc này bằng dòng lệnh cchc trên một máy đã cài Python (xem docs/tong-hop.md)."


def test_the_message_texts_word_for_word(basic):
    portal = "https://baocao.lamdong.gov.vn/nop-bao-cao"
    got = basic(f"""
    Emit CchcMsgNoPython(CCHC_NOT_FOUND, "Kiểm tra số liệu", "", "{portal}", False)
    Emit CchcMsgNoPython(CCHC_NOT_FOUND, "Tạo báo cáo Word", CchcDetailNotFound("C:\\Python311\\python.exe"), "", False)
    Emit CchcMsgNoPython(CCHC_CANNOT_START, "Tổng hợp nhiều xã", CchcDetailCannotStart(-2147024891), "", True)
    Emit CchcMsgNoPython(CCHC_MISSING_MODULE, "Hướng dẫn", CchcDetailInterpreter("C:\\Users\\Nguyễn\\python.exe"), "", False)
    Emit CchcMsgUnexpected("Xóa đánh dấu", 91, "Object variable or With block variable not set")
    Emit CchcMsgPythonFailed("Tạo báo cáo PDF", "C:\\Users\\Nguyễn\\AppData\\Local\\cchc\\cchc-excel-python.log")
    Emit CchcMsgPythonFailed("Tạo báo cáo PDF", "")
    Emit CchcAction("Kiểm tra số liệu")
    """)
    assert got == [
        "Nút «Kiểm tra số liệu» cần Python, nhưng Excel không tìm thấy Python trên máy này.\n\n"
        + THREE_WAYS.format(third=THIRD_PORTAL.format(portal=portal)),
        "Nút «Tạo báo cáo Word» cần Python, nhưng Excel không tìm thấy Python trên máy này.\n"
        "Không có tệp Python đã cấu hình: C:\\Python311\\python.exe\n\n" + THREE_WAYS.format(third=THIRD_NO_PORTAL),
        "Nút «Tổng hợp nhiều xã» cần Python, nhưng Excel không khởi động được Python. "
        "Thường là do Microsoft Defender chặn Excel mở chương trình khác.\n"
        "Mã lỗi của Windows: -2147024891\n\n" + THREE_WAYS.format(third=THIRD_DISTRICT),
        "Nút «Hướng dẫn» cần Python, nhưng Python trên máy này chưa có chương trình cchc hoặc thư viện xlwings.\n"
        "Python đang dùng: C:\\Users\\Nguyễn\\python.exe\n\n" + THREE_WAYS.format(third=THIRD_NO_PORTAL),
        "Nút «Xóa đánh dấu» gặp lỗi không lường trước trong mã VBA (lỗi 91: Object variable or With block "
        "variable not set).\n\nHãy lưu tệp, đóng rồi mở lại Excel và bấm lại nút. Nếu lỗi lặp lại, gửi nội dung "
        "thông báo này cho cán bộ hỗ trợ.",
        "Nút «Tạo báo cáo PDF» chưa chạy xong: chương trình cchc dừng vì một lỗi.\n\n"
        "Chi tiết kỹ thuật đã ghi vào tệp:\nC:\\Users\\Nguyễn\\AppData\\Local\\cchc\\cchc-excel-python.log\n"
        "Hãy gửi tệp này cho cán bộ hỗ trợ nếu lỗi lặp lại.",
        "Nút «Tạo báo cáo PDF» chưa chạy xong: chương trình cchc dừng vì một lỗi.\n\n"
        "Hãy bấm lại nút; nếu lỗi lặp lại, báo cho cán bộ hỗ trợ.",
        "kiểm tra số liệu",
    ]


def _python_actions() -> dict[str, str]:
    """cchc.excel entry point → the action it names in its messages (@_entry("…"))."""
    src = (ROOT / "addin" / "cchc" / "excel.py").read_text(encoding="utf-8")
    return {fn: action for action, fn in re.findall(r'@_entry\("([^"]+)"[^)]*\)\ndef (\w+)\(', src)}


def _buttons(module: str) -> list[tuple[str, str, str]]:
    """(entry, button label, needs a workbook) of each CchcRun call in a .bas source."""
    src = (BASIC / module).read_text(encoding="utf-8")
    return re.findall(r'buttonName = "([^"]+)"\n    CchcRun "(\w+)\(\)", buttonName, (True|False)', src)


def test_no_workbook_message_is_the_same_from_vba_and_from_python(basic):
    actions = _python_actions()
    buttons = _buttons("CchcMacros.bas") + _buttons("CchcAddin.bas")
    assert len(buttons) == 8 and set(actions) == {entry for _label, entry, _needs in buttons}
    needing = [(label, entry) for label, entry, needs in buttons if needs == "True"]
    assert [e for _l, e in needing] == ["validate", "clear", "report", "pdf", "compare_report"]
    got = basic("\n".join(f"    Emit CchcMsgNoWorkbook(CchcAction({lit(label)}))" for label, _e in needing))
    assert got == [excel.no_workbook_message(actions[entry]) for _l, entry in needing]
    # The buttons say the action the way cchc.excel does: the label, lower-case first letter.
    assert [actions[e] for _l, e in needing] == ["kiểm tra số liệu", "xóa đánh dấu", "tạo báo cáo Word",
                                                 "tạo báo cáo PDF", "so sánh với kỳ trước"]


# ----------------------------------------------------------------------------- Python -> VBA


def _windows_argv(command_line: str) -> list[str]:
    """The argv Windows gives python.exe for the part of a cmd.exe line after the
    interpreter (MSVCRT rules, enough for these lines: spaces split outside quotes, \\" is ")."""
    args, current, quoted, i = [], "", False, 0
    while i < len(command_line):
        ch = command_line[i]
        if ch == "\\" and command_line[i + 1 : i + 2] == '"':
            current += '"'
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == " " and not quoted:
            if current:
                args.append(current)
            current = ""
        else:
            current += ch
        i += 1
    return args + ([current] if current else [])


def _stderr_of(argv: list[str], encoding: str, home: Path) -> tuple[int, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS", "PYTHON"))}
    # What Windows gives a redirected stderr: the ANSI code page, unencodable text escaped.
    env |= {"PYTHONIOENCODING": encoding, "HOME": str(home), "LOCALAPPDATA": str(home)}
    proc = subprocess.run([sys.executable, *argv], capture_output=True, env=env, timeout=120)
    return proc.returncode, proc.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "cp1258"])
def test_what_python_sends_back_survives_the_windows_code_pages(basic, tmp_path, encoding):
    """The launcher's own command line, run with no Excel to reach: cchc.excel writes its
    message as a CCHC-MSG line, which the VBA decodes exactly, Vietnamese log path included."""
    home = tmp_path / "Nguyễn Văn Ánh"
    home.mkdir()
    (line,) = basic(
        '    Emit CchcCommandLine("C:\\Python311\\python.exe", "import cchc.excel; cchc.excel.validate()", '
        '"Quý I năm 2025.xlsm", "C:\\Office16\\Microsoft Excel", "133250", "C:\\Temp\\cchc-1.log", "")'
    )
    after_exe = line.split('"C:\\Python311\\python.exe" ', 1)[1].rsplit(" 2> ", 1)[0]
    argv = _windows_argv(after_exe)
    assert argv == ["-B", "-c", "import cchc.excel; cchc.excel.validate()", "--wb=Quý I năm 2025.xlsm",
                    "--from_xl=1", "--app=C:\\Office16\\Microsoft Excel", "--hwnd=133250"]
    code, raw = _stderr_of(argv, encoding, home)
    assert code != 0
    text = raw.decode(encoding)  # as VBA's ANSI read of the file gives it
    (armoured,) = [ln for ln in text.splitlines() if ln.startswith(MESSAGE_PREFIX)]
    assert armoured.isascii()
    log = home / ".cchc" / "cchc-excel.log"
    expected = message_from(text)
    assert expected.startswith("Không kiểm tra số liệu được: chương trình cchc không kết nối được với Excel.\n\n")
    assert expected.endswith(f"Chi tiết kỹ thuật đã ghi vào tệp:\n{log}\nHãy gửi tệp này cho cán bộ hỗ trợ nếu lỗi lặp lại.")
    assert "Traceback" in log.read_text(encoding="utf-8")
    (got,) = basic(f"    Emit CchcMessageFromPython({lit(text)})")
    assert got == expected


def test_every_entry_point_message_round_trips(basic, tmp_path):
    """All eight buttons' entry points, when Excel cannot be reached, in the two code pages."""
    home = tmp_path / "Trần Thị Ửng"
    home.mkdir()
    entries = list(_python_actions())
    code = "import cchc.excel\n" + "".join(
        f"try:\n    cchc.excel.{e}()\nexcept Exception:\n    pass\n" for e in entries
    )
    texts = []
    for encoding in ("cp1252", "cp1258"):
        _code, raw = _stderr_of(["-B", "-c", code, "--wb=Báo cáo.xlsm", "--from_xl=1", "--hwnd=1"], encoding, home)
        texts += [ln for ln in raw.decode(encoding).splitlines() if ln.startswith(MESSAGE_PREFIX)]
    assert len(texts) == 2 * len(entries) == 16
    expected = [message_from(t) for t in texts]
    for message, action in zip(expected, list(_python_actions().values()) * 2):
        assert message.startswith(f"Không {action} được: chương trình cchc không kết nối được với Excel.")
        assert str(home) in message
    assert basic("\n".join(f"    Emit CchcMessageFromPython({lit(t)})" for t in texts)) == expected


def test_a_python_without_cchc_or_xlwings_is_recognised(basic, tmp_path):
    no_site = ["-S", "-B", "-c", "import cchc.excel; cchc.excel.validate()", "--wb=a.xlsm", "--from_xl=1"]
    _c, without_cchc = _stderr_of(no_site, "cp1258", tmp_path)
    proc = subprocess.run([sys.executable, *no_site], capture_output=True, timeout=120, env={
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONIOENCODING": "cp1258",
        "PYTHONPATH": str(ROOT / "addin"),  # cchc from the sources, and no site-packages: no xlwings
    })
    without_xlwings = proc.stderr
    assert b"No module named 'cchc'" in without_cchc and b"No module named 'xlwings'" in without_xlwings
    got = basic(
        f"    Emit CchcMissingModule({lit(without_cchc.decode('cp1258'))})\n"
        f"    Emit CchcMissingModule({lit(without_xlwings.decode('cp1258'))})\n"
        f"    Emit CchcMissingModule({lit(for_vba('Đã kiểm tra'))})\n"
        f"    Emit CchcMessageFromPython({lit('Warning: nothing for the officer')})"
    )
    assert got == ["cchc", "xlwings", "", ""]


# ----------------------------------------------------------------------------- starting Python


def test_the_command_line_is_xlwings_runpython_s(basic):
    """Compared with ExecuteWindows in xlwings.bas (the exact lines are pinned in
    test_vba_build.py): same pieces, our log file, the workbook's folder not on sys.path."""
    got = basic(r"""
    Emit CchcCommandLine("C:\Program Files\Python311\python.exe", "import cchc.excel; cchc.excel.clear()", "Xã A.xlsm", "C:\Office\Microsoft Excel", "42", "C:\Users\Nguyễn\AppData\Local\Temp\cchc-1.log", "")
    Emit CchcCommandLine("python", "import cchc.excel; cchc.excel.help()", "bao_cao_cchc.xlam", "C:\Office\Microsoft Excel", "42", "C:\Temp\x.log", "")
    Emit CchcCommandLine("\\server\py\pythonw.exe", "import cchc.excel; cchc.excel.pdf()", "b.xlsm", "X", "7", "L", "D:\a&b;E:\c")
    """)
    assert got == [
        'cmd.exe /C C: & cd "C:\\Program Files\\Python311" & "C:\\Program Files\\Python311\\python.exe" -B -c '
        '"import cchc.excel; cchc.excel.clear()" --wb="Xã A.xlsm" --from_xl=1 --app="C:\\Office\\Microsoft Excel" '
        '--hwnd="42" 2> "C:\\Users\\Nguyễn\\AppData\\Local\\Temp\\cchc-1.log" ',
        'cmd.exe /C python -B -c "import cchc.excel; cchc.excel.help()" --wb="bao_cao_cchc.xlam" --from_xl=1 '
        '--app="C:\\Office\\Microsoft Excel" --hwnd="42" 2> "C:\\Temp\\x.log" ',
        'cmd.exe /C pushd "\\\\server\\py" & "\\\\server\\py\\pythonw.exe" -B -c "import xlwings.utils;'
        'xlwings.utils.prepare_sys_path(\\"false;;;;;;D:\\\\a^&b;E:\\\\c\\"); import cchc.excel; cchc.excel.pdf()" '
        '--wb="b.xlsm" --from_xl=1 --app="X" --hwnd="7" 2> "L" ',
    ]


def test_path_candidates_and_bare_commands(basic):
    got = basic(r"""
    Emit CchcPathCandidates("C:\A;;""C:\B C"";  C:\D\  ;", "python")
    Emit CStr(CchcIsBareCommand("python")) & CStr(CchcIsBareCommand("pythonw")) & CStr(CchcIsBareCommand("Python")) & CStr(CchcIsBareCommand("C:\python.exe"))
    Emit CStr(CchcIsAscii("C:\Python311")) & CStr(CchcIsAscii("C:\Phần mềm"))
    """)
    assert got[0] == "C:\\A\\python.exe\nC:\\B C\\python.exe\nC:\\D\\python.exe"
    assert got[1].lower() == "truetruefalsefalse"  # case-sensitive, as in ExecuteWindows
    assert got[2].lower() == "truefalse"


def test_the_config_written_by_excel_setup_is_read_back(basic, tmp_path):
    from cchc.commands.excel_setup import write_interpreter

    conf = tmp_path / "xlwings.conf"
    conf.write_text('"CONDA PATH",""\r\n"interpreter_win","C:\\old\\python.exe"\r\n"PYTHONPATH","C:\\x,y"\r\n',
                    encoding="ascii")
    interpreter = "C:\\Users\\Nguyễn Văn Ánh\\AppData\\Local\\Programs\\Python\\Python311\\python.exe"
    write_interpreter(conf, interpreter)
    text = conf.read_bytes().decode("utf-8")  # what CchcUserConfig reads for a non-ASCII file
    xlwings_style = lit('"INTERPRETER_WIN","C:\\Python311\\python.exe"')  # VBA's Write #
    got = basic(f"""
    Emit CchcConfigValue({lit(text)}, "INTERPRETER_WIN")
    Emit CchcConfigValue({lit(text)}, "pythonpath")
    Emit CchcConfigValue({lit(text)}, "INTERPRETER")
    Emit CchcConfigValue({xlwings_style}, "Interpreter_Win")
    """)
    assert got == [interpreter, "C:\\x,y", "", "C:\\Python311\\python.exe"]


# ----------------------------------------------------------------------------- the docs


def test_the_setup_guide_quotes_the_message_box(basic):
    """docs/excel-setup.md, "Khi máy không có Python", shows what the message box says."""
    doc = (ROOT / "docs" / "excel-setup.md").read_text(encoding="utf-8")
    section = doc.split("## Khi máy không có Python", 1)[1].split("\n## ", 1)[0]
    (quoted,) = re.findall(r"```text\n(.*?)\n```", section, re.S)
    (message,) = basic('    Emit CchcMsgNoPython(CCHC_NOT_FOUND, "Kiểm tra số liệu", "", "", False)')
    assert quoted == message
    # And the portal setting the province fills is named as the workbook names it.
    from cchc.catalogue import load_catalogue

    (field,) = [f for f in load_catalogue("ky").info if f.name == "TT_CONG_NOP"]
    assert "`TT_CONG_NOP`" in section and f"«{field.label}»" in " ".join(section.split())
