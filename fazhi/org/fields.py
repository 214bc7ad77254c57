"""Model fields that hold personal data: the one presenter (``fazhi.registers.present``) and the audit
trail mask them for users without 可查看完整个人信息, wherever they are shown."""

from django.core.exceptions import ValidationError
from django.db import models

from .masking import PHONE_PATTERN, is_valid_id_number, mask_id_number, mask_phone


def _check_id_number(value: str) -> None:
    if value and not is_valid_id_number(value):
        raise ValidationError("身份证号格式或校验位不正确。")


def _check_phone(value: str) -> None:
    if value and not PHONE_PATTERN.match(value):
        raise ValidationError("电话号码格式不正确（手机号11位，或带区号的固定电话）。")


class PersonalDataField(models.CharField):
    """A piece of personal data; ``mask`` is how it is shown to those who may not see it in full."""

    @staticmethod
    def mask(value: str) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class IdNumberField(PersonalDataField):
    default_validators = [_check_id_number]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    mask = staticmethod(mask_id_number)


class PhoneField(PersonalDataField):
    default_validators = [_check_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    mask = staticmethod(mask_phone)
