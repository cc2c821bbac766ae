"""Compare two built macro workbooks member by member (for the up-to-date check)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_TIMESTAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        out = {i.filename: zf.read(i) for i in zf.infolist()}
    if "docProps/core.xml" in out:
        out["docProps/core.xml"] = _TIMESTAMPS.sub(b"", out["docProps/core.xml"])
    return out


def differences(a: str | Path, b: str | Path) -> list[str]:
    """Names of the zip members that differ (timestamps in docProps/core.xml ignored)."""
    ma, mb = _members(Path(a)), _members(Path(b))
    return sorted(n for n in ma.keys() | mb.keys() if ma.get(n) != mb.get(n))
