"""One report in, the design.md §8 JSON object out: structure, parts, facts and checks."""

from __future__ import annotations

from pathlib import Path

from .checks import breakdowns, run_checks
from .facts import extract_facts
from .reading import junk_spans, read_bytes, read_file
from .structure import find_sections, find_title, find_unit, find_year, map_parts, unit_level


def analyze_text(text: str, file: str) -> dict:
    junk = junk_spans(text)
    title, _ = find_title(text, junk)
    unit = find_unit(title, text)
    year = find_year(title, text)
    sections = find_sections(text, junk)
    parts = map_parts(text, sections)
    facts = extract_facts(text, junk)
    found_breakdowns = breakdowns(text, facts)
    for whole, pieces in found_breakdowns:
        for i in pieces:  # "公证106件，其中减免15件": a part is not the whole's indicator
            if facts[i].indicator == facts[whole].indicator:
                facts[i].indicator = None
    checks = run_checks(text, facts, title, year, parts, found_breakdowns)
    return {
        "file": file,
        "title": title,
        "unit": unit,
        "year": year,
        "level": unit_level(unit),
        "parts": parts,
        "sections": [s.as_dict() for s in sections],
        "facts": [f.as_dict() for f in facts],
        "checks": [c.as_dict() for c in checks],
    }


def analyze_file(path: Path) -> dict:
    return analyze_text(read_file(path), str(path))


def analyze_bytes(data: bytes, name: str) -> dict:
    return analyze_text(read_bytes(data, name), name)
