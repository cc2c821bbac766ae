"""LibreOffice, headless: converting documents (docx → pdf, xlsx → recalculated xlsx).

Used by `cchc report --pdf` and by the tests. Each call gets its own throw-away user profile,
so conversions can run side by side and never collide with an officer's open LibreOffice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cchc.errors import CchcError

_CANDIDATES = (
    "soffice",
    "libreoffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


def find_soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    override = os.environ.get("CCHC_SOFFICE")
    if override:
        return override if Path(override).exists() or shutil.which(override) else None
    for name in _CANDIDATES:
        found = shutil.which(name) or (name if Path(name).is_file() else None)
        if found:
            return found
    return None


def convert(src: str | Path, fmt: str, outdir: str | Path, *, timeout: float = 180) -> Path:
    """Convert `src` with LibreOffice to `fmt` ("pdf", "xlsx", …) into `outdir`; return the new file.

    Raise CchcError in Vietnamese when LibreOffice is missing or the conversion fails.
    """
    return convert_all([src], fmt, outdir, timeout=timeout)[0]


def convert_all(sources, fmt: str, outdir: str | Path, *, timeout: float = 600) -> list[Path]:
    """Convert several files in one LibreOffice process (it starts once: ~2 s saved per file);
    return the new files in the order of `sources`. Raise CchcError when any is missing."""
    soffice = find_soffice()
    if soffice is None:
        raise CchcError(
            "Máy này chưa cài LibreOffice nên không chuyển được sang PDF. "
            "Hãy cài LibreOffice (miễn phí) hoặc mở tệp Word rồi chọn Lưu thành PDF."
        )
    sources = [Path(s).resolve() for s in sources]
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            names = ", ".join(s.name for s in sources[:3]) + (" …" if len(sources) > 3 else "")
            raise CchcError(f"LibreOffice không chuyển xong tệp «{names}» sau {int(timeout)} giây.") from None
    outs = [outdir / (src.stem + "." + fmt.split(":")[0]) for src in sources]
    for src, out in zip(sources, outs):
        if proc.returncode != 0 or not out.exists():
            detail = (proc.stderr or proc.stdout or "").strip().splitlines()[-1:] or [""]
            raise CchcError(f"LibreOffice không chuyển được tệp «{src.name}» sang {fmt}. {detail[0]}".strip())
    return outs
