"""The indicator catalogue: ids of shared/indicators.md, rates with their parts, scannable cues."""

import re
from pathlib import Path

import pytest

from fazhi.indicators.catalogue import indicators

CATALOGUE_MD = Path(__file__).resolve().parents[3].parent / "shared" / "indicators.md"


def _top_level_alternatives(pattern: str) -> list[str]:
    depth, alternatives = 0, [""]
    for ch in pattern:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            alternatives.append("")
        else:
            alternatives[-1] += ch
    return alternatives


def test_every_cue_opens_with_a_chinese_character():
    """The analyzer skips positions whose character no cue contains, so a cue must open with one."""
    opening = re.compile(r"^\^?(\((?:[\u4e00-\u9fa5]+\|?)+\)|[\u4e00-\u9fa5])")
    for ind in indicators().values():
        for alternative in _top_level_alternatives(ind.cues.pattern):
            assert opening.match(alternative), (ind.id, alternative)


def test_rates_name_parts_that_exist_and_are_counts():
    catalogue = indicators()
    for ind in catalogue.values():
        for part in (ind.numerator, ind.denominator):
            if part:
                assert ind.is_rate and part in catalogue and not catalogue[part].is_rate, ind.id


@pytest.mark.skipif(not CATALOGUE_MD.is_file(), reason="shared/indicators.md is not beside the checkout")
def test_ids_match_the_shared_catalogue():
    rows = re.findall(r"^\| ([a-z][a-z0-9_]+) \|", CATALOGUE_MD.read_text(encoding="utf-8"), re.MULTILINE)
    assert set(indicators()) == set(rows) - {"id"}
