"""Finding the files to merge: PATHS are files or folders, searched recursively.

Only .xlsx and .xlsm are read; every other file met on the way is listed as skipped, so an
officer sees that the .docx or .pdf a commune sent instead was not forgotten but refused.
Office's lock files ("~$…") and hidden files are ignored silently: they are never reports.
"""

from __future__ import annotations

from pathlib import Path

from cchc.errors import CchcError

READ_SUFFIXES = (".xlsx", ".xlsm")


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
            raise CchcError(f"Không tìm thấy «{p}». Hãy kiểm tra lại đường dẫn.")
        candidates = [p] if p.is_file() else (c for c in p.rglob("*") if c.is_file())
        for c in candidates:
            if _ignored(c) or (c.name in excluded_names and c.resolve() in excluded):
                continue
            (found if c.suffix.lower() in READ_SUFFIXES else skipped).add(c)
    return sorted(found), sorted(skipped)
