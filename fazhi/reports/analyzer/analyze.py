"""One report in, the design.md §8 JSON object out: structure, parts, facts and checks.

The analysis runs on the folded text (``normalize.fold``: half-width, ASCII digits, simplified characters);
every offset, quote and heading in the result is mapped back to the text as read. No input makes
``analyze_text`` raise: a stage that fails on some text gives its empty result and logs the error, so one
odd report never stops a batch or an upload.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .checks import breakdowns, run_checks
from .facts import Fact, extract_facts
from .normalize import OffsetMap, fold
from .reading import junk_spans, read_bytes, read_file
from .structure import Section, find_sections, find_unit, find_year, map_parts, title_lines, unit_level

log = logging.getLogger(__name__)
T = TypeVar("T")


def _guarded(stage: str, file: str, fallback: T, run: Callable[[], T]) -> T:
    try:
        return run()
    except Exception:  # a bug on some text must not cost the whole report, nor the batch
        log.exception("报告分析的“%s”步骤出错：%s", stage, file)
        return fallback


def _original(text: str, folded: str, offsets: OffsetMap, snippet: str | None, near: int) -> str | None:
    """``snippet`` of the folded text (found at or after ``near``) as it stands in the text as read."""
    if not snippet:
        return snippet
    pos = folded.find(snippet, near)
    if pos == -1:
        return snippet
    a, b = offsets.span(pos, pos + len(snippet))
    return text[a:b]


_ENDS_A_TEXT = tuple('。！？!?；;…”"）)」』')


def _uncut(text: str, facts: list[Fact], junk: list[tuple[int, int]]) -> list[Fact]:
    """Without the figure a cut text (a page's opening, a truncated download) stops right after: its
    words may go on (…8个村 of 8个村（社区）), so it is not taken as stated. The text's end is the end of
    its last line that is not a site's footer."""
    end = len(text.rstrip())
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if not any(a <= start < b for a, b in junk) and text[start:end].strip():
            break
        end = len(text[: max(0, start - 1)].rstrip())
    if not facts or text[:end].endswith(_ENDS_A_TEXT):
        return facts
    return [f for f in facts if not end - 2 <= f.end <= end or f.cell is not None]


def analyze_text(text: str, file: str) -> dict:
    """The analysis of one report's text (as read and decoded); offsets in the result index ``text``."""
    folded = _guarded("规范化", file, None, lambda: fold(text))
    if folded is None:
        t, offsets = text, OffsetMap(len(text))
    else:
        t, offsets = folded.text, folded.offsets
    junk: list[tuple[int, int]] = _guarded("清理", file, [], lambda: junk_spans(t))
    spans: list[tuple[int, int]] = _guarded("标题", file, [], lambda: title_lines(t, junk))
    title_folded = re.sub(r"\s+", "", "".join(t[a:b] for a, b in spans)) if spans else None
    title = re.sub(r"\s+", "", "".join(text[slice(*offsets.span(a, b))] for a, b in spans)) if spans else None
    unit = _guarded("单位", file, None, lambda: find_unit(title_folded, t))
    year = _guarded("年度", file, None, lambda: find_year(title_folded, t))
    sections: list[Section] = _guarded("层级", file, [], lambda: find_sections(t, junk))
    parts: list[dict] = _guarded("必备部分", file, [], lambda: map_parts(t, sections))
    facts: list[Fact] = _guarded("数字", file, [], lambda: _uncut(t, extract_facts(t, junk), junk))
    found_breakdowns: list[tuple[int, list[int]]] = _guarded("分项", file, [], lambda: breakdowns(t, facts))
    for whole, pieces in found_breakdowns:
        for i in pieces:  # "公证106件，其中减免15件": a part is not the whole's indicator
            if facts[i].indicator == facts[whole].indicator:
                facts[i].indicator = None
    checks = run_checks(t, facts, title_folded, year, parts, found_breakdowns, file=file)

    def section_dicts() -> list[dict]:
        out = []
        for s in sections:
            d = s.as_dict()
            d["heading"] = _original(text, t, offsets, s.heading, s.start)
            d["start"], d["end"] = offsets.start(s.start), offsets.end(s.end)
            out.append(d)
        return out

    def part_dicts() -> list[dict]:
        for p in parts:
            if p["start"] is not None:  # present, or a heading with nothing under it
                p["heading"] = _original(text, t, offsets, p["heading"], p["start"])
                p["start"], p["end"] = offsets.start(p["start"]), offsets.end(p["end"])
        return parts

    def fact_dicts() -> list[dict]:
        out = []
        quotes: dict[tuple[int, int], str] = {}  # figures of one clause share its quote (one string)
        for f in facts:
            d = f.as_dict()
            d["start"], d["end"] = offsets.span(f.start, f.end)
            span = (f.quote_start, f.quote_end)
            if span not in quotes:
                quotes[span] = text[slice(*offsets.span(*span))].strip()
            d["quote"] = quotes[span]
            out.append(d)
        return out

    none: list[dict] = []
    return {
        "file": file,
        "title": title,
        "unit": unit,
        "year": year,
        "level": unit_level(unit),
        "parts": _guarded("必备部分", file, none, part_dicts),
        "sections": _guarded("层级", file, none, section_dicts),
        "facts": _guarded("数字", file, none, fact_dicts),
        "checks": [c.as_dict() for c in checks],
    }


def analyze_file(path: Path) -> dict:
    return analyze_text(read_file(path), str(path))


def analyze_bytes(data: bytes, name: str) -> dict:
    return analyze_text(read_bytes(data, name), name)
