"""Find every stated figure in a report: value, unit, approximation, quote, offsets, catalogue id.

General rules, not patterns fitted to particular reports: a figure is a numeral followed by a measure
word (or %, ‰, 个百分点), a share in words (百分之九十五), a rank bound (位列前十), or a bare number in a
table cell whose column or row header gives its unit; dates, ordinals, labels in quotation marks, codes
and requirements (不少于…, 应达到…) are not figures. Ranges and approximate pairs (3至5人, 七八十人) keep
their bounds. The text is the folded one (``normalize``); the catalogue's cues decide the indicator.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from fazhi.indicators.catalogue import Indicator, indicators

from .numbers import MULTIPLIERS, NUMERAL_CHARS, Numeral, as_json_number, parse_number, parse_numeral

COUNT_UNITS = [
    "人次", "场次", "批次", "户次", "件次", "学时", "大类", "件", "宗", "起", "例", "次", "场", "期",
    "人", "名", "位", "个", "家", "户", "所", "处", "项", "条", "支", "份", "篇", "本", "张", "册", "套",
    "座", "辆", "台", "批", "类", "轮", "堂", "节", "天", "部", "项次", "起次", "份次", "块", "幅",
    "个月", "周", "卷", "笔", "条次", "家次", "个次", "倍",
]  # fmt: skip
MONEY_UNITS = ["万元", "亿元", "元"]
# Measure words that count the same kind of thing: a figure in one group never states an indicator
# counted in another (3次 is not a number of 法律明白人, 120个问题 not a number of 复议案件).
UNIT_GROUPS = [
    {"人", "名", "人次", "位"},
    {"次", "场", "场次", "期", "批次", "批", "轮", "堂", "节"},
    {
        "件",
        "宗",
        "起",
        "例",
        "份",
        "项",
        "条",
        "篇",
        "本",
        "张",
        "册",
        "件次",
        "部",
        "项次",
        "起次",
        "份次",
        "卷",
        "笔",
        "条次",
    },
    {"个", "家", "户", "户次", "所", "处", "支", "座", "套", "辆", "台", "块", "幅", "家次", "个次"},
    {"倍"},
    {"类", "大类"},
    {"元"},
    {"学时"},
    {"天", "个月", "周"},
    {"年"},
    {"分"},
    {"%"},
    {"‰"},
    {"个百分点"},
]
PERCENT_UNITS = {"%", "‰", "个百分点"}  # a share or a change of one: never a count
UNIT_ALTERNATION = "|".join(
    sorted(COUNT_UNITS + MONEY_UNITS + ["分", "年", "个百分点", "百分点"], key=len, reverse=True)
)
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
CHINESE = f"[{NUMERAL_CHARS}]+"
RANGE_MARK = r"(?:至|到|-|~|—|–)"
FIGURE_RE = re.compile(
    rf"""    (?P<num>{ARABIC}(?:{RANGE_MARK}(?P<num2>{ARABIC}))?|{CHINESE}(?:[至到](?P<cnum2>{CHINESE}))?)
    (?P<mult1>[万千亿])?(?P<approx>余|多)?(?P<mult2>[万千亿])?
    [ ]?(?P<unit>{UNIT_ALTERNATION}|%|‰)
    (?P<above>以上|左右)?""",
    re.VERBOSE,
)
# 百分之九十五, 千分之三: the share written in words
PERCENT_WORDS_RE = re.compile(rf"(?P<per>百分之|千分之)(?P<num>{ARABIC}|{CHINESE})(?P<above>以上|左右)?")
# a rank bound without its measure word: 位列全市前十 (前十名 is read by FIGURE_RE)
RANK_RE = re.compile(
    rf"(?<=前)(?P<num>[1-9][0-9]?|[一二两三四五六七八九十]{{1,3}})(?P<above>)(?![0-9名位强]|{CHINESE})"
)
RANKING_BEFORE_RE = re.compile(r"(位列|排名|排在|进入|跻身|位居|名列|居)[\u4e00-\u9fa5]{0,8}前$")
APPROX_BEFORE_RE = re.compile("(近|约|逾|超过|不到|不足|上)$")
CLAUSE_DELIMITERS = "，,。；;！？!?\n：:"
_DELIMITER_RE = re.compile(f"[{CLAUSE_DELIMITERS}]")
REQUIREMENT_RE = re.compile(
    r"(不少于|不低于|不超过|不得超过|不高于|至少|最长|最多|应达到|应当达到|要达到|须达到|力争|目标)"
)
# A small Chinese numeral followed by these nouns names a programme or a slogan, not a count.
LABEL_NOUNS = re.compile(
    r"^(制度|机制|清单|服务|工程|行动|要求|原则|理念|模式|战略|意识|自信|建设|改革|融合|联动|体系|平台|网|窗|站|单"
    # the heads of political slogans written with a small numeral (两个确立, 四个全面, 三个务必, 五个必须)
    r"|确立|维护|全面|代表|务必|必须|亲自|毫不|不摘|基本点|一体|到位|优先|字方针|步走|统筹|结合)"
)
DURATION_BEFORE_RE = re.compile(r"(为期|历时|持续|用时|耗时)$")
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


@dataclass(slots=True)
class Fact:
    value: Decimal
    unit: str
    approx: bool
    start: int
    end: int
    quote: str
    label: str
    indicator: str | None = None
    # an approximate pair or a range (三四次, 3至5人, 七八十人): its bounds; ``value`` is the lower one
    low: Decimal | None = None
    high: Decimal | None = None
    # the clause the quote is cut from (offsets into the same text as start/end)
    quote_start: int = 0
    quote_end: int = 0
    # a table cell's (table, row, column), counted in the text's tables from 0
    cell: tuple[int, int, int] | None = None

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "label": self.label,
            "value": as_json_number(self.value),
            "unit": self.unit,
            "approx": self.approx,
            "bounds": None
            if self.low is None or self.high is None
            else [as_json_number(self.low), as_json_number(self.high)],
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


@lru_cache(maxsize=4)  # two kinds of marks for the text being analyzed (and the one before)
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


def _in_junk(junk: list[tuple[int, int]], pos: int) -> bool:
    k = bisect_left(junk, (pos + 1,)) - 1
    return any(a <= pos < b for a, b in junk[max(0, k - 3) : k + 1])


def _is_figure(text: str, m: re.Match[str], junk: list[tuple[int, int]], clause_start: int) -> bool:
    start, end = m.start("num"), m.end()
    num, unit = m.group("num"), m.group("unit")
    if _in_junk(junk, start):
        return False
    before = text[max(0, start - 1) : start]
    after = text[end : end + 6]
    if before == "第" or (before and ((before.isascii() and before.isalnum()) or before in ".-·+:/~—–")):
        return False
    if after[:1] in {"+", "·", "-", "~", "—", "–", "至", "到"} or (after[:1] == "." and after[1:2].isdigit()):
        return False  # the first end of a range or a label (5+N, 3·15)
    if _in_short_quotation(text, start, end) and not (
        unit == "%" and N_TIMES_PERCENT_RE.search(text, max(0, start - 4), start)
    ):
        return False  # a label in quotation marks (“三项制度”), but “三个100%” states figures
    if unit == "个" and after[:1].isdigit():
        return False  # 三个100%: a count of the figures that follow
    if unit not in PERCENT_UNITS and TIME_SPAN_AFTER.match(after):
        return False
    if unit == "年" and not text.endswith("连续", max(0, start - 2), start):
        return False  # a year is a date; 连续四年 counts years
    if unit == "天" and re.match(r"(之内|以内|内|后|前|左右)", after):
        return False  # a time limit, not a count of days
    if unit in {"个月", "周"} and not DURATION_BEFORE_RE.search(text, max(0, start - 3), start):
        return False  # 3个月内, 每周: a time limit or a rhythm; 为期3个月 is how long the work took
    if unit == "部" and after[:1] in {"门", "署", "分", "位"}:
        return False  # 3部门, 部署, 部分: words, not 3部 (documents)
    if unit == "位" and after[:1] in {"数", "一"}:
        return False  # 两位数增长, 三位一体: words, not a count of people
    if REQUIREMENT_RE.search(text[max(clause_start, start - 14) : start]):
        return False
    if not num[0].isdigit():
        if num in {"零", "〇"} or unit == "分" or after[:1] == "之":
            return False  # 零件 (a part), 十分重视 (very), 三分之二 (a fraction)
        # 千家万户, 百名法学家: a bare 百/千 counts nothing unless qualified (百余场, 上百人)
        qualified = (
            m.group("approx") or m.group("above") or APPROX_BEFORE_RE.search(text, max(0, start - 2), start)
        )
        if num[0] in "百千万亿" and not qualified:
            return False
        if num == "一":
            # 一次性, 一批, 一件事 are words; 召开专题会议一次。 counts (the count closes its clause)
            closes = not after or after[:1] in CLAUSE_DELIMITERS or after.startswith(("、", "）", ")"))
            if (unit not in {"名", "个"} and not closes) or before in WORD_BEFORE_ONE:
                return False
            if unit == "个" and re.match(r"[\u4e00-\u9fa5]{1,4}的", after):
                return False  # 一个良好的环境: an article, not a count
        elif before in WORD_BEFORE_ONE:
            return False
        if LABEL_NOUNS.match(after):
            return False
    return True


def _numeral(m: re.Match[str]) -> Numeral:
    """The figure's value and bounds: a range 3至5 or an approximate pair 三四 keeps both ends."""
    num = m.group("num")
    second_group = "num2" if m.group("num2") else "cnum2" if m.group("cnum2") else None
    if second_group is None:
        numeral = parse_numeral(num)
    else:  # the range mark between the two ends is one character
        numeral = parse_numeral(num[: m.start(second_group) - m.start("num") - 1])
        upper = parse_numeral(m.group(second_group))
        if upper.high <= numeral.low:
            raise ValueError(f"不是范围：{num}")
        numeral = Numeral(numeral.low, numeral.low, upper.high, True)
    for key in ("mult1", "mult2"):
        if m.group(key):
            numeral = numeral.scaled(MULTIPLIERS[m.group(key)])
    return numeral


def _value(m: re.Match[str]) -> tuple[Numeral, str]:
    numeral = _numeral(m)
    unit = m.group("unit")
    if unit in {"万元", "亿元"}:
        numeral = numeral.scaled(MULTIPLIERS[unit[0]])
        unit = "元"
    elif unit == "百分点":
        unit = "个百分点"
    return numeral, unit


def _label(text: str, clause_start: int, start: int, unit: str) -> str:
    label = text[clause_start:start].strip(' 　“”"')
    label = re.sub(r"^(其中|另外|另|共计|共|累计|全年|同时|并|已|有)+", "", label)
    return (label or text[clause_start:start]).strip()[-24:] + ("" if unit == "%" else f"（{unit}）")


def _figure_matches(text: str):
    """The figures' matches in order: numerals with a measure word, and shares written in words."""
    numbered = FIGURE_RE.finditer(text)
    worded = PERCENT_WORDS_RE.finditer(text) if "分之" in text else iter(())
    ranks = RANK_RE.finditer(text) if "前" in text else iter(())
    return sorted([*numbered, *worded, *ranks], key=lambda m: m.start())


def extract_facts(text: str, junk: list[tuple[int, int]] | None = None) -> list[Fact]:
    """Every figure in ``text`` (offsets into ``text``), in order of appearance. A numeral that cannot be
    read is not a figure; nothing in the text makes this raise."""
    junk = sorted(junk or [])
    facts: list[Fact] = []
    for m in _figure_matches(text):
        try:
            facts += _facts_of(text, m, junk)
        except (ValueError, ArithmeticError):
            continue  # not a numeral after all (二一件, 5-3人)
    if "\t" in text:
        facts = _with_table_cells(text, facts, junk)
    return facts


# -- tables: rows of tab-separated cells, as the readers write them ------------------------------------
BARE_NUMBER_RE = re.compile(rf"^(?P<num>{ARABIC})(?P<unit>%|‰)?$")
_UNIT_IN_HEADER_RE = re.compile(
    rf"[（(]\s*(?:单位\s*[:：]\s*)?(?P<unit>{UNIT_ALTERNATION}|%|‰)\s*[)）]|单位\s*[:：]\s*(?P<unit2>{UNIT_ALTERNATION}|%|‰)"
)
_UNIT_NOUN_RE = re.compile(rf"(?P<unit>{UNIT_ALTERNATION})数(?:量)?$")
# columns that hold codes, dates and ordinals, not quantities
_NOT_QUANTITY_HEADER_RE = re.compile(r"序号|编号|代码|年份|年度|日期|时间|电话|号码|排名|名次|文号|邮编|账号")
TOTAL_ROW_RE = re.compile(r"^(?:合计|总计|小计|总数|共计|全[县区市乡镇省])")


@dataclass
class TableRow:
    start: int  # of the line
    end: int
    cells: list[tuple[int, int]]  # each cell's span in the text


def table_blocks(text: str) -> list[list[TableRow]]:
    """Runs of two or more consecutive lines holding tab-separated cells; a row without numbers after
    rows with numbers heads a new table."""
    blocks: list[list[TableRow]] = []
    current: list[TableRow] = []
    has_numbers = False
    offset = 0
    for line in text.split("\n"):
        values = [cell.strip() for cell in line.split("\t")] if "\t" in line else []
        # a row has two cells or more, each short: a paragraph indented with a tab is not one
        filled = sum(1 for v in values if v)
        merged = bool(current) and filled == 1 and not values[0]  # the row header merged from above
        if (filled >= 2 or merged) and max(len(v) for v in values) <= 60:
            cells, position = [], offset
            for cell in line.split("\t"):
                cells.append((position, position + len(cell)))
                position += len(cell) + 1
            numeric = any(c[:1].isdigit() for c in (cell.strip() for cell in line.split("\t")[1:]))
            if not numeric and has_numbers:
                if len(current) >= 2:
                    blocks.append(current)
                current, has_numbers = [], False
            current.append(TableRow(offset, offset + len(line), cells))
            has_numbers = has_numbers or numeric
        else:
            if len(current) >= 2:
                blocks.append(current)
            current, has_numbers = [], False
        offset += len(line) + 1
    if len(current) >= 2:
        blocks.append(current)
    return blocks


def _header_unit(header: str) -> str | None:
    if m := _UNIT_IN_HEADER_RE.search(header):
        unit = m.group("unit") or m.group("unit2")
        return "元" if unit in {"万元", "亿元", "元"} else unit
    if header.endswith("率") or "%" in header:
        return "%"
    if m := _UNIT_NOUN_RE.search(header):
        return m.group("unit")
    return None


def _scale(header: str) -> int:
    m = _UNIT_IN_HEADER_RE.search(header)
    unit = (m.group("unit") or m.group("unit2")) if m else ""
    return MULTIPLIERS.get(unit[0], 1) if unit in {"万元", "亿元"} else 1


def _with_table_cells(text: str, facts: list[Fact], junk: list[tuple[int, int]]) -> list[Fact]:
    """The facts with each table's bare numbers (a cell holding only 12 or 98.5%) added as figures: their
    unit from the column's header (收案（件）, 件数, 单位：件 above the table), their label the row's and
    the column's headers. Figures already found in a cell (12件) get the cell too."""
    added: list[Fact] = []
    by_start = {f.start: f for f in facts}
    for t, rows in enumerate(table_blocks(text)):
        caption_start = text.rfind("\n", 0, max(0, rows[0].start - 1)) + 1
        caption = text[caption_start : rows[0].start]
        table_unit = _header_unit(caption.strip()) if "单位" in caption else None
        header_rows = 0
        for row in rows:
            if any(BARE_NUMBER_RE.match(text[a:b].strip()) for a, b in row.cells[1:]):
                break
            header_rows += 1
        width = max(len(row.cells) for row in rows)
        headers = []
        for c in range(width):
            names = []
            for row in rows[:header_rows]:
                k = c
                while k > 0 and k < len(row.cells) and not text[slice(*row.cells[k])].strip():
                    k -= 1  # a header merged across columns stands in its first cell
                if k < len(row.cells) and (name := text[slice(*row.cells[k])].strip()) and name not in names:
                    names.append(name)
            headers.append(" ".join(names))
        row_header = ""
        for r, row in enumerate(rows[header_rows:], start=header_rows):
            first = text[slice(*row.cells[0])].strip()
            if first and not BARE_NUMBER_RE.match(first):
                row_header = first  # an empty first cell: merged with the row above
            for c, (a, b) in enumerate(row.cells):
                cell_text = text[a:b]
                lead = len(cell_text) - len(cell_text.lstrip())
                column = headers[c] if c < len(headers) else ""
                if a + lead in by_start:  # 12件 or 98.5% in a cell: named by the row and the column
                    found = by_start[a + lead]
                    found.cell = (t, r, c)
                    if c and (column or row_header):
                        found.label = f"{row_header}{column}"[-24:]
                        found.indicator = map_indicator(found, f"{row_header} {column}", "")
                    continue
                m = BARE_NUMBER_RE.match(cell_text.strip())
                if not m or _in_junk(junk, a) or _NOT_QUANTITY_HEADER_RE.search(column):
                    continue
                if c == 0 or not (column or row_header):
                    continue  # a number in the first column is a row's name (1, 2, 3 …), not a figure
                unit = m.group("unit") or _header_unit(column) or _header_unit(row_header) or table_unit or ""
                value = parse_number(m.group("num")) * _scale(column or caption)
                start, end = a + lead, a + lead + len(cell_text.strip())
                label = f"{row_header}{column}"[-24:]
                line = text[row.start : row.end]
                fact = Fact(
                    value, unit, False, start, end, line.strip(), label,
                    quote_start=row.start + len(line) - len(line.lstrip()),
                    quote_end=row.start + len(line.rstrip()),
                    cell=(t, r, c),
                )  # fmt: skip
                fact.indicator = map_indicator(fact, f"{row_header} {column}", "")
                added.append(fact)
    if not added:
        return facts
    return sorted(facts + added, key=lambda f: f.start)


def _facts_of(text: str, m: re.Match[str], junk: list[tuple[int, int]]) -> list[Fact]:
    clause_start, clause_end = _clause_bounds(text, m.start(), m.end())
    if m.re is PERCENT_WORDS_RE:
        if _in_junk(junk, m.start()):
            return []
        numeral = parse_numeral(m.group("num"))
        unit = "%" if m.group("per") == "百分之" else "‰"
    elif m.re is RANK_RE:
        if _in_junk(junk, m.start()) or not RANKING_BEFORE_RE.search(
            text, max(clause_start, m.start() - 12), m.start()
        ):
            return []
        numeral, unit = parse_numeral(m.group("num")), "名"
    else:
        if not _is_figure(text, m, junk, clause_start):
            return []
        numeral, unit = _value(m)
    # the approximating word before the number (近/约/逾/超过) is looked up, not matched: a pattern
    # that opens with an optional group is tried at every position and scans twice as slowly
    prefix = APPROX_BEFORE_RE.search(text, max(0, m.start() - 2), m.start())
    if (
        prefix
        and prefix.group() == "上"
        and not (
            m.group("num")[0] in "十百千万亿"
            and not text.endswith(("以上", "线上", "网上", "马上"), 0, m.start())
        )
    ):
        prefix = None  # 上百人 is about a hundred; 线上3场 is online
    start, end = prefix.start() if prefix else m.start(), m.end()
    approx = bool(prefix or m.groupdict().get("approx") or m.group("above") or numeral.approx)
    clause = text[clause_start:clause_end]
    quote = clause.strip()
    quote_start = clause_start + len(clause) - len(clause.lstrip())
    before = text[clause_start:start]
    names = [""]
    if unit == "%":
        if rate_list := RATE_LIST_RE.search(before):
            names = re.split(r"[、和及与]", rate_list.group(1))
        elif times := N_TIMES_PERCENT_RE.search(before):
            names = [""] * min(int(parse_number(times.group(1))), 10)
    facts = []
    for name in names:
        fact = Fact(
            numeral.value,
            unit,
            approx,
            start,
            end,
            quote,
            name or _label(text, clause_start, start, unit),
            low=numeral.low if numeral.is_range else None,
            high=numeral.high if numeral.is_range else None,
            quote_start=quote_start,
            quote_end=quote_start + len(quote),
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
    group = unit_group(unit)
    return tuple(
        ind
        for ind in indicators().values()
        if unit in ind.also_counted_in or (group is not None and unit_group(ind.unit) == group)
    )


@cache
def _cue_scanner(unit: str) -> tuple[re.Pattern[str], dict[str, Indicator]] | None:
    """One pattern finding every candidate indicator's cues, overlapping ones included (a lookahead at
    each position), so a figure costs one scan instead of one per indicator."""
    groups = {f"c{k}": ind for k, ind in enumerate(_candidates(unit))}
    if not groups:
        return None  # no indicator is counted in this measure word (60学时)
    alternatives = "|".join(f"(?P<{name}>{ind.cues.pattern})" for name, ind in groups.items())
    # every cue starts with one of the Chinese characters written in the cues: other positions are
    # skipped by one character test before the alternatives are tried
    first = "".join(sorted(set(re.findall(r"[\u4e00-\u9fa5]", alternatives))))
    return re.compile(f"(?=[{first}])(?=(?:{alternatives}))"), groups


def _cue_hits(unit: str, text: str):
    """(indicator, start, end) of each cue in ``text``."""
    found = _cue_scanner(unit)
    if found is None:
        return
    scanner, groups = found
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
