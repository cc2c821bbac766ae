"""Who may see what, checked on every URL.

- an officer (cán bộ đơn vị) sees and uploads for their own unit only;
- a reviewer (cán bộ theo dõi) sees the units of their group (e.g. an old district);
- the province (cán bộ cấp tỉnh) sees everything, manages periods and reads the audit log.

Object-level: a page or file of a unit the user may not see answers 404 (its existence is
not confirmed); a page of a role the user does not have answers 403. Anonymous users are sent
to the login page; API calls authenticate with a token only (never the session cookie, so the
API, which is exempt from CSRF, cannot be driven by another site through a logged-in browser).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone


# ------------------------------------------------------------------------------------ roles
def visible_units(user):
    from cchc.portal.models import Unit

    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_province:
        return Unit.objects.all()
    if user.is_reviewer:
        return Unit.objects.filter(group=user.group) if user.group else Unit.objects.none()
    return Unit.objects.filter(pk=user.unit_id) if user.unit_id else Unit.objects.none()


def can_see_unit(user, unit) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_province:
        return True
    if user.is_reviewer:
        return bool(user.group) and unit.group == user.group
    return user.unit_id is not None and user.unit_id == unit.pk


def unit_or_404(user, unit):
    if not can_see_unit(user, unit):
        raise Http404("Không tìm thấy trang này.")
    return unit


def role_required(*roles):
    """A view for logged-in users of these roles; others get 403 (anonymous: the login page)."""

    def deco(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('portal:login')}?next={request.path}")
            if user.role not in roles:
                raise PermissionDenied("Tài khoản của bạn không có quyền mở trang này.")
            return view(request, *args, **kwargs)

        return wrapper

    return deco


def login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


# ---------------------------------------------------------------------------- first password
class FirstPasswordMiddleware:
    """An account whose password was set by someone else must change it before anything else."""

    ALLOWED = ("portal:password", "portal:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(n) for n in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith(("/static/", "/api/")):
                return redirect("portal:password")
        return self.get_response(request)


class FirstPasswordHasher(PBKDF2PasswordHasher):
    """For the random first passwords only (see settings.PASSWORD_HASHERS)."""

    algorithm = "pbkdf2_sha256_first"
    iterations = 20_000


def new_password(length: int = 12) -> str:
    """A first password that reads well on paper: no 0/O, 1/l/I."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


# Common passwords of Vietnamese offices that Django's English list does not have.
VN_COMMON = frozenset({
    "matkhau", "matkhau1", "matkhau123", "matkhau@123", "matkhau2024", "matkhau2025", "matkhau2026", "ubnd",
    "ubnd123", "ubnd@123", "ubndxa", "ubndxa123", "vanphong", "vanphong123", "cchc", "cchc123", "cchc@123",
    "snv", "snv123", "snv@123", "noivu", "noivu123", "abc@123", "abc12345", "abcd1234", "123456a@", "a123456@",
    "123456aa", "aa123456", "admin123", "admin@123", "quantri", "quantri123", "vietnam", "vietnam123",
    "vietnam@123", "hanoi123", "anhyeuem", "iloveyou", "12345678a", "qwerty123", "password1", "12345678",
    "123456789", "1234567890", "87654321", "11111111", "88888888", "66668888",
})


class PasswordRules:
    """Password rules for the portal's accounts, with the messages in Vietnamese: at least 8
    characters (at most 128), letters and digits or symbols, no Vietnamese diacritics (Unikey
    and phones type the same word as different code points, so it would not match on another
    machine), not common, not like the user name, not the old one."""

    MAX_LENGTH = 128

    def __init__(self, min_length: int = 8):
        self.min_length = min_length
        self.common = CommonPasswordValidator()

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.")
        if len(password) > self.MAX_LENGTH:
            errors.append(f"Mật khẩu quá dài: tối đa {self.MAX_LENGTH} ký tự.")
        if not password.isascii() or not password.isprintable():
            errors.append("Mật khẩu chỉ gồm chữ cái không dấu, chữ số và ký hiệu (không gõ dấu tiếng Việt).")
        elif password.isdigit():
            errors.append("Mật khẩu không được chỉ gồm chữ số.")
        elif not any(c.isalpha() for c in password) or all(c.isalpha() for c in password):
            errors.append("Mật khẩu phải có cả chữ cái và chữ số (hoặc ký hiệu như @ # - _).")
        if password != password.strip():
            errors.append("Mật khẩu không được bắt đầu hay kết thúc bằng dấu cách.")
        if len(set(password.lower())) < 4:
            errors.append("Mật khẩu phải có ít nhất 4 ký tự khác nhau.")
        common = password.lower() in VN_COMMON
        if not common:
            try:
                self.common.validate(password, user)
            except ValidationError:
                common = True
        if common:
            errors.append("Mật khẩu quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.")
        if user is not None:
            for attr in ("username", "first_name", "last_name", "email"):
                v = (getattr(user, attr, "") or "").lower()
                if len(v) >= 3 and (v in password.lower() or password.lower() in v):
                    errors.append("Mật khẩu quá giống tên đăng nhập.")
                    break
            if user.check_password(password) if getattr(user, "pk", None) else False:
                errors.append("Mật khẩu mới phải khác mật khẩu cũ.")
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return HELP_TEXT


HELP_TEXT = ("Ít nhất 8 ký tự, có cả chữ cái và chữ số (hoặc ký hiệu), không gõ dấu tiếng Việt, "
             "không giống tên đăng nhập.")


# -------------------------------------------------------------------------- login lock-out
def client_ip(request) -> str:
    """The address of the person (after ProxyHeadersMiddleware), for the audit log and lock-out."""
    return (request.META.get("REMOTE_ADDR") or "")[:45] if request is not None else ""


def _login_keys(username: str, ip: str) -> list[tuple[str, int]]:
    """(counter key, failures allowed) for an account and an address. An address gets 4 times
    the account's allowance: a province office behind one NAT address has many accounts."""
    n = settings.CCHC_LOGIN_MAX_FAILURES
    keys = [("u:" + (username or "").strip().lower()[:150], n)]
    if ip:
        keys.append(("ip:" + ip, 4 * n))
    return keys


def login_locked_until(username: str, ip: str, now=None) -> dt.datetime | None:
    """When the account or the address may try again: `limit` failures within the lock time
    lock further tries for the lock time after the last of them; None when not locked."""
    from cchc.portal.models import LoginFailure

    now = now or timezone.now()
    span = dt.timedelta(seconds=settings.CCHC_LOGIN_LOCK)
    until = None
    for key, limit in _login_keys(username, ip):
        times = list(LoginFailure.objects.filter(key=key, at__gte=now - 2 * span).order_by("at")
                     .values_list("at", flat=True))
        for i in range(limit - 1, len(times)):
            if times[i] - times[i - limit + 1] <= span:
                end = times[i] + span
                until = end if until is None or end > until else until
    return until if until is not None and until > now else None


def login_failed(username: str, ip: str) -> None:
    from cchc.portal.models import LoginFailure

    now = timezone.now()
    LoginFailure.objects.bulk_create([LoginFailure(key=k, at=now) for k, _ in _login_keys(username, ip)])
    # Counters older than twice the lock time no longer count for anything.
    LoginFailure.objects.filter(at__lt=now - dt.timedelta(seconds=2 * settings.CCHC_LOGIN_LOCK)).delete()


def login_unlock(username: str) -> int:
    """Forget an account's failures (a successful login, or the province unlocking it)."""
    from cchc.portal.models import LoginFailure

    return LoginFailure.objects.filter(key=_login_keys(username, "")[0][0]).delete()[0]


def locked_message(until: dt.datetime) -> str:
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    return (f"Đăng nhập sai quá nhiều lần: tạm khóa, hãy thử lại sau {minutes} phút. Nếu quên mật khẩu, hãy liên "
            "hệ Sở Nội vụ để được đặt lại.")


class ThrottledBackend(ModelBackend):
    """Django's login by user name and password, refused without checking the password while
    the account or the address is locked out (counters in the database, so every worker
    process sees them). Used by the portal's login page and the admin's."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username", "")
        ip = client_ip(request)
        until = login_locked_until(username or "", ip)
        if until is not None:
            if request is not None:
                request.cchc_login_locked = until
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failed(username or "", ip)
        else:
            login_unlock(username)
        return user


# ------------------------------------------------------------------------------- requests
class ProxyHeadersMiddleware:
    """X-Forwarded-For and X-Forwarded-Proto are believed only from the reverse proxies of
    CCHC_TRUSTED_PROXIES (by default the machine itself, where nginx runs): from them, the
    client's address replaces the proxy's; from anyone else, the headers are dropped, so a
    client can neither fake an address nor make a plain HTTP request look like HTTPS."""

    HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
               "HTTP_X_REAL_IP", "HTTP_FORWARDED")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        trusted = settings.CCHC_TRUSTED_PROXIES
        if meta.get("REMOTE_ADDR", "") in trusted:
            chain = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
            while chain and chain[-1] in trusted:  # the rightmost address not of our proxies
                chain.pop()
            if chain:
                try:
                    meta["REMOTE_ADDR"] = str(ipaddress.ip_address(chain[-1]))
                except ValueError:
                    pass
        else:
            for h in self.HEADERS:
                meta.pop(h, None)
        return self.get_response(request)


class SessionExpiryMiddleware:
    """A session ends CCHC_SESSION_IDLE_MINUTES after its last request, or
    CCHC_SESSION_MAX_HOURS after the login, whichever comes first; the person is sent to the
    login page with a message. The last-seen time is written at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            s, now = request.session, int(time.time())
            started, seen = s.get("cchc_login_at"), s.get("cchc_seen")
            if started is None or seen is None:
                s["cchc_login_at"], s["cchc_seen"] = started or now, now
            elif now - seen > settings.CCHC_SESSION_IDLE or now - started > settings.CCHC_SESSION_MAX:
                idle = now - seen > settings.CCHC_SESSION_IDLE
                logout(request)
                messages.warning(request, SESSION_IDLE_MESSAGE if idle else SESSION_MAX_MESSAGE)
                target = reverse("portal:login")
                if request.method == "GET" and not request.path.startswith("/api/"):
                    target += f"?next={request.path}"
                return redirect(target)
            elif now - seen >= 60:
                s["cchc_seen"] = now
        return self.get_response(request)


SESSION_IDLE_MESSAGE = "Phiên đăng nhập đã hết hạn vì lâu không thao tác. Hãy đăng nhập lại."
SESSION_MAX_MESSAGE = "Phiên đăng nhập đã hết thời hạn trong ngày. Hãy đăng nhập lại."


def session_started(request) -> None:
    """At login: the clock of SessionExpiryMiddleware starts."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session["cchc_login_at"] = request.session["cchc_seen"] = now


# --------------------------------------------------------------------------------- API tokens
def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_token(user) -> str:
    """A new token for `user`; the key is shown once, only its digest is kept."""
    from cchc.portal.models import ApiToken

    key = "cchc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=token_digest(key), prefix=key[:12])
    return key


def user_from_token(request):
    """The user of `Authorization: Token <key>` (or Bearer), or None."""
    from cchc.portal.models import ApiToken

    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() not in ("token", "bearer") or not key.strip():
        return None
    try:
        token = ApiToken.objects.select_related("user").get(digest=token_digest(key.strip()), revoked=False)
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
