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
    # the inspectors: candidate k is line int(SHA-256(seed|code|k), 16) mod N of the sorted list
    candidates = [INSPECTORS[draw.candidate_index("7", s.code, k, len(INSPECTORS))] for k in range(20)]
    assert s.inspectors == tuple(dict.fromkeys(candidates))[:2]
    assert draw.candidate_index("7", s.code, 0, 8) == int(draw.candidate_digest("7", s.code, 0), 16) % 8


def reference_draw(objects, inspectors, conflicts, *, seed, strata, k, per_object):
    """The docstring's definition, written the slow and obvious way."""
    ordered = sorted(inspectors)
    blocked = {(i, c) for i, c in conflicts}
    groups = {}
    for o in objects:
        groups.setdefault(o.stratum(strata), []).append(o.code)
    shares = draw.allocate({key: len(v) for key, v in groups.items()}, k)
    out = []
    for key in sorted(groups):
        for code in sorted(groups[key], key=lambda c: draw.object_digest(seed, c))[: shares[key]]:
            chosen: list[str] = []
            n = 0
            while len(chosen) < per_object:
                i = ordered[draw.candidate_index(seed, code, n, len(ordered))]
                if i not in chosen and (i, code) not in blocked:
                    chosen.append(i)
                n += 1
            out.append((code, key, draw.object_digest(seed, code), tuple(chosen)))
    return out


@pytest.mark.parametrize("k", [1, 7, 40, 150, 299, 300])
def test_the_fast_draw_is_the_definition_for_any_share_and_stratum_size(k):
    # strata of very different sizes (1 to 150), so both the threshold and the full ranking are used
    sizes = [150, 80, 40, 20, 6, 3, 1]
    objects = [
        PoolObject(f"91330102MB{s:02d}{i:06d}", f"行业{s}", "", "A")
        for s, n in enumerate(sizes)
        for i in range(n)
    ]
    conflicts = [(INSPECTORS[i % 8], o.code) for i, o in enumerate(objects[::3])]
    args = dict(seed=f"k{k}", strata=("industry",), k=k, per_object=2)
    fast = [
        (s.code, s.stratum, s.digest, s.inspectors) for s in draw.draw(objects, INSPECTORS, conflicts, **args)
    ]
    assert fast == reference_draw(objects, INSPECTORS, conflicts, **args)
    assert len(fast) == k


def test_the_scan_after_the_bounded_tries_finds_the_last_free_inspector():
    # 1,000 inspectors, 999 in 回避: the seeded sequence (64 candidates) misses the free one
    inspectors = [f"浙{i:05d}" for i in range(1000)]
    code = "91330102MA00000001"
    tried = {draw.candidate_index("s", code, k, 1000) for k in range(draw.candidate_limit(1))}
    assert 150 not in tried and len(tried) > 50
    conflicts = set(inspectors[:150] + inspectors[151:])
    chosen = draw.assign_inspectors("s", code, inspectors, conflicts, 1)
    assert chosen == ("浙00150",)
    with pytest.raises(DrawError, match="只有1名无须回避"):
        draw.assign_inspectors("s", code, inspectors, conflicts, 2)


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
    # one conflict per object and inspector pair spread out: never assigned, at least 2 each
    conflicts = [(INSPECTORS[i % 8], o.code) for i, o in enumerate(OBJECTS)]
    blocked = set(conflicts)
    for n in range(50):
        for s in draw.draw(OBJECTS, INSPECTORS, conflicts, seed=f"c{n}", strata=(), k=10, per_object=2):
            assert len(set(s.inspectors)) == len(s.inspectors) >= 2
            assert not {(i, s.code) for i in s.inspectors} & blocked


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
    for bad in [PoolObject("91|1"), PoolObject(" 911"), PoolObject(""), PoolObject("911", "餐饮\t")]:
        with pytest.raises(DrawError, match="不能用于抽取"):
            draw.objects_text([*OBJECTS, bad])


def test_conflicts_with_unknown_inspectors_or_given_twice_do_not_make_an_object_short():
    # OBJECTS[4] is named in 11 conflicts, but only 6 are with listed inspectors: 2 are free
    code = OBJECTS[4].code
    conflicts = (
        [(i, code) for i in INSPECTORS[:6]] + [(f"外{i}", code) for i in range(4)] + [(INSPECTORS[0], code)]
    )
    assert draw.feasibility_problems(OBJECTS, INSPECTORS, conflicts, strata=(), k=60, per_object=2) == []
    (s,) = [s for s in draw.draw(OBJECTS, INSPECTORS, conflicts, seed="x", strata=(), k=60, per_object=2)
            if s.code == code]  # fmt: skip
    assert sorted(s.inspectors) == INSPECTORS[6:]
    problems = draw.feasibility_problems(OBJECTS, INSPECTORS, conflicts, strata=(), k=60, per_object=3)
    assert problems == [f"检查对象{code}（全部对象）只有2名无须回避的执法检查人员，每户至少需要3名。"]


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
