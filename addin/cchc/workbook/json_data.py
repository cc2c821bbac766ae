"""A report's data from its JSON (what `cchc export` prints, or the `--json` of `cchc merge`):
stored values read back as ReportData, so the cross-period uses (comparison, checks) work on
a stored export as on a workbook, e.g. in the portal.

The JSON comes from outside: only the shape of `cchc export` is taken, values must be numbers
or null, unknown forms and codes are left out (a later catalogue version may have added rows),
and the ratios are recomputed from the values, never read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cchc.catalogue import Catalogue, load_catalogue
from cchc.errors import CchcError
from cchc.files import read_json_object
from cchc.model import ReportData
from cchc.numbers import as_number
from cchc.ratios import compute_ratios
from cchc.registry import default_kind
from cchc.workbook.values import read_date

MAX_BYTES = 50 * 1024 * 1024  # a merge of a whole province is a few MB


def read_json_file(path: str | Path) -> dict[str, Any]:
    """A report's JSON from a file from outside, read as every input is (cchc.files)."""
    return read_json_object(path, "tệp số liệu báo cáo", max_bytes=MAX_BYTES,
                            hint="cần tệp do «cchc export» hoặc «cchc merge --json» ghi ra")


def data_from_json(obj: dict[str, Any], source: str = "") -> tuple[ReportData, Catalogue]:
    """The ReportData (and its catalogue) of a report's JSON."""
    if not isinstance(obj, dict):
        raise CchcError("Số liệu báo cáo phải là một đối tượng JSON (như «cchc export» ghi ra).")
    kind = obj.get("kind") or default_kind().id
    catalogue = load_catalogue(str(kind))
    src = source or str(obj.get("source") or "")
    data = ReportData(source=src, kind=catalogue.id,
                      catalogue_version=str(obj.get("catalogue_version") or ""),
                      template_version=str(obj.get("template_version") or ""))
    info = obj.get("info") if isinstance(obj.get("info"), dict) else {}
    for f in catalogue.info:
        v = info.get(f.key)
        if f.type == "list":
            v = [str(x) for x in v] if isinstance(v, list) else ([] if v is None else [str(v)])
        elif f.type == "date" and v is not None:
            day, why = read_date(v)
            v = v if why else day  # kept as given when not a date: the checks point at it
        elif f.type == "int":
            v = v if isinstance(v, int) and not isinstance(v, bool) else None
        data.info[f.key] = v
    raw_values = obj.get("values") if isinstance(obj.get("values"), dict) else {}
    raw_notes = obj.get("notes") if isinstance(obj.get("notes"), dict) else {}
    for form in catalogue.forms:
        given = raw_values.get(form.id) if isinstance(raw_values.get(form.id), dict) else {}
        notes = raw_notes.get(form.id) if isinstance(raw_notes.get(form.id), dict) else {}
        data.values[form.id] = {r.code: as_number(given.get(r.code)) for r in form.rows if r.is_input}
        kept = {r.code: str(notes[r.code]) for r in form.rows if isinstance(notes.get(r.code), str) and notes[r.code]}
        if kept:
            data.notes[form.id] = kept
    data.ratios = compute_ratios(catalogue, data.values)
    if obj.get("merge") is True:  # the totals of a merge (cchc merge --json), not one unit's report
        data.extra["merge"] = True
    keys = {s.key for s in catalogue.sections}
    for key, target, kind in (("narrative", data.narrative, str), ("auto_sentences", data.auto_sentences, bool)):
        given = obj.get(key) if isinstance(obj.get(key), dict) else {}
        target.update({k: v for k, v in given.items() if k in keys and isinstance(v, kind)})
    return data, catalogue


__all__ = ["data_from_json", "read_json_file"]
