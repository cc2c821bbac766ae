"""What the portal keeps: units, accounts, periods, every submission (accepted or refused,
never overwritten or deleted), every merge, and the audit log.

Nothing here is specific to SQLite; the data folder holds the files the rows point to
(cchc.portal.store). A row is committed only after its file is safely on disk, so a file
without a row is never shown.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class JSONText(models.TextField):
    """JSON kept as the text it was written, key order included, on every database. Django's
    JSONField is `jsonb` on PostgreSQL, which reorders the keys of every object: a finding's
    values would then be listed in another order than `cchc check` and `cchc merge` print them.
    The portal never queries inside these documents, so text loses nothing."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


class Unit(models.Model):
    """A unit that reports (xã, phường…), from the units file of `cchc merge --units`."""

    key = models.CharField("mã trong tổng hợp", max_length=120, unique=True)  # app.unit(...).id
    code = models.CharField("mã đơn vị hành chính", max_length=5, null=True, blank=True, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    group = models.CharField("nhóm (ví dụ huyện cũ)", max_length=200, blank=True, db_index=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["code", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class User(AbstractUser):
    OFFICER, REVIEWER, PROVINCE = "officer", "reviewer", "province"
    ROLES = [(OFFICER, "Cán bộ đơn vị"), (REVIEWER, "Cán bộ theo dõi nhóm đơn vị"), (PROVINCE, "Cán bộ cấp tỉnh")]

    role = models.CharField("vai trò", max_length=20, choices=ROLES, default=OFFICER)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="accounts")
    group = models.CharField("nhóm đơn vị theo dõi", max_length=200, blank=True)
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=True)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    @property
    def is_officer(self) -> bool:
        return self.role == self.OFFICER

    @property
    def is_reviewer(self) -> bool:
        return self.role == self.REVIEWER

    @property
    def is_province(self) -> bool:
        return self.role == self.PROVINCE


class Period(models.Model):
    """A reporting period: a kind of report (catalogue id), its period name and year."""

    kind = models.CharField("loại báo cáo", max_length=40)
    ky = models.CharField("kỳ", max_length=60, blank=True)  # "" for a kind reported once a year
    nam = models.PositiveIntegerField("năm")
    deadline = models.DateTimeField("hạn nộp", null=True, blank=True)
    is_open = models.BooleanField("đang nhận báo cáo", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["-nam", "kind", "ky"]
        constraints = [models.UniqueConstraint(fields=["kind", "ky", "nam"], name="period_unique")]

    @property
    def label(self) -> str:
        from cchc import app

        return app.period_text(self.ky or None, self.nam)

    @property
    def kind_title(self) -> str:
        from cchc import app

        try:
            return app.catalogue(self.kind).title
        except app.CchcError:
            return self.kind

    def __str__(self) -> str:
        return f"{self.label} — {self.kind_title}"


class Submission(models.Model):
    """One upload of one workbook by one unit for one period. Accepted or refused, it is kept:
    a new upload is a new row (seq + 1), the current version is the latest accepted one."""

    ACCEPTED, REFUSED = "accepted", "refused"
    STATUSES = [(ACCEPTED, "Đã nhận"), (REFUSED, "Bị từ chối")]

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    seq = models.PositiveIntegerField("lần nộp")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="submissions")
    uploaded_at = models.DateTimeField(db_index=True)
    via = models.CharField(max_length=10, default="web")  # web | api
    original_name = models.CharField("tên tệp", max_length=255)
    stored_name = models.CharField(max_length=80, blank=True)  # "" when nothing was stored (too large)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES)
    state = models.CharField(max_length=20, blank=True)  # the merge's file state (merged, wrong_period…)
    reason = models.TextField(blank=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    infos = models.PositiveIntegerField(default=0)
    check_json = JSONText(default=dict)  # as `cchc check --json` prints it
    rows = JSONText(default=list)  # the findings as the page lists them
    record = JSONText(default=dict)  # as `cchc merge` reads the file (cchc.app.record_to_json)
    info = JSONText(default=dict)  # don_vi, ma_dvhc, ky, nam, ngay_ky … as read

    class Meta:
        verbose_name = "lần nộp"
        verbose_name_plural = "lần nộp"
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "period", "seq"], name="submission_seq")]
        indexes = [models.Index(fields=["period", "unit", "status", "seq"])]

    @property
    def accepted(self) -> bool:
        return self.status == self.ACCEPTED

    def __str__(self) -> str:
        return f"{self.unit} — {self.period.label} — lần {self.seq}"


class MergeRun(models.Model):
    """One «Tổng hợp» of a period (all units, or one group), with its files."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="merges")
    group = models.CharField(max_length=200, blank=True)  # "" = every unit
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    at = models.DateTimeField()
    folder = models.CharField(max_length=80)  # under <data>/merges/
    merged = models.PositiveIntegerField(default=0)
    expected = models.PositiveIntegerField(default=0)
    excluded_files = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    has_report = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-at", "-id"]


class ApiToken(models.Model):
    """A token for batch tools and the Excel add-in. Only its SHA-256 is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)


class AuditEvent(models.Model):
    """Who did what, when: logins, uploads, downloads, merges, account changes."""

    ACTIONS = [
        ("login", "Đăng nhập"), ("login_failed", "Đăng nhập không thành công"), ("logout", "Đăng xuất"),
        ("password", "Đổi mật khẩu"), ("upload", "Nộp báo cáo"), ("refused", "Nộp báo cáo bị từ chối"),
        ("download", "Tải tệp"), ("merge", "Tổng hợp"), ("period", "Kỳ báo cáo"), ("token", "Mã API"),
        ("denied", "Truy cập bị từ chối"),
    ]

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=ACTIONS, db_index=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.SET_NULL)
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL)
    merge = models.ForeignKey(MergeRun, null=True, blank=True, on_delete=models.SET_NULL)
    detail = models.TextField(blank=True)
    ip = models.CharField(max_length=45, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class LoginFailure(models.Model):
    """One failed login, counted against the account ("u:<name>") and the address ("ip:<addr>")
    for the lock-out (cchc.portal.access). In the database so that every worker process counts
    the same failures; rows older than twice the lock time are removed."""

    key = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]
