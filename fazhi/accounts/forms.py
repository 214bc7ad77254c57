from django import forms
from django.contrib.auth.forms import AuthenticationForm


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="身份验证器（手机应用）上显示的6位数字。",
    )


class PolicyAuthenticationForm(AuthenticationForm):
    """The login form. A user who logs in with a password today's rules refuse (the demo's fazhi@2024, or
    one set before the rules) is flagged to choose a new one — enforced in production (FAZHI_PRODUCTION)."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        from .services import password_meets_policy, require_password_change

        if not password_meets_policy(self.cleaned_data.get("password") or "", user):
            require_password_change([user.pk])
