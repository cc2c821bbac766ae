"""Authorization on every URL pattern (anonymous → login; another unit → 404; a role without
the right → 403), CSRF on every form, the first-password rule, the JSON API's tokens."""

from __future__ import annotations

import re

import pytest

from .portal_helpers import PASSWORD, client_for, text_of, upload


@pytest.fixture
def subs(world, seed_workbook):
    """An accepted submission of unit A and a merge of the period."""
    from cchc.portal import services
    from cchc.portal.models import Submission

    upload(client_for(world.officer_a), world.period, seed_workbook, "a.xlsx")
    sub = Submission.objects.get(unit=world.a)
    run = services.merge_period(world.province, world.period)
    group_run = services.merge_period(world.province, world.period, "Thành phố Huế")
    return {"sub": sub, "run": run, "group_run": group_run}


# Every URL pattern: its example path, and the status each kind of user gets.
# anon: anonymous; own: the unit's officer (A); other: another unit's officer (C, other group);
# peer: officer B (same group as A); reviewer: reviewer of A's group; province.
LOGIN = "login"  # 302 to the login page


def _cases(w, s):
    sub, run, grun = s["sub"], s["run"], s["group_run"]
    return {
        "home": ("/", dict(anon=LOGIN, own=302, other=302, reviewer=302, province=302)),
        "login": ("/dang-nhap/", dict(anon=200, own=302, province=302)),
        "logout": ("/dang-xuat/", dict(anon=405, own=405)),  # GET refused: logging out is a POST
        "password": ("/doi-mat-khau/", dict(anon=LOGIN, own=200, other=200, province=200)),
        "upload": ("/nop/", dict(anon=LOGIN, own=200, other=200, reviewer=403, province=403)),
        "my_history": ("/lich-su/", dict(anon=LOGIN, own=302, reviewer=403, province=403)),
        "submission": (f"/lan-nop/{sub.pk}/", dict(anon=LOGIN, own=200, other=404, peer=404, reviewer=200, province=200)),
        "submission_file": (f"/lan-nop/{sub.pk}/tai/goc/",
                            dict(anon=LOGIN, own=200, other=404, peer=404, reviewer=200, province=200)),
        "unit": (f"/don-vi/{w.a.pk}/", dict(anon=LOGIN, own=200, other=404, peer=404, reviewer=200, province=200)),
        "templates": ("/bieu-mau/", dict(anon=LOGIN, own=200, province=200)),
        "template_file": ("/bieu-mau/ky.xlsx", dict(anon=LOGIN, own=200)),
        "dashboard": ("/tinh/", dict(anon=LOGIN, own=403, other=403, reviewer=200, province=200)),
        "merges": ("/tinh/tong-hop/", dict(anon=LOGIN, own=403, reviewer=200, province=200)),
        "merge": (f"/tinh/tong-hop/{grun.pk}/", dict(anon=LOGIN, own=403, reviewer=404, province=200)),
        "merge_file": (f"/tinh/tong-hop/{run.pk}/tai/xlsx/", dict(anon=LOGIN, own=403, reviewer=404, province=200)),
        "periods": ("/tinh/ky-bao-cao/", dict(anon=LOGIN, own=403, reviewer=403, province=200)),
        "period_edit": (f"/tinh/ky-bao-cao/{w.period.pk}/", dict(anon=LOGIN, own=403, reviewer=403, province=405)),
        "audit": ("/tinh/nhat-ky/", dict(anon=LOGIN, own=403, reviewer=403, province=200)),
        "tokens": ("/ma-api/", dict(anon=LOGIN, own=200, province=200)),
        "api_health": ("/api/health", dict(anon=200, own=200)),
        "api_periods": ("/api/periods", dict(anon=401, own=401)),  # the session does not count: a token is needed
        "api_upload": ("/api/upload", dict(anon=405, own=405)),
        "static": ("/static/admin/css/base.css", dict(anon=200)),
    }


def test_every_url_pattern_is_checked(world, subs):
    from cchc.portal.urls import portal_patterns

    names = {p.name for p in portal_patterns}
    cases = _cases(world, subs)
    assert names == set(cases), "a URL pattern without an authorization case"
    users = {"anon": None, "own": world.officer_a, "other": world.officer_c, "peer": world.officer_b,
             "reviewer": world.reviewer, "province": world.province}
    checked = 0
    for name, (path, expect) in cases.items():
        for who, status in expect.items():
            r = client_for(users[who]).get(path)
            if status == LOGIN:
                assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/?next="), (name, who)
            else:
                assert r.status_code == status, (name, who, r.status_code)
            if status in (403, 404):
                text = text_of(r)
                assert ("Không có quyền truy cập" if status == 403 else "Không tìm thấy trang") in text, (name, who)
            checked += 1
    assert checked >= 60


def test_a_second_officer_cannot_open_the_first_units_files(world, subs):
    sub = subs["sub"]
    other = client_for(world.officer_b)
    for what in ("goc", "kiem-tra", "bao-cao", "pdf"):
        assert other.get(f"/lan-nop/{sub.pk}/tai/{what}/").status_code == 404
    assert other.get(f"/lan-nop/{sub.pk + 1000}/").status_code == 404  # unknown and forbidden look alike


def test_a_reviewer_sees_only_their_group(world, subs, seed_workbook):
    r = client_for(world.reviewer).get(f"/tinh/?ky={world.period.pk}")
    text = text_of(r)
    assert "UBND xã Đưng K’Nớ" in text and "UBND xã An Khánh" in text
    assert "UBND phường Thủy Xuân" not in text
    assert "2 đơn vị phải nộp" in text
    assert client_for(world.reviewer).get(f"/tinh/?ky={world.period.pk}&nhom=Thành phố Huế").status_code == 404
    assert client_for(world.reviewer).get(f"/don-vi/{world.c.pk}/").status_code == 404
    # A reviewer's merge is of their own group, whatever the form says.
    r = client_for(world.reviewer).post("/tinh/tong-hop/", {"period": world.period.pk, "nhom": ""})
    from cchc.portal.models import MergeRun

    run = MergeRun.objects.get(pk=int(r["Location"].split("/")[3]))
    assert (run.group, run.merged, run.expected) == ("Huyện Lạc Dương", 1, 2)


FORMS = [  # (the form's action, the page that holds the form, who, data)
    ("/dang-nhap/", "/dang-nhap/", None, {"username": "00001", "password": PASSWORD}),
    ("/dang-xuat/", "/nop/", "own", {}),
    ("/doi-mat-khau/", "/doi-mat-khau/", "own",
     {"old_password": PASSWORD, "new_password1": "Moi-2025-xyz", "new_password2": "Moi-2025-xyz"}),
    ("/nop/", "/nop/", "own", {"period": "PERIOD"}),
    ("/tinh/tong-hop/", "/tinh/", "province", {"period": "PERIOD"}),
    ("/tinh/ky-bao-cao/", "/tinh/ky-bao-cao/", "province", {"kind": "ky", "ky": "Năm", "nam": 2025}),
    ("/tinh/ky-bao-cao/PERIOD/", "/tinh/ky-bao-cao/", "province", {"deadline": "20/03/2025", "is_open": "on"}),
    ("/ma-api/", "/ma-api/", "own", {}),
]


@pytest.mark.parametrize("path,page,who,data", FORMS, ids=[f[0] for f in FORMS])
def test_every_form_needs_its_csrf_token(world, path, page, who, data):
    user = {"own": world.officer_a, "province": world.province, None: None}[who]
    path = path.replace("PERIOD", str(world.period.pk))
    data = {k: (world.period.pk if v == "PERIOD" else v) for k, v in data.items()}
    c = client_for(user, enforce_csrf_checks=True)
    r = c.post(path, data)
    assert r.status_code == 403
    assert "Phiên làm việc đã hết hạn" in text_of(r)
    # The same form with the token from its page goes through.
    html = c.get(page).content.decode()
    assert f'action="{path}"' in html or page == path, "the page does not hold this form"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    r = c.post(path, {**data, "csrfmiddlewaretoken": token})
    assert r.status_code != 403


def test_first_login_must_change_the_password(world):
    from cchc.portal.models import AuditEvent, User

    u = User.objects.create(username="moi", role=User.OFFICER, unit=world.b, must_change_password=True)
    u.set_password("BanDau-123456")
    u.save()
    c = client_for()
    r = c.post("/dang-nhap/", {"username": "moi", "password": "sai-mat-khau"})
    assert r.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường." in text_of(r)
    assert AuditEvent.objects.filter(action="login_failed", detail__contains="moi").exists()
    r = c.post("/dang-nhap/", {"username": "moi", "password": "BanDau-123456"})
    assert r.status_code == 302
    for path in ("/", "/nop/", "/bieu-mau/", f"/don-vi/{world.b.pk}/"):
        r = c.get(path)
        assert r.status_code == 302 and r["Location"] == "/doi-mat-khau/", path
    r = c.post("/doi-mat-khau/", {"old_password": "BanDau-123456", "new_password1": "12345678", "new_password2": "12345678"})
    text = text_of(r)
    assert "Mật khẩu không được chỉ gồm chữ số." in text and "Mật khẩu quá phổ biến" in text
    r = c.post("/doi-mat-khau/", {"old_password": "BanDau-123456", "new_password1": "BanDau-123456",
                                  "new_password2": "BanDau-123456"})
    assert "Mật khẩu mới phải khác mật khẩu cũ." in text_of(r)
    r = c.post("/doi-mat-khau/", {"old_password": "BanDau-123456", "new_password1": "Xa-AnKhanh-2025",
                                  "new_password2": "Xa-AnKhanh-2025"})
    assert r.status_code == 302
    u.refresh_from_db()
    assert not u.must_change_password and u.check_password("Xa-AnKhanh-2025")
    assert c.get("/nop/").status_code == 200
    assert AuditEvent.objects.filter(action="password", user=u).exists()


def test_api_health_and_token_upload(world, seed_workbook, capsys):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.cli import main
    from cchc.portal.access import issue_token

    anon = client_for()
    r = anon.get("/api/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    f = lambda: SimpleUploadedFile("a.xlsx", seed_workbook.read_bytes())  # noqa: E731
    r = anon.post("/api/upload", {"file": f()})
    assert r.status_code == 401
    assert r.json()["error"].startswith("Thiếu mã API hoặc mã không đúng")
    # The session of a logged-in officer is not enough (CSRF-exempt views take tokens only).
    r = client_for(world.officer_a).post("/api/upload", {"file": f()})
    assert r.status_code == 401

    key = issue_token(world.officer_a)
    r = anon.post("/api/upload", {"file": f()}, HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 200
    body = r.json()
    capsys.readouterr()
    main(["check", str(seed_workbook), "--json"])
    cli = json.loads(capsys.readouterr().out)
    assert body["findings"] == cli["findings"] and body["summary"] == cli["summary"]
    assert body["submission"]["trang_thai"] == "accepted" and body["submission"]["ky"]["ten"] == "Quý I năm 2025"

    # Another unit's officer: refused, and recorded under their own unit.
    key_b = issue_token(world.officer_b)
    r = anon.post("/api/upload", {"file": f(), "period": world.period.pk}, HTTP_AUTHORIZATION=f"Bearer {key_b}")
    assert r.status_code == 422
    assert "không phải của «UBND xã An Khánh» (mã 00002)" in r.json()["error"]
    # The province cannot upload for a unit.
    key_p = issue_token(world.province)
    r = anon.post("/api/upload", {"file": f()}, HTTP_AUTHORIZATION=f"Token {key_p}")
    assert r.status_code == 403
    r = anon.get("/api/periods", HTTP_AUTHORIZATION=f"Token {key}")
    assert [p["ten"] for p in r.json()["periods"]] == ["Quý I năm 2025", "Quý III năm 2025"]


def test_the_admin_is_for_the_province_only(world):
    r = client_for().get("/quan-tri/")
    assert r.status_code == 302 and r["Location"].startswith("/quan-tri/login/")
    r = client_for(world.officer_a).get("/quan-tri/")
    assert r.status_code == 302 and r["Location"].startswith("/quan-tri/login/")
    r = client_for(world.province).get("/quan-tri/portal/submission/")
    assert r.status_code == 200
    # Submissions are read-only there: no deleting a version.
    from cchc.portal.admin import SubmissionAdmin
    from cchc.portal.models import Submission
    from django.contrib import admin

    assert not SubmissionAdmin(Submission, admin.site).has_delete_permission(None)


def test_dashboard_counts_on_time_late_missing_and_errors(world, seed_workbook, workbook):
    import datetime as dt

    from django.utils import timezone

    from cchc.portal.models import Submission

    world.period.deadline = timezone.now() + dt.timedelta(days=1)
    world.period.save()
    upload(client_for(world.officer_a), world.period, seed_workbook)
    first = Submission.objects.get(unit=world.a)
    world.period.deadline = first.uploaded_at + dt.timedelta(microseconds=1)
    world.period.save()

    bad = workbook("an_khanh.xlsx", info={"ma_dvhc": "00002", "don_vi": "UBND xã An Khánh"})
    import openpyxl

    wb = openpyxl.load_workbook(bad)
    from cchc.workbook.raw import parse_name_ref

    ref = parse_name_ref(wb.defined_names["BM3_2_3_2"].attr_text)
    wb[ref.sheet].cell(ref.r0 + 1, ref.c0 + 1).value = 500  # settled on time > settled: an error
    wb.save(bad)
    upload(client_for(world.officer_b), world.period, bad)
    sub_b = Submission.objects.get(unit=world.b)
    assert sub_b.accepted and sub_b.errors >= 1
    page = client_for(world.province).get(f"/tinh/?ky={world.period.pk}")
    text = text_of(page)
    for figure in ("3 đơn vị phải nộp", "1 đã nộp đúng hạn", "1 nộp muộn", "1 chưa nộp",
                   "0 gửi nhưng bị từ chối", "1 đã nộp, còn lỗi", "Tỷ lệ đã nộp: 2/3 đơn vị (66,67%)."):
        assert figure in text, figure
    late = text_of(client_for(world.province).get(f"/tinh/?ky={world.period.pk}&trang-thai=late"))
    assert "UBND xã An Khánh" in late and "UBND xã Đưng K’Nớ" not in late
    group = text_of(client_for(world.province).get(f"/tinh/?ky={world.period.pk}&nhom=Thành phố Huế"))
    assert "1 đơn vị phải nộp" in group and "1 chưa nộp" in group


def test_a_reviewer_with_no_group_sees_no_merge(world, subs):
    from cchc.portal.models import User

    lost = User(username="chua_giao", role=User.REVIEWER, group="", must_change_password=False)
    lost.set_password(PASSWORD)
    lost.save()
    c = client_for(lost)
    run = subs["run"]  # the province's run: no group, as this account has none
    assert run.group == ""
    assert c.get(f"/tinh/tong-hop/{run.pk}/").status_code == 404
    assert c.get(f"/tinh/tong-hop/{run.pk}/tai/xlsx/").status_code == 404
    assert f"/tinh/tong-hop/{run.pk}/" not in c.get("/tinh/tong-hop/").content.decode()
    assert f"/tinh/tong-hop/{run.pk}/" in client_for(world.province).get("/tinh/tong-hop/").content.decode()
