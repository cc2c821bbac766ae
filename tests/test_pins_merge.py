"""The merge's arithmetic (cchc.merge.aggregate) and its admission of files (cchc.merge.admit),
pinned in memory: province totals by row type (blank is not 0, a flag's «Không» is a 0 and not a
blank), ratios recomputed from the summed parts, and which file is merged, with the exact
Vietnamese reason for every other one.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import pytest

from cchc.catalogue import load_catalogue
from cchc.errors import CchcError
from cchc.findings import Finding
from cchc.merge import records as S
from cchc.merge.admit import admit_one, period_keys, period_text, plan_admitted, plan_merge
from cchc.merge.aggregate import aggregate, build_frame, unit_ratios
from cchc.merge.records import FileRecord, Unit
from cchc.registry import kind_by_id

KY = load_catalogue("ky")
REFS = [r.ref for r in KY.input_rows()]


# ============================================================================ aggregate
def frame(*units: dict):
    return build_frame(KY, [f"u{i}" for i in range(len(units))], [tuple(u.get(ref) for ref in REFS) for u in units])


def test_the_frame_has_one_float_column_per_input_row_and_nan_for_blank():
    f = frame({"3:1": 5, "1:5": 1}, {"3:1": None})
    assert list(f.columns) == REFS and list(f.index) == ["u0", "u1"] and f.index.name == "unit"
    assert f.loc["u0", "3:1"] == 5.0 and math.isnan(f.loc["u1", "3:1"]) and str(f.dtypes.iloc[0]) == "float64"
    empty = build_frame(KY, [], [])
    assert list(empty.columns) == REFS and len(empty) == 0


def test_counts_are_summed_over_the_units_that_gave_them_and_all_blank_stays_blank():
    t = aggregate(KY, frame({"7:3.1": 5, "6:1.1": 1.25}, {"7:3.1": 7, "6:1.1": 2.5}, {"7:3.1": None}))
    assert t.n_units == 3
    assert t.value("7:3.1") == 12 and isinstance(t.value("7:3.1"), int)
    assert t.summaries["7:3.1"] == {"type": "count", "aggregate": "sum", "n": 2, "min": 5, "max": 7, "excluded": 0,
                                    "sum": 12}
    assert t.summaries["6:1.1"] == {"type": "money", "aggregate": "sum", "n": 2, "min": 1.25, "max": 2.5,
                                    "excluded": 0, "sum": 3.75}
    assert t.value("3:1.1") is None and t.summaries["3:1.1"] == {
        "type": "count", "aggregate": "sum", "n": 0, "min": None, "max": None, "excluded": 0, "sum": None}
    assert t.value("9:9") is None and t.ratio("9:9") is None


def test_a_count_the_catalogue_averages_is_the_mean_of_the_units_that_gave_it():
    # 3:1, the procedures a commune has authority over: the same list in every commune, not a sum
    t = aggregate(KY, frame({"3:1": 170}, {"3:1": 175}, {"3:1": None}, {"3:1": 171}))
    assert t.value("3:1") == 172 and t.summaries["3:1"] == {
        "type": "count", "aggregate": "mean", "n": 3, "min": 170, "max": 175, "excluded": 0, "mean": 172}
    assert aggregate(KY, frame({"3:1": None})).summaries["3:1"]["mean"] is None


def test_sums_are_rounded_to_nine_decimals():
    t = aggregate(KY, frame({"6:1.1": 0.1}, {"6:1.1": 0.2}))
    assert t.value("6:1.1") == 0.3
    assert aggregate(KY, frame({"6:1.1": 0.1234567891234})).value("6:1.1") == 0.123456789


def test_the_frame_is_float_even_when_every_value_is_whole():
    assert set(str(d) for d in frame({"3:1": 5}, {"3:1": 7}).dtypes) == {"float64"}
    assert set(str(d) for d in build_frame(KY, [], []).dtypes) == {"float64"}


def test_a_ratio_is_recomputed_from_the_summed_parts_never_averaged():
    t = aggregate(KY, frame({"3:2.3.1": 10, "3:2.3.2": 10}, {"3:2.3.1": 90, "3:2.3.2": 45}))
    assert t.ratio("3:2.3") == pytest.approx(55.0)  # the mean of 100 % and 50 % would be 75 %
    assert t.summaries["3:2.3"] == {"type": "ratio", "aggregate": "ratio", "num": 55, "den": 100,
                                    "value": pytest.approx(55.0), "parts_summed": True}
    t = aggregate(KY, frame({"3:2.3.1": 0, "3:2.3.2": 0}))
    assert t.summaries["3:2.3"]["value"] is None


def test_a_ratio_of_parts_the_catalogue_does_not_sum_has_no_province_value():
    form = KY.form("3")
    rows = tuple(dataclasses.replace(r, aggregate="mean") if r.code == "2.3.1" else r for r in form.rows)
    cat = dataclasses.replace(KY, forms=tuple(dataclasses.replace(f, rows=rows) if f.id == "3" else f for f in KY.forms))
    t = aggregate(cat, frame({"3:2.3.1": 10, "3:2.3.2": 10}, {"3:2.3.1": 90, "3:2.3.2": 45}))
    assert t.summaries["3:2.3"] == {"type": "ratio", "aggregate": "ratio", "num": 55, "den": None, "value": None,
                                    "parts_summed": False}
    assert t.value("3:2.3.1") == 50


def test_a_percent_is_the_mean_of_the_units_that_gave_it_with_their_lowest_and_highest():
    t = aggregate(KY, frame({"7:2.2": 90}, {"7:2.2": 60}, {"7:2.2": None}, {"7:2.2": 100}))
    assert t.summaries["7:2.2"] == {"type": "pct", "aggregate": "mean", "n": 3, "min": 60, "max": 100, "excluded": 0,
                                    "mean": pytest.approx(250 / 3)}
    assert t.value("7:2.2") == pytest.approx(250 / 3)
    t = aggregate(KY, frame({"7:2.2": None}))
    assert t.summaries["7:2.2"] == {"type": "pct", "aggregate": "mean", "n": 0, "min": None, "max": None,
                                    "excluded": 0, "mean": None}


def test_values_the_checks_found_wrong_are_left_out_of_lowest_and_highest_only():
    f = frame({"3:2.3.1": 10, "3:2.3.2": 10, "7:2.2": 90}, {"3:2.3.1": 90, "3:2.3.2": 45, "7:2.2": 60},
              {"3:2.3.1": 4, "3:2.3.2": 5, "7:2.2": 100})
    wrong = {"7:2.2": {"u2": "an error", "u9": "another unit"}, "3:2.3": {"u2": "an error"}}
    t = aggregate(KY, f, unit_ratios(KY, f), wrong)
    assert t.summaries["7:2.2"] == {"type": "pct", "aggregate": "mean", "n": 3, "min": 60, "max": 90, "excluded": 1,
                                    "mean": 83.333333333}
    assert t.summaries["3:2.3"] == {"type": "ratio", "aggregate": "ratio", "num": 60, "den": 104,
                                    "value": pytest.approx(6000 / 104), "parts_summed": True,
                                    "n": 3, "min": 50, "max": 100, "excluded": 1}
    t = aggregate(KY, frame({"7:2.2": 90}), None, {"7:2.2": {"u0": "an error"}})
    assert t.summaries["7:2.2"] == {"type": "pct", "aggregate": "mean", "n": 1, "min": None, "max": None,
                                    "excluded": 1, "mean": 90}
    t = aggregate(KY, f, unit_ratios(KY, f).drop(columns=["3:2.3"]))
    assert "n" not in t.summaries["3:2.3"] and t.summaries["1:2"]["n"] == 0


def test_a_flag_counts_yes_and_no_and_a_blank_is_neither():
    t = aggregate(KY, frame({"1:5": 1}, {"1:5": 0}, {"1:5": None}, {"1:5": 0}, {"1:5": None}))
    assert t.summaries["1:5"] == {"type": "flag", "aggregate": "count", "n": 3, "yes": 1, "no": 2}
    assert t.value("1:5") is None


def test_a_choice_counts_each_code_and_a_blank_is_none_of_them():
    t = aggregate(KY, frame({"1:5.2": 0}, {"1:5.2": 2}, {"1:5.2": 2}, {"1:5.2": None}))
    assert t.summaries["1:5.2"] == {"type": "choice", "aggregate": "count", "n": 3, "counts": {"0": 1, "1": 0, "2": 2}}


def test_each_units_ratio_is_its_own_numerator_over_its_denominator():
    f = frame({"3:2.3.1": 8, "3:2.3.2": 6}, {"3:2.3.1": 0, "3:2.3.2": 0}, {"3:2.3.1": 5, "3:2.3.2": None},
              {"3:2.3.1": None, "3:2.3.2": 3}, {"3:2.3.1": 0.5, "3:2.3.2": 0.5}, {"3:2.3.1": 0, "3:2.3.2": 3})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a zero denominator is a blank ratio, not a RuntimeWarning
        r = unit_ratios(KY, f)
    assert list(r.index) == list(f.index)
    got = [None if math.isnan(x) else x for x in r["3:2.3"]]
    assert got == [75.0, None, None, None, 100.0, None]
    assert set(r.columns) == {row.ref for row in KY.rows() if row.type == "ratio"}


# ============================================================================ admission
def rec(path, *, kind="ky", version="2025.1", ky="Quý I", nam=2025, code="05014", name="UBND xã A", **kw):
    info = {"ky": ky, "nam": nam, "ma_dvhc": code, "don_vi": name, **kw.pop("info", {})}
    return FileRecord(path=path, kind=kind, catalogue_version=version, info=info, **kw)


def states(plan):
    return [(f.path, f.state, f.reason) for f in plan.files]


def test_one_file_per_unit_is_merged():
    plan = plan_merge([rec("b.xlsx", code="05016", name="UBND xã B"), rec("a.xlsx")], [])
    assert states(plan) == [("a.xlsx", S.MERGED, ""), ("b.xlsx", S.MERGED, "")]
    assert [u.id for u in plan.units] == ["05014", "05016"] and [f.path for f in plan.merged] == ["a.xlsx", "b.xlsx"]
    assert plan.catalogue.id == "ky" and plan.kind.id == "ky"
    assert plan.period == {"ky": "Quý I", "nam": 2025} and plan.period_chosen_by == "majority"


def test_files_that_are_not_workbooks_or_cannot_be_read_are_listed_with_why():
    from pathlib import Path

    plan = plan_merge([rec("a.xlsx"), FileRecord(path="c.xlsx", error="Tệp bị hỏng.")], [Path("ghi chu.txt")])
    assert states(plan) == [("a.xlsx", S.MERGED, ""), ("c.xlsx", S.UNREADABLE, "Tệp bị hỏng."),
                            ("ghi chu.txt", S.SKIPPED, "Chỉ đọc tệp Excel .xlsx hoặc .xlsm; tệp này không được đọc.")]


def test_files_of_two_kinds_are_refused_unless_one_is_chosen():
    files = [rec("a.xlsx"), rec("b.xlsx", kind="chi_so", code="05016"), rec("c.xlsx", kind="chi_so", code="05018")]
    with pytest.raises(CchcError) as exc:
        plan_merge(files, [])
    assert str(exc.value) == (
        "Các tệp thuộc nhiều loại báo cáo khác nhau (báo cáo phân tích chỉ số SIPAS, PAR Index «chi_so»: 2 tệp, báo cáo "
        "CCHC định kỳ «ky»: 1 tệp). Mỗi lần tổng hợp chỉ một loại: hãy để riêng mỗi loại một thư mục, hoặc chọn loại "
        "bằng --kind (ví dụ --kind chi_so).")
    plan = plan_merge(files, [], kind="ky")
    assert states(plan)[0] == ("a.xlsx", S.MERGED, "")
    assert states(plan)[1:] == [
        (p, S.WRONG_KIND, "Tệp là báo cáo phân tích chỉ số SIPAS, PAR Index («chi_so»), không phải báo cáo CCHC định "
                          "kỳ («ky») đang tổng hợp.") for p in ("b.xlsx", "c.xlsx")]
    assert plan_merge(files, [], kind="chi-so").kind.id == "chi_so"


def test_with_nothing_readable_the_default_kind_is_planned():
    plan = plan_merge([FileRecord(path="x.xlsx", error="Hỏng.")], [])
    assert plan.catalogue.id == "ky" and plan.units == [] and plan.period == {}


def test_an_unknown_kind_is_named_by_its_id():
    plan = plan_merge([rec("a.xlsx"), rec("b.xlsx", kind="bao_cao_khac", code="05016")], [], kind="ky")
    assert states(plan)[1] == ("b.xlsx", S.WRONG_KIND, "Tệp là bao_cao_khac («bao_cao_khac»), không phải báo cáo "
                                                       "CCHC định kỳ («ky») đang tổng hợp.")


def test_another_catalogue_version_is_merged_with_a_warning_when_its_codes_agree():
    plan = plan_merge([rec("a.xlsx", version="2024.1"), rec("b.xlsx", version="", code="05016")], [])
    assert [f.state for f in plan.files] == [S.MERGED, S.MERGED]
    assert plan.files[0].findings == [Finding(
        "warning", "", "", "", "", "merge.other_version",
        "Tệp làm theo biểu mẫu phiên bản «2024.1», khác phiên bản «2025.1»; các mã chỉ tiêu trùng khớp nên vẫn được "
        "tổng hợp.")]
    assert plan.files[1].findings[0].message.startswith("Tệp làm theo biểu mẫu phiên bản không rõ, khác phiên bản")


@pytest.mark.parametrize("missing, extra, diff", [
    (("3:1",), (), "thiếu 3:1"),
    ((), ("9:1", "9:2"), "thừa 9:1, 9:2"),
    (tuple(f"3:{i}" for i in range(1, 7)), ("9:1",), "thiếu 3:1, 3:2, 3:3, 3:4, 3:5, 3:6; thừa 9:1"),
    ((), tuple(f"9:{i}" for i in range(1, 7)), "thừa 9:1, 9:2, 9:3, 9:4, 9:5, 9:6"),
    (tuple(f"3:{i}" for i in range(1, 8)), tuple(f"9:{i}" for i in range(1, 8)),
     "thiếu 3:1, 3:2, 3:3, 3:4, 3:5, 3:6 …; thừa 9:1, 9:2, 9:3, 9:4, 9:5, 9:6 …"),
])
def test_another_version_whose_codes_differ_is_not_merged(missing, extra, diff):
    plan = plan_merge([rec("a.xlsx", version="2024.1", missing_codes=missing, extra_codes=extra)], [])
    assert states(plan) == [("a.xlsx", S.WRONG_VERSION,
                             f"Tệp làm theo biểu mẫu phiên bản «2024.1», khác phiên bản «2025.1» đang tổng hợp, và các "
                             f"mã chỉ tiêu không khớp ({diff}). Hãy nhập lại số liệu vào biểu mẫu mới.")]
    plan = plan_merge([rec("a.xlsx", missing_codes=missing, extra_codes=extra)], [])
    assert plan.files[0].state == S.MERGED and plan.files[0].findings == []  # the same version: codes not compared


def test_every_file_of_another_version_is_looked_at():
    plan = plan_merge([rec("a.xlsx"), rec("b.xlsx", version="2024.1", code="05016", missing_codes=("3:1",)),
                       rec("c.xlsx", version="2024.1", code="05018")], [])
    assert [f.state for f in plan.files] == [S.MERGED, S.WRONG_VERSION, S.MERGED]
    assert [f.rule_id for f in plan.files[2].findings] == ["merge.other_version"]


def test_the_period_chosen_is_merged_and_the_others_are_not():
    files = [rec("a.xlsx"), rec("b.xlsx", ky="Quý II", code="05016"), rec("c.xlsx", nam=2024, code="05018"),
             rec("d.xlsx", ky="quý i", nam=2025, code="05020")]
    plan = plan_merge(files, [], period="QUÝ I", year=2025)
    assert plan.period == {"ky": "Quý I", "nam": 2025} and plan.period_chosen_by == "options"
    assert states(plan) == [
        ("a.xlsx", S.MERGED, ""),
        ("b.xlsx", S.WRONG_PERIOD, "Tệp là báo cáo Quý II năm 2025, không phải Quý I năm 2025 đang tổng hợp."),
        ("c.xlsx", S.WRONG_PERIOD, "Tệp là báo cáo Quý I năm 2024, không phải Quý I năm 2025 đang tổng hợp."),
        ("d.xlsx", S.MERGED, "")]


def test_a_period_that_is_not_in_the_catalogue_is_refused():
    with pytest.raises(CchcError) as exc:
        plan_merge([rec("a.xlsx")], [], period="Quý IV")
    assert str(exc.value) == "Kỳ báo cáo «Quý IV» không hợp lệ; chọn một trong: Quý I, 6 tháng, Quý III, 9 tháng, Năm."


def test_without_options_the_period_of_most_files_is_merged():
    files = [rec("a.xlsx"), rec("b.xlsx", code="05016"), rec("c.xlsx", ky="Quý III", code="05018"),
             rec("d.xlsx", ky=None, code="05020"), rec("e.xlsx", ky="Quý III", nam=None, code="05022")]
    plan = plan_merge(files, [])
    assert plan.period == {"ky": "Quý I", "nam": 2025} and plan.period_chosen_by == "majority"
    assert states(plan)[2:] == [
        ("c.xlsx", S.WRONG_PERIOD, "Tệp là báo cáo Quý III năm 2025, không phải Quý I năm 2025 đang tổng hợp."),
        ("d.xlsx", S.WRONG_PERIOD, "Tệp không ghi đủ kỳ và năm báo cáo (trang «Thông tin chung»)."),
        ("e.xlsx", S.WRONG_PERIOD, "Tệp không ghi đủ kỳ và năm báo cáo (trang «Thông tin chung»).")]


def test_files_with_an_empty_period_are_not_a_majority():
    files = [rec("a.xlsx", ky=""), rec("b.xlsx", ky="", code="05016"), rec("c.xlsx", code="05018")]
    plan = plan_merge(files, [])
    assert plan.period == {"ky": "Quý I", "nam": 2025}
    assert states(plan) == [
        ("a.xlsx", S.WRONG_PERIOD, "Tệp không ghi đủ kỳ và năm báo cáo (trang «Thông tin chung»)."),
        ("b.xlsx", S.WRONG_PERIOD, "Tệp không ghi đủ kỳ và năm báo cáo (trang «Thông tin chung»)."),
        ("c.xlsx", S.MERGED, "")]


def test_a_year_written_as_text_is_the_same_year():
    plan = plan_merge([rec("a.xlsx", nam="2025")], [], period="Quý I", year=2025)
    assert plan.files[0].state == S.MERGED


def test_the_majority_is_counted_among_the_files_of_the_year_chosen():
    files = [rec("a.xlsx", nam=2024), rec("b.xlsx", nam=2024, code="05016"), rec("c.xlsx", ky="Quý III", code="05018")]
    plan = plan_merge(files, [], year=2025)
    assert plan.period == {"nam": 2025, "ky": "Quý III"} and [f.state for f in plan.files][2] == S.MERGED


def test_a_tie_between_periods_is_refused():
    files = [rec("a.xlsx"), rec("b.xlsx", ky="Quý III", code="05016")]
    with pytest.raises(CchcError) as exc:
        plan_merge(files, [])
    assert str(exc.value) == (
        "Các tệp thuộc nhiều kỳ báo cáo với số tệp bằng nhau (Quý I năm 2025; Quý III năm 2025). Hãy chọn kỳ bằng "
        "--period và --year, ví dụ --period \"Quý I\" --year 2025.")
    assert plan_merge(files + [rec("c.xlsx", ky="Quý III", code="05018")], []).period["ky"] == "Quý III"


def test_a_file_without_its_unit_is_not_merged():
    plan = plan_merge([rec("a.xlsx", code=None, name=""), rec("b.xlsx", code="", name="  ")], [])
    assert states(plan) == [
        (p, S.NO_UNIT, "Tệp không ghi tên đơn vị và mã đơn vị hành chính (trang «Thông tin chung»).")
        for p in ("a.xlsx", "b.xlsx")]


def test_units_are_told_by_code_else_by_name():
    plan = plan_merge([rec("a.xlsx", code=5014.0), rec("b.xlsx", code=None, name="UBND xã Hòa Bình"),
                       rec("c.xlsx", code=None, name="Xã Hoà Bình", ky="Quý I")], [], prefer_newest=False)
    assert [(u.id, u.code, u.name) for u in plan.units] == [("05014", "05014", "UBND xã A"),
                                                           ("ten:xa hoa binh", None, "UBND xã Hòa Bình")]
    assert [f.state for f in plan.files] == [S.MERGED, S.DUPLICATE, S.DUPLICATE]


def test_a_file_without_a_code_joins_the_unit_a_file_with_its_code_made():
    plan = plan_merge([rec("a.xlsx", code=None, name="UBND xã A", ky="Quý III"), rec("b.xlsx")], [], period="Quý I")
    assert [(u.id, u.code) for u in plan.units] == [("05014", "05014")]
    assert [(f.path, f.unit_id, f.state) for f in plan.files] == [("a.xlsx", "05014", S.WRONG_PERIOD),
                                                                   ("b.xlsx", "05014", S.MERGED)]


def test_with_a_list_of_units_only_listed_units_are_merged():
    units = [Unit(id="05014", code="05014", name="UBND xã A", expected=True),
             Unit(id="ten:xa c", code=None, name="Xã C", expected=True)]
    files = [rec("a.xlsx", name="UBND xã A mới"), rec("b.xlsx", code="05016", name="UBND xã B"),
             rec("c.xlsx", code=None, name="Xã C"), rec("d.xlsx", code=None, name="UBND xã D")]
    plan = plan_merge(files, [], expected=units)
    assert states(plan) == [
        ("a.xlsx", S.MERGED, ""),
        ("c.xlsx", S.MERGED, ""),
        ("b.xlsx", S.NOT_EXPECTED, "Đơn vị «UBND xã B» (mã 05016) không có trong danh sách đơn vị (--units)."),
        ("d.xlsx", S.NOT_EXPECTED, "Đơn vị «UBND xã D» không có trong danh sách đơn vị (--units).")]
    assert plan.files[0].findings == [Finding(
        "warning", "Thông tin chung", "", "", "don_vi", "merge.unit_name",
        "Tên đơn vị trong tệp «UBND xã A mới» khác tên trong danh sách «UBND xã A» (cùng mã 05014).")]
    assert plan.files[1].findings == []
    assert plan_merge([rec("e.xlsx", code="05099", name="")], [], expected=units).files[0].reason == (
        "Đơn vị «05099» không có trong danh sách đơn vị (--units).")
    assert [(u.id, u.code) for u in plan.units] == [("05014", "05014"), ("ten:xa c", None)]


def test_a_file_excluded_for_its_period_still_shows_under_its_unit():
    plan = plan_merge([rec("a.xlsx"), rec("b.xlsx", ky="Quý III")], [], period="Quý I")
    [unit] = plan.units
    assert [f.path for f in unit.files] == ["a.xlsx", "b.xlsx"] and unit.merged.path == "a.xlsx"
    assert [f.unit_id for f in plan.files] == ["05014", "05014"]


def test_a_unit_whose_files_were_all_refused_does_not_stop_the_others():
    plan = plan_merge([rec("a.xlsx", ky="Quý III"), rec("b.xlsx", code="05016"), rec("c.xlsx", code="05016"),
                       rec("d.xlsx", code="05018")], [], period="Quý I")
    assert [f.state for f in plan.files] == [S.WRONG_PERIOD, S.DUPLICATE, S.DUPLICATE, S.MERGED]
    plan = plan_merge([rec("a.xlsx", mtime=1), rec("b.xlsx", mtime=2), rec("c.xlsx", code="05016", mtime=1),
                       rec("d.xlsx", code="05016", mtime=2)], [], prefer_newest=True)
    assert [f.state for f in plan.files] == [S.SUPERSEDED, S.MERGED, S.SUPERSEDED, S.MERGED]


def test_two_files_of_one_unit_are_both_held_back():
    plan = plan_merge([rec("b.xlsx"), rec("a.xlsx")], [])
    assert states(plan) == [(p, S.DUPLICATE, "Đơn vị có 2 tệp cùng kỳ («a.xlsx», «b.xlsx»); chưa tổng hợp tệp nào. Hãy "
                                             "giữ lại một tệp, hoặc chạy lại với --prefer-newest để dùng tệp mới nhất.")
                            for p in ("a.xlsx", "b.xlsx")]
    assert plan.units[0].merged is None


def test_prefer_newest_takes_the_later_signing_date_then_the_later_save():
    files = [rec("dir/a.xlsx", info={"ngay_ky": "2025-03-07"}, mtime=5.0),
             rec("dir/b.xlsx", info={"ngay_ky": "2025-03-09"}, mtime=1.0),
             rec("dir/c.xlsx", info={"ngay_ky": "2025-03-09"}, mtime=2.0)]
    plan = plan_merge(files, [], prefer_newest=True)
    reason = ("Đơn vị có 3 tệp cùng kỳ («a.xlsx», «b.xlsx», «c.xlsx»); đã dùng tệp mới hơn «c.xlsx» "
              "(--prefer-newest).")
    assert states(plan) == [("dir/a.xlsx", S.SUPERSEDED, reason), ("dir/b.xlsx", S.SUPERSEDED, reason),
                            ("dir/c.xlsx", S.MERGED, "")]


def test_prefer_newest_takes_a_signed_file_over_an_unsigned_one():
    plan = plan_merge([rec("a.xlsx", mtime=9.0), rec("b.xlsx", info={"ngay_ky": "2025-03-07"}, mtime=1.0)], [],
                      prefer_newest=True)
    assert [f.state for f in plan.files] == [S.SUPERSEDED, S.MERGED]


def test_prefer_newest_cannot_choose_between_equals():
    files = [rec("a.xlsx", mtime=1.0), rec("b.xlsx", mtime=1.0), rec("c.xlsx", mtime=0.5)]
    plan = plan_merge(files, [], prefer_newest=True)
    reason = ("Đơn vị có 3 tệp cùng kỳ («a.xlsx», «b.xlsx», «c.xlsx») cùng ngày ký và cùng thời điểm lưu, không biết "
              "tệp nào mới hơn; chưa tổng hợp tệp nào.")
    assert states(plan) == [(p, S.DUPLICATE, reason) for p in ("a.xlsx", "b.xlsx", "c.xlsx")]


def test_the_output_order_is_by_code_then_name_and_files_without_a_unit_last():
    files = [rec("z.xlsx", code="05020", name="B"), rec("y.xlsx", code=None, name="Xã Ba"),
             rec("x.xlsx", code="05010", name="C"), rec("w.xlsx", code=None, name="Xã An"),
             rec("v.xlsx", code=None, name="")]
    plan = plan_merge(files, [])
    assert [u.name for u in plan.units] == ["C", "B", "Xã An", "Xã Ba"]
    assert [f.path for f in plan.files] == ["x.xlsx", "z.xlsx", "w.xlsx", "y.xlsx", "v.xlsx"]


@pytest.mark.parametrize("period, text", [({"ky": "Quý I", "nam": 2025}, "Quý I năm 2025"), ({"nam": 2025}, "năm 2025"),
                                          ({"ky": "Quý I"}, "Quý I"), ({"ky": "", "nam": None}, ""), ({}, "")])
def test_period_text(period, text):
    assert period_text(period) == text


def test_period_keys_are_the_kinds_else_those_the_catalogue_declares():
    assert period_keys(kind_by_id("ky"), KY) == ("ky", "nam")
    assert period_keys(kind_by_id("chi_so"), load_catalogue("chi_so")) == ("nam",)
    assert period_keys(kind_by_id("khac"), KY) == ("ky", "nam")
    bare = load_catalogue("chi_so")
    assert period_keys(kind_by_id("khac"), bare) == ("nam",)


def test_a_period_option_is_kept_as_typed_for_a_catalogue_without_periods():
    plan = plan_merge([rec("a.xlsx", kind="chi_so", ky=None)], [], period="cả năm", year=2025)
    assert plan.period == {"nam": 2025} and plan.files[0].state == S.MERGED


def test_a_catalogue_without_a_kind_package_is_merged_by_the_period_fields_it_declares(tmp_path, monkeypatch):
    from pathlib import Path

    import cchc.kinds.ky as ky_package

    source = Path(ky_package.__file__).with_name("ky.toml").read_text(encoding="utf-8")
    (tmp_path / "rieng.toml").write_text(source.replace('id = "ky"', 'id = "rieng"', 1), encoding="utf-8")
    monkeypatch.setenv("CCHC_CATALOGUE_DIR", str(tmp_path))
    files = [rec("a.xlsx", kind="rieng"), rec("b.xlsx", kind="rieng", ky="Quý III", code="05016")]
    plan = plan_merge(files, [], period="Quý I", year=2025)
    assert plan.period == {"ky": "Quý I", "nam": 2025} and [f.state for f in plan.files] == [S.MERGED, S.WRONG_PERIOD]
    r = admit_one(rec("c.xlsx", kind="rieng", ky="Quý III"), UNIT, kind="rieng", period="Quý I", year=2025)
    assert r.reason == ("Tệp là báo cáo Quý III năm 2025, không phải Quý I năm 2025 đã chọn khi nộp. Hãy chọn đúng kỳ "
                        "báo cáo, hoặc nộp tệp của kỳ này.")
    assert plan_admitted([], [], kind="rieng", period={"ky": "Quý I", "nam": 2025}).period == {"ky": "Quý I", "nam": 2025}


def test_an_annual_index_merge_is_by_year_only():
    files = [rec("a.xlsx", kind="chi_so", ky=None), rec("b.xlsx", kind="chi_so", ky=None, nam=2024, code="05016")]
    plan = plan_merge(files, [], year=2025)
    assert plan.period == {"nam": 2025}
    assert states(plan)[1] == ("b.xlsx", S.WRONG_PERIOD, "Tệp là báo cáo năm 2024, không phải năm 2025 đang tổng hợp.")


# ============================================================================ one file at a time (the portal)
UNIT = Unit(id="05014", code="05014", name="UBND xã A", group="Huyện cũ")


def test_admit_one_merges_the_file_of_its_unit_and_period():
    r = admit_one(rec("a.xlsx"), UNIT, kind="ky", period="Quý I", year=2025)
    assert (r.state, r.reason, r.unit_id) == (S.MERGED, "", "05014")


def test_admit_one_says_why_in_the_words_of_an_upload():
    r = admit_one(rec("a.xlsx", ky="Quý III"), UNIT, kind="ky", period="Quý I", year=2025)
    assert (r.state, r.reason) == (S.WRONG_PERIOD, "Tệp là báo cáo Quý III năm 2025, không phải Quý I năm 2025 đã chọn "
                                                   "khi nộp. Hãy chọn đúng kỳ báo cáo, hoặc nộp tệp của kỳ này.")
    for empty in (None, ""):
        r = admit_one(rec("a.xlsx", ky=empty), UNIT, kind="ky", period="Quý I", year=2025)
        assert (r.state, r.reason) == (S.WRONG_PERIOD, "Tệp không ghi đủ kỳ và năm báo cáo (trang «Thông tin chung»).")
    r = admit_one(rec("a.xlsx", kind="chi_so"), UNIT, kind="ky", period="Quý I", year=2025)
    assert (r.state, r.reason) == (S.WRONG_KIND, "Tệp là báo cáo phân tích chỉ số SIPAS, PAR Index, không phải báo cáo "
                                                 "CCHC định kỳ của kỳ Quý I năm 2025 đã chọn khi nộp.")
    r = admit_one(rec("a.xlsx", code="05016", name="UBND xã B"), UNIT, kind="ky", period="Quý I", year=2025)
    assert (r.state, r.reason) == (S.NOT_EXPECTED, "Tệp là báo cáo của đơn vị «UBND xã B» (mã 05016), không phải của "
                                                   "«UBND xã A» (mã 05014). Mỗi đơn vị chỉ nộp báo cáo của chính mình.")
    r = admit_one(rec("a.xlsx", code="05016", name=None), UNIT, kind="ky", period="Quý I", year=2025)
    assert r.reason == ("Tệp là báo cáo của đơn vị «05016», không phải của «UBND xã A» (mã 05014). Mỗi đơn vị chỉ nộp "
                        "báo cáo của chính mình.")
    nameless = Unit(id="ten:xa b", code=None, name="Xã B")
    r = admit_one(rec("a.xlsx", code=None, name="Xã C"), nameless, kind="ky", period="Quý I", year=2025)
    assert r.reason == ("Tệp là báo cáo của đơn vị «Xã C», không phải của «Xã B». Mỗi đơn vị chỉ nộp báo cáo của "
                        "chính mình.")
    r = admit_one(rec("a.xlsx", version="2024.1", missing_codes=("3:1",)), UNIT, kind="ky", period="Quý I", year=2025)
    assert r.state == S.WRONG_VERSION and r.reason.startswith("Tệp làm theo biểu mẫu phiên bản «2024.1»")


def test_admit_one_finds_the_unit_by_its_code_and_notes_another_name():
    r = admit_one(rec("a.xlsx", name="UBND xã A (mới)"), UNIT, kind="ky", period="Quý I", year=2025)
    assert r.state == S.MERGED
    assert [f.message for f in r.findings] == [
        "Tên đơn vị trong tệp «UBND xã A (mới)» khác tên trong danh sách «UBND xã A» (cùng mã 05014)."]


def test_plan_admitted_is_the_plan_of_the_files_admitted_one_by_one():
    units = [Unit(id="05016", code="05016", name="UBND xã B", expected=True),
             Unit(id="05014", code="05014", name="UBND xã A", expected=True)]
    a = rec("a.xlsx", state=S.MERGED, unit_id="05014")
    b = rec("b.xlsx", state=S.WRONG_PERIOD, reason="Khác kỳ.", unit_id="05016")
    c = rec("c.xlsx", state=S.UNREADABLE, reason="Hỏng.", unit_id="05016")
    d = rec("d.xlsx", state=S.NOT_EXPECTED, reason="Khác đơn vị.", unit_id="05099")
    plan = plan_admitted([d, c, b, a], units, kind="ky", period={"ky": "Quý I", "nam": 2025, "x": 1})
    assert [u.id for u in plan.units] == ["05014", "05016"]
    assert [f.path for f in plan.files] == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"]
    assert [f.unit_id for f in plan.files] == ["05014", "05016", "", ""]
    assert units[1].merged is a and units[1].files == [a] and units[0].files == [b] and units[0].merged is None
    assert (plan.period, plan.period_chosen_by, plan.catalogue.id, plan.kind.id) == (
        {"ky": "Quý I", "nam": 2025}, "options", "ky", "ky")
    assert plan_admitted([], [], kind="ky", period={"ky": "", "nam": 2025}).period == {"nam": 2025}


def test_plan_admitted_orders_files_by_unit_then_path():
    units = [Unit(id="05016", code="05016", name="UBND xã B", expected=True),
             Unit(id="05014", code="05014", name="UBND xã A", expected=True)]
    files = [rec("a.xlsx", code="05016", state=S.MERGED, unit_id="05016"),
             rec("z.xlsx", state=S.WRONG_PERIOD, unit_id="05014"), rec("y.xlsx", state=S.MERGED, unit_id="05014")]
    plan = plan_admitted(files, units, kind="ky", period={"ky": "Quý I", "nam": 2025})
    assert [f.path for f in plan.files] == ["y.xlsx", "z.xlsx", "a.xlsx"]
    assert [f.path for f in plan.units[0].files] == ["y.xlsx", "z.xlsx"]


def test_plan_admitted_refuses_what_admit_one_cannot_have_given():
    units = [Unit(id="05014", code="05014", name="UBND xã A", expected=True)]
    with pytest.raises(ValueError, match="merged record x.xlsx without a unit"):
        plan_admitted([rec("x.xlsx", state=S.MERGED, unit_id="05099")], units, kind="ky", period={})
    with pytest.raises(ValueError, match="two merged records for unit 05014"):
        plan_admitted([rec("x.xlsx", state=S.MERGED, unit_id="05014"), rec("y.xlsx", state=S.MERGED, unit_id="05014")],
                      units, kind="ky", period={})
