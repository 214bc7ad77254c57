"""A report's title, unit, year and level; its heading tree; the five required parts mapped onto it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

CN_NUM = "一二三四五六七八九十"
HEADING_PATTERNS = [
    (1, re.compile(rf"^[ \t\u3000]*(?P<number>[{CN_NUM}]+)、")),
    (2, re.compile(rf"^[ \t\u3000]*[（(](?P<number>[{CN_NUM}]+)[)）]")),
    (3, re.compile(r"^[ \t\u3000]*(?P<number>\d{1,2})[.．、](?!\d)")),
    (4, re.compile(r"^[ \t\u3000]*[（(](?P<number>\d{1,2})[)）]")),
    (5, re.compile(rf"^[ \t\u3000]*(?P<number>[{CN_NUM}]+是)")),
]
SENTENCE_RE = re.compile(r"[^。\n]*[。\n]?")
HEADING_STARTS = set(CN_NUM + "（(0123456789")
HEADING_END = re.compile(r"[。；;！？!?]")
RUN_IN_END = re.compile(r"[，,。；;！？!?：:]")

# Wording of the five parts of 《法治政府建设与责任落实督察工作规定》第二十五条 (rules: annual_report.part.*)
PART_CUES = {
    "first_responsible": re.compile(r"第一责任人|主要负责人履行|履行推进法治建设"),
    "shortcomings": re.compile(r"不足|存在的?问题|短板|差距|薄弱"),
    "next_year": re.compile(
        r"^\d{4}年.{0,8}将|下一?步|下一年|明年|\d{4}年.{0,16}(工作)?(思路|打算|安排|计划|重点)|工作(思路|打算|安排|计划)|打算"
    ),
    "other": re.compile(r"其他(需要)?报告|其他事项|其他情况"),
    "measures": re.compile(r"举措|成效|措施|做法|主要工作|工作开展|推进|坚持|加强|深化|提升|强化"),
}
# The cues without their anchors: they find the sentences worth testing with the anchored cues.
PART_HINTS = {part: re.compile(cue.pattern.replace("^", "")) for part, cue in PART_CUES.items()}
PART_ORDER = ["measures", "shortcomings", "first_responsible", "next_year", "other"]
# 其他需要报告的情况 is only written when there is something else to report.
OPTIONAL_PARTS = {"other"}
# Short names for badges and tables; the full names and their source are the rules annual_report.part.*
PART_SHORT_NAMES = {
    "measures": "主要举措和成效",
    "shortcomings": "不足和原因",
    "first_responsible": "第一责任人履职",
    "next_year": "下一年度安排",
    "other": "其他需要报告的情况",
}
REPORT_WORDS = re.compile(r"报告|情况|总结")
UNIT_RE = re.compile(
    r"((?:[\u4e00-\u9fa5]{1,10}?(?:省|自治区|市|州|盟|县|旗|区|新区|乡|镇|街道))+"
    r"(?:乡|镇|街道)?(?:[\u4e00-\u9fa5]{0,12}?(?:局|委员会|委|办公室|办|中心|所|院))?)"
)


@dataclass
class Section:
    level: int
    number: str
    heading: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "number": self.number,
            "heading": self.heading,
            "start": self.start,
            "end": self.end,
        }


def _lines(text: str):
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def find_sections(text: str, junk: list[tuple[int, int]]) -> list[Section]:
    sections: list[Section] = []
    for offset, line in _lines(text):
        first = line.lstrip(" \t\u3000")[:1]
        if not first or first not in HEADING_STARTS or any(a <= offset < b for a, b in junk):
            continue
        for level, pattern in HEADING_PATTERNS:
            if m := pattern.match(line):
                stop = HEADING_END.search(line, m.end())
                run_in = line[stop.end() :].strip() if stop else len(line.rstrip()) > 60
                if run_in and level <= 2:
                    # a heading run into its paragraph ends at its first comma (一、加强领导,完善…。全年…)
                    stop = RUN_IN_END.search(line, m.end())
                heading_end = stop.start() if stop and stop.start() < 60 else min(len(line), 60)
                heading = line[:heading_end].strip()
                sections.append(
                    Section(
                        level,
                        m.group("number"),
                        heading,
                        offset + (len(line) - len(line.lstrip())),
                        len(text),
                    )
                )
                break
    for i, section in enumerate(sections):
        nxt = next((s for s in sections[i + 1 :] if s.level <= section.level), None)
        section.end = nxt.start if nxt else len(text)
    return sections


def _classify(heading: str) -> str | None:
    for part in ["first_responsible", "shortcomings", "next_year", "other"]:
        if PART_CUES[part].search(heading):
            return part
    return None


def _sentences_with(hint: re.Pattern[str], text: str):
    """The sentences (as matches of the sentence pattern) that contain ``hint``, in order."""
    after = 0
    for cue in hint.finditer(text):
        if cue.start() < after:
            continue
        start = max(text.rfind("。", 0, cue.start()), text.rfind("\n", 0, cue.start())) + 1
        if m := SENTENCE_RE.match(text, start):
            yield m
            after = m.end()


def map_parts(text: str, sections: list[Section]) -> list[dict]:
    """Each required part with where it is: a heading that names it, else wording in the body."""
    found: dict[str, dict] = {}
    headed: list[str] = []  # the parts found by their headings
    outline = [s for s in sections if s.level <= 2]
    for s in outline:
        part = _classify(s.heading)
        if part and part not in found:
            headed.append(part)
            found[part] = {
                "part": part,
                "present": True,
                "heading": s.heading,
                "start": s.start,
                "end": s.end,
            }
    # Sections that name no other part are the main measures and results.
    measures = [s for s in outline if s.level == 1 and _classify(s.heading) is None]
    if measures and "measures" not in found:
        headed.append("measures")
        found["measures"] = {
            "part": "measures", "present": True, "heading": measures[0].heading,
            "start": measures[0].start, "end": measures[-1].end,
        }  # fmt: skip
    # Reports that lost their headings: look for the wording in sentences.
    for part in PART_ORDER:
        if part in found:
            continue
        for m in _sentences_with(PART_HINTS[part], text):
            sentence = m.group().strip()
            if "现将" in sentence or "如下" in sentence:  # the opening formula names the parts it introduces
                continue
            if sentence and PART_CUES[part].search(sentence) and (part != "measures" or len(sentence) > 20):
                if part == "next_year" and not re.search(
                    r"^\d{4}年.{0,8}将|下一?步|\d{4}年.{0,8}(思路|打算|安排|计划)|明年", sentence
                ):
                    continue
                found[part] = {
                    "part": part,
                    "present": True,
                    "heading": sentence[:60],
                    "start": m.start(),
                    "end": m.end(),
                }
                break
    for name in headed:  # a part found by its wording in a sentence has that sentence for content
        entry = found[name]
        if entry["present"] and not _has_content(text, entry["start"], entry["end"], sections):
            entry["present"] = False  # a heading with nothing under it: the part is not reported
            entry["empty"] = True
    return [
        found.get(p, {"part": p, "present": False, "heading": None, "start": None, "end": None})
        for p in PART_ORDER
    ]


def _has_content(text: str, start: int, end: int, sections: list[Section]) -> bool:
    """Whether text[start:end] says something besides headings (a heading's own run-in sentence counts)."""
    # 一是… runs carry their content in the same sentence: only 一、 （一） 1. （1） are bare headings
    headings = {s.start: s for s in sections if start <= s.start < end and s.level <= 4}
    said = 0
    offset = start
    for line in text[start:end].splitlines(keepends=True):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        if offset + lead in headings:
            stripped = stripped[len(headings[offset + lead].heading) :].strip(" 。.；;")
        said += len(stripped)
        offset += len(line)
        if said >= 4:
            return True
    return False


TITLE_TOPIC = re.compile(r"法治|依法|法制")
# lines that look like a title but are a page's chrome: a breadcrumb, a field of the index table
NOT_TITLE = re.compile(r">|》》|位置|当前|今天是|来源|索引号|发布|日期|时间|浏览|标题[:：]|^\W")


# the line above a title's 关于… line names who reports
ISSUER_END = re.compile(r"(?:政府|局|委员会|办公室|委|党委|党组|镇|乡|街道|县|区|市|州|院|中心)$")


def _title_like(line: str) -> bool:
    return 0 < len(line) <= 40 and not NOT_TITLE.search(line) and not re.search(r"[。：:，,；;]", line)


def title_lines(text: str, junk: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (stripped) of the title's lines, or none. The title is the first short line before the
    body that calls the text a report on 法治/依法行政 (a page's breadcrumbs, index numbers and dates
    stand before it on reposted pages), with the short lines right above it that it continues; failing
    that, the short lines opening the text when the last of them calls it a report."""
    lines: list[tuple[int, str]] = []
    for offset, line in _lines(text):
        stripped = line.strip()
        if stripped and HEADING_PATTERNS[0][1].match(line):
            break
        if len(stripped) > 60 and "。" in stripped:
            break  # the body has begun
        lines.append((offset, line))
        if len(lines) >= 60:
            break
    for k, (offset, line) in enumerate(lines):
        stripped = line.strip()
        above = lines[k - 1][1].strip() if k else ""
        if (
            4 <= len(stripped) <= 60
            and REPORT_WORDS.search(stripped)
            and (TITLE_TOPIC.search(stripped) or (_title_like(above) and TITLE_TOPIC.search(above)))
            and not NOT_TITLE.search(stripped)
            and "。" not in stripped
            and not any(a <= offset < b for a, b in junk)
        ):
            first = k
            while first > 0 and k - first < 2:  # 某县人民政府 / 关于2024年度…的报告
                above = lines[first - 1][1].strip()
                current = lines[first][1].strip()
                if not _title_like(above) or not (
                    TITLE_TOPIC.search(above) or ISSUER_END.search(above) or current.startswith("关于")
                ):
                    break
                first -= 1
            spans = []
            for offset_, line_ in lines[first : k + 1]:
                lead = len(line_) - len(line_.lstrip())
                spans.append((offset_ + lead, offset_ + len(line_.rstrip())))
            return spans
    return _opening_lines(text, junk)


def _opening_lines(text: str, junk: list[tuple[int, int]]) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    for offset, line in _lines(text):
        if not line.strip() or any(a <= offset < b for a, b in junk):
            if lines:
                break
            continue
        if (
            len(line.strip()) > 60
            or HEADING_PATTERNS[0][1].match(line)
            or line.rstrip().endswith(("：", ":"))
            or "。" in line
        ):
            break
        lead = len(line) - len(line.lstrip())
        lines.append((offset + lead, offset + len(line.rstrip())))
        if len(lines) == 3:
            break
    if lines and REPORT_WORDS.search(text[lines[-1][0] : lines[-1][1]]):
        return lines
    return []


def find_title(text: str, junk: list[tuple[int, int]]) -> tuple[str | None, int]:
    """The title (its lines joined, without spaces) and where it ends; (None, 0) without one."""
    lines = title_lines(text, junk)
    if not lines:
        return None, 0
    return re.sub(r"\s+", "", "".join(text[a:b] for a, b in lines)), lines[-1][1]


def find_year(title: str | None, text: str) -> int | None:
    for source in (title or "", text[:800]):
        if m := re.search(r"(20\d{2})年(度)?(?:[\u4e00-\u9fa5]{0,12})?(法治|工作|情况)", source):
            return int(m.group(1))
    if m := re.search(r"现将.{0,20}?(20\d{2})年", text):
        return int(m.group(1))
    years = re.findall(r"(20\d{2})年", text[:1500])
    return int(max(set(years), key=years.count)) if years else None


def _innermost(name: str) -> str:
    """鲁山县昭平台库区乡人民政府 → 昭平台库区乡; 古丈县司法局 stays (a department keeps its county)."""
    name = re.sub(r"(人民政府|党委|政府|委员会办公室)$", "", name)
    if re.search(r"(局|委|办|中心|所|院)$", name):
        return name
    # Strip the higher levels in front: a remainder keeps at least two characters before its suffix,
    # so 昭平台库区乡 is not cut at 库区.
    while m := re.match(r"^[\u4e00-\u9fa5]{1,10}?(?:省|自治区|市|州|盟|县|旗|区)", name):
        rest = name[m.end() :]
        if not re.fullmatch(r"[\u4e00-\u9fa5]{2,}(?:市|州|县|旗|区|乡|镇|街道)", rest):
            break
        name = rest
    return name


# Words a place name never starts with: 我县, 全县, 在省委, 各乡镇
NOT_A_NAME_START = "我本全该在各对向经由从按其每此为与及和并"
PLACE_SUFFIX_RE = re.compile(r"(?:街道|[县区市镇乡旗州])")


def _addressee(line: str) -> bool:
    """新乡市人民政府、中共获嘉县委: — to whom the report goes, not who reports."""
    return len(line.strip()) <= 60 and "。" not in line and line.rstrip().endswith((":", "："))


def _named_in_body(text: str) -> str | None:
    """The place the opening of the text names most often (获嘉县 in 2024年以来,获嘉县坚持…, 全县…): a
    report without a title still names its unit. Addressee lines (ending in ：) and party committees
    (县委) are not the unit; a name must recur, or open a sentence."""
    counts: Counter[str] = Counter()
    opening: set[str] = set()
    for line in text[:3000].splitlines():
        if _addressee(line):
            continue
        for m in PLACE_SUFFIX_RE.finditer(line):
            if line.startswith("委", m.end()) or line.startswith("人民代表", m.end()):
                continue
            for size in (2, 3):
                name = line[max(0, m.start() - size) : m.end()]
                if len(name) - len(m.group()) != size or not re.fullmatch(r"[\u4e00-\u9fa5]+", name):
                    continue
                if name[0] in NOT_A_NAME_START or PLACE_SUFFIX_RE.fullmatch(name[0]):
                    continue
                counts[name] += 1
                before = line[: m.start() - size].rstrip(" ，,")
                if not before or before.endswith(("。", "年", "以来", "年度", "来")):
                    opening.add(name)  # the subject of a sentence: "2024年以来,获嘉县坚持…"
    best = None
    for name, n in counts.most_common():
        if n < 2 and name not in opening:
            continue
        # 获嘉县 over 嘉县: the longer name when it accounts for the shorter one's every mention
        longer = [o for o in counts if o.endswith(name) and len(o) > len(name) and counts[o] == n]
        best = longer[0] if longer else name
        break
    return best


# a department naming itself by its level only: 2023年以来,县司法局在县委…; 我局 … 市应急管理局
DEPARTMENT_SUBJECT_RE = re.compile(r"(?:^|[。\n]|年(?:以来|度)?[，,])\s*([县区市])([\u4e00-\u9fa5]{2,10}?局)")
DEPARTMENT_NAME_RE = re.compile(r"(?<![\u4e00-\u9fa5])([县区市])([\u4e00-\u9fa5]{2,8}?局)")


def _with_department(place: str, text: str) -> str:
    """蒙城县 + 县司法局 → 蒙城县司法局, where the report is a department's: its opening sentence has the
    department for subject, or it calls itself 我局 and names the department."""
    opening = text[:600]
    level, department = None, None
    if m := DEPARTMENT_SUBJECT_RE.search(opening):
        level, department = m.group(1), m.group(2)
    elif "我局" in opening:
        named = Counter((m.group(1), m.group(2)) for m in DEPARTMENT_NAME_RE.finditer(text[:3000]))
        if named:
            level, department = named.most_common(1)[0][0]
    if level and department and place.endswith(level):
        return place + department
    return place


def find_unit(title: str | None, text: str) -> str | None:
    candidates = []
    if title:
        head = re.split(r"关于|20\d{2}年", title)
        candidates += [h for h in head if h]
        if m := re.search(r"20\d{2}年度?([\u4e00-\u9fa5]{2,14}?)(法治政府|法治建设|依法行政)", title):
            candidates.append(m.group(1))
    if m := re.search(r"现将(?:我)?([\u4e00-\u9fa5]{2,14}?)(?:20\d{2}|法治|工作)", text):
        candidates.append(m.group(1))
    for candidate in candidates:
        if (m := UNIT_RE.search(candidate)) and m.group(1)[0] not in NOT_A_NAME_START:
            return _innermost(m.group(1))
    if name := _named_in_body(text):
        return _with_department(name, text)
    opening = next((line for line in text[:2000].splitlines() if line.strip() and not _addressee(line)), "")
    if (m := UNIT_RE.search(opening[:30])) and m.group(1)[0] not in NOT_A_NAME_START:
        return _innermost(m.group(1))
    return None


def unit_level(unit: str | None) -> str | None:
    if not unit:
        return None
    if re.search(r"(局|委|办|中心|所|院)$", unit):
        return "部门"
    if re.search(r"(乡|镇|街道)$", unit):
        return "乡镇"
    if re.search(r"(县|旗|区)$", unit):
        return "县区"
    if re.search(r"(市|州|盟)$", unit):
        return "地市"
    if re.search(r"(省|自治区)$", unit):
        return "省"
    return None
