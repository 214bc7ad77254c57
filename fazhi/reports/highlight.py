"""Split a report's text into plain runs and figures, so a page can highlight every fact in place."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    facts: list[int] = field(default_factory=list)  # indexes into the result's facts
    failed: bool = False  # used by a failed check


def segments(text: str, facts: list[dict], checks: list[dict]) -> list[Segment]:
    failed = {i for c in checks if not c["ok"] for i in c["facts"]}
    spans: dict[tuple[int, int], list[int]] = {}
    for i, fact in enumerate(facts):  # "三个100%" is several facts on one span
        spans.setdefault((fact["start"], fact["end"]), []).append(i)
    result, cursor = [], 0
    for (start, end), indexes in sorted(spans.items()):
        if start < cursor:  # overlapping spans cannot be drawn; keep the first
            continue
        if start > cursor:
            result.append(Segment(text[cursor:start]))
        result.append(Segment(text[start:end], indexes, any(i in failed for i in indexes)))
        cursor = end
    if cursor < len(text):
        result.append(Segment(text[cursor:]))
    return result
