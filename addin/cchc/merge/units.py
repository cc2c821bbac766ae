"""Who should report: the --units list, and matching a file to its unit.

The 5-digit administrative code is the key. Names are a fallback, compared with the keys of
cchc.workbook.unit_names (case, apostrophes, tone-mark placement, the "UBND" prefix). Matching goes from
strict to loose and stops at the first unique hit: with tones; with tones but without the
level word ("xã", "phường", …); then folded without any diacritics
(`cchc.workbook.values.fold`), with and without the level word. An ambiguous name is never
guessed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cchc.errors import CchcError
from cchc.merge.records import Unit
from cchc.workbook.unit_names import name_keys, norm_code
from cchc.workbook.values import fold


def unit_id(code: str | None, name: str) -> str:
    """The unit's key in the merge: its code, else "ten:" and its folded name."""
    return code if code else "ten:" + name_keys(name)[2]


def _decode(data: bytes, path: Path) -> str:
    for enc in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise CchcError(f"Không đọc được danh sách đơn vị «{path}»: hãy lưu dạng CSV UTF-8.")


_HEADERS = {
    "code": {"code", "ma", "ma dvhc", "ma_dvhc", "ma don vi", "ma don vi hanh chinh"},
    "name": {"name", "ten", "ten don vi", "don vi", "don_vi"},
    "group": {"group", "nhom", "huyen cu", "huyen", "khu vuc"},
}


# A province's list of communes is a few hundred lines.
MAX_UNITS_BYTES = 5 * 1024 * 1024


def read_units_csv(path: str | Path) -> list[Unit]:
    """Expected units from a CSV: code, name and optionally a group (e.g. the old district).
    A header row is optional; the delimiter may be "," or ";" (Excel in Vietnamese locale)."""
    from cchc.files import read_input

    path = Path(path)
    text = _decode(read_input(path, "danh sách đơn vị", max_bytes=MAX_UNITS_BYTES), path)
    sample = text[:4096]
    delim = ";" if sample.count(";") > sample.count(",") else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delim) if any(c.strip() for c in r)]
    if not rows:
        raise CchcError(f"Danh sách đơn vị «{path}» không có dòng nào.")
    cols = {"code": 0, "name": 1, "group": 2}
    head = [fold(c).replace("_", " ") for c in rows[0]]
    if norm_code(rows[0][0]) is None:  # a header row
        found = {}
        for key, names in _HEADERS.items():
            for i, h in enumerate(head):
                if h in names or h.replace(" ", "_") in names:
                    found[key] = i
                    break
        if "code" not in found or "name" not in found:
            raise CchcError(
                f"Danh sách đơn vị «{path}»: dòng tiêu đề cần có cột mã (ma/code) và tên (ten/name); "
                f"đang có: {', '.join(rows[0])}."
            )
        cols = {"code": found["code"], "name": found["name"], "group": found.get("group", -1)}
        rows = rows[1:]
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for n, r in enumerate(rows, start=2):
        def cell(key):
            i = cols[key]
            return r[i].strip() if 0 <= i < len(r) else ""

        raw_code, name = cell("code"), cell("name")
        code = norm_code(raw_code) if raw_code else None
        if raw_code and code is None:
            raise CchcError(f"Danh sách đơn vị «{path}», dòng {n}: mã «{raw_code}» không phải mã 5 chữ số.")
        if not code and not name:
            raise CchcError(f"Danh sách đơn vị «{path}», dòng {n}: thiếu cả mã và tên đơn vị.")
        uid = unit_id(code, name)
        if uid in seen:
            raise CchcError(f"Danh sách đơn vị «{path}»: đơn vị «{code or name}» có hai lần (dòng {seen[uid]} và {n}).")
        seen[uid] = n
        units.append(Unit(id=uid, code=code, name=name, group=cell("group"), expected=True))
    return units


class UnitIndex:
    """Find the unit a file belongs to: by code, then by name (strictest unique match wins)."""

    def __init__(self, units: list[Unit]):
        self.units: list[Unit] = []
        self.by_id: dict[str, Unit] = {}
        self.by_code: dict[str, Unit] = {}
        self.by_key: tuple[dict[str, list[Unit]], ...] = ({}, {}, {}, {})
        for u in units:
            self.add(u)

    def find(self, code: str | None, name: str) -> Unit | None:
        if code and code in self.by_code:
            return self.by_code[code]
        if code and self.by_code:
            return None  # a code the list does not know: never matched on the name alone
        for index, key in zip(self.by_key, name_keys(name)):
            hits = index.get(key, []) if key else []
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                return None  # ambiguous: do not guess
        return None

    def add(self, unit: Unit) -> Unit:
        self.units.append(unit)
        self.by_id[unit.id] = unit
        if unit.code:
            self.by_code[unit.code] = unit
        for index, key in zip(self.by_key, name_keys(unit.name)):
            if key:
                index.setdefault(key, []).append(unit)
        return unit


def sort_key(unit: Unit) -> tuple:
    """Stable output order: by administrative code, then name (units without a code last)."""
    return (unit.code is None, unit.code or "", fold(unit.name), unit.id)
