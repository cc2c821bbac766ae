"""Numbers and dates the Vietnamese way in the pages: {{ n|so }} → 2.700, {{ x|pt }} → 98,59%,
{{ t|ngay_gio }} → 07/03/2025 14:05."""

from django import template
from django.utils import timezone

from cchc import app

register = template.Library()


@register.filter
def so(v):
    return app.format_number(v) if v not in (None, "") else ""


@register.filter
def pt(v):
    return app.format_pct(v) if v not in (None, "") else ""


@register.filter
def ngay_gio(v):
    return timezone.localtime(v).strftime("%d/%m/%Y %H:%M") if v else ""


@register.filter
def ngay(v):
    return timezone.localtime(v).strftime("%d/%m/%Y") if v else ""
