"""The pure draw: reproducible, strata by largest remainder, 回避 respected, feasibility refused before
drawing, and uniform over seeds."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from fazhi.inspections import draw
from fazhi.inspections.draw import DrawError, PoolObject

OBJECTS = [PoolObject(f"91330102MA{i:08d}", f"行业{i % 3}", f"区域{i % 2}", "ABCD"[i % 4]) for i in range(60)]
INSPECTORS = [f"浙{i:05d}" for i in range(8)]


def test_same_inputs_give_the_same_selection_and_another_seed_another():
    args = dict(strata=("industry",), k=9, per_object=2)
    first = draw.draw(OBJECTS, INSPECTORS, [], seed="2026140", **args)
    assert first == draw.draw(list(reversed(OBJECTS)), list(reversed(INSPECTORS)), [], seed="2026140", **args)
    assert first != draw.draw(OBJECTS, INSPECTORS, [], seed="2026141", **args)
    assert len({s.code for s in first}) == 9


def test_rank_keys_are_the_published_formula():
    (s,) = draw.draw(OBJECTS, INSPECTORS, [], seed="7", strata=(), k=1, per_object=2)
    assert (
        s.digest == draw.object_digest("7", s.code) == min(draw.object_digest("7", o.code) for o in OBJECTS)
    )
    ranked = sorted(INSPECTORS, key=lambda i: draw.inspector_digest("7", s.code, i))
    assert s.inspectors == tuple(ranked[:2])


def test_strata_share_by_largest_remainder():
    assert draw.allocate({("a",): 5, ("b",): 3, ("c",): 2}, 5) == {("a",): 3, ("b",): 1, ("c",): 1}
    assert draw.allocate({("a",): 1, ("b",): 1}, 1) == {("a",): 1, ("b",): 0}  # tie: first key
    selection = draw.draw(
        OBJECTS, INSPECTORS, [], seed="s", strata=("industry", "region"), k=12, per_object=2
    )
    assert Counter(s.stratum for s in selection) == {
        (f"行业{a}", f"区域{b}"): 2 for a in range(3) for b in range(2)
    }
    assert draw.total_count(60, percent=Decimal("5")) == 3
    assert draw.total_count(61, percent=Decimal("5")) == 4  # a ratio is a floor: rounded up


def test_conflicts_are_skipped_and_every_object_gets_its_inspectors():
    conflicts = [(i, o.code) for o in OBJECTS for i in INSPECTORS[:5]]  # only 浙00005–7 are free
    selection = draw.draw(OBJECTS, INSPECTORS, conflicts, seed="x", strata=(), k=20, per_object=3)
    for s in selection:
        assert len(s.inspectors) == 3 and len(set(s.inspectors)) == 3
        assert set(s.inspectors) == set(INSPECTORS[5:])


def test_infeasible_draws_are_refused_naming_what_is_short():
    conflicts = [(i, OBJECTS[4].code) for i in INSPECTORS[:7]]
    with pytest.raises(DrawError, match=f"检查对象{OBJECTS[4].code}.*只有1名无须回避"):
        draw.draw(OBJECTS, INSPECTORS, conflicts, seed="x", strata=(), k=5, per_object=2)
    with pytest.raises(DrawError, match="计划抽取61户，名录中只有60户"):
        draw.draw(OBJECTS, INSPECTORS, [], seed="x", strata=(), k=61, per_object=2)
    with pytest.raises(DrawError, match="随机种子"):
        draw.draw(OBJECTS, INSPECTORS, [], seed="a|b", strata=(), k=1, per_object=2)
    with pytest.raises(DrawError, match="出现两次"):
        draw.objects_text([OBJECTS[0], OBJECTS[0]])


def test_canonical_texts_round_trip_and_hash_as_sha256sum_would():
    text = draw.objects_text(reversed(OBJECTS))
    assert text.endswith("\n") and text.splitlines() == sorted(text.splitlines())
    assert draw.parse_objects(text) == sorted(OBJECTS)
    assert draw.sha256_text("abc\n") == "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"
    assert draw.parse_conflicts(draw.conflicts_text([("b", "2"), ("a", "1"), ("a", "1")])) == [
        ("a", "1"),
        ("b", "2"),
    ]


# χ² with 49 degrees of freedom, upper 0.1% point: 85.351 (e.g. NIST/SEMATECH e-Handbook of Statistical
# Methods, table 1.3.6.7.4; recomputed here from the regularized incomplete gamma function). Drawing
# without replacement makes the statistic slightly smaller than χ²₄₉ (each count's variance is
# N·p·(1−p)·50/49), so the test is conservative; its seeds are fixed, so it never flakes.
CHI2_49_999 = 85.351


def test_selection_frequencies_are_uniform_over_seeds():
    objects = OBJECTS[:50]
    counts: Counter[str] = Counter()
    inspector_counts: Counter[str] = Counter()
    seeds = 2000
    for n in range(seeds):
        for s in draw.draw(objects, INSPECTORS, [], seed=f"seed{n}", strata=(), k=5, per_object=2):
            counts[s.code] += 1
            inspector_counts.update(s.inspectors)
    expected = seeds * 5 / 50
    chi2 = sum((counts[o.code] - expected) ** 2 / expected for o in objects)
    assert chi2 < CHI2_49_999, chi2
    assert sum(counts.values()) == seeds * 5
    # the inspectors too: 8 cells, 7 degrees of freedom, upper 0.1% point 24.322
    expected_i = seeds * 5 * 2 / len(INSPECTORS)
    chi2_i = sum((inspector_counts[i] - expected_i) ** 2 / expected_i for i in INSPECTORS)
    assert chi2_i < 24.322, chi2_i
