"""Forms, with Vietnamese labels and messages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from cchc import app
from cchc.portal.access import HELP_TEXT, locked_message
from cchc.portal.models import Period


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Hãy liên hệ Sở Nội vụ.",
    }

    def get_invalid_login_error(self):
        until = getattr(self.request, "cchc_login_locked", None)
        if until is not None:
            return forms.ValidationError(locked_message(until), code="locked")
        return super().get_invalid_login_error()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        for f in self.fields.values():
            f.error_messages["required"] = "Hãy nhập trường này."


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        "password_incorrect": "Mật khẩu hiện tại không đúng.",
        "password_mismatch": "Hai lần nhập mật khẩu mới không khớp nhau.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password1"].help_text = HELP_TEXT
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.fields["new_password2"].help_text = ""
        for f in self.fields.values():
            f.error_messages["required"] = "Hãy nhập trường này."


class UploadForm(forms.Form):
    period = forms.ModelChoiceField(queryset=Period.objects.none(), label="Kỳ báo cáo", empty_label=None,
                                    error_messages={"required": "Hãy chọn kỳ báo cáo.",
                                                    "invalid_choice": "Kỳ báo cáo đã chọn không còn nhận báo cáo."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = Period.objects.filter(is_open=True)
        self.fields["period"].label_from_instance = lambda p: str(p)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label="Loại báo cáo")
    ky = forms.ChoiceField(label="Kỳ", required=False)
    nam = forms.IntegerField(label="Năm", min_value=2000, max_value=2100,
                             error_messages={"required": "Hãy nhập năm.", "invalid": "Năm phải là một số.",
                                             "min_value": "Năm không hợp lệ.", "max_value": "Năm không hợp lệ."})
    deadline = forms.DateField(label="Hạn nộp (ngày/tháng/năm)", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                               error_messages={"invalid": "Ngày phải viết dạng ngày/tháng/năm, ví dụ 20/03/2025."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cats = sorted(app.catalogues(), key=lambda c: (not app.period_names(c), c.title))  # periodic kinds first
        self.fields["nam"].initial = timezone.localdate().year
        self.fields["kind"].choices = [(c.id, c.title) for c in cats]
        names = []
        for c in cats:
            for n in app.period_names(c):
                if n not in names:
                    names.append(n)
        self.fields["ky"].choices = [(n, n) for n in names] + [("", "(cả năm — báo cáo hằng năm)")]

    def clean(self):
        data = super().clean()
        kind, ky = data.get("kind"), data.get("ky") or ""
        if kind:
            names = app.period_names(app.catalogue(kind))
            if names and ky not in names:
                self.add_error("ky", "Hãy chọn kỳ của loại báo cáo này: " + ", ".join(names) + ".")
            if not names and ky:
                self.add_error("ky", "Loại báo cáo này nộp mỗi năm một lần: không chọn kỳ.")
        return data


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label="Hạn nộp (ngày/tháng/năm)", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                               error_messages={"invalid": "Ngày phải viết dạng ngày/tháng/năm, ví dụ 20/03/2025."})
    is_open = forms.BooleanField(label="Đang nhận báo cáo", required=False)
