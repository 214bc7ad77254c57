"""Model fields that hold personal data (身份证号, 电话).

At rest they are encrypted (Fernet from ``cryptography``: AES-128-CBC with an HMAC, a fresh IV per value),
so a database dump, a backup or the audit history shows no number in clear; the keys are
``settings.DATA_KEYS`` (the first encrypts, every one decrypts, so a key can be rotated). Equal values
encrypt differently, so a lookup goes through ``digest`` (a keyed HMAC-SHA256), kept in a column beside
the value where uniqueness or search needs it.

On screen, the one presenter (``fazhi.registers.present``) and the audit trail mask them for users
without 可查看完整个人信息.

Not ``django-fernet-encrypted-fields``: it marks a field "already decrypted" on the shared field object
while a form is cleaned (not thread-safe in a threaded server) and returns the ciphertext when a key is
wrong; here a wrong key is an error."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models

from .masking import PHONE_PATTERN, is_valid_id_number, mask_id_number, mask_phone

TOKEN_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80, then the timestamp)


@cache
def _fernet() -> MultiFernet:
    keys = settings.DATA_KEYS["fernet"]
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "个人信息无法解密：数据密钥（FAZHI_DATA_KEYS 或数据目录中的 data_keys.json）与加密时不同。"
        ) from None


def digest(value: str) -> str:
    """A keyed hash of a value (normalised: trimmed, upper case), equal for equal values."""
    if not value:
        return ""
    key = settings.DATA_KEYS["digest"].encode()
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def _check_id_number(value: str) -> None:
    if value and not is_valid_id_number(value):
        raise ValidationError("身份证号格式或校验位不正确。")


def _check_phone(value: str) -> None:
    if value and not PHONE_PATTERN.match(value):
        raise ValidationError("电话号码格式不正确（手机号11位，或带区号的固定电话）。")


class PersonalDataField(models.CharField):
    """Personal data: plain text in Python, encrypted in the database; ``mask`` is how it is shown to
    those who may not see it in full."""

    @staticmethod
    def mask(value: str) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def get_internal_type(self) -> str:
        return "TextField"  # a token is longer than the value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else (value if value is None else "")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if value else value

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("isnull", "exact"):
            raise TypeError(f"{self.name} is encrypted: search it through its digest")
        return super().get_lookup(lookup_name)


class IdNumberField(PersonalDataField):
    default_validators = [_check_id_number]

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    mask = staticmethod(mask_id_number)


class PhoneField(PersonalDataField):
    default_validators = [_check_phone]

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    mask = staticmethod(mask_phone)
