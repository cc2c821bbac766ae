"""Run VBA functions in LibreOffice Basic, headless, and read back what they return.

The modules are put in the Standard library of a throw-away LibreOffice profile with
`Option VBASupport 1` (LibreOffice's VBA mode, as it uses for the modules of an imported
.xlsm), together with a driver module whose `Main` calls them. The driver writes every
result as UTF-16 code units (numbers), so nothing depends on how LibreOffice encodes files.

Only plain string functions run meaningfully here (no Excel, no Windows objects), which is
why the buttons' messages and command-line logic live in their own module (CchcText).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

_XLB = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">\n'
    '<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
    'library:readonly="false" library:passwordprotected="false">\n{elements}</library:library>\n'
)
_XBA = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
    '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{name}" '
    'script:language="StarBasic">{code}</script:module>\n'
)

# Appended to the driver: Emit writes one result per line as its code units.
_EMIT = """
Private Sub Emit(ByVal s As String)
    Dim k As Long, line As String
    line = CStr(Len(s)) & ":"
    For k = 1 To Len(s)
        line = line & " " & CStr(AscW(Mid$(s, k, 1)) And &HFFFF&)
    Next k
    Print #OutFile, line
End Sub
"""


def _basic(source: str) -> str:
    """A VBA module's text as a LibreOffice Basic module in VBA mode (no Attribute lines)."""
    lines = [ln for ln in source.replace("\r\n", "\n").split("\n") if not ln.startswith("Attribute VB_")]
    return "Option VBASupport 1\n" + "\n".join(lines)


def _decode(line: str) -> str:
    count, _, codes = line.partition(":")
    units = [int(c) for c in codes.split()]
    assert len(units) == int(count), line
    return b"".join(u.to_bytes(2, "little") for u in units).decode("utf-16-le", "surrogatepass")


def run_basic(soffice: str, work: Path, modules: dict[str, str], body: str, timeout: float = 120) -> list[str]:
    """Run `body` (statements calling `Emit <string expression>`) with `modules` loaded;
    return the emitted strings. Fails when LibreOffice could not compile or run it."""
    profile = work / "profile"
    out = work / "emitted.txt"
    if not profile.exists():
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--terminate_after_init"],
            capture_output=True, timeout=300,
        )
    lib = profile / "user" / "basic" / "Standard"
    if lib.exists():
        shutil.rmtree(lib)
    lib.mkdir(parents=True)
    driver = (
        "Option VBASupport 1\nOption Explicit\nPrivate OutFile As Integer\n\nSub Main\n"
        f'    OutFile = FreeFile\n    Open "{out}" For Output As #OutFile\n'
        f"{body}\n    Close #OutFile\nEnd Sub\n{_EMIT}"
    )
    all_modules = {name: _basic(src) for name, src in modules.items()} | {"CchcTestDriver": driver}
    for name, code in all_modules.items():
        (lib / f"{name}.xba").write_text(_XBA.format(name=name, code=escape(code)), encoding="utf-8")
    elements = "".join(f' <library:element library:name="{n}"/>\n' for n in all_modules)
    (lib / "script.xlb").write_text(_XLB.format(elements=elements), encoding="utf-8")
    (lib / "dialog.xlb").write_text(_XLB.format(elements=""), encoding="utf-8")
    out.unlink(missing_ok=True)
    # A Basic compile or run-time error makes LibreOffice wait on an (invisible) error dialog:
    # stop it, and its children, after a while.
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "macro:///Standard.CchcTestDriver.Main"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        printed, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        printed, _ = proc.communicate()
        raise AssertionError(f"LibreOffice Basic did not finish in {timeout} s (a compile or run-time error?)") from None
    assert out.exists(), f"LibreOffice did not run the driver: {printed}"
    return [_decode(line) for line in out.read_text(encoding="ascii").splitlines()]
