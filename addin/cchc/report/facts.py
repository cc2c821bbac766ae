"""One report's values as the tables print them: what the appendix tables and every generated
sentence share, so a sentence never states a number differently from its table."""

from __future__ import annotations

from cchc.numbers import format_number, format_pct


class Facts:
    """Formatted access to one report's values, shared by the tables and the sentences."""

    def __init__(self, data, catalogue):
        self.data = data
        self.cat = catalogue
        # "Trong Quý I năm 2025" as the seed report writes it; "Trong kỳ" when the period or
        # the year is not known.
        ky, nam = data.info.get("ky"), data.info.get("nam")
        period = catalogue.period(ky) if ky else None
        named = period.named(period.this, nam if isinstance(nam, int) else None) if period else ""
        self.within = f"Trong {named}" if named else "Trong kỳ"

    def raw(self, ref: str):
        form, _, code = ref.partition(":")
        row = self.cat.row(ref)
        if row.type == "ratio":
            return (self.data.ratios.get(form) or {}).get(code)
        return (self.data.values.get(form) or {}).get(code)

    def has(self, *refs: str) -> bool:
        return all(self.raw(r) is not None for r in refs)

    def text(self, ref: str) -> str:
        """The value as the table prints it ("2.700", "98,59%", "Có", "" for blank)."""
        return format_value(self.cat.row(ref), self.raw(ref))

    def label(self, ref: str) -> str:
        return self.cat.row(ref).label


def table_value(row, value) -> str:
    """One cell of the appendix's "Số liệu" column, as the national form prints it: a yes/no or
    choice row by its code ("Có = 1; Không = 0" prints 0), every other row as `format_value`."""
    if row.type in ("flag", "choice") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value)
    return format_value(row, value)


def format_value(row, value) -> str:
    """A value as a sentence states it ("2.700", "98,59%", "Có"; "" for blank)."""
    if value is None or row.type == "group":
        return ""
    if row.type in ("pct", "ratio"):
        return format_pct(value)
    if row.type in ("flag", "choice"):
        try:
            code = int(value)
        except (TypeError, ValueError):
            return str(value)
        label = row.choice_label(code)
        return label or format_number(code)
    return format_number(value)
