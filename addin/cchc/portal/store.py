"""Files in the data folder. Every file is written to a temporary name, flushed to disk
(fsync), then renamed into place; received files get generated names (the sender's file name
is only ever shown, never used as a path) and are never overwritten or deleted.

    <data>/files/<2 hex>/<32 hex>.xlsx   received workbooks, one per upload
    <data>/derived/<submission id>/       marked copy, Word report, PDF (rebuilt if missing)
    <data>/merges/<32 hex>/               the files of one «Tổng hợp»
    <data>/templates/                     blank workbooks, built once per catalogue version
    <data>/tmp/                           uploads on their way in
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import uuid
from pathlib import Path

from django.conf import settings

_STORED = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}\.(xlsx|xlsm|bin)$")
_FOLDER = re.compile(r"^[0-9a-f]{32}$")


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def ensure_dirs() -> None:
    for sub in ("files", "derived", "merges", "templates", "tmp"):
        (data_dir() / sub).mkdir(parents=True, exist_ok=True)


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory; NTFS journals the rename itself
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(target: Path, chunks) -> tuple[int, str]:
    """Write `chunks` (bytes iterable) to `target` atomically; (size, sha256)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~in-", dir=target.parent)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return size, digest.hexdigest()


def save_received(chunks, suffix: str) -> tuple[str, int, str]:
    """Store a received file under a new generated name: (stored name, size, sha256)."""
    suffix = suffix if suffix in (".xlsx", ".xlsm") else ".bin"
    name = uuid.uuid4().hex
    stored = f"{name[:2]}/{name}{suffix}"
    target = data_dir() / "files" / stored
    if target.exists():  # never overwrite (a uuid4 collision would be a first)
        raise FileExistsError(stored)
    size, sha = write_atomic(target, chunks)
    return stored, size, sha


def received_path(stored: str) -> Path:
    if not _STORED.match(stored or ""):
        raise FileNotFoundError(stored)
    return data_dir() / "files" / stored


def derived_dir(submission_id: int) -> Path:
    path = data_dir() / "derived" / str(int(submission_id))
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_merge_folder() -> str:
    name = uuid.uuid4().hex
    (data_dir() / "merges" / name).mkdir(parents=True, exist_ok=False)
    return name


def merge_path(folder: str, filename: str) -> Path:
    if not _FOLDER.match(folder or "") or filename not in ("TONG_HOP.xlsx", "TONG_HOP.docx", "TONG_HOP.json"):
        raise FileNotFoundError(filename)
    return data_dir() / "merges" / folder / filename


def templates_dir() -> Path:
    path = data_dir() / "templates"
    path.mkdir(parents=True, exist_ok=True)
    return path
