"""Reading and checking one file, in a worker process: path → FileRecord.

Runs the shared interpretation (`cchc.workbook.reader.interpret`, narrative skipped) and the
shared checks (`cchc.checks.run_checks`, which include the reader's findings, so the merged
«Kiểm tra» sheet shows each finding as `cchc check` does), then keeps only what the merge needs
so the record crosses the process boundary cheaply. A file that cannot be
read becomes a record with `error` set; nothing raised here stops the merge.
"""

from __future__ import annotations

import os

from cchc.files import shown
from cchc.findings import Finding
from cchc.merge.records import FileRecord

# General-information fields the merge keeps from each file.
INFO_KEYS = ("don_vi", "ma_dvhc", "cap", "tinh", "ky", "nam", "ngay_ky", "tu_ngay", "den_ngay")


_CACHE: dict[tuple, tuple] = {}


def _key(catalogue) -> tuple:
    return (catalogue.id, catalogue.version, catalogue.source, id(catalogue))


def input_refs(catalogue) -> tuple[tuple[str, str], ...]:
    """(form, code) of every input row, in catalogue order: the layout of FileRecord.values."""
    key = ("refs",) + _key(catalogue)
    if key not in _CACHE:
        _CACHE[key] = tuple((r.form, r.code) for r in catalogue.input_rows())
    return _CACHE[key]


def _catalogue_names(catalogue) -> dict[str, str]:
    """Defined name of each input and ratio cell → its ref ("BM7_3_2" → "7:3.2")."""
    key = ("names",) + _key(catalogue)
    if key not in _CACHE:
        _CACHE[key] = {r.name: r.ref for r in catalogue.rows() if r.is_input or r.type == "ratio"}
    return _CACHE[key]


def _plain(v):
    return v.isoformat() if hasattr(v, "isoformat") else v


def read_one(path: str) -> FileRecord:
    """What the merge needs of one file; a file name that is not valid UTF-8 is kept for
    opening the file and shown with «�» in every output."""
    rec = _read(path)
    rec.path = shown(rec.path)
    if rec.error:
        rec.error = shown(rec.error)
    return rec


def _read(path: str) -> FileRecord:
    from cchc.errors import CchcError
    from cchc.workbook.raw import open_raw
    from cchc.workbook.reader import catalogue_for, interpret

    rec = FileRecord(path=path)
    try:
        st = os.stat(path)
        rec.size, rec.mtime = st.st_size, st.st_mtime
        # The sheets are not scanned before calamine reads them: this runs in a worker whose
        # crash or time-out refuses the file (cchc.merge.pool), and a sheet read is still held
        # to the limits.
        raw = open_raw(path, scan=False)
        cat = catalogue_for(raw)
        data = interpret(raw, cat, narrative=False)
    except CchcError as exc:
        rec.error = exc.message
        return rec
    except MemoryError:
        rec.error = f"Không đọc được tệp «{path}»: tệp cần quá nhiều bộ nhớ (nghi là tệp bất thường)."
        return rec
    except BaseException as exc:  # a file from outside must never stop the merge (a Rust panic too)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        rec.error = f"Không đọc được tệp «{path}»: lỗi không mong đợi ({type(exc).__name__}: {exc})."
        return rec
    rec.kind = data.kind
    rec.catalogue_version = data.catalogue_version
    rec.info = {k: _plain(data.info.get(k)) for k in INFO_KEYS if k in data.info}
    vals = data.values
    rec.values = tuple(vals.get(f, {}).get(c) for f, c in input_refs(cat))
    try:
        rec.findings = _findings(data, cat)
    except Exception as exc:  # a bug in a check must not lose the file's data
        rec.findings = list(data.problems)
        rec.findings.append(Finding("error", "", "", "", "", "merge.checks_failed",
                                    f"Không chạy được phần kiểm tra ({type(exc).__name__}: {exc})."))
    if raw.names:  # compare the workbook's indicator codes with the catalogue's
        have = {n for n in raw.names if n.startswith("BM")}
        want = _catalogue_names(cat)
        rec.missing_codes = tuple(want[n] for n in want if n not in have)
        rec.extra_codes = tuple(sorted(have - want.keys()))
    return rec


def _findings(data, cat) -> list[Finding]:
    from cchc.checks import run_checks

    return run_checks(data, cat)


__all__ = ["read_one", "input_refs", "INFO_KEYS"]
