"""The unit's history: each period's current version beside the same period of the year before
and the period just gone, computed from the stored values (cchc.app.history_comparison), as
`cchc report --compare` computes it from the files."""

from __future__ import annotations

import copy

from .portal_helpers import client_for, text_of, upload


def _values(seed_data, changes: dict[str, object]) -> dict:
    values = copy.deepcopy(seed_data["values"])
    for ref, v in changes.items():
        form, _, code = ref.partition(":")
        values[form][code] = v
    return values


def _period(kind, ky, nam):
    from cchc.portal.models import Period

    return Period.objects.create(kind=kind, ky=ky, nam=nam)


def test_history_compares_with_the_same_period_last_year_and_the_period_just_gone(world, workbook, seed_workbook,
                                                                                   seed_data):
    q1_2024 = _period("ky", "Quý I", 2024)
    six_2024 = _period("ky", "6 tháng", 2024)
    officer = client_for(world.officer_a)
    earlier = workbook("q1_2024.xlsx", {"nam": 2024, "tu_ngay": "2023-12-11", "den_ngay": "2024-03-10",
                                        "ngay_ky": "2024-03-08"},
                       _values(seed_data, {"7:3.1": 60, "7:3.2": 45, "3:2.3.1": 59, "3:2.3.2": 55}))
    six = workbook("6t_2024.xlsx", {"nam": 2024, "ky": "6 tháng", "tu_ngay": "2023-12-11", "den_ngay": "2024-06-10",
                                    "ngay_ky": "2024-06-12"},
                   _values(seed_data, {"7:3.1": 150, "7:3.2": 120, "3:2.3.1": 140, "3:2.3.2": 139}))
    for period, path in ((q1_2024, earlier), (six_2024, six), (world.period, seed_workbook)):
        assert upload(officer, period, path).status_code == 302

    text = text_of(officer.get(f"/don-vi/{world.a.pk}/"))
    # Quý I/2025: beside Quý I/2024 (the same period) and 6 tháng 2024 (the latest that ends before).
    assert "So sánh Quý I năm 2025 với cùng kỳ năm 2024 và 6 tháng đầu năm 2024" in text
    assert ("Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp và trực tuyến) (Hồ sơ) 71 60 tăng 11 hồ sơ (18,33%) "
            "150 giảm 79 hồ sơ (52,67%)") in text
    # 6 tháng 2024: nothing of its own year before it but Quý I/2024, which it contains.
    assert "So sánh 6 tháng đầu năm 2024 với Quý I năm 2024" in text
    # Quý I/2024 has nothing earlier.
    assert "So sánh Quý I năm 2024" not in text


def test_a_single_period_shows_no_comparison(world, seed_workbook):
    officer = client_for(world.officer_a)
    assert upload(officer, world.period, seed_workbook).status_code == 302
    text = text_of(officer.get(f"/don-vi/{world.a.pk}/"))
    assert "Lịch sử nộp — UBND xã Đưng K’Nớ" in text and "So sánh" not in text


def test_the_history_says_late_as_the_dashboard_does_by_the_first_version(world, seed_workbook):
    import datetime as dt

    from cchc.portal.models import Submission

    officer = client_for(world.officer_a)
    assert upload(officer, world.period, seed_workbook).status_code == 302
    first = Submission.objects.get(unit=world.a, period=world.period, seq=1)
    world.period.deadline = first.uploaded_at  # received at the deadline itself: on time
    world.period.save()
    assert upload(officer, world.period, seed_workbook).status_code == 302  # a second version, after it

    def status():
        text = text_of(officer.get(f"/don-vi/{world.a.pk}/"))
        return text.split(world.period.label, 1)[1].split("Phiên bản đang dùng: lần 2", 1)[0].split("—")[-1]

    assert status().strip().endswith("Đã nộp")
    world.period.deadline = first.uploaded_at - dt.timedelta(microseconds=1)
    world.period.save()
    assert status().strip().endswith("Nộp muộn")
