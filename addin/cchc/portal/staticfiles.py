"""Static files (the admin's styles) served by the portal itself, so `cchc serve` needs no web
server in front. Behind nginx in production they are served by nginx from CCHC_STATIC_ROOT,
where `cchc serve` collects them at start (docs/trien-khai.md). The portal's own pages carry
their small style sheet inline. Paths are resolved by Django's finders, which never leave the
static folders."""

from __future__ import annotations

import mimetypes

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET


@require_GET
def serve_static(request, path: str):
    if ".." in path.split("/") or path.startswith("/"):
        raise Http404
    found = finders.find(path)
    if not found:
        raise Http404
    ctype, _ = mimetypes.guess_type(found)
    response = FileResponse(open(found, "rb"), content_type=ctype or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=86400"
    return response
