"""Account security actions: password change, the forced change, TOTP enrolment and removal."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AccountSecurity

TOTP_DEVICE_NAME = "身份验证器"


def must_change_password(user) -> bool:
    """True when ``user`` has to choose a new password before using the system (production only)."""
    if not settings.FAZHI_PRODUCTION or not user.is_authenticated:
        return False
    return AccountSecurity.objects.filter(user=user, must_change_password=True).exists()


def require_password_change(user_ids) -> int:
    """Flag the users ``user_ids`` to change their password at their next login (production only)."""
    ids = set(user_ids)
    AccountSecurity.objects.filter(user_id__in=ids).update(must_change_password=True)
    have = set(AccountSecurity.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    AccountSecurity.objects.bulk_create(
        [AccountSecurity(user_id=pk, must_change_password=True) for pk in sorted(ids - have)]
    )
    return len(ids)


def password_meets_policy(password: str, user) -> bool:
    """Whether ``password`` passes today's password rules (AUTH_PASSWORD_VALIDATORS) for ``user``."""
    try:
        validate_password(password, user)
    except ValidationError:
        return False
    return True


@transaction.atomic
def password_change(user, new_password: str) -> None:
    """Set ``user``'s own new password (validated by the password policy) and clear the forced change."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "password_changed_at": timezone.now()}
    )


def may_use_totp(user) -> bool:
    """The second factor is offered to administrators (of the system or of a unit)."""
    return user.is_authenticated and user.can_manage


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_enrolment(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (a new secret), created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI of ``device`` as an SVG QR code in a data: URI, drawn here (no network)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an authenticator by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_confirm(user, device: TOTPDevice, token: str) -> bool:
    """Confirm ``device`` when ``token`` is its current code; any other device of the user is removed."""
    if device.user_id != user.pk or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def totp_remove(user, token: str) -> bool:
    """Remove the user's second factor; the current code proves the authenticator is at hand."""
    device = confirmed_totp(user)
    if device is None or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True
