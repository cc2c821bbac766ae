"""What the portal does, apart from showing pages: receive an upload, build the files derived
from it, merge a period, build blank templates, set up units and accounts, write the audit log.
Every workbook operation goes through cchc.app.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cchc import app
from cchc.cells import csv_value
from cchc.portal import store
from cchc.portal.access import client_ip
from cchc.portal.models import AuditEvent, MergeRun, Period, Submission, Unit, User

log = logging.getLogger("cchc.portal")

READ_SUFFIXES = (".xlsx", ".xlsm")


# ------------------------------------------------------------------------------------ audit
def audit(action: str, request=None, *, user=None, unit=None, period=None, submission=None, merge=None,
          detail: str = "") -> None:
    user = user if user is not None else (getattr(request, "user", None) if request is not None else None)
    if user is not None and not user.is_authenticated:
        user = None
    AuditEvent.objects.create(
        at=timezone.now(), user=user, username=user.username if user else "", action=action, unit=unit,
        period=period, submission=submission, merge=merge, detail=detail[:2000], ip=client_ip(request))


# ---------------------------------------------------------------------------------- uploads
class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of each uploaded file as they arrive; past the limit the file is
    skipped (never stored, never parsed) and the request remembers it for the refusal."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data, start):
        self.seen += len(raw_data)
        if self.seen > settings.UPLOAD_MAX_BYTES:
            self.request.cchc_too_large = (self.file_name, self.seen)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def display_name(name: str | None) -> str:
    """The sender's file name, for showing only: no folders, no control characters, ≤ 120."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110] + "…" + dot + ext) if dot and len(ext) <= 5 else name[:120]
    return name or "tep_khong_ten"


def app_unit(unit: Unit):
    u = app.unit(unit.code, unit.name, unit.group)
    u.id = unit.key
    return u


def _size_text(n: int) -> str:
    return f"{app.format_number(n / (1024 * 1024), 1)} MB"


def _save(sub: Submission, request=None) -> Submission:
    """Insert with the next free seq for (unit, period), and its audit event in the same
    transaction (an upload on record is always in the log); retried when two uploads of one unit
    race for a number (the unique constraint decides: on PostgreSQL the loser waits for the
    winner's commit, then fails and takes the next number)."""
    for attempt in range(20):
        try:
            with transaction.atomic():
                last = (Submission.objects.filter(unit=sub.unit, period=sub.period).aggregate(m=Max("seq"))["m"]
                        or 0)
                sub.seq = last + 1
                sub.save(force_insert=True)
                audit("upload" if sub.accepted else "refused", request, user=sub.uploaded_by, unit=sub.unit,
                      period=sub.period, submission=sub,
                      detail=f"{sub.original_name} (lần {sub.seq})" + ("" if sub.accepted else f": {sub.reason}"))
                return sub
        except IntegrityError:
            sub.pk = None
            time.sleep(0.005 * (attempt + 1))
    raise RuntimeError("could not number the submission")


def receive(user: User, unit: Unit, period: Period, upfile, *, via: str = "web", request=None,
            too_large: tuple | None = None) -> Submission:
    """Receive one upload: store it (atomically, under a generated name), read and check it,
    admit it for the unit and period by the merge's rules, and record it, accepted or refused.
    The row is committed after the file is on disk; a refusal is never recorded as accepted."""
    name = display_name(too_large[0] if too_large else getattr(upfile, "name", ""))
    sub = Submission(unit=unit, period=period, uploaded_by=user, uploaded_at=timezone.now(), via=via,
                     original_name=name, status=Submission.REFUSED)
    if too_large:
        sub.size = too_large[1]
        sub.state = "too_large"
        sub.reason = (f"Tệp «{name}» quá lớn (hơn {_size_text(too_large[1])}); giới hạn là "
                      f"{_size_text(settings.UPLOAD_MAX_BYTES)}. Biểu mẫu đã điền chỉ khoảng vài chục KB: hãy "
                      "gửi đúng tệp Excel của biểu mẫu.")
    elif upfile is None:
        sub.state = "no_file"
        sub.reason = "Chưa chọn tệp để nộp."
    elif Path(name).suffix.lower() not in READ_SUFFIXES:
        sub.size = upfile.size or 0
        sub.state = "skipped"
        sub.reason = (f"Chỉ nhận tệp Excel .xlsx hoặc .xlsm; tệp «{name}» không được đọc. Hãy nộp tệp Excel của "
                      "biểu mẫu (không nộp tệp Word, PDF hay ảnh).")
    else:
        stored, size, sha = store.save_received(upfile.chunks(), Path(name).suffix.lower())
        sub.stored_name, sub.size, sub.sha256 = stored, size, sha
        _read_and_admit(sub, store.received_path(stored), name)
    return _save(sub, request)


def _read_and_admit(sub: Submission, path: Path, name: str) -> None:
    period = sub.period
    try:
        upload = app.read_upload(path, name)
        record = app.admit(upload.record, app_unit(sub.unit), kind=period.kind, period=period.ky or None,
                           year=period.nam)
    except Exception:  # a bug must never accept a file, nor show a traceback
        log.exception("reading upload %s", path)
        sub.state, sub.reason = "unreadable", f"Không đọc được tệp «{name}»: lỗi không mong đợi khi đọc tệp."
        return
    sub.state, sub.reason = record.state, record.reason
    sub.record = app.record_to_json(record)
    sub.info = dict(record.info)
    if upload.error:
        return
    n = upload.counts
    sub.errors, sub.warnings, sub.infos = n["error"], n["warning"], n["info"]
    sub.check_json = app.check_json(name, upload.findings)
    sub.rows = app.finding_rows(upload.findings)
    if record.state == app.ACCEPTED:
        sub.status = Submission.ACCEPTED


# --------------------------------------------------------------------------- derived files
@dataclass
class Download:
    path: Path
    name: str
    content_type: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _stem(name: str) -> str:
    return Path(name).stem or "bao_cao"


def original(sub: Submission) -> Download:
    path = store.received_path(sub.stored_name)
    ctype = XLSM if sub.stored_name.endswith(".xlsm") else XLSX
    return Download(path, sub.original_name, ctype)


def marked(sub: Submission) -> Download:
    src = store.received_path(sub.stored_name)
    out = store.derived_dir(sub.pk) / ("kiem_tra" + src.suffix)
    if not out.exists():
        findings = app.check(app.load(src))
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            part = Path(tmp) / out.name
            app.mark(src, findings, part)
            os.replace(part, out)
    return Download(out, f"{_stem(sub.original_name)}_kiem_tra{src.suffix}", XLSM if src.suffix == ".xlsm" else XLSX)


def report(sub: Submission) -> Download:
    folder = store.derived_dir(sub.pk)
    out, name_file = folder / "bao_cao.docx", folder / "bao_cao.name"
    if not (out.exists() and name_file.exists()):
        rendered = app.render_report(app.load(store.received_path(sub.stored_name)))
        store.write_atomic(out, [rendered.payload])
        store.write_atomic(name_file, [rendered.name.encode("utf-8")])
    return Download(out, name_file.read_text(encoding="utf-8"), DOCX)


def report_pdf(sub: Submission) -> Download:
    docx = report(sub)
    pdf = docx.path.with_suffix(".pdf")
    if not pdf.exists():
        with tempfile.TemporaryDirectory(dir=docx.path.parent) as tmp:
            copy = Path(tmp) / "bao_cao.docx"
            copy.write_bytes(docx.path.read_bytes())
            made = app.convert_to_pdf(copy)
            os.replace(made, pdf)
    return Download(pdf, str(Path(docx.name).with_suffix(".pdf")), PDF)


def blank_template(kind: str, macros: bool) -> Download:
    cat = app.catalogue(kind)
    suffix = ".xlsm" if macros else ".xlsx"
    out = store.templates_dir() / f"{cat.id}-{cat.version}{suffix}"
    if not out.exists():
        with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
            part = Path(tmp) / out.name
            app.build_template(part, kind, macros=macros)
            os.replace(part, out)
    return Download(out, f"bieu_mau_{cat.id}_{cat.version}{suffix}", XLSM if macros else XLSX)


def warm_up() -> None:
    """Read each kind's blank template once, as an upload is read: the reader, the checks and
    the catalogues are imported and loaded before gunicorn forks its workers, which then share
    those pages and answer their first upload as fast as the next."""
    for cat in app.catalogues():
        try:
            app.read_upload(blank_template(cat.id, False).path, "mau.xlsx")
        except Exception:  # only an optimisation: a kind whose template fails is read on first use
            log.exception("warming up %s", cat.id)


# ------------------------------------------------------------------------------- the period
def received_late(first_accepted_at: dt.datetime | None, deadline: dt.datetime | None) -> bool:
    """A unit is late for a period when its first accepted version came after the deadline
    (a later correction does not make it late)."""
    return bool(first_accepted_at and deadline and first_accepted_at > deadline)


@dataclass
class UnitStatus:
    unit: Unit
    current: Submission | None  # the latest accepted version
    first_accepted_at: dt.datetime | None
    last: Submission | None  # the latest upload, accepted or not
    uploads: int
    deadline: dt.datetime | None

    @property
    def submitted(self) -> bool:
        return self.current is not None

    @property
    def late(self) -> bool:
        return received_late(self.first_accepted_at, self.deadline)

    @property
    def refused_only(self) -> bool:
        return not self.submitted and self.uploads > 0

    @property
    def has_errors(self) -> bool:
        return bool(self.current and self.current.errors)

    @property
    def key(self) -> str:
        if not self.submitted:
            return "refused" if self.refused_only else "missing"
        return "late" if self.late else "submitted"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.key]


STATUS_LABELS = {"submitted": "Đã nộp", "late": "Nộp muộn", "missing": "Chưa nộp",
                 "refused": "Đã gửi nhưng bị từ chối"}
_LIGHT = ("id", "unit_id", "seq", "status", "uploaded_at", "errors", "warnings", "infos", "original_name", "period_id")


def period_status(period: Period, units) -> list[UnitStatus]:
    """Every unit's state in the period, from the rows alone (no file is read)."""
    units = list(units)
    subs = (Submission.objects.filter(period=period, unit__in=[u.pk for u in units]).only(*_LIGHT)
            .order_by("unit_id", "seq"))
    by_unit: dict[int, list[Submission]] = {}
    for s in subs:
        by_unit.setdefault(s.unit_id, []).append(s)
    out = []
    for u in units:
        mine = by_unit.get(u.pk, [])
        accepted = [s for s in mine if s.status == Submission.ACCEPTED]
        out.append(UnitStatus(unit=u, current=accepted[-1] if accepted else None,
                              first_accepted_at=accepted[0].uploaded_at if accepted else None,
                              last=mine[-1] if mine else None, uploads=len(mine), deadline=period.deadline))
    return out


def tally(statuses: list[UnitStatus]) -> dict[str, int]:
    return {
        "units": len(statuses),
        "submitted": sum(1 for s in statuses if s.submitted),
        "on_time": sum(1 for s in statuses if s.key == "submitted"),
        "late": sum(1 for s in statuses if s.late),
        "missing": sum(1 for s in statuses if not s.submitted),
        "refused": sum(1 for s in statuses if s.refused_only),
        "errors": sum(1 for s in statuses if s.has_errors),
    }


def default_deadline(kind: str, ky: str, nam: int) -> dt.datetime | None:
    """End of the period's default data window + CCHC_DEADLINE_DAYS, at 23:59 local time."""
    cat = app.catalogue(kind)
    p = cat.period(ky) if ky else None
    if p is None:
        return None
    month, day = p.end
    end = dt.date(nam, month, day) + dt.timedelta(days=settings.CCHC_DEADLINE_DAYS)
    return timezone.make_aware(dt.datetime.combine(end, dt.time(23, 59)))


# -------------------------------------------------------------------------------- the merge
def merge_period(user: User, period: Period, group: str = "", request=None) -> MergeRun:
    """«Tổng hợp»: the consolidated workbook and the province Word report of the period, from
    the stored records of the current versions (no workbook is read again); the same result
    as `cchc merge` on the same files."""
    started = time.perf_counter()
    units = list(Unit.objects.filter(group=group) if group else Unit.objects.all())
    by_pk = {u.pk: u for u in units}
    subs = (Submission.objects.filter(period=period, unit__in=list(by_pk))
            .only("id", "unit_id", "seq", "status", "state", "reason", "original_name", "record").order_by("unit_id", "seq"))
    per_unit: dict[int, list[Submission]] = {}
    for s in subs:
        per_unit.setdefault(s.unit_id, []).append(s)
    records = []
    for pk, mine in per_unit.items():
        accepted = [s for s in mine if s.status == Submission.ACCEPTED]
        if accepted:  # the current version, and the refusals that came after it
            chosen = [accepted[-1]] + [s for s in mine if s.seq > accepted[-1].seq and s.status != Submission.ACCEPTED]
        else:
            chosen = mine
        for s in chosen:
            if not s.record:  # refused before reading (too large, not Excel): listed like cchc merge would
                continue
            rec = app.record_from_json(s.record)
            rec.unit_id = by_pk[pk].key
            records.append(rec)
    skipped = [s for pk, mine in per_unit.items() for s in mine if s.state == "skipped"
               and not any(a.status == Submission.ACCEPTED and a.seq > s.seq for a in mine)]
    for s in skipped:
        records.append(app.record_from_json({"path": s.original_name, "state": "skipped", "reason": s.reason}))
    result = app.merge_records(records, [app_unit(u) for u in units], kind=period.kind,
                               period=period.ky or None, year=period.nam)
    folder = store.new_merge_folder()
    out = store.merge_path(folder, "TONG_HOP.xlsx")
    written = app.write_merge(result, out, json_path=store.merge_path(folder, "TONG_HOP.json"),
                              report_path=store.merge_path(folder, "TONG_HOP.docx") if result.merged_units else None)
    done, expected = result.reporting
    run = MergeRun.objects.create(
        period=period, group=group, by=user, at=timezone.now(), folder=folder, merged=done, expected=expected,
        excluded_files=len(result.excluded_files), summary=app.merge_summary(result),
        has_report=bool(written.report), seconds=time.perf_counter() - started)
    audit("merge", request, user=user, period=period, merge=run,
          detail=f"{period.label}{f' — nhóm {group}' if group else ''}: {run.summary}")
    return run


# ---------------------------------------------------------------------------------- setting up
@dataclass
class InitResult:
    units: int
    accounts: int
    passwords_csv: Path | None


def province_username() -> str:
    return "tinh"


def init_units(units_csv: str | Path, out_csv: Path) -> InitResult:
    """Create the units of the units file, one account per unit and the province account, and
    write the first passwords to `out_csv` (never overwritten: a new name is taken). Units and
    accounts that exist are left as they are (their passwords are not changed)."""
    from cchc.portal.access import new_password

    listed = app.read_units(units_csv)
    rows = []
    created_units = created_accounts = 0
    with transaction.atomic():
        for u in listed:
            unit, made = Unit.objects.get_or_create(key=u.id, defaults={"code": u.code, "name": u.name,
                                                                        "group": u.group or ""})
            if not made and (unit.name != u.name or unit.group != (u.group or "")):
                unit.name, unit.group = u.name, u.group or ""
                unit.save(update_fields=["name", "group"])
            created_units += made
            username = u.code if u.code else _name_login(u.name)
            if not User.objects.filter(username=username).exists():
                pw = new_password()
                acc = User(username=username, role=User.OFFICER, unit=unit, first_name=u.name[:150],
                           must_change_password=True)
                acc.password = _first_hash(pw)
                acc.save()
                created_accounts += 1
                rows.append((username, pw, "Cán bộ đơn vị", u.code or "", u.name, u.group or ""))
        if not User.objects.filter(username=province_username()).exists():
            pw = new_password()
            acc = User(username=province_username(), role=User.PROVINCE, first_name="Sở Nội vụ",
                       must_change_password=True, is_staff=True, is_superuser=True)
            acc.password = _first_hash(pw)
            acc.save()
            created_accounts += 1
            rows.insert(0, (province_username(), pw, "Cán bộ cấp tỉnh (quản trị)", "", "Sở Nội vụ", ""))
    written = None
    if rows:
        written = _free(out_csv)
        written.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel opens it as UTF-8
            w = csv.writer(fh, delimiter=";")
            w.writerow(["ten_dang_nhap", "mat_khau_ban_dau", "vai_tro", "ma_dvhc", "ten_don_vi", "nhom"])
            w.writerows([[csv_value(str(v)) for v in row] for row in rows])
    return InitResult(units=created_units, accounts=created_accounts, passwords_csv=written)


def _first_hash(password: str) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(password, hasher="pbkdf2_sha256_first")


def _name_login(name: str) -> str:
    folded = app.unit(None, name).id.removeprefix("ten:")
    slug = "".join(ch if ch.isalnum() else "_" for ch in folded).strip("_")
    return ("dv_" + slug)[:150]


def _free(path: Path) -> Path:
    if not path.exists():
        return path
    for i in range(2, 1000):
        cand = path.with_name(f"{path.stem}_{i}{path.suffix}")
        if not cand.exists():
            return cand
    raise FileExistsError(path)
