"""The bar chart of the report: percentage of its maximum achieved by each PAR Index field.

matplotlib is imported here only, when a report is made (it is heavy, and nothing else in cchc
needs it). Bars are coloured by the rating band their percentage falls in; a dashed line marks
the overall percentage (total / maximum total). Labels use the Vietnamese decimal comma.
The PNG is deterministic (no timestamp in its metadata), so the same data gives the same bytes.
"""

from __future__ import annotations

import io

from cchc.kinds.chi_so.analysis import Analysis
from cchc.kinds.chi_so.text import pct
from cchc.numbers import format_number

# Band colours from the highest band down; more bands reuse the last colours.
_BAND_COLOURS = ("#2e7d32", "#1565c0", "#ef8f00", "#c62828", "#6d4c41", "#455a64")
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
    family = _font_family("".join(names) + "".join(b.name for b in a.scheme.bands)
                          + "Tỷ lệ điểm đạt được so với điểm tối đa của lĩnh vực Chung 0123456789,/()%")
    bands = a.scheme.bands
    colour = {b.name: _BAND_COLOURS[min(i, len(_BAND_COLOURS) - 1)] for i, b in enumerate(bands)}

    with plt.rc_context({"font.family": family, "font.size": 10, "svg.hashsalt": "cchc"}):
        height = 0.55 * len(fields) + 1.6
        fig, ax = plt.subplots(figsize=(6.5, height), dpi=dpi)
        values = [f.pct for f in fields]
        ys = list(range(len(fields)))[::-1]  # first field at the top
        ax.barh(ys, values, height=0.62,
                color=[colour[a.scheme.rating(v)] for v in values], edgecolor="none")
        for y, f in zip(ys, fields):
            label = f"{format_number(f.score)}/{format_number(f.max)} ({pct(f.pct)})"
            inside = f.pct >= 88
            ax.text(f.pct - 1.5 if inside else f.pct + 1.5, y, label, va="center",
                    ha="right" if inside else "left", fontsize=9,
                    color="white" if inside else "black", clip_on=False,
                    bbox=None if inside else dict(facecolor="white", edgecolor="none", pad=1.0))
        ax.set_yticks(ys, names, fontsize=9)
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)], fontsize=9)
        ax.set_xlabel("Tỷ lệ điểm đạt được so với điểm tối đa của lĩnh vực", fontsize=9)
        overall = a.total_pct
        handles = [Patch(color=colour[b.name], label=b.name) for b in bands]
        if overall is not None:
            ax.axvline(overall, color="#424242", linestyle="--", linewidth=1)
            handles.append(plt.Line2D([0], [0], color="#424242", linestyle="--",
                                      label=f"Chung: {pct(overall)}"))
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
