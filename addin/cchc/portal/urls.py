"""Every URL of the portal, with who may open it (checked in the view; see access.py).

| URL                                   | who                                              |
|---------------------------------------|--------------------------------------------------|
| /                                     | logged in: redirects by role                     |
| /dang-nhap/                           | anyone                                           |
| /dang-xuat/ (POST)                    | logged in                                        |
| /doi-mat-khau/                        | logged in (forced at the first login)            |
| /nop/                                 | officer (own unit)                               |
| /lich-su/                             | officer: own unit's history                      |
| /lan-nop/<id>/                        | the unit's officer, the group's reviewer, province |
| /lan-nop/<id>/tai/<goc|kiem-tra|bao-cao|pdf>/ | same as the submission                   |
| /don-vi/<id>/                         | the unit's officer, the group's reviewer, province |
| /bieu-mau/, /bieu-mau/<kind>.<xlsx|xlsm> | logged in                                     |
| /tinh/                                | province, reviewer (own group)                   |
| /tinh/tong-hop/ (GET list, POST run)  | province, reviewer (own group)                   |
| /tinh/tong-hop/<id>/, …/tai/<xlsx|docx|json>/ | province; reviewer for own group's merges |
| /tinh/ky-bao-cao/, /tinh/ky-bao-cao/<id>/ (POST) | province                              |
| /tinh/nhat-ky/                        | province                                         |
| /ma-api/                              | logged in (own tokens)                           |
| /api/health                           | anyone                                           |
| /api/periods, /api/upload             | API token (upload: an officer's)                 |
| /quan-tri/                            | Django admin: staff accounts (the province)      |
| /static/<path>                        | anyone (admin styles)                            |
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from cchc.portal import api, views
from cchc.portal.staticfiles import serve_static

portal_patterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.Login.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.ChangePassword.as_view(), name="password"),
    path("nop/", views.upload, name="upload"),
    path("lich-su/", views.my_history, name="my_history"),
    path("lan-nop/<int:pk>/", views.submission, name="submission"),
    path("lan-nop/<int:pk>/tai/<str:what>/", views.submission_file, name="submission_file"),
    path("don-vi/<int:pk>/", views.unit_history, name="unit"),
    path("bieu-mau/", views.templates, name="templates"),
    path("bieu-mau/<str:kind>.<str:fmt>", views.template_file, name="template_file"),
    path("tinh/", views.dashboard, name="dashboard"),
    path("tinh/tong-hop/", views.merges, name="merges"),
    path("tinh/tong-hop/<int:pk>/", views.merge_detail, name="merge"),
    path("tinh/tong-hop/<int:pk>/tai/<str:what>/", views.merge_file, name="merge_file"),
    path("tinh/ky-bao-cao/", views.periods, name="periods"),
    path("tinh/ky-bao-cao/<int:pk>/", views.period_edit, name="period_edit"),
    path("tinh/nhat-ky/", views.audit_log, name="audit"),
    path("ma-api/", views.tokens, name="tokens"),
    path("api/health", api.health, name="api_health"),
    path("api/periods", api.periods, name="api_periods"),
    path("api/upload", api.upload, name="api_upload"),
    re_path(r"^static/(?P<path>.+)$", serve_static, name="static"),
]

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("", include((portal_patterns, "portal"))),
]

handler400 = "cchc.portal.views.bad_request"
handler403 = "cchc.portal.views.permission_denied"
handler404 = "cchc.portal.views.page_not_found"
handler500 = "cchc.portal.views.server_error"
