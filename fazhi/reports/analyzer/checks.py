"""Consistency checks over a report's figures: breakdowns add up, rates match their figures, parts are there.

The rules (``rule`` of each check): ``breakdown_sum`` and ``subset`` (parts opened by 其中, 从…看, 包括,
分别为, closed by 其他 or followed by 共计 against their whole), ``closed_received`` (办结/结案/化解 not
above 受理/收案/排查), ``rate`` (a rate, share or reduction against the counts it rests on, rounded or
truncated to the places it is stated with), ``repeated_figure`` (a count said twice alike), ``table_sum``
(a table's 合计 row or column), ``year`` and ``required_part``. Approximate figures (3000余, 近亿, 3至5)
are checked through the bounds they allow.

Every check is a general rule over the text and its facts, never a pattern for one report. A check
names the facts it used (indexes into the facts list) and shows its arithmetic in Chinese, so a user
can see why it passed or failed. Where the rule cannot tell which figures a statement rests on, no
check is made: a wrong "failed" costs the user more than a missing one. Each relation looks at a few
figures around one (``REACH``), so every check costs time in proportion to the number of figures.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from fazhi.core.formats import plain_number
from fazhi.indicators.catalogue import indicators
from fazhi.rules.catalogue import national_rule

from .facts import PERCENT_UNITS, TOTAL_ROW_RE, Fact, between_marks, table_blocks, unit_group
from .structure import OPTIONAL_PARTS

log = logging.getLogger(__name__)
SENTENCE_END = "。！？!?\n"
SENTENCE_END_RE = re.compile(f"[{SENTENCE_END}]")
CLAUSE_END = SENTENCE_END + "，,；;：:"
# A clause that opens with these words starts a new total, not another part of the breakdown.
NEW_TOTAL_RE = re.compile(r"^[\s，,；;]*(共|累计|合计|总计|此外|同时|全年|全县|全区|全乡|全镇)")
SUBSET_RE = re.compile(r"^[\u4e00-\u9fa5]{0,10}中[，,]?(?:有|共有)?$")
RATE_NAME_RE = re.compile(r"([\u4e00-\u9fa5]{1,10}?率)(?:[\u4e00-\u9fa5]{0,4})$")
REDUCTION_RE = re.compile(r"缩减|减少|下降|压缩|精简|降低")
CHANGE_WORDS_RE = re.compile(r"同比|环比|较|比上|下降|上升|增长|提高|降低|减少|增加|提升")
# The outcome a rate counts: its numerator is the figure these words stand next to.
OUTCOME_RE = re.compile(
    r"成功|化解|办结|结案|审结|完成|通过|合格|败诉|胜诉|纠错|出庭|报备|备案|公示|参考|报考|满意|达标|覆盖|采纳|履行"
    r"|持证|参训|答复|到庭|回复|处置|整改|反馈|公开|审查|办理"
)
# Words that count the same outcome: a 结案率 rests on the cases 审结 or 办结.
OUTCOME_SYNONYMS = [{"办结", "结案", "审结"}, {"答复", "回复"}, {"出庭", "到庭"}, {"参考", "报考"}]
LOWER_BOUND_AFTER = ("以上", "余", "多")
LOWER_BOUND_BEFORE = ("超过", "逾")


@dataclass
class Check:
    rule: str
    ok: bool
    message: str
    facts: list[int]

    def as_dict(self) -> dict:
        return {"rule": self.rule, "ok": self.ok, "message": self.message, "facts": self.facts}


# How many figures around one a relation may reach: a sentence states a few; a text without sentence
# marks (one line of 10 MB) must not make every check look at every figure.
REACH = 30


def _near(lo: int, hi: int) -> range:
    """The indexes lo..hi-1, at most the REACH last of them."""
    return range(max(lo, hi - REACH), hi)


def _ahead(lo: int, hi: int) -> range:
    """The indexes lo..hi-1, at most the REACH first of them."""
    return range(lo, min(hi, lo + REACH))


def _first_at(facts: list[Fact], pos: int, hi: int | None = None) -> int:
    """The index of the first fact starting at or after ``pos`` (facts are in text order)."""
    return bisect_left(facts, pos, hi=len(facts) if hi is None else hi, key=_start)


def _start(fact: Fact) -> int:
    return fact.start


def _compatible(a: Fact, b: Fact) -> bool:
    """Two counts of the same kind of thing (件 and 份, not 件 and 人)."""
    return a.unit != "%" and b.unit != "%" and unit_group(a.unit) == unit_group(b.unit) is not None


def _sentence(text: str, pos: int) -> tuple[int, int]:
    return between_marks(text, pos, pos, SENTENCE_END_RE)


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _figure(fact: Fact) -> str:
    return f"{plain_number(fact.value)}{'' if fact.unit == '%' else fact.unit}"


def _local_context(text: str, facts: list[Fact], i: int) -> str:
    """The words that belong to fact i: back to the previous figure and on to the next, within its clause."""
    fact = facts[i]
    left = fact.start
    while left > 0 and text[left - 1] not in CLAUSE_END and fact.start - left < 30:
        left -= 1
    if i > 0 and facts[i - 1].end > left and facts[i - 1].end <= fact.start:
        left = facts[i - 1].end
    right = fact.end
    while right < len(text) and text[right] not in CLAUSE_END and right - fact.end < 12:
        right += 1
    if i + 1 < len(facts) and fact.end <= facts[i + 1].start < right:
        right = facts[i + 1].start
    return text[left : fact.start] + "|" + text[fact.end : right]


# -- what an approximate figure allows ---------------------------------------------------------------
def _step(value: Decimal) -> Decimal:
    """The precision a round figure is stated at: 3000 → 1000, 3500 → 100, 12 → 1, 2.5 → 0.1."""
    if value != value.to_integral_value():
        return Decimal(1).scaleb(_places(value))
    n, step = int(value), 1
    while n and n % 10 == 0 and step < 10**9:
        n, step = n // 10, step * 10
    return Decimal(step)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return exponent if isinstance(exponent, int) and exponent < 0 else 0


def _bounds(text: str, fact: Fact) -> tuple[Decimal, Decimal | None]:
    """The values a figure allows: 3000余 → [3000, 4000), 近亿 → [9000万, 1亿], 3至5 → [3, 5], 98%以上 →
    [98, 100]; an exact figure only itself. ``None`` as the upper end: no upper end."""
    if fact.low is not None and fact.high is not None:
        return fact.low, fact.high
    if not fact.approx:
        return fact.value, fact.value
    written = text[fact.start : fact.end]
    step = _step(fact.value)
    if written.startswith(("近", "约", "不到", "不足")) or written.endswith("左右"):
        return fact.value - step, fact.value + (0 if written.startswith(("近", "不到", "不足")) else step)
    if written.endswith("以上") or written.startswith(("超过", "逾")):
        return fact.value, Decimal(100) if fact.unit == "%" else None
    return fact.value, fact.value + step  # 余 / 多 / 上百


def _written(text: str, fact: Fact) -> str:
    """The figure as the report writes it, for messages (3000余份, 近亿元)."""
    written = text[fact.start : fact.end].strip()
    return written if fact.approx else _figure(fact)


# -- breakdowns: "…23件，其中A4件，B4件…", "从办理结果看：维持…" ------------------------------------------
# Words that open the parts of the figure before them.
BREAKDOWN_INTRO_RE = re.compile(
    r"其中|(?:从|按)[\u4e00-\u9fa5]{1,8}(?:看|来看|分|划分)[:：，,]?|包括[:：]|具体(?:为|是|包括)[:：]?|分别(?:为|是)"
)
# A part introduced by these words may overlap the others (涉及未成年人的案件 are also 刑事 or 民事).
OVERLAP_RE = re.compile(r"^[\s，,；;、]*(?:其中|涉及|涉|含|包括|同时|另有|另|此外|均|且)")
JOINT_RE = re.compile(r"[和及与、]")


def _head(label: str) -> str:
    """The noun a figure counts, from its label: 先进集体（个） → 集体."""
    bare = re.sub(r"（[^（）]*）$", "", label).rstrip("为达共计有是了的")
    return bare[-2:]


def _joint(whole: Fact, part: Fact) -> bool:
    """Parts counted in different measure words that the whole names together (先进集体和先进个人45个:
    集体 12个 + 个人 30名)."""
    head = _head(part.label)
    return (
        len(head) == 2
        and part.unit not in PERCENT_UNITS
        and bool(JOINT_RE.search(whole.label))
        and head in whole.label
    )


def _breakdown_parts(
    text: str, facts: list[Fact], after: int, sentence_end: int, whole: Fact | None = None
) -> list[int]:
    parts: list[int] = []
    candidates = [
        i for i in _ahead(_first_at(facts, after), _first_at(facts, sentence_end)) if facts[i].unit != "%"
    ]
    previous_end = after
    for i in candidates:
        gap = text[previous_end : facts[i].start]
        fits = _compatible(facts[parts[0]], facts[i]) if parts else True
        if whole is not None and not fits:
            fits = _joint(whole, facts[i]) and _joint(whole, facts[parts[0]])
        if parts and (NEW_TOTAL_RE.match(gap) or not fits):
            break
        if not parts and re.match(r"^[\s，,；;：:]*(?:共|累计|合计|总计)", gap):
            break  # 从全年看，共办理…: a new total, not a part
        if parts and sum(1 for c in gap if c in "，,；;") > 1:  # a clause without a figure ends the list
            break
        parts.append(i)
        previous_end = facts[i].end
    return parts


def breakdowns(text: str, facts: list[Fact]) -> list[tuple[int, list[int]]]:
    """(whole, parts) for every "…23件，其中A4件，B4件…", "…20件。从办理结果看：维持…", "54件…中有12件"
    and "A12个、B30名，共计42个" in the text."""
    found = []
    for m in BREAKDOWN_INTRO_RE.finditer(text):
        s_start, s_end = _sentence(text, m.start())
        before = [
            i for i in _near(_first_at(facts, s_start), _first_at(facts, m.start())) if facts[i].unit != "%"
        ]
        if not before and not text[s_start : m.start()].strip(" ，,：:\u3000"):
            # "…236起。其中，…": the whole is the last figure of the sentence before, in the same paragraph
            p_start, _ = _paragraph(text, m.start())
            before = [
                i for i in _near(_first_at(facts, p_start), _first_at(facts, s_start)) if facts[i].unit != "%"
            ]
        if not before:
            continue
        whole = before[-1]
        parts = _breakdown_parts(text, facts, m.end(), s_end, facts[whole])
        if parts and (
            _compatible(facts[whole], facts[parts[0]]) or all(_joint(facts[whole], facts[i]) for i in parts)
        ):
            found.append((whole, parts))
    for i, fact in enumerate(facts):
        j = i + 1
        if (
            j < len(facts)
            and _compatible(fact, facts[j])
            and SUBSET_RE.match(text[fact.end : facts[j].start])
        ):
            found.append((i, [j]))
    found += _trailing_totals(text, facts)
    found += _residual_breakdowns(text, facts, {whole for whole, _ in found})
    return found


RESIDUAL_RE = re.compile(r"其他|其余|其它")
# words saying a figure is all of something: only such a figure is the whole of parts that follow it
TOTALITY_RE = re.compile(r"共|总|合计|全部|累计|现有|现|保留|全年|全[县区市镇乡]")


def _residual_breakdowns(text: str, facts: list[Fact], known: set[int]) -> list[tuple[int, list[int]]]:
    """A whole followed in its sentence by parts of the same noun, the last of them the rest (其他):
    "保留事项515项,行政许可事项218项,公共服务等其他事项297项" (no 其中, but 其他 closes the list)."""
    found = []
    for i, whole in enumerate(facts):
        if i in known or whole.unit in PERCENT_UNITS or whole.cell is not None:
            continue
        head = _head(whole.label)
        if len(head) < 2 or not TOTALITY_RE.search(whole.label):
            continue  # 甲事项100项，乙事项50项，其他事项30项 are siblings: no whole among them
        _, s_end = _sentence(text, whole.start)
        parts: list[int] = []
        for j in _ahead(i + 1, _first_at(facts, s_end)):
            if not _compatible(whole, facts[j]) or _head(facts[j].label) != head:
                break
            parts.append(j)
            if RESIDUAL_RE.search(_local_context(text, facts, j).split("|")[0]):
                break
        if len(parts) >= 2 and RESIDUAL_RE.search(_local_context(text, facts, parts[-1]).split("|")[0]):
            found.append((i, parts))
    return found


def _complete(text: str, facts: list[Fact], whole: int, parts: list[int]) -> bool:
    """Parts that claim to be all of the whole: its total written after them (A12个、B30名，共计42个),
    or the last of them the rest (…，其他事项297项)."""
    return whole > parts[-1] or bool(RESIDUAL_RE.search(_local_context(text, facts, parts[-1]).split("|")[0]))


TRAILING_TOTAL_RE = re.compile(r"^[，,、]?(?:共计|合计|总计|累计共|共)$")


def _trailing_totals(text: str, facts: list[Fact]) -> list[tuple[int, list[int]]]:
    """Parts listed first and their total after them: "先进集体12个、先进个人30名，共计42个"."""
    found = []
    for t, total in enumerate(facts):
        if t < 2 or total.unit in PERCENT_UNITS or total.cell is not None:
            continue
        if not TRAILING_TOTAL_RE.match(text[facts[t - 1].end : total.start]):
            continue
        parts = [t - 1]
        k = t - 2
        while (
            k >= 0
            and t - k <= REACH
            and re.fullmatch(r"[、，,][\u4e00-\u9fa5]{1,12}", text[facts[k].end : facts[parts[0]].start])
        ):
            parts.insert(0, k)
            k -= 1
        if len(parts) >= 2 and all(
            _compatible(total, facts[i]) or _joint(_named(text, total, facts[parts[0]]), facts[i])
            for i in parts
        ):
            found.append((t, parts))
    return found


def _named(text: str, total: Fact, first: Fact) -> Fact:
    """The total with a label naming its parts, for a total written after them (the clause before the
    first part stands for it: 表彰先进集体12个、先进个人30名，共计42个)."""
    label = text[max(0, first.start - 30) : total.start]
    return Fact(total.value, total.unit, total.approx, total.start, total.end, total.quote, label)


def _sum_check(text: str, facts: list[Fact], whole: int, parts: list[int]) -> Check | None:
    total = facts[whole]
    low, high = _bounds(text, total)
    part_bounds = [_bounds(text, facts[i]) for i in parts]
    summed = sum((facts[i].value for i in parts), Decimal(0))
    least = sum((b[0] for b in part_bounds), Decimal(0))  # the parts cannot be fewer than this
    terms = " + ".join(_written(text, facts[i]) for i in parts)
    used = [whole, *parts]
    stated = f"总数{_written(text, total)}"
    if total.approx:
        stated += f"（不少于{plain_number(low)}" + ("）" if high is None else f"、少于{plain_number(high)}）")
    exceeds = high is not None and least > high
    if exceeds and len(parts) > 1:
        gaps = [text[facts[a].end : facts[b].start] for a, b in pairwise(parts)]
        if any(OVERLAP_RE.match(gap) for gap in gaps):
            return None  # categories that may overlap: their sum can exceed the total
        running = Decimal(0)
        for k, i in enumerate(parts[:-1]):
            running += facts[i].value
            if k >= 1 and running == total.value and not total.approx:
                # 男60人、女40人 make the 100; 党员30人 after them counts across them
                first = " + ".join(_written(text, facts[j]) for j in parts[: k + 1])
                message = f"分项 {first} = {plain_number(running)}，与总数{_figure(total)}一致"
                message += "（其后各项另按其他口径分类）"
                return Check("breakdown_sum", True, message, [whole, *parts[: k + 1]])
    if len(parts) == 1:
        verdict = "超过了" if exceeds else "未超过"
        return Check("subset", not exceeds, f"部分{terms}{verdict}{stated}", used)
    sum_text = f"分项之和 {terms} = {plain_number(summed)}"
    if exceeds:
        return Check("breakdown_sum", False, f"{sum_text}，大于{stated}，数字有误", used)
    if not total.approx and summed == total.value and not any(facts[i].approx for i in parts):
        return Check("breakdown_sum", True, f"{sum_text}，与总数{_figure(total)}一致", used)
    if total.approx:
        return Check("breakdown_sum", True, f"{sum_text}，在{stated}的范围内", used)
    if _complete(text, facts, whole, parts):  # the parts claim to be all of it: their sum must be it
        return Check("breakdown_sum", False, f"{sum_text}，与{stated}不一致，数字有误", used)
    return Check("breakdown_sum", True, f"{sum_text}，未超过{stated}（所列分项不全）", used)


# -- what is closed cannot exceed what came in: 受理50件，办结52件 --------------------------------------
INTAKE_RE = re.compile(r"(受理|收案|新收|收到|接收|接到|登记|立案|排查|摸排|申请)[\u4e00-\u9fa5]{0,10}$")
CLOSED_RE = re.compile(
    r"(办结|结案|审结|已办结|办理完毕|调处成功|调解成功|成功调解|化解)[\u4e00-\u9fa5]{0,6}$"
)
CARRIED_OVER_RE = re.compile(r"结转|上年|旧存|以前年度|累计|历年|积案")


def closed_checks(text: str, facts: list[Fact]) -> list[Check]:
    """A count closed (办结, 结案, 化解) stated after the count received (受理, 收案, 排查) of the same kind,
    in the same sentence or the next one of the paragraph, is not larger; cases carried over from an
    earlier year (结转, 上年) make no check."""
    checks = []
    for i, intake in enumerate(facts):
        if intake.unit in PERCENT_UNITS or intake.cell is not None:
            continue
        own = _local_context(text, facts, i).split("|")[0]
        if not INTAKE_RE.search(own) or CLOSED_RE.search(own):
            continue
        s_start, s_end = _sentence(text, intake.start)
        _, p_end = _paragraph(text, intake.start)
        next_end = _sentence(text, s_end + 1)[1] if s_end < p_end else s_end
        for j in _ahead(i + 1, _first_at(facts, next_end)):
            closed = facts[j]
            if not _compatible(intake, closed):
                continue
            context = _local_context(text, facts, j).split("|")[0]
            if INTAKE_RE.search(context) and not CLOSED_RE.search(context):
                break  # another count received: the closed count after it is its own
            if not CLOSED_RE.search(context):
                continue
            sentence_end = min(_sentence(text, closed.start)[1], closed.end + 80)
            if CARRIED_OVER_RE.search(text[max(s_start, intake.start - 80) : sentence_end]):
                break  # 结转, 旧存 before or after the figures: the closed count includes earlier cases
            closed_low, _ = _bounds(text, closed)
            _, intake_high = _bounds(text, intake)
            exceeds = intake_high is not None and closed_low > intake_high
            verb = CLOSED_RE.search(context).group(1)  # type: ignore[union-attr]
            taken = INTAKE_RE.search(own).group(1)  # type: ignore[union-attr]
            verdict = "大于" if exceeds else "未超过"
            message = f"{verb}{_written(text, closed)}{verdict}{taken}{_written(text, intake)}"
            if exceeds:
                message += "，数字有误（如含上年结转，请写明）"
            checks.append(Check("closed_received", not exceeds, message, [i, j]))
            break
    return checks


# -- rates: "54件…12件败诉，败诉率为22%" ----------------------------------------------------------------
def _agrees(stated: Fact, computed: Decimal, text: str) -> bool:
    exponent = stated.value.as_tuple().exponent
    step = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    if text[stated.end - 2 : stated.end].endswith(LOWER_BOUND_AFTER) or text[
        max(0, stated.start - 2) : stated.start
    ].endswith(LOWER_BOUND_BEFORE):
        return computed >= stated.value
    rounded = abs(computed - stated.value) <= step / 2 + Decimal("1e-9")
    truncated = stated.value <= computed < stated.value + step
    return rounded or truncated


def _rate_name(text: str, fact: Fact) -> str | None:
    clause_start = fact.start
    while clause_start > 0 and text[clause_start - 1] not in CLAUSE_END and fact.start - clause_start < 40:
        clause_start -= 1
    m = RATE_NAME_RE.search(text[clause_start : fact.start])
    if not m or CHANGE_WORDS_RE.search(text, clause_start + m.end(1), fact.start):
        return None  # 败诉率同比下降17.65%: the change of a rate, not the rate
    return m.group(1)


def _catalogue_pair(text: str, facts: list[Fact], r: int) -> tuple[int, int] | None:
    ind = indicators().get(facts[r].indicator or "")
    if not ind or not ind.numerator or not ind.denominator:
        return None
    p_start, _ = _paragraph(text, facts[r].start)
    window = _near(_first_at(facts, p_start, r), r)
    num = next((i for i in reversed(window) if facts[i].indicator == ind.numerator), None)
    den = next((i for i in reversed(window) if facts[i].indicator == ind.denominator), None)
    return (num, den) if num is not None and den is not None else None


def _rate_window(text: str, facts: list[Fact], r: int) -> list[int]:
    """The counts a rate can rest on: those of its sentence, and of the sentence before it in the same
    paragraph when its own has fewer than two ("…200件，调解成功196件。调解成功率98%。")."""
    s_start, _ = _sentence(text, facts[r].start)
    window = [i for i in _near(_first_at(facts, s_start, r), r) if facts[i].unit not in PERCENT_UNITS]
    p_start, _ = _paragraph(text, facts[r].start)
    if len(window) < 2 and s_start > p_start:
        previous_start, _ = _sentence(text, s_start - 1)
        earlier = _near(_first_at(facts, max(previous_start, p_start), r), _first_at(facts, s_start, r))
        window = [i for i in earlier if facts[i].unit not in PERCENT_UNITS] + window
    return window


SHARE_RE = re.compile(
    r"(占比|所占比例|比例|占[\u4e00-\u9fa5]{0,12}?(?:的)?(?:比例|比重)?)(?:为|达到?|约|是)?$"
)


def _share_pair(text: str, facts: list[Fact], r: int, wholes: dict[int, int]) -> tuple[int, int] | None:
    """占比95.87%: the count just before it, over the whole it is a part of (其中…) or else the larger
    count of the same kind before it."""
    window = _rate_window(text, facts, r)
    if not window:
        return None
    part = window[-1]
    if part in wholes:
        return part, wholes[part]
    # no 其中: the whole is an earlier count of the same noun (办理案件500件。涉企案件120件，占比24%);
    # a share of something the text does not count (投诉100件，占比30%) is not guessed
    whole = next(
        (
            i
            for i in reversed(window[:-1])
            if _compatible(facts[i], facts[part])
            and facts[i].value >= facts[part].value
            and _head(facts[i].label) == _head(facts[part].label)
        ),
        None,
    )
    return (part, whole) if whole is not None else None


def _outcome_pair(text: str, facts: list[Fact], r: int, name: str) -> tuple[int, int] | None:
    outcomes = set(OUTCOME_RE.findall(name))
    if not outcomes:
        return None
    for synonyms in OUTCOME_SYNONYMS:
        if outcomes & synonyms:
            outcomes |= synonyms
    window = _rate_window(text, facts, r)
    context = {i: _local_context(text, facts, i) for i in window}
    num = next((i for i in reversed(window) if any(o in context[i] for o in outcomes)), None)
    if num is None:
        return None
    den = next(
        (
            i
            for i in reversed(window)
            if i != num
            and _compatible(facts[i], facts[num])
            and facts[i].value >= facts[num].value
            and not any(o in context[i] for o in outcomes)
        ),
        None,
    )
    return (num, den) if den is not None else None


def _reduction_pair(text: str, facts: list[Fact], r: int, name: str) -> tuple[int, int] | None:
    subject = name[: REDUCTION_RE.search(name).start()]  # type: ignore[union-attr]
    if len(subject) < 2:
        return None
    s_start, _ = _sentence(text, facts[r].start)
    window = [i for i in _near(_first_at(facts, s_start, r), r) if facts[i].unit != "%"]
    base = next((i for i in window if text.startswith(subject, facts[i].end)), None)
    if base is None:
        return None
    reduced = next((i for i in window if i > base and facts[i].unit == facts[base].unit), None)
    return (base, reduced) if reduced is not None else None


def _clause_before(text: str, fact: Fact) -> str:
    start = fact.start
    while start > 0 and text[start - 1] not in CLAUSE_END and fact.start - start < 40:
        start -= 1
    return text[start : fact.start]


def rate_checks(
    text: str, facts: list[Fact], found_breakdowns: list[tuple[int, list[int]]] | None = None
) -> list[Check]:
    """A stated rate or share against the counts it rests on: rounded or truncated to the places it is
    stated with it agrees (95.76% may be written 95.8% or 95.7%); 98%以上 only needs 98% or more."""
    wholes = {i: whole for whole, parts in (found_breakdowns or []) for i in parts}
    checks = []
    for r, fact in enumerate(facts):
        if fact.unit != "%" or (r > 0 and facts[r - 1].start == fact.start):  # one check per stated figure
            continue
        name = _rate_name(text, fact)
        share = None if name else SHARE_RE.search(_clause_before(text, fact))
        if not name and not share:
            continue
        low, _ = _bounds(text, fact)
        if low > 100 and (share or (name and OUTCOME_RE.search(name) and not REDUCTION_RE.search(name))):
            # a part of a whole (办结率, 满意率, 占比) cannot be more than all of it
            what = name or (share.group(1) if share else "占比")
            message = f"{what}写作“{text[fact.start : fact.end]}”，超过100%，数字有误"
            checks.append(Check("rate", False, message, [r]))
            continue
        if name and REDUCTION_RE.search(name):
            pair = _reduction_pair(text, facts, r, name)
            if not pair:
                continue
            base, reduced = facts[pair[0]], facts[pair[1]]
            computed = (base.value - reduced.value) / base.value * 100
            arithmetic = f"（{_figure(base)} − {_figure(reduced)}）÷ {_figure(base)}"
        else:
            if name:
                pair = _catalogue_pair(text, facts, r) or _outcome_pair(text, facts, r, name)
            else:
                pair = _share_pair(text, facts, r, wholes)
                name = share.group(1) if share else "占比"
            if not pair or not facts[pair[1]].value or facts[pair[0]].approx or facts[pair[1]].approx:
                continue
            num, den = facts[pair[0]], facts[pair[1]]
            computed = num.value / den.value * 100
            arithmetic = f"{_figure(num)} ÷ {_figure(den)}"
        ok = _agrees(fact, computed, text)
        places = max(1, -_places(fact.value))
        shown = computed.quantize(Decimal(1).scaleb(-places))
        verdict = "一致" if ok else "不一致（已允许四舍五入或截断到所写位数），请核对计算口径"
        message = (
            f"{name}：{arithmetic} = {plain_number(shown)}%，报告写“{text[fact.start : fact.end]}”，{verdict}"
        )
        checks.append(Check("rate", ok, message, [pair[0], pair[1], r]))
    return checks


# -- a change against the year before: 2024年办理120件，上年100件，同比增长20% ----------------------
CHANGE_RE = re.compile(r"(增长|增加|上升|提高|提升|下降|减少|降低)了?(?:约|达)?$")
FALL_WORDS = ("下降", "减少", "降低")
BASE_RE = re.compile(r"上年|去年|上一年|前一年|同期")


def change_checks(text: str, facts: list[Fact]) -> list[Check]:
    """A stated rise or fall in % against the two counts it compares, where the text marks one of them
    as the year before's (上年, 去年, 同期): (120 − 100) ÷ 100 = 20%. Without a marked base no check."""
    checks = []
    for r, fact in enumerate(facts):
        if fact.unit != "%" or fact.approx or (r > 0 and facts[r - 1].start == fact.start):
            continue
        change = CHANGE_RE.search(_clause_before(text, fact))
        if not change:
            continue
        window = _rate_window(text, facts, r)
        context = {i: _local_context(text, facts, i).split("|")[0] for i in window}
        base = next((i for i in reversed(window) if BASE_RE.search(context[i])), None)
        if base is None or not facts[base].value:
            continue
        current = next(
            (
                i
                for i in reversed(window)
                if i != base and _compatible(facts[i], facts[base]) and not BASE_RE.search(context[i])
            ),
            None,
        )
        if current is None or facts[current].approx or facts[base].approx:
            continue
        now, before = facts[current].value, facts[base].value
        computed = (now - before) / before * 100
        if change.group(1) in FALL_WORDS:
            computed = -computed
        ok = _agrees(fact, computed, text)
        places = max(1, -_places(fact.value))
        shown = computed.quantize(Decimal(1).scaleb(-places))
        verdict = "一致" if ok else "不一致（已允许四舍五入或截断到所写位数），请核对"
        arithmetic = (
            f"（{_figure(facts[current])} − {_figure(facts[base])}）÷ {_figure(facts[base])}"
            if change.group(1) not in FALL_WORDS
            else f"（{_figure(facts[base])} − {_figure(facts[current])}）÷ {_figure(facts[base])}"
        )
        stated = text[fact.start : fact.end]
        message = f"{change.group(1)}幅度：{arithmetic} = {plain_number(shown)}%，报告写“{stated}”，{verdict}"
        checks.append(Check("rate", ok, message, [current, base, r]))
    return checks


# -- the same figure stated twice -------------------------------------------------------------------------
def _bigrams(label: str) -> set[str]:
    label = re.sub(r"（.*?）$", "", label)
    label = re.sub(r"^(?:[一二三四五六七八九十]+是|首先|其次|再次|最后|同时|此外)", "", label)  # enumerators
    return {label[i : i + 2] for i in range(len(label) - 1)}


# How many earlier facts of one kind each label bigram remembers: enough for a report's restatements, and
# it keeps the check linear in the number of figures however dense the text.
_RECENT_PER_BIGRAM = 8


def _similar(a: set[str], b: set[str], chars_a: set[str], chars_b: set[str]) -> bool:
    """Nearly the same words: most bigrams of the shorter label shared, and the characters of the two
    nearly all shared (保留的政务服务事项 and 取消政务服务事项 share bigrams but not their verbs)."""
    fewer = min(len(a), len(b))
    if fewer < 5 or len(a & b) < 0.6 * fewer:
        return False
    return len(chars_a & chars_b) >= 0.75 * len(chars_a | chars_b)


def repeated_figure_checks(text: str, facts: list[Fact]) -> list[Check]:
    """A count stated exactly in two sentences with nearly the same words has one value.

    Only a figure stated twice is compared: where three or more figures share the words (one sentence
    pattern for every township, every row of a table), they are different things said alike. Earlier
    figures are found through an index of label bigrams per indicator and unit, so the cost grows with
    the number of figures, not its square."""
    postings: dict[tuple, list[int]] = {}
    words: dict[int, set[str]] = {}
    chars: dict[int, set[str]] = {}
    neighbours: dict[int, set[int]] = {}
    counted = [
        i for i, f in enumerate(facts) if f.unit not in PERCENT_UNITS and not f.approx and f.cell is None
    ]  # a table's cells are checked as a table
    # a label written three times or more is a sentence pattern: its figures are never compared, so they
    # need not look for partners (they are still found by others)
    said = Counter((facts[i].indicator, facts[i].unit, facts[i].label) for i in counted)
    for i in counted:
        f = facts[i]
        words[i] = _bigrams(f.label)
        chars[i] = {c for gram in words[i] for c in gram}
        key = (f.indicator, f.unit)
        if said[(f.indicator, f.unit, f.label)] < 3:
            candidates: set[int] = set()
            for gram in words[i]:
                candidates.update(postings.get((key, gram), ()))
            for j in candidates:
                if _similar(words[i], words[j], chars[i], chars[j]):
                    neighbours.setdefault(i, set()).add(j)
                    neighbours.setdefault(j, set()).add(i)
        else:
            neighbours[i] = {-1, -2}  # never one of a pair
        for gram in words[i]:
            recent = postings.setdefault((key, gram), [])
            recent.append(i)
            if len(recent) > _RECENT_PER_BIGRAM:
                del recent[0]
    checks = []
    for i, similar in neighbours.items():
        if len(similar) != 1:
            continue
        (j,) = similar
        if j < 0:
            continue
        if j > i or len(neighbours[j]) != 1:
            continue
        if _sentence(text, facts[i].start) == _sentence(text, facts[j].start):
            continue
        a, b = facts[j], facts[i]
        ok = a.value == b.value
        verdict = "前后一致" if ok else "前后不一致，请核对是否口径不同"
        message = f"“{a.quote}”与“{b.quote}”：{_figure(a)}、{_figure(b)}，{verdict}"
        checks.append(Check("repeated_figure", ok, message, [j, i]))
    return sorted(checks, key=lambda c: c.facts)


# -- tables: a 合计 row (or column) against the rows (or columns) it totals -----------------------------
_PART_OF_ROW_RE = re.compile(r"^(?:其中|含|包括|内含)")


def _table_sum(facts: list[Fact], total: int, parts: list[int], what: str) -> Check | None:
    units = {facts[i].unit for i in [total, *parts]}
    if len(parts) < 2 or len(units) != 1 or units & PERCENT_UNITS:
        return None  # rates and shares do not add up
    summed = sum((facts[i].value for i in parts), Decimal(0))
    terms = " + ".join(_figure(facts[i]) for i in parts)
    stated = facts[total]
    # figures with decimals may each be rounded: the sum may differ by half a unit of the last place each
    step = max((Decimal(1).scaleb(_places(facts[i].value)) for i in [total, *parts]), default=Decimal(1))
    slack = step / 2 * len(parts) if step < 1 else Decimal(0)
    ok = abs(summed - stated.value) <= slack
    verdict = "一致" if ok else "不一致，请核对表格数字"
    return Check(
        "table_sum",
        ok,
        f"{what}：{terms} = {plain_number(summed)}，表中合计{_figure(stated)}，{verdict}",
        [total, *parts],
    )


def table_checks(text: str, facts: list[Fact]) -> list[Check]:
    """Each 合计/总计 row of a table against the rows above it (since the last total), column by column;
    each 合计 column against the other columns of its row. Rows named 其中… are parts of a part."""
    grids: dict[int, dict[tuple[int, int], int]] = {}
    for i, f in enumerate(facts):
        if f.cell is not None:
            grids.setdefault(f.cell[0], {})[f.cell[1:]] = i
    if not grids:
        return []
    blocks = table_blocks(text)
    checks = []
    for t, grid in grids.items():
        rows = blocks[t]
        names = [text[slice(*row.cells[0])].strip() for row in rows]
        header = [text[slice(*cell)].strip() for cell in rows[0].cells]
        columns = sorted({c for _, c in grid})
        previous_total = -1
        for r, name in enumerate(names):
            if not TOTAL_ROW_RE.match(name) or not any((r, c) in grid for c in columns):
                continue
            members = [
                k
                for k in range(previous_total + 1, r)
                if any((k, c) in grid for c in columns) and not _PART_OF_ROW_RE.match(names[k])
            ]
            previous_total = r
            for c in columns:
                if (r, c) not in grid:
                    continue
                parts = [grid[(k, c)] for k in members if (k, c) in grid]
                column = header[c] if c < len(header) else f"第{c + 1}列"
                if check := _table_sum(facts, grid[(r, c)], parts, f"表格“{column}”列各行之和"):
                    checks.append(check)
        for c in columns:
            if c >= len(header) or not TOTAL_ROW_RE.match(header[c]):
                continue
            others = [
                k for k in columns if k != c and k < len(header) and not _PART_OF_ROW_RE.match(header[k])
            ]
            for r in sorted({r for r, _ in grid}):
                if (r, c) in grid and not TOTAL_ROW_RE.match(names[r]):
                    parts = [grid[(r, k)] for k in others if (r, k) in grid]
                    if check := _table_sum(facts, grid[(r, c)], parts, f"表格“{names[r]}”行各列之和"):
                        checks.append(check)
    return checks


# -- year and required parts --------------------------------------------------------------------------
def year_check(title: str | None, year: int | None, text: str, parts: list[dict]) -> list[Check]:
    title_year = re.search(r"(20\d{2})年", title or "")
    if not title_year:
        return []
    plans = next((p for p in parts if p["part"] == "next_year" and p["start"] is not None), None)
    body = text if not plans else text[: plans["start"]] + text[plans["end"] :]
    body = body.replace(title or "\0", "", 1)
    counts = Counter(int(y) for y in re.findall(r"(20\d{2})年(?!\d)", body))
    stated = int(title_year.group(1))
    if not counts:
        return []
    main, _ = counts.most_common(1)[0]
    ok = main == stated or counts[stated] >= counts[main] or counts[main] < 2  # one mention proves nothing
    if ok:
        message = f"标题年度{stated}年与正文所述年度一致"
    else:
        message = (
            f"标题写{stated}年，正文主要讲{main}年（出现{counts[main]}次，{stated}年出现{counts[stated]}次）"
        )
    return [Check("year", ok, message, [])]


def part_checks(parts: list[dict]) -> list[Check]:
    checks = []
    for p in parts:
        rule = national_rule(f"annual_report.part.{p['part']}")
        if p["present"]:
            checks.append(Check("required_part", True, f"有“{rule.name}”部分：{p['heading']}", []))
        elif p.get("empty") and p["part"] not in OPTIONAL_PARTS:
            message = f"“{rule.name}”部分只有标题“{p['heading']}”，没有内容（{rule.source}）"
            checks.append(Check("required_part", False, message, []))
        elif p["part"] in OPTIONAL_PARTS:
            checks.append(Check("required_part", True, f"未单列“{rule.name}”（无其他事项时可不列）", []))
        else:
            checks.append(Check("required_part", False, f"缺少“{rule.name}”部分（{rule.source}）", []))
    return checks


def _sum_checks(text: str, facts: list[Fact], found: list[tuple[int, list[int]]]) -> list[Check]:
    return [c for whole, parts in found if (c := _sum_check(text, facts, whole, parts)) is not None]


def run_checks(
    text: str,
    facts: list[Fact],
    title: str | None,
    year: int | None,
    parts: list[dict],
    found_breakdowns: list[tuple[int, list[int]]] | None = None,
    file: str = "",
) -> list[Check]:
    """Every check, each family on its own: one that fails on some text is left out and logged."""
    if found_breakdowns is None:
        found_breakdowns = breakdowns(text, facts)
    families: list[tuple[str, Callable[[], list[Check]]]] = [
        ("必备部分", lambda: part_checks(parts)),
        ("年度", lambda: year_check(title, year, text, parts)),
        ("分项之和", lambda: _sum_checks(text, facts, found_breakdowns)),
        ("办结与受理", lambda: closed_checks(text, facts)),
        ("比率", lambda: rate_checks(text, facts, found_breakdowns)),
        ("增减幅度", lambda: change_checks(text, facts)),
        ("重复数字", lambda: repeated_figure_checks(text, facts)),
        ("表格合计", lambda: table_checks(text, facts)),
    ]
    checks: list[Check] = []
    for name, family in families:
        try:
            checks += family()
        except Exception:  # a bug on some text costs that check, never the report
            log.exception("核对“%s”出错：%s", name, file)
    return checks
