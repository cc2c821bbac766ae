"""Dates as Nghị định 30/2020 writes them, and period names in titles."""

import datetime as dt

from cchc.vn_dates import format_date_prose, format_date_ref, period_phrase


def test_prose_and_reference_dates_pad_day_and_only_january_february():
    assert format_date_prose(dt.date(2025, 3, 7)) == "ngày 07 tháng 3 năm 2025"
    assert format_date_prose(dt.date(2025, 1, 16)) == "ngày 16 tháng 01 năm 2025"
    assert format_date_prose(dt.date(2025, 12, 31)) == "ngày 31 tháng 12 năm 2025"
    assert format_date_ref(dt.date(2025, 3, 7)) == "07/3/2025"
    assert format_date_ref(dt.date(2025, 2, 1)) == "01/02/2025"
    assert format_date_ref(dt.date(2024, 12, 11)) == "11/12/2024"
    assert format_date_prose(None) == format_date_ref(None) == ""


def test_period_phrases():
    assert period_phrase("Quý I", 2025) == "Quý I năm 2025"
    assert period_phrase("Quý III", 2025) == "Quý III năm 2025"
    assert period_phrase("6 tháng", 2025) == "6 tháng đầu năm 2025"
    assert period_phrase("9 tháng", 2025) == "9 tháng năm 2025"
    assert period_phrase("Năm", 2025) == "năm 2025"
    assert period_phrase("", 2025) == "năm 2025"
