"""Find every stated figure in a report: value, unit, approximation, quote, offsets, catalogue id.

General rules, not patterns fitted to particular reports: a figure is a numeral followed by a measure
word (or %); dates, ordinals, labels in quotation marks, codes and requirements (不少于…, 应达到…) are
not figures. The catalogue's cues decide the indicator a figure states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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
    rf"""(?P<prefix>近|约|逾|超过)?
    (?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[{CHINESE_DIGITS}]+)
    (?P<mult1>[万千亿])?(?P<approx>余|多)?(?P<mult2>[万千亿])?
    (?P<unit>{UNIT_ALTERNATION}|%|％)
    (?P<above>以上)?""",
    re.VERBOSE,
)
CLAUSE_DELIMITERS = "，,。；;！？!?\n：:"
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
DIGIT_RE = re.compile(r"\d")
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


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and text[left - 1] not in CLAUSE_DELIMITERS and start - left < 60:
        left -= 1
    right = end
    while right < len(text) and text[right] not in CLAUSE_DELIMITERS and right - end < 40:
        right += 1
    return left, right


def _in_short_quotation(text: str, start: int, end: int) -> bool:
    opening = text.rfind("“", max(0, start - 12), start)
    if opening == -1 or "”" in text[opening:start]:
        return False
    closing = text.find("”", end, end + 12)
    return closing != -1


def _is_figure(text: str, m: re.Match[str], junk: list[tuple[int, int]]) -> bool:
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
    clause_start, _ = _clause_bounds(text, start, end)
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
        if not _is_figure(text, m, junk):
            continue
        value, unit = _value(m)
        start, end = m.start("num") - len(m.group("prefix") or ""), m.end()
        clause_start, clause_end = _clause_bounds(text, start, end)
        approx = bool(m.group("prefix") or m.group("approx") or m.group("above"))
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
def unit_group(unit: str) -> int | None:
    return next((i for i, group in enumerate(UNIT_GROUPS) if unit in group), None)


def _compatible(indicator: Indicator, unit: str) -> bool:
    return unit in indicator.also_counted_in or unit_group(indicator.unit) == unit_group(unit)


def _names_other_object(indicator: Indicator, after: str) -> bool:
    """ "24个部门…" counts 部门: a figure whose measure word is followed by the thing it counts states an
    indicator only if the indicator counts that thing."""
    m = OBJECT_NOUN_RE.match(after)
    return bool(m) and m.group() not in indicator.name and not indicator.cues.match(after)


def map_indicator(fact: Fact, before: str, after: str) -> str | None:
    """The catalogue id whose cue stands nearest before the figure (or, failing that, right after it)."""
    best: tuple[int, str] | None = None
    for ind in indicators().values():
        if not _compatible(ind, fact.unit):
            continue
        if _names_other_object(ind, after):
            continue
        for m in ind.cues.finditer(before):
            if DIGIT_RE.search(before, m.end()):  # the cue belongs to a figure between it and this one
                continue
            if NEGATION_RE.search(before, 0, m.start()):
                continue
            # nearest cue wins; a longer (more specific) cue and the indicator's own unit break ties
            score = len(before) - m.end() - len(m.group()) // 2 - (2 if ind.unit == fact.unit else 0)
            if best is None or score < best[0]:
                best = (score, ind.id)
        if (m := ind.cues.search(after)) and not NEGATION_RE.search(after, 0, m.start()):
            score = 40 + m.start() - (10 if ind.unit == fact.unit else 0)
            if best is None or score < best[0]:
                best = (score, ind.id)
    return best[1] if best else None
