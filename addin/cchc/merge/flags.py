"""Which unit values the checks found wrong, by indicator: what the merge leaves out of its
rankings, its lowest and highest values and its band counts, and says why.

A value is wrong for an indicator when an error of that unit's checks is about it: the
finding's own indicator or one its message compares (448 dossiers on time of 443 resolved is
an error about 3:2.3.2 and 3:2.3.1). A ratio is wrong when its numerator or its denominator
is (448/443 = 101,13% for 3:2.3). Warnings never exclude a value.
"""

from __future__ import annotations

from cchc.catalogue import Catalogue
from cchc.findings import Finding

# {indicator ref: {unit id: the first error about it}}
ValueErrors = dict[str, dict[str, Finding]]


def value_errors(catalogue: Catalogue, units) -> ValueErrors:
    """The errors of the merged `units`, by the indicator they make wrong."""
    known = {r.ref for r in catalogue.rows()}
    out: ValueErrors = {}
    for u in units:
        for f in u.merged.findings:
            if f.severity != "error":
                continue
            refs = {f.ref} | {k for k in f.values if k in known}
            for ref in refs & known:
                out.setdefault(ref, {}).setdefault(u.id, f)
    for row in catalogue.rows():
        if row.type != "ratio":
            continue
        for part in (f"{row.form}:{row.num}", f"{row.form}:{row.den}"):
            for uid, f in out.get(part, {}).items():
                out.setdefault(row.ref, {}).setdefault(uid, f)
    return out
