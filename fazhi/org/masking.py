"""Masking of personal data (身份证号, 电话) in lists and exports."""

import re

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CODES = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
PHONE_PATTERN = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def id_number_check_code(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a 居民身份证号码."""
    return ID_CHECK_CODES[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def is_valid_id_number(value: str) -> bool:
    value = value.upper()
    return bool(ID_PATTERN.match(value)) and id_number_check_code(value[:17]) == value[17]


def mask_id_number(value: str) -> str:
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    digits = value.replace("-", "")
    if len(digits) < 7:
        return "*" * len(value)
    return digits[:3] + "****" + digits[-4:]
