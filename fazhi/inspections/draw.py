"""The 双随机 draw as pure arithmetic on text anyone can re-run: no database, no clock, no randomness
of the machine.

What is drawn from is frozen first as three canonical texts, whose SHA-256 the plan publishes before
the seed is known:

- the objects (检查对象): one line per object, ``统一社会信用代码<TAB>行业<TAB>区域<TAB>风险等级``;
- the inspectors (执法检查人员): one line per inspector, ``执法证号``;
- the conflicts (回避): one line per pair, ``执法证号<TAB>统一社会信用代码``;

each UTF-8, lines sorted by code point, ending in ``\\n`` (LF), no blank line, no BOM. ``sha256sum`` of
the downloaded file is the published hash.

The draw, given the seed (a text agreed in advance, see ``services.enter_seed``):

1. objects are grouped into strata by the plan's 分层 attributes (行业/区域/风险等级, any of them, or
   one stratum of all);
2. the total ``k`` (a count, or ⌈N × 比例 / 100⌉) is shared among strata in proportion to their sizes,
   each stratum getting ⌊k·Nₛ/N⌋ and the ones left over going to the largest remainders (ties: the
   stratum first in code-point order of its key);
3. within a stratum, objects are ranked by SHA-256(seed ``|`` 统一社会信用代码) as hex, lowest first, and
   the first kₛ are drawn;
4. for each drawn object, inspectors are ranked by SHA-256(seed ``|`` 统一社会信用代码 ``|`` 执法证号), those
   with a 回避 conflict with the object are skipped, and the first n are assigned.

By hand: ``printf '%s' '20261201|91330102MA2XXXXX1X' | sha256sum``.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from operator import itemgetter
from typing import NamedTuple

SEPARATOR = "|"
STRATA = ("industry", "region", "risk")  # the attributes a plan may stratify by, in the line's order
STRATUM_LABELS = {"industry": "行业", "region": "区域", "risk": "风险等级"}
FORBIDDEN = set("\t\n\r" + SEPARATOR)


class DrawError(ValueError):
    """A draw that cannot be made as asked (the message is Chinese and names what is short)."""


class PoolObject(NamedTuple):
    """An object of the frozen pool (a tuple: a million of them are parsed in a few seconds)."""

    code: str  # 统一社会信用代码
    industry: str = ""
    region: str = ""
    risk: str = ""

    def stratum(self, strata: Sequence[str]) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in strata)


def _stratum_of(strata: Sequence[str]) -> Callable[[PoolObject], tuple[str, ...]]:
    """A fast ``o.stratum(strata)``."""
    fields = [PoolObject._fields.index(name) for name in strata]
    if not fields:
        return lambda o: ()
    if len(fields) == 1:
        return lambda o: (o[fields[0]],)
    getter = itemgetter(*fields)
    return lambda o: getter(o)


@dataclass(frozen=True)
class Selection:
    """One drawn object: its stratum, its rank digest and the inspectors assigned, in rank order."""

    code: str
    stratum: tuple[str, ...]
    digest: str
    inspectors: tuple[str, ...]


# -- canonical texts ----------------------------------------------------------------------------------
def _check_text(value: str, what: str) -> str:
    if not value or value != value.strip() or FORBIDDEN & set(value):
        raise DrawError(
            f"{what}“{value[:40]}”为空、首尾有空格或含有制表符、换行、“{SEPARATOR}”，不能用于抽取。"
        )
    return value


def _check_attribute(value: str, what: str) -> str:
    if FORBIDDEN & set(value) or value != value.strip():
        raise DrawError(f"{what}“{value[:40]}”首尾有空格或含有制表符、换行、“{SEPARATOR}”，不能用于抽取。")
    return value


def objects_text(objects: Iterable[PoolObject]) -> str:
    lines = []
    for o in objects:
        _check_text(o.code, "统一社会信用代码")
        for name in STRATA:
            _check_attribute(getattr(o, name), STRATUM_LABELS[name])
        lines.append(f"{o.code}\t{o.industry}\t{o.region}\t{o.risk}\n")
    return _joined(lines, "统一社会信用代码")


def inspectors_text(codes: Iterable[str]) -> str:
    return _joined([f"{_check_text(c, '执法证号')}\n" for c in codes], "执法证号")


def conflicts_text(pairs: Iterable[tuple[str, str]]) -> str:
    lines = {f"{_check_text(i, '执法证号')}\t{_check_text(o, '统一社会信用代码')}\n" for i, o in pairs}
    return "".join(sorted(lines))  # a conflict declared twice is one conflict


def _joined(lines: list[str], what: str) -> str:
    lines.sort()
    keys = [line.split("\t", 1)[0].rstrip("\n") for line in lines]
    for a, b in itertools.pairwise(keys):
        if a == b:
            raise DrawError(f"{what}“{a}”在名录中出现两次。")
    return "".join(lines)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_objects(text: str) -> list[PoolObject]:
    objects = []
    for line in text.splitlines():
        code, industry, region, risk = line.split("\t")
        objects.append(PoolObject(code, industry, region, risk))
    return objects


def parse_inspectors(text: str) -> list[str]:
    return text.splitlines()


def parse_conflicts(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")) for line in text.splitlines()]  # type: ignore[misc]


# -- how many ---------------------------------------------------------------------------------------
def total_count(pool_size: int, *, count: int | None = None, percent: Decimal | None = None) -> int:
    """k: the count asked, or ⌈N × 比例 / 100⌉ (a 抽查比例 is a floor, so it rounds up)."""
    if (count is None) == (percent is None):
        raise DrawError("抽取数量和抽取比例须填写且只填写一项。")
    if count is not None:
        if count <= 0:
            raise DrawError("抽取数量须大于0。")
        return count
    assert percent is not None
    if not Decimal(0) < percent <= Decimal(100):
        raise DrawError("抽取比例须大于0%且不超过100%。")
    return int((Decimal(pool_size) * percent / 100).to_integral_value(rounding=ROUND_CEILING))


def allocate(sizes: dict[tuple[str, ...], int], k: int) -> dict[tuple[str, ...], int]:
    """k shared among strata in proportion to their sizes, by largest remainder (Hamilton)."""
    total = sum(sizes.values())
    if total == 0:
        return {key: 0 for key in sizes}
    quotas = {key: Fraction(k * n, total) for key, n in sizes.items()}
    shares = {key: int(q) for key, q in quotas.items()}  # floor: quotas are not negative
    left = k - sum(shares.values())
    by_remainder = sorted(sizes, key=lambda key: (-(quotas[key] - shares[key]), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def stratum_label(stratum: tuple[str, ...], strata: Sequence[str]) -> str:
    if not strata:
        return "全部对象"
    return "，".join(f"{STRATUM_LABELS[s]}“{v or '（空）'}”" for s, v in zip(strata, stratum, strict=True))


# -- feasibility --------------------------------------------------------------------------------------
def feasibility_problems(objects: Sequence[PoolObject], inspectors: Sequence[str],
                         conflicts: Iterable[tuple[str, str]], *, strata: Sequence[str], k: int,
                         per_object: int) -> list[str]:  # fmt: skip
    """Why the draw cannot be made, checked before the seed is known, so it does not depend on it:
    enough objects in the pool and in every stratum, and for every object of the pool (any may be
    drawn) at least ``per_object`` inspectors without a conflict."""
    problems = []
    if not objects:
        problems.append("检查对象名录为空，无法抽取。")
    if k > len(objects):
        problems.append(f"计划抽取{k}户，名录中只有{len(objects)}户。")
    sizes: dict[tuple[str, ...], int] = defaultdict(int)
    stratum_of = _stratum_of(strata)
    for o in objects:
        sizes[stratum_of(o)] += 1
    if objects and k <= len(objects):
        for key, share in sorted(allocate(dict(sizes), k).items()):
            if share > sizes[key]:
                problems.append(f"{stratum_label(key, strata)}应抽{share}户，只有{sizes[key]}户。")
    known = set(inspectors)
    blocked: dict[str, int] = defaultdict(int)
    for inspector, code in conflicts:
        if inspector in known:
            blocked[code] += 1
    for o in objects:
        free = len(known) - blocked[o.code]
        if free < per_object:
            problems.append(
                f"检查对象{o.code}（{stratum_label(o.stratum(strata), strata)}）只有{free}名无须回避的"
                f"执法检查人员，每户至少需要{per_object}名。"
            )
            if len(problems) >= 20:
                problems.append("……（仅列出前20项）")
                break
    return problems


# -- the draw -----------------------------------------------------------------------------------------
def draw(objects: Sequence[PoolObject], inspectors: Sequence[str], conflicts: Iterable[tuple[str, str]],
         *, seed: str, strata: Sequence[str], k: int, per_object: int) -> list[Selection]:  # fmt: skip
    """The selection, a pure function of its arguments (see the module's docstring), in stratum order
    then rank order. Raises DrawError with every problem found when the draw cannot be made."""
    _check_text(seed, "随机种子")
    conflicts = list(conflicts)
    problems = feasibility_problems(objects, inspectors, conflicts, strata=strata, k=k, per_object=per_object)
    if problems:
        raise DrawError("\n".join(problems))
    sha256 = hashlib.sha256
    prefix = f"{seed}{SEPARATOR}".encode()
    groups: dict[tuple[str, ...], list[PoolObject]] = defaultdict(list)
    stratum_of = _stratum_of(strata)
    for o in objects:
        groups[stratum_of(o)].append(o)
    shares = allocate({key: len(group) for key, group in groups.items()}, k)
    blocked: dict[str, set[str]] = defaultdict(set)
    for inspector, code in conflicts:
        blocked[code].add(inspector)
    everyone = [(i.encode(), i) for i in inspectors]
    selections = []
    for key in sorted(groups):
        # raw digests order as their hex does; hex is kept only for what is drawn
        ranked = [(sha256(prefix + o.code.encode()).digest(), o.code) for o in groups[key]]
        for digest, code in heapq.nsmallest(shares[key], ranked):
            base = prefix + f"{code}{SEPARATOR}".encode()
            excluded = blocked.get(code)
            pool = [c for c in everyone if c[1] not in excluded] if excluded else everyone
            candidates = [(sha256(base + raw).digest(), inspector) for raw, inspector in pool]
            chosen = tuple(i for _, i in heapq.nsmallest(per_object, candidates))
            selections.append(Selection(code, key, digest.hex(), chosen))
    return selections


def object_digest(seed: str, code: str) -> str:
    """SHA-256(seed|统一社会信用代码): the object's rank key, for the verification page."""
    return sha256_text(f"{seed}{SEPARATOR}{code}")


def inspector_digest(seed: str, code: str, inspector: str) -> str:
    return sha256_text(f"{seed}{SEPARATOR}{code}{SEPARATOR}{inspector}")
