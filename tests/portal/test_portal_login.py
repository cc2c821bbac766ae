"""Login protection: the lock-out after repeated failed logins (per account and per address,
counted in the database, also on the admin's login), the client's address behind a trusted
reverse proxy only, session expiry (idle and absolute), the password rules in Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest

from .portal_helpers import PASSWORD, client_for, text_of

LOCKED = ("Đăng nhập sai quá nhiều lần: tạm khóa, hãy thử lại sau {} phút. Nếu quên mật khẩu, hãy liên hệ Sở Nội vụ "
          "để được đặt lại.")
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."


def _login(c, username, password, **extra):
    return c.post("/dang-nhap/", {"username": username, "password": password}, **extra)


def _shift_failures(seconds: float):
    from cchc.portal.models import LoginFailure

    for f in LoginFailure.objects.all():
        f.at -= dt.timedelta(seconds=seconds)
        f.save(update_fields=["at"])


def test_five_failures_lock_the_account_for_fifteen_minutes(world):
    from cchc.portal.models import AuditEvent

    c = client_for()
    for _ in range(4):
        assert WRONG in text_of(_login(c, "00001", "sai-mat-khau"))
    # Four failures: the right password still opens (the limit is five).
    r = _login(c, "00001", PASSWORD)
    assert r.status_code == 302
    # A success forgets the account's failures: four more are again below the limit.
    c = client_for()
    for _ in range(4):
        _login(c, "00001", "sai-mat-khau")
    assert _login(c, "00001", PASSWORD).status_code == 302
    c = client_for()
    for _ in range(5):
        _login(c, "00001", "sai-mat-khau")
    r = _login(c, "00001", PASSWORD)  # the right password, refused while locked
    assert r.status_code == 200 and LOCKED.format(15) in text_of(r)
    assert "_auth_user_id" not in c.session
    # Another account from the same address is not locked (5 < 4 × 5 for the address).
    assert _login(client_for(), "00002", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="login_failed").count() == 14
    # The lock runs 15 minutes from the last failure: half a minute before, still locked …
    _shift_failures(15 * 60 - 30)
    assert LOCKED.format(1) in text_of(_login(client_for(), "00001", PASSWORD))
    # … and it is over after them.
    _shift_failures(31)
    assert _login(client_for(), "00001", PASSWORD).status_code == 302


def test_failures_count_within_fifteen_minutes(world):
    from django.utils import timezone

    from cchc.portal.models import LoginFailure

    now = timezone.now()
    old = now - dt.timedelta(minutes=15, seconds=1)
    LoginFailure.objects.bulk_create([LoginFailure(key="u:00001", at=old)] +
                                     [LoginFailure(key="u:00001", at=now) for _ in range(4)])
    assert _login(client_for(), "00001", PASSWORD).status_code == 302  # the first is outside the window
    LoginFailure.objects.bulk_create([LoginFailure(key="u:00002", at=now - dt.timedelta(minutes=15))] +
                                     [LoginFailure(key="u:00002", at=now) for _ in range(4)])
    assert LOCKED.format(15) in text_of(_login(client_for(), "00002", PASSWORD))  # exactly 15 minutes: counted


def test_one_address_is_locked_after_twenty_failures_on_any_accounts(world):
    attacker, other = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.20"}
    c = client_for()
    for k in range(19):
        _login(c, f"khong_co_{k}", "doan-mo", **attacker)
    assert _login(client_for(), "00003", PASSWORD, **attacker).status_code == 302  # 19 < 20
    for k in range(1):
        _login(c, f"khong_co_x{k}", "doan-mo", **attacker)
    r = _login(client_for(), "00002", PASSWORD, **attacker)
    assert LOCKED.format(15) in text_of(r)
    assert _login(client_for(), "00002", PASSWORD, **other).status_code == 302


def test_the_admin_login_is_locked_too(world):
    c = client_for()
    for _ in range(5):
        c.post("/quan-tri/login/", {"username": "tinh", "password": "sai", "next": "/quan-tri/"})
    r = c.post("/quan-tri/login/", {"username": "tinh", "password": PASSWORD, "next": "/quan-tri/"})
    assert r.status_code == 200 and "_auth_user_id" not in c.session
    # Another province account unlocks it from the admin («Mở khóa đăng nhập»).
    from cchc.portal.access import login_locked_until
    from cchc.portal.models import User

    assert login_locked_until("tinh", "127.0.0.1") is not None
    admin = User.objects.create(username="tinh2", role=User.PROVINCE, is_staff=True, is_superuser=True,
                                must_change_password=False)
    tinh = User.objects.get(username="tinh")
    r = client_for(admin).post("/quan-tri/portal/user/", {"action": "unlock", "_selected_action": [tinh.pk]},
                               follow=True)
    assert "Đã mở khóa đăng nhập cho 1 tài khoản." in text_of(r)
    assert login_locked_until("tinh", "127.0.0.1") is None
    assert _login(client_for(), "tinh", PASSWORD).status_code == 302


def test_the_address_behind_a_trusted_proxy_only(world):
    from cchc.portal.models import AuditEvent

    # nginx on the machine itself passes the client's address; the rightmost not-proxy one counts.
    _login(client_for(), "00001", "sai", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.8.7, 198.51.100.9")
    # Anyone else's X-Forwarded-For is ignored: the address is the peer's.
    _login(client_for(), "00001", "sai", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR="198.51.100.99")
    ips = list(AuditEvent.objects.filter(action="login_failed").order_by("id").values_list("ip", flat=True))
    assert ips == ["198.51.100.9", "203.0.113.50"]


def test_an_idle_session_ends_after_an_hour(world):
    c = client_for(world.officer_a)
    assert c.get("/nop/").status_code == 200
    s = c.session
    s["cchc_seen"] -= 60 * 60 - 5  # idle 59:55: still open
    s.save()
    assert c.get("/nop/").status_code == 200
    s = c.session
    s["cchc_seen"] -= 60 * 60 + 1
    s.save()
    r = c.get("/nop/")
    assert (r.status_code, r["Location"]) == (302, "/dang-nhap/?next=/nop/")
    page = c.get(r["Location"])
    assert "Phiên đăng nhập đã hết hạn vì lâu không thao tác. Hãy đăng nhập lại." in text_of(page)
    assert c.get("/nop/").status_code == 302  # logged out for good


def test_a_session_ends_eight_hours_after_the_login(world):
    c = client_for(world.province)
    s = c.session
    s["cchc_login_at"] -= 8 * 3600 - 5
    s.save()
    assert c.get("/tinh/").status_code == 200  # used a minute ago, logged in 7:59:55 ago
    s = c.session
    s["cchc_login_at"] -= 10
    s.save()
    r = c.get("/tinh/")
    assert r.status_code == 302
    assert "Phiên đăng nhập đã hết thời hạn trong ngày. Hãy đăng nhập lại." in text_of(c.get(r["Location"]))


def test_the_session_cookie_ends_with_the_browser(world):
    r = _login(client_for(), "00001", PASSWORD)
    cookie = r.cookies["sessionid"]
    assert r.status_code == 302 and not cookie["expires"] and not cookie["max-age"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.parametrize("password, message", [
    ("Ab-1234", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
    ("Ab-1" * 33, "Mật khẩu quá dài: tối đa 128 ký tự."),
    ("Mậtkhẩu-2025", "Mật khẩu chỉ gồm chữ cái không dấu, chữ số và ký hiệu (không gõ dấu tiếng Việt)."),
    ("87654329", "Mật khẩu không được chỉ gồm chữ số."),
    ("XaAnKhanhMoi", "Mật khẩu phải có cả chữ cái và chữ số (hoặc ký hiệu như @ # - _)."),
    ("2025-2026!", "Mật khẩu phải có cả chữ cái và chữ số (hoặc ký hiệu như @ # - _)."),
    (" XaAnKhanh-25", "Mật khẩu không được bắt đầu hay kết thúc bằng dấu cách."),
    ("ab1ab1ab1", "Mật khẩu phải có ít nhất 4 ký tự khác nhau."),
    ("MatKhau@123", "Mật khẩu quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."),
    ("password123", "Mật khẩu quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."),
    ("00002-AnKhanh", "Mật khẩu quá giống tên đăng nhập."),
])
def test_password_rules_in_vietnamese(world, password, message):
    c = client_for(world.officer_b)
    r = c.post("/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": password, "new_password2": password})
    assert r.status_code == 200 and message in text_of(r)


def test_a_good_password_passes_every_rule(world):
    c = client_for(world.officer_b)
    r = c.post("/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": "Abc1", "new_password2": "Abc1"})
    assert ("Ít nhất 8 ký tự, có cả chữ cái và chữ số (hoặc ký hiệu), không gõ dấu tiếng Việt, không giống tên đăng "
            "nhập.") in text_of(r)
    for good in ("Xa-AnKhanh-2025", "qv7#Lm2pZ", "abcd1234efgh"):
        from django.contrib.auth.password_validation import validate_password

        validate_password(good, world.officer_b)


def test_x_forwarded_proto_only_from_a_trusted_proxy(world):
    from django.test.utils import override_settings

    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=60):
        c = client_for()
        r = c.get("/dang-nhap/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        assert r["Strict-Transport-Security"] == "max-age=60"  # nginx on this machine: HTTPS
        r = c.get("/dang-nhap/", REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_PROTO="https")
        assert "Strict-Transport-Security" not in r  # anyone else: the header is dropped
