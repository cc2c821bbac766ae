"""--json: the merge for other systems, in the shape of `cchc export` plus summaries.

    {
      "kind": "ky", "catalogue_version": "2025.1", "merge": true,
      "info": {"ky": "Quý I", "nam": 2025, "so_don_vi_phai_nop": 92,
               "so_don_vi_da_nop": 91,          # sent a file, merged or not
               "so_don_vi_tong_hop": 90,        # merged
               "ty_le_nop": 98.91, "ty_le_tong_hop": 97.83},
      "values":    {"3": {"2.3.1": 6543, ...}, ...},   # every input row as the catalogue aggregates
                                                        # it: the sum or the mean; null for none,
                                                        # flags and choices (see summaries)
      "ratios":    {"3": {"2.3": 98.1, ...}, ...},      # recomputed from the summed num and den
      "summaries": {"4:1.1": {"type": "pct", "aggregate": "mean", "n": 57, "mean": 81.2,
                              "min": 40, "max": 100, "excluded": 0},
                    "1:5":   {"type": "flag", "aggregate": "count", "n": 92, "yes": 45, "no": 47},
                    "1:5.2": {"type": "choice", "aggregate": "count", "n": 45,
                              "counts": {"0": 10, "1": 20, "2": 15}},
                    "3:1": {"type": "count", "aggregate": "mean", "n": 90, "mean": 173.1, …},
                    "3:2.3.1": {"type": "count", "aggregate": "sum", "n": 90, "sum": 6543,
                                "min": 12, "max": 410, "excluded": 1},
                    "3:2.3": {"type": "ratio", "aggregate": "ratio", "num": 6420, "den": 6543,
                              "value": 98.1, "n": 90, "min": 81.2, "max": 100, "excluded": 1}, ...},
                   # min, max: of the units' own values, leaving out the `excluded` units whose
                   # value the checks found wrong
      "ranking": {"3:2.3": {"province": 98.1,
                            "ranked": [{"unit": "05014", "don_vi": "…", "rank": 1, "value": 100.0,
                                        "num": 71, "den": 71}, …],
                            "not_ranked": [{"unit": "…", "don_vi": "…", "value": 101.13,
                                            "reason": "BM3 mục 2.3.2 … lớn hơn …"}, …]}},
      "units": [{"id": "05014", "ma_dvhc": "05014", "don_vi": "…", "nhom": "…", "expected": true,
                 "status": "submitted", "status_label": "Đã nộp, đã tổng hợp",
                 "files": [{"path": "…", "status": "merged", "status_label": "…", "reason": "",
                            "ky": "Quý I", "nam": 2025, "errors": 0, "warnings": 2}]}],
      "files": [... every file met, same fields, with "unit": id or null ...],
      "tables": {"<key>": {"title", "columns", "rows", "note"}}     # from the kind module
    }

Unrounded numbers; blanks are null.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cchc.atomic import atomic_write
from cchc.findings import json_text


def _file_json(f) -> dict[str, Any]:
    return {
        "path": f.path,
        "unit": f.unit_id or None,
        "status": f.state,
        "status_label": f.state_label,
        "reason": f.reason,
        "ky": f.info.get("ky"),
        "nam": f.info.get("nam"),
        "don_vi": f.info.get("don_vi"),
        "ma_dvhc": f.info.get("ma_dvhc"),
        "catalogue_version": f.catalogue_version or None,
        "errors": f.errors if not f.error else None,
        "warnings": f.warnings if not f.error else None,
        "findings": [x.to_json() for x in f.findings],
    }


def _place(p) -> dict[str, Any]:
    out = {"unit": p.unit.id, "don_vi": p.unit.name, "value": p.value, "num": p.num, "den": p.den}
    if p.rank is not None:
        out["rank"] = p.rank
    else:
        out["reason"] = p.reason
    return out


def to_json(result) -> dict[str, Any]:
    out = _to_json(result)
    if result.comparison:  # --compare: the earlier merges' values and the changes, row by row
        out["so_sanh"] = result.comparison.to_json()
    return out


def _to_json(result) -> dict[str, Any]:
    done, expected = result.reporting
    totals = result.totals
    info = dict(result.plan.period)
    sent = result.submitted[0]
    info.update({
        "so_don_vi_tong_hop": len(result.merged_units),
        "so_don_vi_phai_nop": expected,
        "so_don_vi_da_nop": sent,
        "ty_le_nop": sent / expected * 100 if expected else None,
        "ty_le_tong_hop": done / expected * 100 if expected else None,
        "ky_xac_dinh_theo": "tham số" if result.plan.period_chosen_by == "options" else "đa số tệp",
    })
    return {
        "kind": result.catalogue.id,
        "catalogue_version": result.catalogue.version,
        "merge": True,
        "info": info,
        "values": totals.values,
        "ratios": totals.ratios,
        "summaries": totals.summaries,
        "ranking": {r.ref: {"province": r.province,
                            "ranked": [_place(p) for p in r.ranked],
                            "not_ranked": [_place(p) for p in r.not_ranked]} for r in result.rankings},
        "units": [
            {
                "id": u.id,
                "ma_dvhc": u.code,
                "don_vi": u.name,
                "nhom": u.group or None,
                "expected": u.expected,
                "status": u.state,
                "status_label": u.state_label,
                "files": [_file_json(f) for f in u.files],
            }
            for u in result.units
        ],
        "files": [_file_json(f) for f in result.files],
        "tables": {t.key: t.to_json() for t in result.tables},
    }


def write_json(result, out: str | Path) -> Path:
    text = json_text(to_json(result))
    with atomic_write(out) as tmp:
        Path(tmp).write_text(text + "\n", encoding="utf-8")
    return Path(out)
