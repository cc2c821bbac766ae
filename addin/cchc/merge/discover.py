"""Finding the files to merge: PATHS are files or folders, searched recursively.

Only .xlsx and .xlsm are read; every other file met on the way is listed as skipped, so an
officer sees that the .docx or .pdf a commune sent instead was not forgotten but refused.
Office's lock files ("~$…") and hidden files are ignored silently: they are never reports.
A FIFO or device named like a workbook is listed to be read, and the reader refuses it
(without opening it) with its reason.

The merge's own outputs may lie inside a folder it reads: a consolidated workbook written by an
earlier merge (recognised by its document keywords) is not read back and may be replaced; any
other workbook there is an input, and an output over it is refused.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from cchc.errors import CchcError
from cchc.files import refuse_overwriting, same_file, shown

READ_SUFFIXES = (".xlsx", ".xlsm")
# The document keywords of a consolidated workbook (cchc.merge.workbook writes them).
MERGE_KEYWORDS = "cchc;tong_hop"


def is_consolidated(path: Path) -> bool:
    """True for a workbook written by `cchc merge` (its docProps/core.xml keywords)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/core.xml")
            if info.file_size > 64 * 1024:
                return False
            core = zf.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return False
    return re.search(rb"<cp:keywords>" + re.escape(MERGE_KEYWORDS.encode()) + rb";", core) is not None


def _ignored(p: Path) -> bool:
    return p.name.startswith(("~$", ".~lock.", ".")) or p.name in ("Thumbs.db", "desktop.ini")


def discover(paths: list[str | Path], exclude: set[Path] = frozenset()) -> tuple[list[Path], list[Path]]:
    """(workbooks to read, other files skipped), each sorted by path and without repeats.
    `exclude`: files never to pick up (the merge's own outputs, when written inside a PATH)."""
    found: set[Path] = set()
    skipped: set[Path] = set()
    excluded = {p.resolve() for p in exclude}
    excluded_names = {p.name for p in excluded}
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise CchcError(f"Không tìm thấy «{shown(p)}». Hãy kiểm tra lại đường dẫn.")
        candidates = [p] if not p.is_dir() else (c for c in p.rglob("*") if not c.is_dir())
        for c in candidates:
            if _ignored(c):
                continue
            if c.name in excluded_names and c.resolve() in excluded:
                if c.suffix.lower() in READ_SUFFIXES and not is_consolidated(c):
                    out = next(o for o in exclude if same_file(o, c))
                    refuse_overwriting([out], [c])  # a workbook of a unit: never written over
                continue
            (found if c.suffix.lower() in READ_SUFFIXES else skipped).add(c)
    return sorted(found), sorted(skipped)
