"""Ratios, recomputed from their numerator and denominator.

A ratio is never read from the file nor averaged: at every level (one commune, or the sum of
many) it is sum(numerators) / sum(denominators) × 100. A blank or zero denominator gives a
blank ratio — not 0, not an error. Rounding happens only when a number is displayed.
"""

from __future__ import annotations

from cchc.catalogue import Catalogue


def ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or isinstance(num, bool) or isinstance(den, bool):
        return None
    if not isinstance(num, (int, float)) or not isinstance(den, (int, float)) or den == 0:
        return None
    return num / den * 100.0


def compute_ratios(cat: Catalogue, values: dict[str, dict[str, float | None]]) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {}
    for form in cat.forms:
        vals = values.get(form.id, {})
        out[form.id] = {
            row.code: ratio(vals.get(row.num), vals.get(row.den)) for row in form.rows if row.type == "ratio"
        }
    return out
