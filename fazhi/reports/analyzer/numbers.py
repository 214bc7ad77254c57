"""Numerals as reports write them: Arabic, Chinese (十二, 两, 三千), with 万/千 and 余/多/近 qualifiers."""

from __future__ import annotations

from decimal import Decimal

import cn2an

CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿"
MULTIPLIERS = {"万": 10_000, "千": 1_000, "亿": 100_000_000, "百": 100}


def chinese_to_number(text: str) -> int:
    """十二 → 12, 两 → 2, 三千 → 3000 (raises ValueError on non-numerals)."""
    return int(cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "smart"))


def parse_number(text: str) -> Decimal:
    """An Arabic (1,083 / 2.9) or Chinese numeral."""
    cleaned = text.replace(",", "").replace("，", "")
    if cleaned and all(c in "0123456789." for c in cleaned):
        return Decimal(cleaned)
    return Decimal(chinese_to_number(cleaned))


def as_json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
