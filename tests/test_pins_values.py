"""One raw cell value read by the kind of its row (cchc.workbook.values): exact values and
Vietnamese reasons, each limit and one step either side; and the laws of `fold`."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.catalogue import load_catalogue
from cchc.workbook.values import (
    clean_text,
    expected_for,
    fold,
    norm_text,
    read_date,
    read_indicator,
    read_int,
    read_number,
    shorten,
    special_reason,
)

CAT = load_catalogue("ky")
TOO_LARGE = "số lớn bất thường (từ 1 tỷ trở lên): kiểm tra lại đơn vị tính hoặc số chữ số 0"
COUNT, MONEY, PCT = CAT.row("3:1"), CAT.row("6:1.1"), CAT.row("4:1.1")
FLAG, CHOICE = CAT.row("1:5"), CAT.row("1:5.2")  # Có (1) / Không (0); Trực tuyến (0) / Phát phiếu (1) / Kết hợp (2)

# Every Vietnamese letter, lower and upper case, with every tone: its folded form is the plain
# Latin letter it is built on.
_BASES = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "i": "iìíỉĩị", "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự", "y": "yỳýỷỹỵ", "d": "dđ",
}
VIETNAMESE = {ch: base for base, chars in _BASES.items() for ch in chars}
VIETNAMESE.update({ch.upper(): base for ch, base in list(VIETNAMESE.items())})
VIETNAMESE.update({ch: ch for ch in "bcghklmnpqrstvx"})
VIETNAMESE.update({ch.upper(): ch for ch in "bcghklmnpqrstvx"})


def assert_reads(got: tuple, result: tuple) -> None:
    """(value, reason) as expected, the value of the very type expected (2700, not 2700.0)."""
    assert got == result
    assert type(got[0]) is type(result[0])


# ============================================================================ fold
@pytest.mark.parametrize("letter", sorted(VIETNAMESE))
def test_fold_maps_every_vietnamese_letter_to_its_latin_base(letter):
    assert fold(letter) == VIETNAMESE[letter]
    assert fold(unicodedata.normalize("NFD", letter)) == VIETNAMESE[letter]


def test_fold_maps_d_with_stroke_to_d():
    assert fold("Đưng K'Nớ") == "dung k'no"
    assert fold("đ") == "d" and fold("Đ") == "d"


def test_fold_ignores_case_tone_placement_apostrophes_and_spacing():
    assert fold("Hòa") == fold("Hoà") == fold("HOÀ") == "hoa"
    assert fold("K’Nớ") == fold("K'Nớ") == fold("K\u2018Nớ")
    assert fold("  Quý   I \n") == "quy i"
    assert fold(2025) == "2025"
    assert fold("") == ""


@settings(max_examples=60, derandomize=True, database=None)
@given(st.text(alphabet=st.sampled_from(sorted(VIETNAMESE) + [" ", "'", "’", "-", "1"]), max_size=20))
def test_fold_is_idempotent_and_leaves_no_vietnamese_mark(text):
    once = fold(text)
    assert fold(once) == once
    assert all(ord(ch) < 128 for ch in once)
    assert once == "".join(VIETNAMESE.get(ch, "'" if ch == "’" else ch) for ch in " ".join(text.split()))


def test_norm_text_and_clean_text():
    assert norm_text("  K’Nớ \t  x  ") == "K'Nớ x"
    assert norm_text("‘a’") == "'a'"
    assert norm_text(unicodedata.normalize("NFD", "Hòa")) == unicodedata.normalize("NFC", "Hòa")
    assert clean_text(None) == ""
    assert clean_text(31.0) == "31"
    assert clean_text(31.5) == "31.5"
    assert clean_text("  a\r\nb\rc  ") == "a\nb\nc"
    assert clean_text(unicodedata.normalize("NFD", "Hòa")) == unicodedata.normalize("NFC", "Hòa")


# ============================================================================ read_indicator
def test_what_each_kind_expects():
    assert expected_for(COUNT) == "số nguyên ≥ 0"
    assert expected_for(MONEY) == "số ≥ 0 (triệu đồng)"
    assert expected_for(PCT) == "tỷ lệ từ 0 đến 100"
    assert expected_for(CHOICE) == "một trong: Trực tuyến (0); Phát phiếu (1); Kết hợp (2)"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_a_blank_cell_is_blank_not_zero(raw):
    for row in (COUNT, MONEY, PCT, FLAG, CHOICE):
        assert read_indicator(row, raw) == (None, None)


@pytest.mark.parametrize("row, raw, result", [
    (COUNT, 0, (0, None)),
    (COUNT, 71.0, (71, None)),
    (COUNT, "2.700", (2700, None)),
    (COUNT, -1, (-1, "số âm")),            # one step below the limit 0
    (COUNT, -0.5, (-0.5, "số âm")),
    (COUNT, 2.5, (2.5, "không phải số nguyên")),
    (COUNT, "2,5", (2.5, "không phải số nguyên")),
    (MONEY, 2.5, (2.5, None)),
    (MONEY, 0, (0, None)),
    (MONEY, -0.01, (-0.01, "số âm")),
    (PCT, 100, (100, None)),                # exactly at the limit: accepted
    (PCT, 100.01, (100.01, "tỷ lệ lớn hơn 100")),
    (PCT, 101, (101, "tỷ lệ lớn hơn 100")),
    (PCT, 99.99, (99.99, None)),
    (PCT, "98,5%", (98.5, None)),
    (PCT, "100%", (100, None)),
    (PCT, 0, (0, None)),
    (PCT, -1, (-1, "số âm")),
    (COUNT, True, (None, "giá trị TRUE/FALSE, không phải số")),
    (COUNT, dt.date(2025, 1, 1), (None, "ô chứa ngày tháng (Excel tự đổi?), không phải số")),
    (COUNT, dt.datetime(2025, 1, 1, 8), (None, "ô chứa ngày tháng (Excel tự đổi?), không phải số")),
    (COUNT, dt.time(8, 0), (None, "ô chứa ngày tháng (Excel tự đổi?), không phải số")),
    (COUNT, dt.timedelta(days=1), (None, "ô chứa ngày tháng (Excel tự đổi?), không phải số")),
    (COUNT, "bảy mươi", (None, "không đọc được thành số: không phải một số")),
    (COUNT, "98,5%", (None, "không đọc được thành số: có dấu % ở chỉ tiêu không phải tỷ lệ")),
    (COUNT, "1,234", (None, "không đọc được thành số: không rõ dấu phẩy là phần thập phân hay phân cách hàng nghìn")),
    (COUNT, 999_999_999, (999_999_999, None)),       # one below the plausible limit
    (COUNT, 1_000_000_000, (None, TOO_LARGE)),       # the limit: not kept
    (MONEY, 999_999_999.5, (999_999_999.5, None)),
    (COUNT, float("nan"), (None, "không phải một số (NaN hoặc vô cùng)")),
    (MONEY, float("inf"), (None, "không phải một số (NaN hoặc vô cùng)")),
    (MONEY, float("-inf"), (None, "không phải một số (NaN hoặc vô cùng)")),
])
def test_numbers_by_kind(row, raw, result):
    assert_reads(read_indicator(row, raw), result)


@pytest.mark.parametrize("row, raw, result", [
    (FLAG, 1, (1, None)),
    (FLAG, 0, (0, None)),
    (FLAG, 1.0, (1, None)),
    (FLAG, True, (1, None)),
    (FLAG, False, (0, None)),
    (FLAG, 2, (2, "mã không có trong danh sách")),
    (FLAG, 1.5, (1.5, "mã không có trong danh sách")),
    (FLAG, -1, (-1, "mã không có trong danh sách")),
    (FLAG, "Có", (1, None)),
    (FLAG, " có ", (1, None)),
    (FLAG, "KHÔNG", (0, None)),
    (FLAG, "Khong", (0, None)),
    (FLAG, "1", (1, None)),
    (FLAG, "0", (0, None)),
    (FLAG, "1 - Có", (1, None)),
    (FLAG, "1 – Có", (1, None)),
    (FLAG, "1: Có", (1, None)),
    (FLAG, "1. Có", (1, None)),
    (FLAG, "1) Có", (1, None)),
    (FLAG, "Có = 1", (1, None)),
    (FLAG, "Có (1)", (1, None)),
    (FLAG, "Có (2)", (None, "không có trong danh sách lựa chọn")),
    (FLAG, "2", (None, "không có trong danh sách lựa chọn")),
    (FLAG, "Có lẽ", (None, "không có trong danh sách lựa chọn")),
    (CHOICE, "Kết hợp", (2, None)),
    (CHOICE, "ket hop", (2, None)),
    (CHOICE, "Phát phiếu", (1, None)),
    (CHOICE, 2, (2, None)),
    (CHOICE, 3, (3, "mã không có trong danh sách")),
])
def test_flags_and_choices_by_code_label_or_both(row, raw, result):
    assert_reads(read_indicator(row, raw), result)


# ============================================================================ dates, ints, numbers
@pytest.mark.parametrize("raw, result", [
    (None, (None, None)),
    ("", (None, None)),
    ("  ", (None, None)),
    (dt.datetime(2025, 3, 7, 9, 30), (dt.date(2025, 3, 7), None)),
    (dt.date(2025, 3, 7), (dt.date(2025, 3, 7), None)),
    (45723, (dt.date(2025, 3, 7), None)),       # an Excel serial day number
    (45723.75, (dt.date(2025, 3, 7), None)),
    (1, (dt.date(1899, 12, 31), None)),         # the first serial day
    (0, (None, "không phải ngày hợp lệ")),       # one below it
    (0.5, (None, "không phải ngày hợp lệ")),
    (2958465, (dt.date(9999, 12, 31), None)),   # the last serial day
    (2958466, (None, "không phải ngày hợp lệ")),  # one beyond it
    (-1, (None, "không phải ngày hợp lệ")),
    (True, (None, "không phải ngày (cần dạng ngày/tháng/năm)")),
    ("07/3/2025", (dt.date(2025, 3, 7), None)),
    ("7.3.2025", (dt.date(2025, 3, 7), None)),
    ("07-03-2025", (dt.date(2025, 3, 7), None)),
    ("2025-03-07", (dt.date(2025, 3, 7), None)),
    ("2025-3-7 00:00:00", (dt.date(2025, 3, 7), None)),
    ("2025-03-07T08:00", (dt.date(2025, 3, 7), None)),
    ("ngày 07 tháng 3 năm 2025", (dt.date(2025, 3, 7), None)),
    ("Ngày 7 tháng 03 năm 2025", (dt.date(2025, 3, 7), None)),
    ("  07/3/2025 ", (dt.date(2025, 3, 7), None)),
    ("30/02/2025", (None, "ngày không tồn tại")),
    ("2025-02-30", (None, "ngày không tồn tại")),
    ("ngày 30 tháng 2 năm 2025", (None, "ngày không tồn tại")),
    ("07/3/25", (None, "không phải ngày (cần dạng ngày/tháng/năm)")),
    ("hôm qua", (None, "không phải ngày (cần dạng ngày/tháng/năm)")),
    ("2025-03-07x", (None, "không phải ngày (cần dạng ngày/tháng/năm)")),
])
def test_read_date(raw, result):
    assert read_date(raw) == result


@pytest.mark.parametrize("raw, result", [
    (None, (None, None)),
    ("", (None, None)),
    (" ", (None, None)),
    (31, (31, None)),
    (31.0, (31, None)),
    ("31", (31, None)),
    ("2.700", (2700, None)),
    (-5, (-5, "không phải số nguyên dương")),
    (0, (0, "không phải số nguyên dương")),
    (1, (1, None)),
    (999_999_999, (999_999_999, None)),
    (1_000_000_000, (None, "số lớn bất thường (từ 1 tỷ trở lên): kiểm tra lại đơn vị tính hoặc số chữ số 0")),
    (31.5, (None, "không phải số nguyên")),
    ("31,5", (None, "không phải số nguyên")),
    ("ba mươi", (None, "không phải số nguyên")),
    (True, (None, "không phải số nguyên")),
])
def test_read_int(raw, result):  # the report's «Số», the year: a whole number from 1
    assert_reads(read_int(raw), result)


@pytest.mark.parametrize("raw, result", [
    (None, (None, None)),
    ("", (None, None)),
    (" ", (None, None)),
    (65.51, (65.51, None)),
    ("65,51", (65.51, None)),
    (0, (0, None)),                   # the limit: accepted
    (-0.01, (-0.01, "số âm")),         # one step below: a negative-value problem
    (-3, (-3, "số âm")),
    ("-3", (-3, "số âm")),
    (12.0, (12, None)),
    (True, (None, "không phải số")),
    (dt.date(2025, 1, 1), (None, "không phải số")),
    (dt.datetime(2025, 1, 1), (None, "không phải số")),
    (dt.time(1, 0), (None, "không phải số")),
    (dt.timedelta(1), (None, "không phải số")),
    ("2.5", (None, "không đọc được thành số: dấu chấm không rõ nghĩa (theo cách viết Việt Nam, "
                   "phần thập phân dùng dấu phẩy)")),
    (999_999_999.99, (999_999_999.99, None)),
    (1e9, (None, TOO_LARGE)),
    (float("nan"), (None, "không phải một số (NaN hoặc vô cùng)")),
])
def test_read_number_refuses_negative_values(raw, result):
    assert_reads(read_number(raw), result)


# ----------------------------------------------------------------- values quoted in messages

@pytest.mark.parametrize("raw, quoted", [
    ("x" * 120, "x" * 120),                  # at the limit: whole
    ("x" * 121, "x" * 120 + "…"),            # one over: cut at the limit, an ellipsis added
    (2700.0, 2700),                          # a whole float without its ".0"
    (98.59, 98.59),
    (float("nan"), "NaN"),
    (float("inf"), "vô cùng"),
    (float("-inf"), "âm vô cùng"),
    (7, 7),
    (None, None),
])
def test_a_value_quoted_in_a_message(raw, quoted):
    assert shorten(raw) == quoted
    assert type(shorten(raw)) is type(quoted)


def test_the_quoting_limit_is_a_parameter():
    assert shorten("abcdef", limit=5) == "abcde…"
    assert shorten("abcde", limit=5) == "abcde"


def test_why_a_cell_that_reads_blank_is_not_empty():
    assert special_reason("=SUM(D5:D7)") == (
        "ô chứa công thức chưa có kết quả tính (tệp được lưu bằng một công cụ không tính công thức); "
        "hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi lại")
    assert special_reason("#DIV/0!") == "ô báo lỗi #DIV/0! (công thức tính sai hoặc tham chiếu tới ô không còn)"
    assert special_reason("#N/A") == "ô báo lỗi #N/A (công thức tính sai hoặc tham chiếu tới ô không còn)"
