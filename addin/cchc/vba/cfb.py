"""A small writer and reader for Compound File Binary files ([MS-CFB], version 3).

`vbaProject.bin` is a compound file: a little FAT file system inside one file. olefile
and oletools can read such files but not create them, so the writer lives here. It writes
exactly one layout (512-byte sectors, 64-byte mini sectors for streams under 4096 bytes,
no DIFAT sectors, all timestamps zero) so that the same streams always give the same bytes.
"""

from __future__ import annotations

import struct

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


def _sort_key(name: str):
    # [MS-CFB] 2.6.4: shorter names first, then by upper-cased UTF-16 code units.
    return (len(name.encode("utf-16-le")), name.upper())


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        if len(name) > 31:
            raise ValueError(f"compound file entry names are at most 31 characters: {name!r}")
        self.name, self.kind, self.data = name, kind, data
        self.children: dict[str, _Entry] = {}
        self.left = self.right = self.child = NOSTREAM
        self.color = _BLACK
        self.start, self.size = 0, 0
        self.index = 0


def _build_tree(entry: _Entry) -> None:
    """Link the children of a storage as a balanced red-black tree.

    Children are split at the middle recursively, so every level but the last is full;
    colouring the nodes of an incomplete last level red keeps every path's black count equal.
    """
    kids = sorted(entry.children.values(), key=lambda e: _sort_key(e.name))
    if not kids:
        return
    full_levels = (len(kids) + 1).bit_length() - 1

    def link(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = kids[mid]
        node.color = _BLACK if depth < full_levels else _RED
        node.left = link(lo, mid, depth + 1)
        node.right = link(mid + 1, hi, depth + 1)
        return node.index

    entry.child = link(0, len(kids), 0)
    for kid in kids:
        _build_tree(kid)


def write(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ("STORAGE/.../STREAM" → bytes)."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        node = root
        *dirs, leaf = path.split("/")
        for d in dirs:
            node = node.children.setdefault(d.upper(), _Entry(d, _STORAGE))
        if leaf.upper() in node.children:
            raise ValueError(f"duplicate stream: {path}")
        node.children[leaf.upper()] = _Entry(leaf, _STREAM, bytes(data))

    entries: list[_Entry] = []

    def collect(e: _Entry) -> None:  # depth-first, siblings in sorted order
        e.index = len(entries)
        entries.append(e)
        for kid in sorted(e.children.values(), key=lambda k: _sort_key(k.name)):
            collect(kid)

    collect(root)
    _build_tree(root)

    # Mini stream: small streams, each rounded up to 64-byte mini sectors.
    mini = bytearray()
    minifat: list[int] = []
    big: list[_Entry] = []
    for e in entries:
        if e.kind != _STREAM:
            continue
        e.size = len(e.data)
        if e.size == 0:
            e.start = ENDOFCHAIN
        elif e.size < MINI_CUTOFF:
            e.start = len(minifat)
            n = -(-e.size // MINI_SECTOR)
            minifat += list(range(e.start + 1, e.start + n)) + [ENDOFCHAIN]
            mini += e.data.ljust(n * MINI_SECTOR, b"\0")
        else:
            big.append(e)

    def sectors(nbytes: int) -> int:
        return -(-nbytes // SECTOR)

    n_dir = sectors(len(entries) * 128)
    n_minifat = sectors(len(minifat) * 4)
    n_mini = sectors(len(mini))
    n_big = sum(sectors(e.size) for e in big)
    n_data = n_dir + n_minifat + n_mini + n_big
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_data:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for this writer (needs DIFAT sectors)")

    fat: list[int] = [FATSECT] * n_fat
    body = bytearray()

    def place(data: bytes, count: int) -> int:
        if count == 0:
            return ENDOFCHAIN
        start = len(fat)
        fat.extend(list(range(start + 1, start + count)) + [ENDOFCHAIN])
        body.extend(data.ljust(count * SECTOR, b"\0"))
        return start

    dir_start_index = len(fat)
    fat.extend(list(range(dir_start_index + 1, dir_start_index + n_dir)) + [ENDOFCHAIN])
    dir_placeholder = len(body)
    body.extend(b"\0" * (n_dir * SECTOR))
    minifat_start = place(b"".join(struct.pack("<I", v) for v in minifat), n_minifat)
    root.start = place(bytes(mini), n_mini)
    root.size = len(mini)
    for e in big:
        e.start = place(e.data, sectors(e.size))
    fat.extend([FREESECT] * (n_fat * (SECTOR // 4) - len(fat)))

    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\0\0"
        directory += name.ljust(64, b"\0")
        directory += struct.pack("<HBB", len(name), e.kind, e.color)
        directory += struct.pack("<III", e.left, e.right, e.child)
        directory += b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16  # CLSID, state, times
        start = e.start if e.kind != _STORAGE else 0
        directory += struct.pack("<IQ", start, e.size if e.kind != _STORAGE else 0)
    free = b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
    free += b"\0" * (128 - len(free))
    while len(directory) < n_dir * SECTOR:
        directory += free
    body[dir_placeholder : dir_placeholder + len(directory)] = directory

    header = bytearray(SIGNATURE + b"\0" * 16)
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
    header += b"\0" * 6
    header += struct.pack("<II", 0, n_fat)
    header += struct.pack("<II", dir_start_index, 0)
    header += struct.pack("<I", MINI_CUTOFF)
    header += struct.pack("<II", minifat_start, n_minifat)
    header += struct.pack("<II", ENDOFCHAIN, 0)
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    header += b"".join(struct.pack("<I", v) for v in difat)
    assert len(header) == SECTOR
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    return bytes(header + fat_bytes + body)


def read(data: bytes) -> dict[str, bytes]:
    """All streams of a compound file, as "STORAGE/.../STREAM" → bytes."""
    if data[:8] != SIGNATURE:
        raise ValueError("not a compound file")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 30)
    ssize, msize = 1 << sector_shift, 1 << mini_shift
    n_fat, dir_start = struct.unpack_from("<II", data, 44)[0], struct.unpack_from("<I", data, 48)[0]
    cutoff, minifat_start = struct.unpack_from("<II", data, 56)
    difat_start, n_difat = struct.unpack_from("<II", data, 68)
    fat_sectors = list(struct.unpack_from("<109I", data, 76))
    sec = difat_start
    for _ in range(n_difat):
        vals = struct.unpack_from(f"<{ssize // 4}I", data, ssize * (sec + 1))
        fat_sectors += vals[:-1]
        sec = vals[-1]
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat += struct.unpack_from(f"<{ssize // 4}I", data, ssize * (s + 1))

    def chain(start: int) -> bytes:
        out = bytearray()
        seen = set()
        while start < 0xFFFFFFFA:
            if start in seen:
                raise ValueError("cycle in compound file sector chain")
            seen.add(start)
            out += data[ssize * (start + 1) : ssize * (start + 2)]
            start = fat[start]
        return bytes(out)

    directory = chain(dir_start)
    dirs = []
    for off in range(0, len(directory), 128):
        e = directory[off : off + 128]
        nlen = struct.unpack_from("<H", e, 64)[0]
        name = e[: max(nlen - 2, 0)].decode("utf-16-le")
        kind = e[66]
        left, right, child = struct.unpack_from("<III", e, 68)
        start, size = struct.unpack_from("<IQ", e, 116)
        dirs.append((name, kind, left, right, child, start, size & 0xFFFFFFFF))
    ministream = chain(dirs[0][5])
    minifat_raw = chain(minifat_start) if minifat_start < 0xFFFFFFFA else b""
    minifat = list(struct.unpack(f"<{len(minifat_raw) // 4}I", minifat_raw))

    def mini_chain(start: int) -> bytes:
        out = bytearray()
        while start < 0xFFFFFFFA:
            out += ministream[msize * start : msize * (start + 1)]
            start = minifat[start]
        return bytes(out)

    result: dict[str, bytes] = {}

    def walk(index: int, prefix: str) -> None:
        if index == NOSTREAM:
            return
        name, kind, left, right, child, start, size = dirs[index]
        walk(left, prefix)
        walk(right, prefix)
        if kind == _STREAM:
            blob = mini_chain(start) if size < cutoff else chain(start)
            result[prefix + name] = blob[:size]
        elif kind == _STORAGE:
            walk(child, prefix + name + "/")

    walk(dirs[0][4], "")
    return result
