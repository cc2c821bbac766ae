"""Where the report goes: a Windows-safe default name, never over a file open in Word,
written atomically; and the optional PDF through LibreOffice."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(stem: str, suffix: str = ".docx", max_len: int = 150) -> str:
    """A file name valid on Windows: no / \\ : * ? " < > |, no control characters, no
    trailing dots or spaces, not a reserved device name. Diacritics are kept (NFC)."""
    s = unicodedata.normalize("NFC", stem)
    s = _FORBIDDEN.sub(" ", s)
    s = " ".join(s.split())
    s = s[:max_len].rstrip(" .")
    if not s or s.upper().split(".")[0] in _RESERVED:
        s = f"Bao cao {s}".strip(" .") if s else "Bao cao CCHC"
    return s + suffix


def default_report_name(info: dict) -> str:
    """"Báo cáo CCHC Quý I năm 2025 - UBND xã Đưng K'Nớ.docx"."""
    from cchc.vn_dates import period_phrase

    ky = str(info.get("ky") or "").strip()
    nam = info.get("nam")
    period = period_phrase(ky, nam if isinstance(nam, int) else None)
    unit = str(info.get("don_vi") or "").strip()
    stem = "Báo cáo CCHC"
    if period:
        stem += f" {period}"
    if unit:
        stem += f" - {unit}"
    return safe_filename(stem)


def _word_owner_files(path: Path) -> list[Path]:
    """Word's owner ("~$") file names for a document: "~$" replaces the first two characters
    of long names, one of a 7-character stem, none of shorter ones. LibreOffice's lock file
    is ".~lock.<name>#"."""
    name = path.name
    cands = {"~$" + name, "~$" + name[1:], "~$" + name[2:], f".~lock.{name}#"}
    return [path.with_name(c) for c in cands]


def is_locked(path: Path) -> bool:
    """True when the file is open in Word/LibreOffice (owner file present) or cannot be
    opened exclusively for writing (Windows refuses while Word holds it)."""
    if not path.exists():
        return False
    if any(p.exists() for p in _word_owner_files(path)):
        return True
    try:
        with open(path, "r+b"):
            pass
    except PermissionError:
        return True
    except OSError:
        return True
    return False


def free_path(path: Path) -> Path:
    """`path` if it is not locked, else "name (2).docx", "name (3).docx", … the first one that
    is not locked."""
    if not is_locked(path):
        return path
    for i in range(2, 1000):
        cand = path.with_name(f"{path.stem} ({i}){path.suffix}")
        if not is_locked(cand):
            return cand
    raise OSError(f"Không tìm được tên tệp trống cho {path}")


def write_report_file(path: Path, payload: bytes) -> Path:
    """Write the report (atomically, with the usual permissions of a new file), moving to
    "… (n).docx" if the target is open in Word (detected beforehand, or when the final rename
    is refused). Returns the path written."""
    from cchc.atomic import OutputLocked, write_bytes_atomic

    target = free_path(path)
    for _ in range(20):
        try:
            return write_bytes_atomic(target, payload)
        except OutputLocked:
            # Locked between our check and the rename (Windows): take the next name.
            n = 2
            while True:
                cand = path.with_name(f"{path.stem} ({n}){path.suffix}")
                if cand != target and not is_locked(cand):
                    target = cand
                    break
                n += 1
    raise OutputLocked(f"Không ghi được {path}: tệp đang mở trong chương trình khác.")


# ---------------------------------------------------------------------------------------------
# PDF through LibreOffice


def convert_to_pdf(docx: Path) -> Path:
    """docx → pdf beside it (never over a PDF open in a viewer that locks it). Raises
    CchcError, in plain Vietnamese, when LibreOffice is not installed or fails."""
    from cchc.office import convert

    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as outdir:
        produced = convert(docx, "pdf", outdir)
        from cchc.atomic import write_bytes_atomic

        return write_bytes_atomic(free_path(docx.with_suffix(".pdf")), produced.read_bytes())
