"""Login security: lockout, password rules, own password change, forced change, idle timeout, TOTP."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.accounts import demo as accounts_demo
from fazhi.accounts.middleware import LAST_SEEN_KEY
from fazhi.accounts.models import AccountSecurity
from fazhi.org.models import User, UserRole
from fazhi.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pass-word-123"


def _login(client, username, password=PASSWORD, ip="10.1.2.3"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_account_is_locked_after_five_failures_even_with_the_right_password(client, county):
    UserFactory(username="zhang", unit=county["changgang"])
    UserFactory(username="li", unit=county["changgang"])
    for _ in range(4):
        assert _login(client, "zhang", "wrong").status_code == 200
    assert _login(client, "zhang", "wrong").status_code == 429  # the fifth failure locks
    response = _login(client, "zhang")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已被暂时锁定" in page and "15分钟" in page
    assert "_auth_user_id" not in client.session
    # from another address the account stays locked; another account from this address is not
    assert _login(client, "zhang", ip="10.9.9.9").status_code == 429
    assert _login(client, "li").status_code == 302


def test_an_address_is_locked_after_thirty_failures_over_many_accounts(client, county):
    UserFactory(username="zhang", unit=county["changgang"])
    for n in range(29):
        _login(client, f"guess{n}", "wrong", ip="10.7.7.7")
    assert _login(client, "zhang", ip="10.7.7.7").status_code == 302  # 29 failures: still allowed
    client.logout()  # (a success does not reset the address's count: one known account must not clear it)
    _login(client, "guess-last", "wrong", ip="10.7.7.7")
    assert _login(client, "zhang", ip="10.7.7.7").status_code == 429
    assert _login(client, "zhang", ip="10.8.8.8").status_code == 302


@pytest.mark.parametrize(
    "password",
    ["pwuser01", "fazhi123", "fazhi@2024", "Fazhi@2024!", "Admin@12345", "Pwuser-2024", "1234567890",
     "abcdefghijk", "password123", "zhang1234567"],
)  # fmt: skip
def test_weak_passwords_are_refused(password):
    user = User(username="pwuser", first_name="伟", last_name="张")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.parametrize("password", ["Qingshan-River-7", "长冈乡2025年度台账!", "tide+Lamp+93"])
def test_strong_passwords_are_accepted(password):
    validate_password(password, User(username="pwuser"))


def test_every_user_changes_their_own_password(client, county):
    user = UserFactory(username="zhang", unit=county["changgang"])
    client.force_login(user)
    assert "修改密码" in client.get(reverse("home")).content.decode()  # in the header menu
    url = reverse("accounts:password_change")
    page = client.get(url).content.decode()
    assert "原密码" in page or "旧密码" in page
    bad = client.post(
        url, {"old_password": PASSWORD, "new_password1": "zhang123", "new_password2": "zhang123"}
    )
    assert bad.status_code == 200 and "密码" in bad.content.decode()
    new = "Qingshan-River-7"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # still logged in
    user.refresh_from_db()
    assert user.check_password(new) and not user.check_password(PASSWORD)
    assert AccountSecurity.objects.get(user=user).password_changed_at is not None


def test_demo_password_must_be_changed_first_in_production_only(client, county):
    user = UserFactory(username="zhang", unit=county["changgang"])
    accounts_demo.build(None)  # what `fazhi demo` does last
    assert AccountSecurity.objects.get(user=user).must_change_password
    assert _login(client, "zhang").status_code == 302
    assert client.get(reverse("home")).status_code == 200  # development, tests, `make run`: not forced
    client.logout()
    with override_settings(FAZHI_PRODUCTION=True):
        assert _login(client, "zhang").status_code == 302
        change = reverse("accounts:password_change")
        for url in (reverse("home"), reverse("org:unit_list")):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"] == change
        assert "请先设置自己的新密码" in client.get(change).content.decode()
        new = "Qingshan-River-7"
        client.post(change, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
        assert client.get(reverse("home")).status_code == 200
        assert not AccountSecurity.objects.get(user=user).must_change_password


@override_settings(FAZHI_IDLE_TIMEOUT=30 * 60)
def test_idle_session_ends_after_thirty_minutes(client, county):
    client.force_login(UserFactory(username="zhang", unit=county["changgang"]))
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 200  # 29 minutes idle: still in, and refreshed
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 20 * 60
    session.save()
    assert client.get(reverse("home"), HTTP_HX_REQUEST="true").status_code == 200  # polling: not activity
    session = client.session
    assert session[LAST_SEEN_KEY] < time.time() - 19 * 60
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("org:unit_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert "长时间未操作" in client.get(response["Location"]).content.decode()
    htmx = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert htmx.status_code == 302  # anonymous now: the login redirect


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_administrator_enrols_a_totp_authenticator_and_is_asked_for_it_at_login(client, county):
    admin = UserFactory(username="boss", unit=county["county"], role=UserRole.UNIT_ADMIN)
    client.force_login(admin)
    setup = reverse("accounts:otp_setup")
    page = client.get(setup).content.decode()
    assert "data:image/svg+xml" in page and "双因素认证" in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert (
        client.post(setup, {"token": "000000" if _code(device) != "000000" else "111111"}).status_code == 200
    )
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # django-otp's back-off
    assert client.post(setup, {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()

    assert _login(client, "boss").status_code == 302
    response = client.get(reverse("org:unit_list"))
    verify = reverse("accounts:otp_verify")
    assert response.status_code == 302 and response["Location"].startswith(verify)
    assert "输入验证码" in client.get(response["Location"]).content.decode()
    assert client.post(verify, {"token": "12345x"}).status_code == 200
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above started django-otp's back-off
    device.save()
    done = client.post(verify, {"token": _code(device, 1), "next": reverse("org:unit_list")})
    assert done.status_code == 302 and done["Location"] == reverse("org:unit_list")
    assert client.get(reverse("org:unit_list")).status_code == 200


def test_totp_is_for_administrators_and_optional(client, county):
    client.force_login(UserFactory(username="zhang", unit=county["changgang"]))
    assert client.get(reverse("accounts:otp_setup")).status_code == 403
    assert "双因素认证" not in client.get(reverse("home")).content.decode()
    client.logout()
    UserFactory(username="boss", unit=county["county"], role=UserRole.UNIT_ADMIN)
    assert _login(client, "boss").status_code == 302
    assert client.get(reverse("home")).status_code == 200  # not enrolled: no second step


def test_a_password_issued_by_an_administrator_must_be_replaced(county):
    from fazhi.org.services import user_save

    admin = UserFactory(username="boss", unit=county["county"], role=UserRole.UNIT_ADMIN)
    user = User(username="newbie", unit=county["changgang"], role=UserRole.OPERATOR)
    user_save(actor=admin, user=user, unit_ids=[u.pk for u in county.values()], password="Issued-Pass-42")
    assert AccountSecurity.objects.get(user=user).must_change_password
    user_save(actor=admin, user=admin, unit_ids=[u.pk for u in county.values()], password="Own-Choice-42x")
    assert not AccountSecurity.objects.filter(user=admin, must_change_password=True).exists()


def test_an_overlong_username_is_a_failed_login_not_an_error(client, county):
    response = _login(client, "x" * 3000, "wrong")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_logging_in_with_a_password_the_rules_refuse_flags_a_change(client, county):
    """Databases filled before the rules: the demo password (or any weak one) is caught at login."""
    user = UserFactory(username="zhang", unit=county["changgang"])
    user.set_password("fazhi@2024")
    user.save()
    assert _login(client, "zhang", "fazhi@2024").status_code == 302
    assert AccountSecurity.objects.get(user=user).must_change_password
    strong = UserFactory(username="li", unit=county["changgang"])
    strong.set_password("Qingshan-River-7")
    strong.save()
    assert _login(client, "li", "Qingshan-River-7", ip="10.2.2.2").status_code == 302
    assert not AccountSecurity.objects.filter(user=strong, must_change_password=True).exists()
