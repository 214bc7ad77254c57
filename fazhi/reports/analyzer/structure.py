"""A report's title, unit, year and level; its heading tree; the five required parts mapped onto it."""

from __future__ import annotations

import re
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
    outline = [s for s in sections if s.level <= 2]
    for s in outline:
        part = _classify(s.heading)
        if part and part not in found:
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
    return [
        found.get(p, {"part": p, "present": False, "heading": None, "start": None, "end": None})
        for p in PART_ORDER
    ]


def title_lines(text: str, junk: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (stripped) of the title's lines: the short lines before the body that call the text a
    report, or none."""
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


def find_unit(title: str | None, text: str) -> str | None:
    candidates = []
    if title:
        head = re.split(r"关于|20\d{2}年", title)
        candidates += [h for h in head if h]
        if m := re.search(r"20\d{2}年度?([\u4e00-\u9fa5]{2,14}?)(法治政府|法治建设|依法行政)", title):
            candidates.append(m.group(1))
    if m := re.search(r"现将(?:我)?([\u4e00-\u9fa5]{2,14}?)(?:20\d{2}|法治|工作)", text):
        candidates.append(m.group(1))
    candidates.append(text[:30])
    for candidate in candidates:
        if m := UNIT_RE.search(candidate):
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
        return "市"
    if re.search(r"(省|自治区)$", unit):
        return "省"
    return None
