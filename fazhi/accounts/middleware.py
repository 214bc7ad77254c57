"""Idle timeout, the second factor and the forced password change, checked on every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import services

LAST_SEEN_KEY = "fazhi_last_seen"
SETTLED_KEY = "fazhi_account_settled"
# The session is written at most once a minute for activity, not on every request.
LAST_SEEN_RESOLUTION = 60


def _redirect(request, url: str):
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class IdleTimeoutMiddleware:
    """Log out a user who has sent no request for ``FAZHI_IDLE_TIMEOUT`` seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > settings.FAZHI_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "长时间未操作，已自动退出，请重新登录。")
                login = redirect_to_login(request.get_full_path())
                return _redirect(request, login["Location"])
            # htmx GETs are mostly a page polling by itself (a job's progress every second): not activity
            polling = request.method == "GET" and request.headers.get("HX-Request")
            if last is None or (now - last >= LAST_SEEN_RESOLUTION and not polling):
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class AccountPolicyMiddleware:
    """Before anything else: an enrolled administrator types the authenticator's code, then a user
    flagged to change the password (the demo's, or one an administrator issued) chooses a new one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        session = request.session
        # Both answers are kept in the session once they are "nothing to do", so a settled user costs
        # no query; logging in again starts a new session and asks again.
        if user.is_authenticated and not session.get(SETTLED_KEY):
            allowed = {reverse("logout"), reverse("accounts:otp_verify")}
            if request.path in allowed:
                return self.get_response(request)
            if not user.is_verified() and services.confirmed_totp(user):
                query = urlencode({"next": request.get_full_path()})
                return _redirect(request, f"{reverse('accounts:otp_verify')}?{query}")
            change = reverse("accounts:password_change")
            if services.must_change_password(user):
                if request.path != change:
                    return _redirect(request, change)
            else:
                session[SETTLED_KEY] = True
        return self.get_response(request)
