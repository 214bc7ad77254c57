"""Find every stated figure in a report: value, unit, approximation, quote, offsets, catalogue id.

General rules, not patterns fitted to particular reports: a figure is a numeral followed by a measure
word (or %); dates, ordinals, labels in quotation marks, codes and requirements (不少于…, 应达到…) are
not figures. The catalogue's cues decide the indicator a figure states.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from fazhi.indicators.catalogue import Indicator, indicators

from .numbers import CHINESE_DIGITS, MULTIPLIERS, as_json_number, parse_number

COUNT_UNITS = [
    "人次", "场次", "批次", "户次", "学时", "件", "宗", "起", "例", "次", "场", "期", "人", "名", "个", "家",
    "户", "所", "处", "项", "条", "支", "份", "篇", "本", "张", "册", "套", "座", "辆", "台", "批",
]  # fmt: skip
MONEY_UNITS = ["万元", "亿元", "元"]
# Measure words that count the same kind of thing: a figure in one group never states an indicator
# counted in another (3次 is not a number of 法律明白人, 120个问题 not a number of 复议案件).
UNIT_GROUPS = [
    {"人", "名", "人次"},
    {"次", "场", "场次", "期", "批次", "批"},
    {"件", "宗", "起", "例", "份", "项", "条", "篇", "本", "张", "册"},
    {"个", "家", "户", "户次", "所", "处", "支", "座", "套", "辆", "台"},
    {"元"},
    {"学时"},
    {"分"},
    {"%"},
]
UNIT_ALTERNATION = "|".join(sorted(COUNT_UNITS + MONEY_UNITS + ["分"], key=len, reverse=True))

FIGURE_RE = re.compile(
    rf"""    (?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{CHINESE_DIGITS}]+)
    (?P<mult1>[万千亿])?(?P<approx>余|多)?(?P<mult2>[万千亿])?
    (?P<unit>{UNIT_ALTERNATION}|%|％)
    (?P<above>以上)?""",
    re.VERBOSE,
)
APPROX_BEFORE_RE = re.compile("(近|约|逾|超过)$")
CLAUSE_DELIMITERS = "，,。；;！？!?\n：:"
_DELIMITER_RE = re.compile(f"[{CLAUSE_DELIMITERS}]")
REQUIREMENT_RE = re.compile(
    r"(不少于|不低于|不超过|不得超过|不高于|至少|最长|最多|应达到|应当达到|要达到|须达到|力争|目标)"
)
# A small Chinese numeral followed by these nouns names a programme or a slogan, not a count.
LABEL_NOUNS = re.compile(
    r"^(制度|机制|清单|服务|工程|行动|要求|原则|理念|模式|战略|意识|自信|建设|改革|融合|联动|体系|平台|网|窗|站|单)"
)
TIME_SPAN_AFTER = re.compile(r"^(工作日|月|小时|年|星期|季度|日|周|学年)")
WORD_BEFORE_ONE = set("统唯之同万每逐第单专进划一")
RATE_LIST_RE = re.compile(
    r"((?:[\u4e00-\u9fa5]{1,8}率)(?:[、和及与][\u4e00-\u9fa5]{1,8}率)+)(?:均|都|全部|分别)?(?:达到?|实现|为)?了?(?:[一二两三四五六七八九十]个)?$"
)
LAST_DIGIT_RE = re.compile(r"\d(?=\D*$)")
AFTER_SCORE_FLOOR = 30  # the best score a cue after the figure can have (right after it, in its unit)
BACKLOG_BEFORE_RE = re.compile(r"(尚有|仍有|还有|积压)[^，,；;。]{0,12}$")
BACKLOG_AFTER_RE = re.compile(r"^[^，,；;。]{0,6}(逾期|超期|未办结|未完成|待办)")
NEGATION_RE = re.compile(r"(未|没有|尚未|暂未|无)$")
# Nouns that, right after a figure's measure word, name what it counts (not a list fitted to reports:
# the usual objects of counting in government work).
OBJECT_NOUN_RE = re.compile(
    r"(部门|商会|企业|行业|社区|乡镇|街镇|街道|事项|窗口|系统|问题|措施|律师|人员|干部|群众|学校|家庭|网格)"
)
N_TIMES_PERCENT_RE = re.compile(r"([一二两三四五六七八九十])个$")


@dataclass
class Fact:
    value: Decimal
    unit: str
    approx: bool
    start: int
    end: int
    quote: str
    label: str
    indicator: str | None = None

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "label": self.label,
            "value": as_json_number(self.value),
            "unit": self.unit,
            "approx": self.approx,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


@lru_cache(maxsize=16)
def _positions(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def between_marks(text: str, start: int, end: int, marks: re.Pattern[str]) -> tuple[int, int]:
    """The span around text[start:end] from just after the last mark before it to the next mark at or
    after its end (the marks' positions are found once per text, then bisected)."""
    positions = _positions(marks, text)
    k = bisect_left(positions, start)
    left = positions[k - 1] + 1 if k else 0
    k = bisect_left(positions, end)
    return left, positions[k] if k < len(positions) else len(text)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: back to a delimiter (≤ 60 characters), on to one (≤ 40)."""
    left, right = between_marks(text, start, end, _DELIMITER_RE)
    return max(left, start - 60), min(right, end + 40)


def _in_short_quotation(text: str, start: int, end: int) -> bool:
    opening = text.rfind("“", max(0, start - 12), start)
    if opening == -1 or "”" in text[opening:start]:
        return False
    closing = text.find("”", end, end + 12)
    return closing != -1


def _is_figure(text: str, m: re.Match[str], junk: list[tuple[int, int]], clause_start: int) -> bool:
    start, end = m.start("num"), m.end()
    num, unit = m.group("num"), m.group("unit")
    if any(a <= start < b for a, b in junk):
        return False
    before = text[max(0, start - 1) : start]
    after = text[end : end + 6]
    if before == "第" or (before and ((before.isascii() and before.isalnum()) or before in ".-·+:/～~—－")):
        return False
    if after[:1] in {"+", "·", "-"} or (after[:1] in {".", "．"} and after[1:2].isdigit()):
        return False
    if _in_short_quotation(text, start, end):
        return False
    if unit not in {"%", "％"} and TIME_SPAN_AFTER.match(after):
        return False
    if REQUIREMENT_RE.search(text[max(clause_start, start - 14) : start]):
        return False
    if not num[0].isdigit():
        if num == "一":
            if unit not in {"名", "个"} or before in WORD_BEFORE_ONE:
                return False
        elif before in WORD_BEFORE_ONE:
            return False
        if LABEL_NOUNS.match(after):
            return False
    return True


def _value(m: re.Match[str]) -> tuple[Decimal, str]:
    value = parse_number(m.group("num"))
    for key in ("mult1", "mult2"):
        if m.group(key):
            value *= MULTIPLIERS[m.group(key)]
    unit = m.group("unit").replace("％", "%")
    if unit in {"万元", "亿元"}:
        value *= MULTIPLIERS[unit[0]]
        unit = "元"
    return value, unit


def _label(text: str, clause_start: int, start: int, unit: str) -> str:
    label = text[clause_start:start].strip(' 　“”"')
    label = re.sub(r"^(其中|另外|另|共计|共|累计|全年|同时|并|已|有)+", "", label)
    return (label or text[clause_start:start]).strip()[-24:] + ("" if unit == "%" else f"（{unit}）")


def extract_facts(text: str, junk: list[tuple[int, int]] | None = None) -> list[Fact]:
    """Every figure in ``text`` (offsets into ``text``), in order of appearance."""
    junk = junk or []
    facts: list[Fact] = []
    for m in FIGURE_RE.finditer(text):
        clause_start, clause_end = _clause_bounds(text, m.start(), m.end())
        if not _is_figure(text, m, junk, clause_start):
            continue
        value, unit = _value(m)
        # the approximating word before the number (近/约/逾/超过) is looked up, not matched: a pattern
        # that opens with an optional group is tried at every position and scans twice as slowly
        prefix = APPROX_BEFORE_RE.search(text, max(0, m.start() - 2), m.start())
        start, end = prefix.start() if prefix else m.start(), m.end()
        approx = bool(prefix or m.group("approx") or m.group("above"))
        quote = text[clause_start:clause_end].strip()
        before = text[clause_start:start]
        names = [""]
        if unit == "%":
            if rate_list := RATE_LIST_RE.search(before):
                names = re.split(r"[、和及与]", rate_list.group(1))
            elif times := N_TIMES_PERCENT_RE.search(before):
                names = [""] * int(parse_number(times.group(1)))
        for name in names:
            fact = Fact(
                value, unit, approx, start, end, quote, name or _label(text, clause_start, start, unit)
            )
            fact.indicator = map_indicator(fact, name or before, text[end:clause_end])
            facts.append(fact)
    return facts


# -- catalogue mapping ----------------------------------------------------------------------------
_GROUP_OF = {unit: i for i, group in enumerate(UNIT_GROUPS) for unit in group}


def unit_group(unit: str) -> int | None:
    return _GROUP_OF.get(unit)


@cache
def _candidates(unit: str) -> tuple[Indicator, ...]:
    """The catalogue indicators a figure in ``unit`` can state."""
    return tuple(
        ind
        for ind in indicators().values()
        if unit in ind.also_counted_in or unit_group(ind.unit) == unit_group(unit)
    )


@cache
def _cue_scanner(unit: str) -> tuple[re.Pattern[str], dict[str, Indicator]]:
    """One pattern finding every candidate indicator's cues, overlapping ones included (a lookahead at
    each position), so a figure costs one scan instead of one per indicator."""
    groups = {f"c{k}": ind for k, ind in enumerate(_candidates(unit))}
    alternatives = "|".join(f"(?P<{name}>{ind.cues.pattern})" for name, ind in groups.items())
    # every cue starts with one of the Chinese characters written in the cues: other positions are
    # skipped by one character test before the alternatives are tried
    first = "".join(sorted(set(re.findall(r"[\u4e00-\u9fa5]", alternatives))))
    return re.compile(f"(?=[{first}])(?=(?:{alternatives}))"), groups


def _cue_hits(unit: str, text: str):
    """(indicator, start, end) of each cue in ``text``."""
    scanner, groups = _cue_scanner(unit)
    for m in scanner.finditer(text):
        name = m.lastgroup
        if name:
            yield groups[name], m.start(name), m.end(name)


def map_indicator(fact: Fact, before: str, after: str) -> str | None:
    """The catalogue id whose cue stands nearest before the figure (or, failing that, right after it).

    A backlog ("尚有…4件逾期未办结") counts what is left undone, not what the indicator counts."""
    if BACKLOG_BEFORE_RE.search(before[-14:]) or BACKLOG_AFTER_RE.match(after):
        return None
    scores: dict[str, int] = {}
    counted = OBJECT_NOUN_RE.match(after)
    after_hits = list(_cue_hits(fact.unit, after)) if counted else None
    if (
        counted and after_hits is not None
    ):  # "24个部门…" counts 部门: only an indicator that counts 部门 (or is cued right here) fits
        cued_here = {ind.id for ind, start, _ in after_hits if start == 0}
        excluded = {
            ind.id
            for ind in _candidates(fact.unit)
            if counted.group() not in ind.name and ind.id not in cued_here
        }
    else:
        excluded = set()
    # a cue before another figure belongs to that figure: only the words after the last digit count
    last_digit = LAST_DIGIT_RE.search(before)
    own = before[last_digit.start() + 1 :] if last_digit else before
    for ind, start, end in _cue_hits(fact.unit, own):
        if ind.id in excluded or NEGATION_RE.search(own, 0, start):
            continue  # negated: 暂未审结
        # nearest cue wins; a longer (more specific) cue and the indicator's own unit break ties
        score = len(own) - end - (end - start) // 2 - (2 if ind.unit == fact.unit else 0)
        scores[ind.id] = min(score, scores.get(ind.id, score))
    if scores and min(scores.values()) < AFTER_SCORE_FLOOR:
        return min(scores, key=scores.__getitem__)  # no cue after the figure could come nearer
    for ind, start, _ in after_hits if after_hits is not None else _cue_hits(fact.unit, after):
        if ind.id in excluded or NEGATION_RE.search(after, 0, start):
            continue
        score = AFTER_SCORE_FLOOR + 10 + start - (10 if ind.unit == fact.unit else 0)
        scores[ind.id] = min(score, scores.get(ind.id, score))
    return min(scores, key=scores.__getitem__) if scores else None
