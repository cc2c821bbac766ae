"""Periods across one another, from the catalogue's windows: nesting, what adjacent periods
make up, and how an earlier report is named. A province's own windows change the answers
with no code change."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from cchc.catalogue import load_catalogue, parse_catalogue
from cchc.periods import (
    compared_name,
    contains,
    cover,
    ends_before,
    heading,
    nested_in,
    period_label,
    rollup_blank,
    stock_drop,
    window,
    window_text,
)


@pytest.fixture(scope="module")
def ky():
    return load_catalogue("ky")


def _p(cat, name):
    return cat.period(name)


def test_windows_are_the_catalogue_defaults(ky):
    assert window(_p(ky, "Quý I"), 2025) == (dt.date(2024, 12, 15), dt.date(2025, 3, 14))
    assert window(_p(ky, "Quý III"), 2025) == (dt.date(2025, 6, 15), dt.date(2025, 9, 14))
    assert window(_p(ky, "Năm"), 2025) == (dt.date(2024, 12, 15), dt.date(2025, 12, 14))
    assert window_text(_p(ky, "6 tháng")) == "15/12 năm trước – 14/6"
    assert window_text(_p(ky, "Quý III")) == "15/6 – 14/9"


def test_nesting_follows_the_windows(ky):
    names = {p.name: p for p in ky.periods}
    expected = {
        "Quý I": [],
        "6 tháng": ["Quý I"],
        "Quý III": [],
        "9 tháng": ["Quý I", "6 tháng", "Quý III"],
        "Năm": ["Quý I", "6 tháng", "Quý III", "9 tháng"],
    }
    for outer, inner in expected.items():
        assert [p.name for p in nested_in(ky, names[outer])] == inner, outer
    assert not contains(names["6 tháng"], names["6 tháng"])  # the same window is no earlier period
    assert not contains(names["Quý I"], names["6 tháng"])


def test_cover_finds_the_period_adjacent_windows_make_up(ky):
    six, q3, q1 = _p(ky, "6 tháng"), _p(ky, "Quý III"), _p(ky, "Quý I")
    assert cover(ky, [(q3, "B"), (six, "A")]).period.name == "9 tháng"  # any order
    gap = cover(ky, [(q1, "tệp «Q1»"), (q3, "tệp «Q3»")])
    assert gap.period is None
    assert gap.problem == ("giữa kỳ «Quý I» (15/12 năm trước – 14/3) của tệp «Q1» và kỳ «Quý III» (15/6 – 14/9) "
                           "của tệp «Q3» còn một khoảng không có số liệu")
    overlap = cover(ky, [(q1, "tệp «Q1»"), (six, "tệp «6T»")])
    assert overlap.period is None and "trùng nhau một phần" in overlap.problem
    twice = cover(ky, [(q3, "tệp «a»"), (q3, "tệp «b»")])
    assert twice.period is None and "trùng nhau một phần" in twice.problem


def _with_periods(ky, *periods: tuple[str, tuple[int, int], tuple[int, int]]):
    """The quarterly catalogue with other [[periods]] (a province's own): (name, start, end)."""
    with open(ky.source, "rb") as fh:
        data = tomllib.load(fh)
    data["periods"] = [{"name": n, "this": f"{n} năm {{year}}", "start": list(s), "end": list(e), "next": ""}
                       for n, s, e in periods]
    return parse_catalogue(data, "tinh.toml")


def test_a_province_quarter_ii_makes_new_roll_ups_without_code(ky):
    cat = _with_periods(ky, ("Quý I", (1, 1), (3, 31)), ("Quý II", (4, 1), (6, 30)), ("6 tháng", (1, 1), (6, 30)))
    q1, q2, six = (_p(cat, n) for n in ("Quý I", "Quý II", "6 tháng"))
    assert cover(cat, [(q1, "a"), (q2, "b")]).period.name == "6 tháng"
    assert [p.name for p in nested_in(cat, six)] == ["Quý I", "Quý II"]
    assert compared_name(cat, (six, 2025), (q2, 2025)) == "Quý II năm 2025"
    # One day apart is adjacent; a window ending a day earlier leaves a gap.
    short = _with_periods(ky, ("Quý I", (1, 1), (3, 30)), ("Quý II", (4, 1), (6, 30)), ("6 tháng", (1, 1), (6, 30)))
    assert "khoảng không có số liệu" in cover(short, [(_p(short, "Quý I"), "a"), (_p(short, "Quý II"), "b")]).problem
    # A window starting on the last day of the one before counts that day twice.
    twice = _with_periods(ky, ("Quý I", (1, 1), (3, 31)), ("Quý II", (3, 31), (6, 30)), ("6 tháng", (1, 1), (6, 30)))
    assert "trùng nhau một phần" in cover(twice, [(_p(twice, "Quý I"), "a"), (_p(twice, "Quý II"), "b")]).problem


def test_names_of_earlier_reports(ky):
    q1, six = _p(ky, "Quý I"), _p(ky, "6 tháng")
    assert compared_name(ky, (q1, 2025), (q1, 2024)) == "cùng kỳ năm 2024"
    assert compared_name(ky, (six, 2025), (q1, 2025)) == "Quý I năm 2025"
    assert compared_name(ky, (_p(ky, "Năm"), 2025), (six, 2025)) == "6 tháng đầu năm 2025"
    assert heading("cùng kỳ năm 2024") == "Cùng kỳ năm 2024"
    assert period_label(_p(ky, "Năm"), 2025) == "năm 2025"
    annual = load_catalogue("chi_so")  # no periods: a report is a year; its earlier one is named by its year
    assert compared_name(annual, (None, 2025), (None, 2024)) == "năm 2024"


def test_ends_before_orders_reports_by_the_end_of_their_windows(ky):
    q1, six, year = _p(ky, "Quý I"), _p(ky, "6 tháng"), _p(ky, "Năm")
    assert ends_before((q1, 2025), (six, 2025))
    assert ends_before((year, 2024), (q1, 2025))
    assert not ends_before((q1, 2025), (q1, 2025))
    assert not ends_before((six, 2025), (q1, 2025))
    assert ends_before((None, 2024), (None, 2025)) and not ends_before((None, 2025), (None, 2025))


def test_catalogue_keys_of_the_uses_across_periods(ky):
    assert stock_drop(ky) == 0.5
    assert rollup_blank(ky) == ("so", "ngay_ky")
    assert rollup_blank(load_catalogue("chi_so")) == ()
