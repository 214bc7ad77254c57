"""The user's own account pages: password change, the second factor (TOTP), the lockout page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import services
from .forms import TokenForm


@require_http_methods(["GET", "POST"])
def password_change(request):
    """Any user changes their own password (and must, when flagged, before anything else)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("home")
    forced = services.must_change_password(request.user)
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol (QR code + first code) or remove the authenticator of an administrator."""
    user = request.user
    if not services.may_use_totp(user):
        raise PermissionDenied("双因素认证目前只对系统管理员和单位管理员开放。")
    confirmed = services.confirmed_totp(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if confirmed:
            if services.totp_remove(user, token):
                messages.success(request, "已停用双因素认证。")
                return redirect("accounts:otp_setup")
        else:
            device = services.totp_enrolment(user)
            if services.totp_confirm(user, device, token):
                otp_login(request, device)
                messages.success(request, "已启用双因素认证：以后登录时须输入身份验证器上的验证码。")
                return redirect("accounts:otp_setup")
        form.add_error("token", "验证码不正确或已过期，请输入身份验证器上当前显示的6位数字。")
    context = {"form": form, "confirmed": confirmed}
    if not confirmed:
        device = services.totp_enrolment(user)
        context |= {"qr": services.totp_qr_data_uri(device), "secret": services.totp_secret_text(device)}
    return render(request, "accounts/otp_setup.html", context)


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of logging in for a user with a confirmed authenticator."""
    device = services.confirmed_totp(request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if device is None or request.user.is_verified():
        return redirect(next_url or "home")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            return redirect(next_url or "home")
        form.add_error("token", "验证码不正确或已过期（连续输错会暂时锁定，请稍候再试）。")
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@login_not_required
def lockout(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): a Chinese page, 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
