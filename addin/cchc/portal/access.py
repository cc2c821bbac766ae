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

import hashlib
import secrets
from functools import wraps

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


class PasswordRules:
    """Django's usual password rules, with the messages in Vietnamese."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length
        self.common = CommonPasswordValidator()

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.")
        if password.isdigit():
            errors.append("Mật khẩu không được chỉ gồm chữ số.")
        try:
            self.common.validate(password, user)
        except ValidationError:
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
        return f"Ít nhất {self.min_length} ký tự, không chỉ gồm chữ số, không giống tên đăng nhập."


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
