"""The bar chart of the report: percentage of its maximum achieved by each PAR Index field.

matplotlib is imported here only, when a report is made (it is heavy, and nothing else in cchc
needs it). Everything on the chart is a percentage of a maximum: the bars, the axis, the dashed
line of the overall percentage (total / maximum total) and the legend; the points stand in
brackets beside each bar ("50% (5/10 điểm)"). The rating bands rate the total only unless the
catalogue says they rate each field too (`rating_applies_to`): so a bar is coloured by whether
the field is below the overall percentage, not by a band no rule gives a field ("Yếu" for 5/10).
Labels use the Vietnamese decimal comma. The PNG is deterministic (no timestamp in its
metadata), so the same data gives the same bytes.
"""

from __future__ import annotations

import io

from cchc.kinds.chi_so.analysis import Analysis
from cchc.kinds.chi_so.text import pct
from cchc.numbers import format_number

# Band colours from the highest band down; more bands reuse the last colours.
_BAND_COLOURS = ("#2e7d32", "#1565c0", "#ef8f00", "#c62828", "#6d4c41", "#455a64")
# Fields at or above the overall percentage, and below it.
_AT_OR_ABOVE, _BELOW = "#1565c0", "#ef8f00"
AT_OR_ABOVE_LABEL = "Từ tỷ lệ chung trở lên"
BELOW_LABEL = "Dưới tỷ lệ chung"


def legend(a: Analysis) -> list[tuple[str, str]]:
    """(label, colour) of the legend's boxes: each class of bar once; the dashed line of the
    overall percentage is added by the chart."""
    shown = list(dict.fromkeys(bar_classes(a)))
    if a.scheme.rates_fields:
        order = {b.name: i for i, b in enumerate(a.scheme.bands)}
        shown.sort(key=lambda c: order[c[0]])
    return shown


def bar_classes(a: Analysis) -> list[tuple[str, str]]:
    """(legend label, colour) of each scored field's bar, in field order."""
    fields = [f for f in a.fields if f.pct is not None]
    if a.scheme.rates_fields:
        colour = {b.name: _BAND_COLOURS[min(i, len(_BAND_COLOURS) - 1)] for i, b in enumerate(a.scheme.bands)}
        return [(a.scheme.rating(f.pct), colour[a.scheme.rating(f.pct)]) for f in fields]
    overall = a.total_pct
    return [(BELOW_LABEL, _BELOW) if overall is not None and f.pct < overall - 1e-9 else (AT_OR_ABOVE_LABEL, _AT_OR_ABOVE)
            for f in fields]
_SERIF = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]


def _wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "\n".join(lines)


def _font_family(text: str) -> str:
    """The first serif family whose font file (as matplotlib resolves it) has every character
    of `text`: Times New Roman on Windows; DejaVu Serif (shipped with matplotlib) otherwise.
    Some Linux "Liberation Serif" files lack the Vietnamese letters (ỷ, ệ, ư …)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    needed = {ord(ch) for ch in text if not ch.isspace()}
    for name in _SERIF:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=name),
                                         fallback_to_default=False)
            if needed <= set(FT2Font(path).get_charmap()):
                return name
        except (ValueError, RuntimeError, OSError):
            continue
    return "DejaVu Serif"


def chart_png(a: Analysis, *, dpi: int = 200) -> bytes | None:
    """PNG bytes, or None when no field has a score."""
    fields = [f for f in a.fields if f.pct is not None]
    if not fields:
        return None
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    names = [_wrap(f"{f.code}. {f.short}") for f in fields]
    family = _font_family("".join(names) + "".join(b.name for b in a.scheme.bands) + AT_OR_ABOVE_LABEL
                          + BELOW_LABEL + "Tỷ lệ điểm đạt được so với điểm tối đa của lĩnh vực chung 0123456789,/()%")
    classes = bar_classes(a)

    with plt.rc_context({"font.family": family, "font.size": 10, "svg.hashsalt": "cchc"}):
        height = 0.55 * len(fields) + 1.6
        fig, ax = plt.subplots(figsize=(6.5, height), dpi=dpi)
        values = [f.pct for f in fields]
        ys = list(range(len(fields)))[::-1]  # first field at the top
        ax.barh(ys, values, height=0.62, color=[c for _, c in classes], edgecolor="none")
        for y, f in zip(ys, fields):
            label = f"{pct(f.pct)} ({format_number(f.score)}/{format_number(f.max)} điểm)"
            inside = f.pct >= 80
            ax.text(f.pct - 1.5 if inside else f.pct + 1.5, y, label, va="center",
                    ha="right" if inside else "left", fontsize=9,
                    color="white" if inside else "black", clip_on=False,
                    bbox=None if inside else dict(facecolor="white", edgecolor="none", pad=1.0))
        ax.set_yticks(ys, names, fontsize=9)
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)], fontsize=9)
        ax.set_xlabel("Tỷ lệ điểm đạt được so với điểm tối đa của lĩnh vực", fontsize=9)
        overall = a.total_pct
        handles = [Patch(color=c, label=name) for name, c in legend(a)]
        if overall is not None:
            ax.axvline(overall, color="#424242", linestyle="--", linewidth=1)
            handles.append(plt.Line2D([0], [0], color="#424242", linestyle="--",
                                      label=f"Tỷ lệ chung: {pct(overall)}"))
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                  ncol=len(handles), frameon=False, fontsize=9, handlelength=1.2,
                  columnspacing=1.2)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
        plt.close(fig)
    return buf.getvalue()
