"""Helpers of the portal's tests (imported by the test modules and conftest)."""

from __future__ import annotations

import re
from pathlib import Path


PASSWORD = "Mk-ThuNghiem-2025"


class World:
    """Three units in two groups, their officers, a reviewer, the province, one open period."""

    def __init__(self):
        from django.utils import timezone

        from cchc.portal.models import Period, Unit, User

        import datetime as dt

        from cchc import app

        def unit(code, name, group):
            return Unit.objects.create(key=app.unit(code, name).id, code=code, name=name, group=group)

        self.a = unit("00001", "UBND xã Đưng K’Nớ", "Huyện Lạc Dương")
        self.b = unit("00002", "UBND xã An Khánh", "Huyện Lạc Dương")
        self.c = unit("00003", "UBND phường Thủy Xuân", "Thành phố Huế")

        def account(username, **kw):
            u = User(username=username, must_change_password=False, **kw)
            u.set_password(PASSWORD)
            u.save()
            return u

        self.officer_a = account("00001", role=User.OFFICER, unit=self.a)
        self.officer_b = account("00002", role=User.OFFICER, unit=self.b)
        self.officer_c = account("00003", role=User.OFFICER, unit=self.c)
        self.reviewer = account("huyen_ld", role=User.REVIEWER, group="Huyện Lạc Dương")
        self.province = account("tinh", role=User.PROVINCE, is_staff=True, is_superuser=True)
        self.period = Period.objects.create(
            kind="ky", ky="Quý I", nam=2025,
            deadline=timezone.make_aware(dt.datetime(2025, 3, 20, 23, 59)))
        self.period_q3 = Period.objects.create(kind="ky", ky="Quý III", nam=2025)


def client_for(user=None, **kw):
    from django.test import Client

    c = Client(**kw)
    if user is not None:
        c.force_login(user)
    return c


def upload(client, period, path: Path, name: str | None = None):
    with open(path, "rb") as fh:
        from django.core.files.uploadedfile import SimpleUploadedFile

        f = SimpleUploadedFile(name or path.name, fh.read())
    return client.post("/nop/", {"period": period.pk, "file": f})


def text_of(response) -> str:
    """The visible text of an HTML page, whitespace collapsed (for exact message checks)."""
    import html

    body = response.content.decode("utf-8")
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


