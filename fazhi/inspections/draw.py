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
4. for each drawn object, its inspectors come from a sequence seeded by the object: with the N
   inspectors numbered 0…N−1 in the order of the frozen list (line number − 1), candidate k (k = 0, 1,
   2…) is the inspector numbered int(SHA-256(seed ``|`` 统一社会信用代码 ``|`` k), 16) mod N, k written in
   decimal; a candidate already chosen or with a 回避 conflict with the object is skipped, until n are
   assigned (in the order found). After 64·n candidates (rarely reached: only when most inspectors are
   in 回避), the list is scanned from the inspector after the last candidate, wrapping round once; if
   that finds too few, the draw is refused (the feasibility check before freezing already refuses it).

Each object is equally likely to be drawn within its stratum and, as 2²⁵⁶ mod N is negligible, each
inspector without a conflict is equally likely to be assigned.

By hand: ``printf '%s' '2026140|91330102MA2XXXXX1X' | sha256sum`` gives an object's rank key;
``printf '%s' '2026140|91330102MA2XXXXX1X|0' | sha256sum`` its first candidate, whose number is the hex
value mod N (``python3 -c "print(int('<hex>', 16) % N)"``): number m is line m + 1 of the inspectors'
file.
"""

from __future__ import annotations

import hashlib
import heapq
import importlib
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from operator import itemgetter
from typing import Any, NamedTuple

from fazhi.core.gc_pause import no_cyclic_gc

SEPARATOR = "|"
STRATA = ("industry", "region", "risk")  # the attributes a plan may stratify by, in the line's order
STRATUM_LABELS = {"industry": "行业", "region": "区域", "risk": "风险等级"}
FORBIDDEN = set("\t\n\r" + SEPARATOR)


def _short_text_sha256() -> Callable[[bytes], Any]:
    """SHA-256 for the draw's many short texts: hashlib's is OpenSSL's, whose set-up per call costs more
    than hashing an id of 30 bytes; CPython's own implementation of the same function (``_sha2``, before
    3.12 ``_sha256``) sets up faster. hashlib's when neither is there or they disagree on a known value."""
    for name in ("_sha2", "_sha256"):
        try:
            function = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        if function(b"abc").digest() == hashlib.sha256(b"abc").digest():
            return function
    return hashlib.sha256


_sha256 = _short_text_sha256()


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
    """The canonical text of the objects (checked as a whole: a million lines take a second or two)."""
    objects = list(objects)
    with no_cyclic_gc():
        codes = list(map(itemgetter(0), objects))
        _check_texts(codes, "统一社会信用代码")
        for i, name in enumerate(STRATA, 1):
            for value in set(map(itemgetter(i), objects)):  # a few distinct values each
                _check_attribute(value, STRATUM_LABELS[name])
        if len(set(codes)) != len(codes):
            seen: set[str] = set()
            for code in codes:
                if code in seen:
                    raise DrawError(f"统一社会信用代码“{code}”在名录中出现两次。")
                seen.add(code)
        lines = list(map("\t".join, objects))
        lines.sort()  # as the lines with their "\n": no code is another's prefix followed by a tab
        return "\n".join(lines) + "\n" if lines else ""


def _check_texts(values: list[str], what: str) -> None:
    """``_check_text`` of every value, without a Python loop unless one of them is wrong."""
    joined = "\x00".join(values)
    if (
        any(c in joined for c in FORBIDDEN)
        or min(map(len, values), default=1) == 0
        or list(map(str.strip, values)) != values
    ):
        for value in values:
            _check_text(value, what)


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
    with no_cyclic_gc():  # a million tuples, none of them cyclic
        return [PoolObject(*line.split("\t")) for line in text.splitlines()]


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
def _sizes(objects: Sequence[PoolObject], strata: Sequence[str]) -> dict[tuple[str, ...], int]:
    """Each stratum's number of objects, counted without a Python loop and without keeping a key per
    object, as a million objects may be drawn from."""
    if not strata:
        return {(): len(objects)}
    fields = [PoolObject._fields.index(name) for name in strata]
    if len(fields) == 1:  # count the values, then make them keys: no tuple per object
        return {(value,): n for value, n in Counter(map(itemgetter(fields[0]), objects)).items()}
    return dict(Counter(map(itemgetter(*fields), objects)))


def feasibility_problems(objects: Sequence[PoolObject], inspectors: Sequence[str],
                         conflicts: Iterable[tuple[str, str]], *, strata: Sequence[str], k: int,
                         per_object: int) -> list[str]:  # fmt: skip
    """Why the draw cannot be made, checked before the seed is known, so it does not depend on it:
    enough objects in the pool and in every stratum, and for every object of the pool (any may be
    drawn) at least ``per_object`` inspectors without a conflict."""
    sizes = _sizes(objects, strata)
    return _problems(objects, sizes, inspectors, conflicts, strata=strata, k=k, per_object=per_object)


def _problems(objects: Sequence[PoolObject], sizes: dict[tuple[str, ...], int], inspectors: Sequence[str],
              conflicts: Iterable[tuple[str, str]], *, strata: Sequence[str], k: int,
              per_object: int) -> list[str]:  # fmt: skip
    problems = []
    if not objects:
        problems.append("检查对象名录为空，无法抽取。")
    if k > len(objects):
        problems.append(f"计划抽取{k}户，名录中只有{len(objects)}户。")
    if objects and k <= len(objects):
        for key, share in sorted(allocate(sizes, k).items()):
            if share > sizes[key]:
                problems.append(f"{stratum_label(key, strata)}应抽{share}户，只有{sizes[key]}户。")
    known = set(inspectors)
    conflicts = list(conflicts)
    if len(known) >= per_object:
        # no object has more conflicts than the times its code is named (inspectors outside the list and
        # a pair given twice included): when that leaves enough, as it nearly always does, the conflicts
        # are not counted one by one
        most = max(Counter(map(itemgetter(1), conflicts)).values(), default=0)
        if len(known) - most >= per_object:
            return problems
    blocked: dict[str, int] = defaultdict(int)
    for inspector, code in set(conflicts):
        if inspector in known:
            blocked[code] += 1
    if len(known) < per_object:
        short = None  # every object
    else:
        short = {code for code, n in blocked.items() if len(known) - n < per_object}
        if not short:
            return problems
    stratum_of = _stratum_of(strata)
    for o in objects:
        if short is None or o.code in short:
            free = len(known) - blocked.get(o.code, 0)
            problems.append(
                f"检查对象{o.code}（{stratum_label(stratum_of(o), strata)}）只有{free}名无须回避的"
                f"执法检查人员，每户至少需要{per_object}名。"
            )
            if len(problems) >= 20:
                problems.append("……（仅列出前20项）")
                break
    return problems


# -- the draw -----------------------------------------------------------------------------------------
TRIES_PER_INSPECTOR = 64  # even with half the inspectors in 回避, the scan is needed for < 1 object in 10¹⁵


def candidate_limit(per_object: int) -> int:
    """How many candidates k = 0, 1, 2… an object's seeded sequence is read for before the scan: enough
    that the scan is almost never needed, bounded so that a 回避 of nearly everyone cannot loop."""
    return TRIES_PER_INSPECTOR * per_object


def assign_inspectors(seed: str, code: str, inspectors: Sequence[str], excluded: Collection[str] | None,
                      per_object: int) -> tuple[str, ...]:  # fmt: skip
    """The object's inspectors: for k = 0, 1, 2…, candidate k is ``inspectors[int(SHA-256(seed|code|k),
    16) mod N]`` (``inspectors`` in code-point order, N of them); repeats and 回避 are skipped until
    ``per_object`` are found. After ``candidate_limit`` candidates, the rest is a scan of the list from
    the entry after the last candidate, wrapping round once; if that is short too, the draw is
    infeasible (DrawError)."""
    n = len(inspectors)
    chosen: list[str] = []
    if not n:
        raise DrawError(f"检查对象{code}没有可分配的执法检查人员。")
    excluded = excluded or ()
    base = f"{seed}{SEPARATOR}{code}{SEPARATOR}".encode()
    sha256 = _sha256
    index = 0
    for k in range(candidate_limit(per_object)):
        index = int.from_bytes(sha256(base + str(k).encode()).digest(), "big") % n
        inspector = inspectors[index]
        if inspector not in excluded and inspector not in chosen:
            chosen.append(inspector)
            if len(chosen) == per_object:
                return tuple(chosen)
    for step in range(1, n + 1):  # the deterministic fallback: one round of the list
        inspector = inspectors[(index + step) % n]
        if inspector not in excluded and inspector not in chosen:
            chosen.append(inspector)
            if len(chosen) == per_object:
                return tuple(chosen)
    raise DrawError(f"检查对象{code}只有{len(chosen)}名无须回避的执法检查人员，每户至少需要{per_object}名。")


def draw(objects: Sequence[PoolObject], inspectors: Sequence[str], conflicts: Iterable[tuple[str, str]],
         *, seed: str, strata: Sequence[str], k: int, per_object: int) -> list[Selection]:  # fmt: skip
    """The selection, a pure function of its arguments (see the module's docstring), in stratum order
    then rank order. Raises DrawError with every problem found when the draw cannot be made."""
    _check_text(seed, "随机种子")
    conflicts = list(conflicts)
    with no_cyclic_gc():  # a million short-lived objects: the cyclic collector would only slow this down
        sizes = _sizes(objects, strata)
        problems = _problems(objects, sizes, inspectors, conflicts, strata=strata, k=k, per_object=per_object)
        if problems:
            raise DrawError("\n".join(problems))
        return _drawn(objects, strata, sizes, inspectors, conflicts, seed=seed, k=k, per_object=per_object)


def _drawn(
    objects: Sequence[PoolObject],
    strata: Sequence[str],
    sizes: dict[tuple[str, ...], int],
    inspectors: Sequence[str],
    conflicts: list[tuple[str, str]],
    *,
    seed: str,
    k: int,
    per_object: int,
) -> list[Selection]:
    """Steps 3 and 4 of the module's docstring. Every object is hashed once and only compared with a
    threshold that, with overwhelming probability, has more than kₛ objects of every stratum below it;
    the kₛ lowest of each stratum are found among those few (hashed again, a stratum with too few below
    it ranked in full), so the result is exactly the one the docstring defines, at the cost of little
    more than hashing the pool: no digest, stratum or index is kept for the others."""
    sha256 = _sha256
    prefix = f"{seed}{SEPARATOR}".encode()
    shares = {key: share for key, share in allocate(sizes, k).items() if share}
    stratum_of = _stratum_of(strata)
    # a stratum of n with a share of s has about n·f objects below the fraction f: ask for 2s + 16
    fraction = max((2 * share + 16) / sizes[key] for key, share in shares.items()) if shares else 1.0
    below: Iterable[int] = range(len(objects))
    if fraction < 1:
        threshold = int(fraction * 2**256).to_bytes(32, "big")
        below = [i for i, o in enumerate(objects) if sha256(prefix + o[0].encode()).digest() < threshold]
    ranked: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in below:
        ranked[stratum_of(objects[i])].append(i)
    short = {key for key, share in shares.items() if len(ranked[key]) < share}
    if short:  # rank those strata in full
        for key in short:
            ranked[key] = []
        for i, o in enumerate(objects):
            key = stratum_of(o)
            if key in short:
                ranked[key].append(i)
    digests = {i: sha256(prefix + objects[i][0].encode()).digest() for key in shares for i in ranked[key]}
    drawn = {
        key: heapq.nsmallest(shares[key], ranked[key], key=digests.__getitem__) for key in sorted(shares)
    }
    codes = {objects[i][0] for picks in drawn.values() for i in picks}
    blocked: dict[str, set[str]] = defaultdict(set)
    for inspector, code in conflicts:
        if code in codes:
            blocked[code].add(inspector)
    ordered = sorted(set(inspectors))  # the frozen list's order, whatever order they were passed in
    selections = []
    for key, picks in drawn.items():
        for i in picks:
            code = objects[i][0]
            chosen = assign_inspectors(seed, code, ordered, blocked.get(code), per_object)
            selections.append(Selection(code, key, digests[i].hex(), chosen))
    return selections


def object_digest(seed: str, code: str) -> str:
    """SHA-256(seed|统一社会信用代码): the object's rank key, for the verification page."""
    return sha256_text(f"{seed}{SEPARATOR}{code}")


def candidate_digest(seed: str, code: str, k: int) -> str:
    """SHA-256(seed|统一社会信用代码|k): the object's k-th inspector candidate, for the verification page."""
    return sha256_text(f"{seed}{SEPARATOR}{code}{SEPARATOR}{k}")


def candidate_index(seed: str, code: str, k: int, pool_size: int) -> int:
    """The 0-based line of the inspectors' list that candidate k names (line number = index + 1)."""
    return int(candidate_digest(seed, code, k), 16) % pool_size
