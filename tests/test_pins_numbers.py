"""Numbers the Vietnamese way, ratios and ND30 dates: exact results, each limit and one step
either side. Pure functions only: these tests run in milliseconds (scripts/mutation.py runs
them once per planted fault)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from cchc.catalogue import load_catalogue
from cchc.numbers import (NumberParseError, as_int_if_whole, as_number, format_number, format_pct, parse_vn_number,
                          round_half_up)
from cchc.ratios import compute_ratios, ratio
from cchc.vn_dates import day_str, format_date_prose, format_date_ref, month_str, period_phrase

AMBIGUOUS_COMMA = "không rõ dấu phẩy là phần thập phân hay phân cách hàng nghìn"
AMBIGUOUS_DOT = "dấu chấm không rõ nghĩa (theo cách viết Việt Nam, phần thập phân dùng dấu phẩy)"
NOT_A_NUMBER = "không phải một số"


# ============================================================================ parse_vn_number
@pytest.mark.parametrize("text, value", [
    ("2.700", 2700.0),
    ("1.234,5", 1234.5),
    ("1.234.567", 1234567.0),
    ("-2.700", -2700.0),
    ("+2.700", 2700.0),
    ("98,5", 98.5),
    ("0,234", 0.234),       # a leading zero: a decimal, not a thousands separator
    ("1,2345", 1.2345),     # four digits after the comma: a decimal
    ("1234,567", 1234.567),  # four digits before it: a decimal
    ("12", 12.0),
    ("-3", -3.0),
    ("+7", 7.0),
    ("  12  ", 12.0),
    ("1 234", 1234.0),            # a space as the thousands separator
    ("1\u00a0234,5", 1234.5),     # a no-break space, as Excel writes it
    ("1\u202f234", 1234.0),       # a narrow no-break space
    ("12 345 678", 12345678.0),
])
def test_vietnamese_numbers_are_read(text, value):
    assert parse_vn_number(text) == value


@pytest.mark.parametrize("text, why", [
    ("", "ô trống"),
    ("   ", "ô trống"),
    ("\u00a0", "ô trống"),
    ("1,234", AMBIGUOUS_COMMA),
    ("-1,234", AMBIGUOUS_COMMA),
    ("999,999", AMBIGUOUS_COMMA),
    ("2.5", AMBIGUOUS_DOT),
    ("1.2345", AMBIGUOUS_DOT),
    ("-0.5", AMBIGUOUS_DOT),
    ("bảy mươi", NOT_A_NUMBER),
    ("1 2", NOT_A_NUMBER),
    ("12 34", NOT_A_NUMBER),
    ("1.23.456", NOT_A_NUMBER),
    ("12a", NOT_A_NUMBER),
    ("2.700,", NOT_A_NUMBER),
])
def test_unclear_text_is_refused_with_the_reason(text, why):
    with pytest.raises(NumberParseError) as exc:
        parse_vn_number(text)
    assert str(exc.value) == why


def test_a_percent_sign_only_where_a_percentage_is_expected():
    assert parse_vn_number("98,5%", allow_percent=True) == 98.5
    assert parse_vn_number("98,5 %", allow_percent=True) == 98.5
    assert parse_vn_number("100%", allow_percent=True) == 100.0
    assert parse_vn_number("98,5", allow_percent=True) == 98.5
    with pytest.raises(NumberParseError) as exc:
        parse_vn_number("98,5%")
    assert str(exc.value) == "có dấu % ở chỉ tiêu không phải tỷ lệ"
    with pytest.raises(NumberParseError) as exc:
        parse_vn_number("%", allow_percent=True)
    assert str(exc.value) == NOT_A_NUMBER


def test_a_number_error_is_a_value_error():
    assert issubclass(NumberParseError, ValueError)


# ============================================================================ as_int_if_whole
def test_whole_floats_become_ints_below_two_to_the_53():
    assert as_int_if_whole(3.0) == 3 and type(as_int_if_whole(3.0)) is int
    assert as_int_if_whole(-4.0) == -4 and type(as_int_if_whole(-4.0)) is int
    assert as_int_if_whole(0.0) == 0 and type(as_int_if_whole(0.0)) is int
    assert type(as_int_if_whole(float(2**53 - 1))) is int
    assert type(as_int_if_whole(float(2**53))) is float  # exactly at the limit: kept
    assert type(as_int_if_whole(-float(2**53))) is float
    assert as_int_if_whole(2.5) == 2.5
    assert as_int_if_whole(7) == 7 and type(as_int_if_whole(7)) is int


# ============================================================================ format_number
@pytest.mark.parametrize("x, decimals, text", [
    (2700, 2, "2.700"),
    (1234.5, 2, "1.234,5"),
    (1000000, 2, "1.000.000"),
    (-1234.5, 2, "-1.234,5"),
    (98.5914, 2, "98,59"),
    (1.10, 2, "1,1"),
    (100.0, 2, "100"),
    (0, 2, "0"),
    (-0.0, 2, "0"),
    (0.5, 2, "0,5"),     # between 0 and 1: no minus sign
    (0.001, 2, "0"),
    (-0.001, 2, "0"),    # rounds to zero: no minus sign
    (12.34567, 4, "12,3457"),
    (1234.6, 0, "1.235"),
    (-1234.6, 0, "-1.235"),
    (0.4, 0, "0"),
    (7, 0, "7"),
])
def test_numbers_are_printed_the_vietnamese_way(x, decimals, text):
    assert format_number(x, decimals) == text


def test_format_number_default_is_two_decimals():
    assert format_number(2.345678) == "2,35"
    assert format_number(2700.5) == "2.700,5"


@pytest.mark.parametrize("x", [None, math.nan, math.inf, -math.inf])
def test_no_number_prints_nothing(x):
    assert format_number(x) == ""
    assert format_pct(x) == ""


@pytest.mark.parametrize("x, decimals, text", [
    (57.142857, 2, "57,14%"),
    (87.7, 2, "87,70%"),
    (100.0, 2, "100%"),
    (100, 2, "100%"),
    (0, 2, "0%"),
    (99.999, 2, "100%"),
    (0.5, 2, "0,50%"),
    (0.004, 2, "0%"),
    (-0.004, 2, "0%"),
    (1234.5, 2, "1.234,50%"),
    (2700.0, 2, "2.700%"),
    (-5.5, 2, "-5,50%"),
    (57.14, 1, "57,1%"),
    (57.15, 0, "57%"),
    (0.5, 0, "1%"),      # a half rounds up at any number of decimals (not to even)
    (2.5, 0, "3%"),
    (0.25, 1, "0,3%"),
])
def test_percentages_have_two_decimals_unless_whole(x, decimals, text):
    assert format_pct(x, decimals) == text


def test_format_pct_default_is_two_decimals():
    assert format_pct(98.591549) == "98,59%"


# ============================================================================ ratios
@pytest.mark.parametrize("num, den, value", [
    (1, 2, 50.0),
    (3, 4, 75.0),
    (0, 5, 0.0),
    (150, 100, 150.0),
    (5, 1, 500.0),
    (5, -10, -50.0),
    (2.5, 10.0, 25.0),
    (71, 71, 100.0),
])
def test_a_ratio_is_numerator_over_denominator_times_100(num, den, value):
    assert ratio(num, den) == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize("num, den", [
    (1, 0), (0, 0), (5, 0.0),            # a zero denominator: blank, not an error
    (None, 5), (5, None), (None, None),   # a blank side: blank
    (True, 5), (5, True), (False, 5),     # TRUE/FALSE is not a number
    ("5", 10), (5, "10"),                 # text is not a number
])
def test_a_ratio_without_a_usable_denominator_or_numerator_is_blank(num, den):
    assert ratio(num, den) is None


def test_ratios_are_recomputed_for_every_ratio_row_of_every_form():
    cat = load_catalogue("ky")
    ratio_rows = {(r.form, r.code) for r in cat.rows() if r.num and r.den}
    out = compute_ratios(cat, {"3": {"2.3.1": 71, "2.3.2": 70}, "7": {"3.1": 4, "3.2": 0}})
    assert {(f, c) for f, rows in out.items() for c in rows} == ratio_rows
    assert set(out) == {f.id for f in cat.forms}
    assert out["3"]["2.3"] == pytest.approx(70 / 71 * 100)
    assert out["3"]["2.1"] is None
    assert out["7"]["3"] == 0.0
    assert out["1"] == {"2": None, "3.2": None}  # a form absent from the values: all blank


# ============================================================================ ND30 dates
@pytest.mark.parametrize("day, text", [(1, "01"), (7, "07"), (9, "09"), (10, "10"), (15, "15"), (31, "31")])
def test_days_below_ten_take_a_leading_zero(day, text):
    assert day_str(day) == text


@pytest.mark.parametrize("month, text", [(1, "01"), (2, "02"), (3, "3"), (9, "9"), (10, "10"), (12, "12")])
def test_only_january_and_february_take_a_leading_zero(month, text):
    assert month_str(month) == text


def test_dates_in_prose_and_in_references():
    assert format_date_prose(dt.date(2025, 3, 7)) == "ngày 07 tháng 3 năm 2025"
    assert format_date_prose(dt.date(2025, 2, 28)) == "ngày 28 tháng 02 năm 2025"
    assert format_date_prose(dt.date(2024, 12, 11)) == "ngày 11 tháng 12 năm 2024"
    assert format_date_ref(dt.date(2025, 3, 7)) == "07/3/2025"
    assert format_date_ref(dt.date(2025, 1, 16)) == "16/01/2025"
    assert format_date_ref(dt.date(2024, 12, 11)) == "11/12/2024"
    assert format_date_prose(None) == "" and format_date_ref(None) == ""


@pytest.mark.parametrize("period, year, text", [
    ("Quý I", 2025, "Quý I năm 2025"),
    ("Quý  III ", 2025, "Quý III năm 2025"),
    ("9 tháng", 2025, "9 tháng năm 2025"),
    ("6 tháng", 2025, "6 tháng đầu năm 2025"),
    ("6 Tháng", 2025, "6 tháng đầu năm 2025"),
    ("6 tháng", None, "6 tháng đầu năm"),
    ("Năm", 2025, "năm 2025"),
    ("Năm", None, "năm"),
    ("Cả năm", 2025, "năm 2025"),     # the «cả năm» alias
    ("cả  năm", None, "năm"),
    ("Quý I", None, "Quý I"),
    ("", 2025, "năm 2025"),
    ("", None, ""),
    (None, None, ""),
    ("Quý I", 0, "Quý I"),
])
def test_period_phrases(period, year, text):
    assert period_phrase(period, year) == text


# ---------------------------------------------------------------------------------------------- rounding
@pytest.mark.parametrize("x, decimals, r", [
    (90.625, 2, 90.63), (-90.625, 2, -90.63), (2.675, 2, 2.68), (0.125, 2, 0.13), (0.124999, 2, 0.12),
    (1.5, 0, 2.0), (2.5, 0, 3.0), (-2.5, 0, -3.0), (57.142857, 2, 57.14), (98.5915, 3, 98.592), (7, 2, 7),
    (1e15, 2, 1e15), (999999999999999.5, 0, 1e15), (1e15 + 0.5, 0, 1e15 + 0.5),
])
def test_rounding_is_half_away_from_zero_on_the_shortest_decimal_form(x, decimals, r):
    got = round_half_up(x, decimals)
    assert got == r and type(got) is type(r)


def test_rounding_defaults_to_two_decimals_and_leaves_what_has_none():
    assert round_half_up(0.125) == 0.13
    assert round_half_up(math.inf) == math.inf and math.isnan(round_half_up(math.nan))
    assert round_half_up(True, 2) == 1.0 and type(round_half_up(True, 2)) is float
    assert format_number(1.005) == "1,01" and format_pct(90.625) == "90,63%" and format_pct(0.125, 2) == "0,13%"
    assert format_number(2.5, 0) == "3" and format_number(-2.5, 0) == "-3"


@pytest.mark.parametrize("v, n", [(3, 3), (2.5, 2.5), (0, 0), (-1, -1), (True, None), (False, None), ("3", None),
                                  (None, None), (math.nan, None), ([1], None)])
def test_a_value_as_a_number(v, n):
    assert as_number(v) == n and (n is None) == (as_number(v) is None)
