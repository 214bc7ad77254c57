"""Numerals as reports write them: Arabic (1,083 / 2.9), Chinese (十二, 两, 三千, 百, 一万五), approximate
pairs (三四, 七八十, 十五六, 三五千), indefinite numerals (数十, 十几, 上百) and ranges (3至5, 三到五).

One parser for the whole project (style.md: "a Chinese numeral parser in one module"). Anything that is not
a numeral raises ``ValueError``; nothing else escapes, whatever the input.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

DIGIT_VALUES = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
# 数十 "some tens", 十几 "ten-odd": a digit left open
OPEN_DIGITS = "数几"
CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿"
NUMERAL_CHARS = CHINESE_DIGITS + OPEN_DIGITS
MULTIPLIERS = {"万": 10_000, "千": 1_000, "亿": 100_000_000, "百": 100}
_NONZERO = "一二两三四五六七八九"


class Numeral(NamedTuple):
    """A numeral's value; ``low``/``high`` bound an approximate pair or a range (else both are ``value``)."""

    value: Decimal
    low: Decimal
    high: Decimal
    approx: bool = False

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def scaled(self, factor: int | Decimal) -> Numeral:
        return Numeral(self.value * factor, self.low * factor, self.high * factor, self.approx)


def _exact(value: Decimal) -> Numeral:
    return Numeral(value, value, value)


def _plain_chinese(text: str) -> int:
    """A Chinese numeral without open digits or pairs: 十二, 一百零五, 两万三千, 百, 三千五 (= 3500)."""
    if not text or any(c not in DIGIT_VALUES and c not in SMALL_UNITS and c not in LARGE_UNITS for c in text):
        raise ValueError(f"不是数字：{text}")
    if all(c in DIGIT_VALUES for c in text):
        if len(text) == 1:
            return DIGIT_VALUES[text]
        if text[0] in "零〇":  # 〇五 is a code, not a count
            raise ValueError(f"不是数字：{text}")
        return int("".join(str(DIGIT_VALUES[c]) for c in text))  # 二〇二四 read digit by digit
    total, section, digit = 0, 0, None
    last_unit = 0
    after_zero = False  # 一万零五: a digit after 零 is units
    previous_large = 0
    for c in text:
        if c in DIGIT_VALUES:
            if digit is not None and DIGIT_VALUES[c] != 0 and c not in "零〇":
                raise ValueError(f"不是数字：{text}")  # 三四 is a pair, handled before
            digit = DIGIT_VALUES[c]
            if c in "零〇":
                digit, last_unit, after_zero = None, 0, True
        elif c in SMALL_UNITS:
            unit = SMALL_UNITS[c]
            if last_unit and unit >= last_unit and section:  # 十百 / 百百
                raise ValueError(f"不是数字：{text}")
            section += (1 if digit is None else digit) * unit
            digit, last_unit, after_zero = None, unit, False
        else:
            large = LARGE_UNITS[c]
            if previous_large and large <= previous_large and not section and digit is None:
                raise ValueError(f"不是数字：{text}")  # 万万, 亿万 without a digit between
            section += digit or 0
            if not section and not total:
                section = 1  # 万人 → 一万
            if previous_large and large > previous_large:  # 三万亿: the 万 section scales too
                total = (total + section) * large
            else:
                total += section * large
            section, digit, last_unit, previous_large, after_zero = 0, None, 0, large, False
    if digit is not None:
        # 三千五 = 3500, 一万五 = 15000: a trailing digit takes the unit below the last one
        if after_zero:
            section += digit
        elif last_unit:
            section += digit * last_unit // 10
        elif previous_large and total and not section:
            total += digit * previous_large // 10
        else:
            section += digit
    return total + section


def _pair_position(text: str) -> int | None:
    """Where two different digits stand side by side as an approximate pair (三四, 七八, 三五), if any."""
    for k in range(len(text) - 1):
        a, b = text[k], text[k + 1]
        if a in _NONZERO and b in _NONZERO and DIGIT_VALUES[a] < DIGIT_VALUES[b]:
            return k
    return None


def parse_chinese(text: str) -> Numeral:
    """A Chinese numeral, with approximate pairs, open digits and a leading 上 (上百) as approximations."""
    approx = False
    if text.startswith("上") and len(text) > 1 and text[1] in "十百千万亿":
        text, approx = text[1:], True
    if text.endswith(("数", "几")) and len(text) == 1:
        raise ValueError(f"不是数字：{text}")
    if any(c in OPEN_DIGITS for c in text):
        if sum(c in OPEN_DIGITS for c in text) > 1:
            raise ValueError(f"不是数字：{text}")
        # 数十 → 10 (at least ten, up to 90); 十几 → 10 (up to 19)
        k = next(i for i, c in enumerate(text) if c in OPEN_DIGITS)
        trailing = k == len(text) - 1 or (text[k + 1] not in SMALL_UNITS and text[k + 1] not in LARGE_UNITS)
        low = _plain_chinese(text[:k] + ("" if trailing else "一") + text[k + 1 :]) if len(text) > 1 else 0
        high = _plain_chinese(text[:k] + "九" + text[k + 1 :])
        if low <= 0:
            raise ValueError(f"不是数字：{text}")
        return Numeral(Decimal(low), Decimal(low), Decimal(max(low, high)), True)
    if (pair := _pair_position(text)) is not None:
        low = _plain_chinese(text[:pair] + text[pair] + text[pair + 2 :])
        high = _plain_chinese(text[:pair] + text[pair + 1] + text[pair + 2 :])
        if high <= low:
            raise ValueError(f"不是数字：{text}")
        return Numeral(Decimal(low), Decimal(low), Decimal(high), True)
    value = Decimal(_plain_chinese(text))
    return Numeral(value, value, value, approx)


_ASCII_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_arabic(text: str) -> Decimal:
    """1,083 / 2.9 / ٣ (any script's decimal digits)."""
    cleaned = text.replace(",", "").replace("，", "")
    if cleaned.isascii() and _ASCII_NUMBER.fullmatch(cleaned):
        return Decimal(cleaned)
    if not cleaned or any(not (c.isdecimal() or c == ".") for c in cleaned) or cleaned.count(".") > 1:
        raise ValueError(f"不是数字：{text}")
    try:
        return Decimal("".join(str(int(c)) if c.isdecimal() else c for c in cleaned))
    except (InvalidOperation, ValueError):
        raise ValueError(f"不是数字：{text}") from None


def parse_numeral(text: str) -> Numeral:
    """An Arabic or Chinese numeral (raises ValueError on anything else)."""
    if not text:
        raise ValueError("不是数字：空")
    if text[0].isdecimal():
        return _exact(parse_arabic(text))
    return parse_chinese(text)


def chinese_to_number(text: str) -> int:
    """十二 → 12, 两 → 2, 三千 → 3000 (raises ValueError on non-numerals and approximate numerals)."""
    numeral = parse_chinese(text)
    if numeral.approx:
        raise ValueError(f"不是确数：{text}")
    return int(numeral.value)


def parse_number(text: str) -> Decimal:
    """An Arabic (1,083 / 2.9) or Chinese numeral's value (the lower bound of an approximate one)."""
    return parse_numeral(text).value


def as_json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
