"""Column widths of a table after a docxtpl column loop (`{%tc for … %}`) ran.

A column loop leaves a table with more (or fewer) cells per row than its grid has columns.
docxtpl's own repair spreads the table's width evenly over all the columns, which turns the
appendix tables' wide label column as narrow as «STT». Here the grid is rebuilt from the
widths the template gave each cell instead: a looped cell keeps its width, and the widest
column (the label) gives up or takes back the difference, so the table keeps its width. A
table whose rows still match its grid (every table without a column loop, a province's own
template) is left exactly as it is.
"""

from __future__ import annotations

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _span(tc) -> int:
    pr = tc.find(f"{W}tcPr")
    span = pr.find(f"{W}gridSpan") if pr is not None else None
    try:
        return int(span.get(f"{W}val")) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _width(tc) -> int | None:
    """The cell's width in twips, when the template gives it so."""
    pr = tc.find(f"{W}tcPr")
    w = pr.find(f"{W}tcW") if pr is not None else None
    if w is None or w.get(f"{W}type") != "dxa":
        return None
    try:
        return int(w.get(f"{W}w"))
    except (TypeError, ValueError):
        return None


def _set_width(tc, twips: int) -> None:
    pr = tc.find(f"{W}tcPr")
    if pr is None:
        pr = etree.Element(f"{W}tcPr")
        tc.insert(0, pr)
    w = pr.find(f"{W}tcW")
    if w is None:
        w = etree.Element(f"{W}tcW")
        pr.insert(0, w)
    w.set(f"{W}w", str(twips))
    w.set(f"{W}type", "dxa")


def _fitted(widths: list[int], total: int) -> list[int]:
    """`widths` made to add up to `total`: the widest column takes the difference while it keeps
    a fifth of the table; beyond that every column shrinks in proportion."""
    widths = list(widths)
    diff = total - sum(widths)
    i = max(range(len(widths)), key=widths.__getitem__)
    if widths[i] + diff >= total / 5:
        widths[i] += diff
        return widths
    scaled = [w * total // sum(widths) for w in widths]
    scaled[i] += total - sum(scaled)
    return scaled


def fit_looped_tables(root) -> None:
    """Rebuild the grid of every table under `root` whose rows no longer match it."""
    for tbl in root.iter(f"{W}tbl"):
        grid = tbl.find(f"{W}tblGrid")
        rows = tbl.findall(f"{W}tr")
        if grid is None or not rows:
            continue
        cols = grid.findall(f"{W}gridCol")
        spans = [sum(_span(tc) for tc in tr.findall(f"{W}tc")) for tr in rows]
        if max(spans) == len(cols):
            continue
        old = [int(c.get(f"{W}w") or 0) for c in cols]
        tbl_w = tbl.find(f"{W}tblPr/{W}tblW")
        total = int(tbl_w.get(f"{W}w")) if tbl_w is not None and tbl_w.get(f"{W}type") == "dxa" else sum(old)
        plain = [tr.findall(f"{W}tc") for tr in rows]
        plain = [tcs for tcs in plain if all(_span(tc) == 1 and _width(tc) is not None for tc in tcs)]
        reference = max(plain, key=len, default=None)
        n = max(spans)
        if reference is not None and len(reference) == n:
            widths = _fitted([_width(tc) for tc in reference], total)
        else:  # nothing to go by: equal columns
            widths = [total // n] * n
            widths[-1] += total - sum(widths)
        for c in cols:
            grid.remove(c)
        for w in widths:
            etree.SubElement(grid, f"{W}gridCol").set(f"{W}w", str(w))
        for tr in rows:
            k = 0
            for tc in tr.findall(f"{W}tc"):
                s = _span(tc)
                _set_width(tc, sum(widths[k:k + s]))
                k += s


__all__ = ["fit_looped_tables"]
