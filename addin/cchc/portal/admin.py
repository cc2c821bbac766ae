"""The Django admin (/quan-tri/), for the province's IT person: units, accounts, periods.
Submissions, merges and the audit log are read-only there: nothing is ever deleted or edited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cchc.portal.models import ApiToken, AuditEvent, MergeRun, Period, Submission, Unit, User

admin.site.site_header = "Cổng nộp báo cáo CCHC — Quản trị"
admin.site.site_title = "Quản trị cổng CCHC"
admin.site.index_title = "Quản trị"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group")
    search_fields = ("code", "name", "group")
    list_filter = ("group",)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "first_name", "role", "unit", "group", "must_change_password", "is_active")
    list_filter = ("role", "is_active", "must_change_password")
    search_fields = ("username", "first_name", "unit__name", "unit__code")
    fieldsets = UserAdmin.fieldsets + (("Cổng nộp báo cáo", {"fields": ("role", "unit", "group", "must_change_password")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (("Cổng nộp báo cáo", {"fields": ("role", "unit", "group")}),)
    raw_id_fields = ("unit",)
    actions = ["unlock"]

    @admin.action(description="Mở khóa đăng nhập (xóa các lần đăng nhập sai)")
    def unlock(self, request, queryset):
        from cchc.portal.access import login_unlock

        for user in queryset:
            login_unlock(user.username)
        self.message_user(request, f"Đã mở khóa đăng nhập cho {queryset.count()} tài khoản.")

    def save_model(self, request, obj, form, change):
        # A password set here is someone else's choice: the owner changes it at the next login.
        if not change or "password" in form.changed_data:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("kind", "ky", "nam", "deadline", "is_open")
    list_filter = ("kind", "nam", "is_open")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnly):
    list_display = ("unit", "period", "seq", "status", "uploaded_at", "errors", "warnings")
    list_filter = ("status", "period")
    search_fields = ("unit__name", "unit__code", "original_name")
    exclude = ("record", "check_json", "rows")


@admin.register(MergeRun)
class MergeRunAdmin(ReadOnly):
    list_display = ("period", "group", "at", "by", "merged", "expected")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("at", "username", "action", "unit", "detail")
    list_filter = ("action",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "prefix", "created_at", "last_used_at", "revoked")
    fields = ("user", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False
