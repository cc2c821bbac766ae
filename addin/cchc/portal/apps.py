from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "cchc.portal"
    label = "portal"
    verbose_name = "Cổng nộp báo cáo CCHC"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from cchc.portal import access, services

        def logged_in(sender, request, user, **kw):
            access.session_started(request)
            services.audit("login", request, user=user)

        def logged_out(sender, request, user, **kw):
            if user is not None:
                services.audit("logout", request, user=user)

        def failed(sender, credentials, request=None, **kw):
            services.audit("login_failed", request, detail=f"tên đăng nhập «{credentials.get('username', '')[:150]}»")

        user_logged_in.connect(logged_in, dispatch_uid="cchc_login", weak=False)
        user_logged_out.connect(logged_out, dispatch_uid="cchc_logout", weak=False)
        user_login_failed.connect(failed, dispatch_uid="cchc_login_failed", weak=False)
