"""The pages. Every view checks who may see it (cchc.portal.access): role-level 403,
object-level 404, anonymous → the login page."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cchc import app
from cchc.portal import services
from cchc.portal.access import issue_token, login_required, role_required, unit_or_404, visible_units
from cchc.portal.forms import ChangePasswordForm, DeadlineForm, LoginForm, PeriodForm, UploadForm
from cchc.portal.models import ApiToken, AuditEvent, MergeRun, Period, Submission, Unit, User

log = logging.getLogger("cchc.portal")
OFFICER, REVIEWER, PROVINCE = User.OFFICER, User.REVIEWER, User.PROVINCE


def nav(request):
    """Context for every page: the menu of the user's role."""
    user = getattr(request, "user", None)
    links = []
    if user is not None and user.is_authenticated and not user.must_change_password:
        if user.is_officer:
            links = [("portal:upload", "Nộp báo cáo"), ("portal:my_history", "Lịch sử nộp")]
        else:
            links = [("portal:dashboard", "Tình hình nộp"), ("portal:merges", "Tổng hợp")]
            if user.is_province:
                links += [("portal:periods", "Kỳ báo cáo"), ("portal:audit", "Nhật ký")]
        links += [("portal:templates", "Biểu mẫu trống"), ("portal:tokens", "Mã API")]
    return {"nav_links": [(reverse(n), label, request.resolver_match and request.resolver_match.view_name == n)
                          for n, label in links] if links else []}


# ------------------------------------------------------------------------------ errors
def _error(request, status: int, title: str, message: str):
    return render(request, "portal/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Yêu cầu không hợp lệ", "Trình duyệt gửi một yêu cầu không hợp lệ. Hãy quay lại và thử lại.")


def permission_denied(request, exception=None):
    msg = str(exception) if exception and str(exception) else "Tài khoản của bạn không có quyền mở trang này."
    return _error(request, 403, "Không có quyền truy cập", msg)


def page_not_found(request, exception=None):
    return _error(request, 404, "Không tìm thấy trang", "Trang hoặc tệp này không có, hoặc bạn không có quyền xem.")


def server_error(request):
    return _error(request, 500, "Có lỗi ở máy chủ", "Máy chủ gặp lỗi khi xử lý yêu cầu. Hãy thử lại sau ít phút; "
                  "nếu vẫn lỗi, hãy báo bộ phận công nghệ thông tin của Sở Nội vụ.")


def csrf_failure(request, reason=""):
    return _error(request, 403, "Phiên làm việc đã hết hạn",
                  "Biểu mẫu này đã cũ hoặc không gửi từ trang của cổng (kiểm tra CSRF không đạt). "
                  "Hãy tải lại trang rồi thao tác lại.")


# ------------------------------------------------------------------------------ accounts
class Login(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class ChangePassword(auth_views.PasswordChangeView):
    template_name = "portal/password.html"
    form_class = ChangePasswordForm

    def get_success_url(self):
        return reverse("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        services.audit("password", self.request)
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)


@login_required
def home(request):
    if request.user.is_officer:
        return redirect("portal:upload")
    return redirect("portal:dashboard")


# ------------------------------------------------------------------------------ officer
def _officer_unit(request) -> Unit:
    unit = request.user.unit
    if unit is None:
        raise PermissionDenied("Tài khoản này chưa gắn với đơn vị nào. Hãy liên hệ Sở Nội vụ.")
    return unit


@role_required(OFFICER)
@require_http_methods(["GET", "POST"])
def upload(request):
    unit = _officer_unit(request)
    form = UploadForm(request.POST or None)
    if request.method == "POST":
        too_large = getattr(request, "cchc_too_large", None)
        upfile = request.FILES.get("file")
        if upfile is None and not too_large:
            form.add_error(None, "Hãy chọn tệp Excel (.xlsx hoặc .xlsm) để nộp.")
        if form.is_valid():
            period = form.cleaned_data["period"]
            sub = services.receive(request.user, unit, period, upfile, request=request, too_large=too_large)
            if sub.accepted:
                return redirect("portal:submission", pk=sub.pk)
            return render(request, "portal/refused.html", {"sub": sub, "unit": unit}, status=422)
    recent = unit.submissions.select_related("period").only(
        "id", "seq", "status", "uploaded_at", "original_name", "errors", "warnings", "period__ky", "period__nam",
        "period__kind", "unit_id")[:10]
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/upload.html", {"form": form, "unit": unit, "recent": recent,
                                                  "limit": services._size_text(_limit())}, status=status)


def _limit() -> int:
    from django.conf import settings

    return settings.UPLOAD_MAX_BYTES


def _submission_for(request, pk: int) -> Submission:
    sub = get_object_or_404(Submission.objects.select_related("unit", "period", "uploaded_by"), pk=pk)
    unit_or_404(request.user, sub.unit)
    return sub


@login_required
def submission(request, pk: int):
    sub = _submission_for(request, pk)
    newer = (Submission.objects.filter(unit=sub.unit, period=sub.period, status=Submission.ACCEPTED, seq__gt=sub.seq)
             .exists())
    return render(request, "portal/submission.html", {
        "sub": sub, "unit": sub.unit, "rows": sub.rows, "is_current": sub.accepted and not newer,
        "summary": _verdict(sub), "pdf": app.can_make_pdf(),
        "late": bool(sub.period.deadline and sub.uploaded_at > sub.period.deadline),
    })


def _verdict(sub: Submission) -> str:
    if sub.errors:
        return f"Có {sub.errors} lỗi cần sửa trước khi gửi báo cáo" + (
            f", và {sub.warnings} cảnh báo cần xem lại." if sub.warnings else ".")
    if sub.warnings:
        return f"Không có lỗi. Có {sub.warnings} cảnh báo: hãy xem lại từng điểm, sửa nếu cần."
    return "Không có lỗi hay cảnh báo."


DOWNLOADS = {"goc": services.original, "kiem-tra": services.marked, "bao-cao": services.report,
             "pdf": services.report_pdf}
DOWNLOAD_LABELS = {"goc": "tệp gốc", "kiem-tra": "bản đánh dấu", "bao-cao": "báo cáo Word", "pdf": "báo cáo PDF"}


def _send(download: services.Download):
    return FileResponse(open(download.path, "rb"), as_attachment=True, filename=download.name,
                        content_type=download.content_type)


@login_required
def submission_file(request, pk: int, what: str):
    sub = _submission_for(request, pk)
    if what not in DOWNLOADS or not sub.stored_name or (what != "goc" and not sub.check_json):
        raise Http404
    try:
        download = DOWNLOADS[what](sub)
    except app.CchcError as exc:
        return _error(request, 409 if what == "pdf" else 422, "Không tạo được tệp", exc.message)
    services.audit("download", request, unit=sub.unit, period=sub.period, submission=sub,
                   detail=f"{DOWNLOAD_LABELS[what]}: {download.name}")
    return _send(download)


@role_required(OFFICER)
def my_history(request):
    return redirect("portal:unit", pk=_officer_unit(request).pk)


@login_required
def unit_history(request, pk: int):
    unit = unit_or_404(request.user, get_object_or_404(Unit, pk=pk))
    subs = list(unit.submissions.select_related("period", "uploaded_by").only(
        "id", "seq", "status", "uploaded_at", "original_name", "errors", "warnings", "infos", "reason", "via",
        "period__ky", "period__nam", "period__kind", "period__deadline", "uploaded_by__username", "unit_id")
        .order_by("-period__nam", "period__kind", "period__ky", "-seq"))
    periods: dict[int, dict] = {}
    for s in subs:
        p = periods.setdefault(s.period_id, {"period": s.period, "subs": [], "current": None, "first": None})
        p["subs"].append(s)
        if s.accepted:
            p["current"] = p["current"] or s
            p["first"] = s  # newest first: the last accepted one seen is the first received
    for p in periods.values():
        p["late"] = services.received_late(p["first"] and p["first"].uploaded_at, p["period"].deadline)
    _add_comparisons(list(periods.values()))
    return render(request, "portal/unit.html", {"unit": unit, "periods": list(periods.values())})


def _add_comparisons(periods: list[dict]) -> None:
    """Each period's current version beside the same period of the year before and the period
    just gone, from the stored values (cchc.app.history_comparison): the rows with a value on
    either side, each with the earlier values and the change in words."""
    current = {p["period"].pk: p["current"] for p in periods if p["current"] is not None}
    if len(current) < 2:
        return
    records = dict(Submission.objects.filter(pk__in=[s.pk for s in current.values()]).values_list("pk", "record"))
    for p in periods:
        mine = p["current"]
        if mine is None:
            continue
        others = [records[s.pk] for pid, s in current.items()
                  if pid != p["period"].pk and p["period"].kind == s.period.kind]
        comparison = app.history_comparison(records[mine.pk], others) if others else None
        if comparison is None:
            continue
        shown = comparison.to_json()
        rows = [r for r in shown["rows"] if r["text"] or any(e["text"] for e in r["earlier"])]
        p["so_sanh"] = {"columns": shown["columns"], "rows": rows, "label": shown["current"]["label"]}


@login_required
def templates(request):
    kinds = [{"id": c.id, "title": c.title, "version": c.version}
             for c in sorted(app.catalogues(), key=lambda c: (not app.period_names(c), c.title))]
    return render(request, "portal/templates.html", {"kinds": kinds})


@login_required
def template_file(request, kind: str, fmt: str):
    if kind not in {c.id for c in app.catalogues()} or fmt not in ("xlsx", "xlsm"):
        raise Http404
    download = services.blank_template(kind, fmt == "xlsm")
    return _send(download)


# ------------------------------------------------------------------------------ province
def _periods():
    return list(Period.objects.all())


def _selected_period(request, periods):
    pid = request.GET.get("ky")
    if pid and pid.isdigit():
        for p in periods:
            if p.pk == int(pid):
                return p
        raise Http404
    open_ = [p for p in periods if p.is_open]
    return (open_ or periods or [None])[0]


def _groups(user) -> list[str]:
    if user.is_reviewer:
        return [user.group] if user.group else []
    return [g for g in Unit.objects.exclude(group="").values_list("group", flat=True).distinct().order_by("group")]


@role_required(PROVINCE, REVIEWER)
def dashboard(request):
    periods = _periods()
    period = _selected_period(request, periods)
    units = visible_units(request.user)
    group = request.GET.get("nhom", "")
    groups = _groups(request.user)
    if group:
        if group not in groups:
            raise Http404
        units = units.filter(group=group)
    ctx = {"periods": periods, "period": period, "groups": groups, "group": group}
    if period is None:
        return render(request, "portal/dashboard.html", ctx)
    statuses = services.period_status(period, units.order_by("group", "code", "name"))
    totals = services.tally(statuses)
    show = request.GET.get("trang-thai", "")
    filters = {"submitted": lambda s: s.key == "submitted", "late": lambda s: s.late,
               "missing": lambda s: not s.submitted, "refused": lambda s: s.refused_only,
               "errors": lambda s: s.has_errors}
    if show in filters:
        statuses = [s for s in statuses if filters[show](s)]
    page = Paginator(statuses, 200).get_page(request.GET.get("trang"))
    last_merge = MergeRun.objects.filter(period=period, group=group).first()
    ctx.update({"totals": totals, "page": page, "show": show, "last_merge": last_merge,
                "rate": app.format_pct(totals["submitted"] / totals["units"] * 100) if totals["units"] else "",
                "now": timezone.now()})
    return render(request, "portal/dashboard.html", ctx)


@role_required(PROVINCE, REVIEWER)
@require_http_methods(["GET", "POST"])
def merges(request):
    if request.method == "POST":
        period = get_object_or_404(Period, pk=request.POST.get("period") or 0)
        group = request.POST.get("nhom", "")
        if request.user.is_reviewer:
            if not request.user.group:
                raise PermissionDenied("Tài khoản chưa được giao nhóm đơn vị nào.")
            group = request.user.group
        elif group and group not in _groups(request.user):
            raise Http404
        try:
            run = services.merge_period(request.user, period, group, request=request)
        except app.CchcError as exc:
            return _error(request, 422, "Không tổng hợp được", exc.message)
        return redirect("portal:merge", pk=run.pk)
    runs = MergeRun.objects.select_related("period", "by")
    if request.user.is_reviewer:
        # A reviewer sees the runs of their own group; one with no group, none (the province's
        # runs have no group either).
        runs = runs.filter(group=request.user.group) if request.user.group else runs.none()
    page = Paginator(runs, 50).get_page(request.GET.get("trang"))
    return render(request, "portal/merges.html", {"page": page, "periods": _periods(), "groups": _groups(request.user)})


def _merge_for(request, pk: int) -> MergeRun:
    run = get_object_or_404(MergeRun.objects.select_related("period", "by"), pk=pk)
    if request.user.is_reviewer and (not request.user.group or run.group != request.user.group):
        raise Http404
    return run


@role_required(PROVINCE, REVIEWER)
def merge_detail(request, pk: int):
    run = _merge_for(request, pk)
    return render(request, "portal/merge.html", {"run": run})


MERGE_FILES = {"xlsx": ("TONG_HOP.xlsx", services.XLSX), "docx": ("TONG_HOP.docx", services.DOCX),
               "json": ("TONG_HOP.json", "application/json")}


@role_required(PROVINCE, REVIEWER)
def merge_file(request, pk: int, what: str):
    run = _merge_for(request, pk)
    if what not in MERGE_FILES or (what == "docx" and not run.has_report):
        raise Http404
    filename, ctype = MERGE_FILES[what]
    from cchc.portal import store

    path = store.merge_path(run.folder, filename)
    if not path.exists():
        raise Http404
    name = f"Tong_hop_{run.period.label}{('_' + run.group) if run.group else ''}.{what}".replace(" ", "_")
    services.audit("download", request, period=run.period, merge=run, detail=f"tổng hợp: {name}")
    return _send(services.Download(path, name, ctype))


@role_required(PROVINCE)
@require_http_methods(["GET", "POST"])
def periods(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ky = d.get("ky") or ""
        if Period.objects.filter(kind=d["kind"], ky=ky, nam=d["nam"]).exists():
            form.add_error(None, "Kỳ báo cáo này đã có.")
        else:
            deadline = (timezone.make_aware(dt.datetime.combine(d["deadline"], dt.time(23, 59)))
                        if d.get("deadline") else services.default_deadline(d["kind"], ky, d["nam"]))
            p = Period.objects.create(kind=d["kind"], ky=ky, nam=d["nam"], deadline=deadline)
            services.audit("period", request, period=p, detail=f"Mở kỳ {p}")
            messages.success(request, f"Đã mở kỳ báo cáo {p.label}.")
            return redirect("portal:periods")
    counts = dict(Submission.objects.filter(status=Submission.ACCEPTED).values("period")
                  .annotate(n=Count("unit", distinct=True)).values_list("period", "n"))
    rows = [(p, counts.get(p.pk, 0)) for p in _periods()]
    return render(request, "portal/periods.html", {"form": form, "rows": rows, "n_units": Unit.objects.count()},
                  status=400 if request.method == "POST" else 200)


@role_required(PROVINCE)
@require_POST
def period_edit(request, pk: int):
    period = get_object_or_404(Period, pk=pk)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        return _error(request, 400, "Hạn nộp không hợp lệ", " ".join(e for errs in form.errors.values() for e in errs))
    d = form.cleaned_data
    period.deadline = (timezone.make_aware(dt.datetime.combine(d["deadline"], dt.time(23, 59)))
                       if d.get("deadline") else None)
    period.is_open = d["is_open"]
    period.save(update_fields=["deadline", "is_open"])
    when = f"Hạn nộp {timezone.localtime(period.deadline):%d/%m/%Y}" if period.deadline else "Không đặt hạn nộp"
    services.audit("period", request, period=period,
                   detail=when + ("; đang nhận báo cáo" if period.is_open else "; ngừng nhận báo cáo"))
    messages.success(request, f"Đã lưu kỳ {period.label}.")
    return redirect("portal:periods")


@role_required(PROVINCE)
def audit_log(request):
    events = AuditEvent.objects.select_related("unit", "period", "submission")
    action = request.GET.get("loai", "")
    if action in dict(AuditEvent.ACTIONS):
        events = events.filter(action=action)
    q = request.GET.get("q", "").strip()
    if q:
        events = events.filter(Q(username__icontains=q) | Q(unit__name__icontains=q) | Q(detail__icontains=q))
    page = Paginator(events, 100).get_page(request.GET.get("trang"))
    return render(request, "portal/audit.html", {"page": page, "actions": AuditEvent.ACTIONS, "action": action, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    new_key = None
    if request.method == "POST":
        if request.POST.get("revoke"):
            ApiToken.objects.filter(user=request.user, pk=request.POST.get("revoke")).update(revoked=True)
            services.audit("token", request, detail="Thu hồi mã API")
            messages.success(request, "Đã thu hồi mã.")
            return redirect("portal:tokens")
        new_key = issue_token(request.user)
        services.audit("token", request, detail=f"Tạo mã API {new_key[:12]}…")
    mine = ApiToken.objects.filter(user=request.user, revoked=False).order_by("-created_at")
    return render(request, "portal/tokens.html", {"tokens": mine, "new_key": new_key})

