"""统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and A-Y without I, O, S, V, Z; the last is a
check character over the first 17 with the weights 3ⁱ mod 31."""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(
    pow(3, i, 31) for i in range(17)
)  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    return len(code) == 18 and all(c in CHARSET for c in code) and check_character(code[:17]) == code[17]


def make(kind: str, region: str, serial: int) -> str:
    """A well-formed code: 登记管理部门 and 机构类别 (``kind``, e.g. "91" 企业, "92" 个体工商户), the
    6-digit 行政区划 ``region``, a 9-character body from ``serial`` (digits, as a 组织机构代码 body is
    for most), and its check character."""
    body = f"{serial % 10**8:08d}"
    body += CHARSET[(serial // 10**8 + sum(map(int, body))) % 10]  # stands in for the 组织机构代码 check
    first17 = f"{kind}{region}{body}"
    return first17 + check_character(first17)
