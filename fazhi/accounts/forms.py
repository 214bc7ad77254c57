from django import forms


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="身份验证器（手机应用）上显示的6位数字。",
    )
