"""The JSON API, for batch tools and the Excel add-in's fallback.

    GET  /api/health                   no login: {"status": "ok"}
    GET  /api/periods                  token: the open periods
    POST /api/upload                   token (an officer's): multipart "file", optional "period"
                                       (id; default: the open period the workbook names)
         200 {"file", "summary", "findings"} exactly as `cchc check --json`, + "submission"
         422 refused: {"error": reason, "submission": …} (+ the findings when readable)
         401 no or unknown token; 403 not a unit's account; 400 no file, unknown period

Authenticated by `Authorization: Token <key>` only (keys: page «Mã API»); never by the session
cookie, so these CSRF-exempt views cannot be driven by another site through a browser.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cchc import app
from cchc.portal import services
from cchc.portal.access import user_from_token
from cchc.portal.models import Period


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _fail(status: int, message: str, **extra):
    return _json({"error": message, **extra}, status=status)


@require_GET
def health(request):
    return _json({"status": "ok"})


def _period_json(p: Period) -> dict:
    return {"id": p.pk, "loai": p.kind, "ky": p.ky or None, "nam": p.nam, "ten": p.label,
            "han_nop": p.deadline.isoformat() if p.deadline else None}


def _token_user(request):
    user = user_from_token(request)
    if user is None:
        return None, _fail(401, "Thiếu mã API hoặc mã không đúng (tiêu đề Authorization: Token <mã>).")
    if user.must_change_password:
        return None, _fail(403, "Tài khoản phải đổi mật khẩu ban đầu trên trang web trước khi dùng API.")
    return user, None


@require_GET
def periods(request):
    user, fail = _token_user(request)
    if fail:
        return fail
    return _json({"periods": [_period_json(p) for p in Period.objects.filter(is_open=True)]})


@csrf_exempt
@require_POST
def upload(request):
    user, fail = _token_user(request)
    if fail:
        return fail
    if not user.is_officer or user.unit is None:
        return _fail(403, "Chỉ tài khoản của một đơn vị mới nộp báo cáo được.")
    too_large = getattr(request, "cchc_too_large", None)
    upfile = request.FILES.get("file")
    if upfile is None and not too_large:
        return _fail(400, "Thiếu tệp: gửi tệp Excel trong trường «file» (multipart/form-data).")
    pid = request.POST.get("period", "")
    if pid:
        if not pid.isdigit() or not (period := Period.objects.filter(pk=int(pid), is_open=True).first()):
            return _fail(400, f"Kỳ báo cáo «{pid}» không có hoặc không còn nhận báo cáo.")
    else:
        period = _period_of_file(upfile)
        if period is None:
            return _fail(400, "Không xác định được kỳ báo cáo: hãy gửi thêm trường «period» (xem GET /api/periods).")
    sub = services.receive(user, user.unit, period, upfile, via="api", request=request, too_large=too_large)
    link = request.build_absolute_uri(reverse("portal:submission", args=[sub.pk]))
    meta = {"id": sub.pk, "lan_nop": sub.seq, "trang_thai": "accepted" if sub.accepted else "refused",
            "ly_do": sub.reason or None, "ky": _period_json(period), "url": link}
    if sub.accepted:
        return _json({**sub.check_json, "submission": meta})
    out = {"error": sub.reason, "submission": meta}
    if sub.check_json:
        out.update(sub.check_json)
    return _json(out, status=422)


def _period_of_file(upfile):
    """The open period a workbook names (kind, period, year), read from a temporary copy."""
    if upfile is None:
        return None
    import tempfile
    from pathlib import Path

    suffix = Path(services.display_name(upfile.name)).suffix.lower()
    if suffix not in services.READ_SUFFIXES:
        return Period.objects.filter(is_open=True).first() if Period.objects.filter(is_open=True).count() == 1 else None
    with tempfile.NamedTemporaryFile(suffix=suffix, dir=services.store.data_dir() / "tmp", delete=False) as tmp:
        for chunk in upfile.chunks():
            tmp.write(chunk)
    try:
        up = app.read_upload(tmp.name, services.display_name(upfile.name))
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    upfile.seek(0)
    open_periods = list(Period.objects.filter(is_open=True))
    if up.error:  # unreadable: any open period will do, the refusal is the same
        return open_periods[0] if len(open_periods) == 1 else None
    info = up.record.info
    for p in open_periods:
        if p.kind == up.record.kind and p.nam == info.get("nam") and (not p.ky or p.ky == info.get("ky")):
            return p
    return None
