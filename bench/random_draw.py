"""The 双随机 draw (fazhi.inspections.draw) at county-and-beyond scale, pure Python, no database.

Run: .venv/bin/python bench/random_draw.py [--objects 1000000] [--inspectors 10000] [--draw 1000]
A pool of 10⁶ objects in strata (行业 × 区域 × 风险等级), 10⁴ inspectors and a 回避 conflict for every
tenth object is frozen into its canonical texts and hashed, checked for feasibility, and drawn (1,000
objects, 2 inspectors each). The baseline, measured in the same run, is hashing the 10⁶ object ids once
each with hashlib. Printed: each phase's time and the whole draw's time divided by the baseline's, as
elapsed time and as the process's CPU time (the same unless other work shares the machine's cores).

Drawing hashes every object once (one SHA-256 each, like the baseline, and compared with a threshold:
the lowest of each stratum are found among the few below it, without sorting or keeping the others),
counts the strata once, and, for every drawn object, reads its seeded sequence of inspector candidates
(a few hashes each, not one per inspector): the ratio is about 1.2 to 1.5.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fazhi.inspections import draw  # (a pure module: no Django set-up needed)

INDUSTRIES = [
    "餐饮服务",
    "食品销售",
    "药品零售",
    "建筑施工",
    "危险化学品",
    "特种设备",
    "娱乐场所",
    "道路运输",
]
REGIONS = [f"{name}镇" for name in "城关长岗青山白石桃源柳溪"]
RISKS = ["A", "B", "C", "D"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=10_000)
    parser.add_argument("--draw", type=int, default=1_000)
    args = parser.parse_args()

    objects = [
        draw.PoolObject(
            f"91330102{i:010d}",
            INDUSTRIES[i % len(INDUSTRIES)],
            REGIONS[(i // 7) % len(REGIONS)],
            RISKS[(i // 3) % len(RISKS)],
        )
        for i in range(args.objects)
    ]
    inspectors = [f"浙33010{i:06d}" for i in range(args.inspectors)]
    conflicts = [(inspectors[i % args.inspectors], o.code) for i, o in enumerate(objects[::10])]
    seed = "2026140|03 07 12 19 25 31+09"[:7]  # a lottery draw number, say

    started, cpu = time.perf_counter(), time.process_time()
    for o in objects:
        hashlib.sha256(o.code.encode()).hexdigest()
    baseline, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu

    started = time.perf_counter()
    texts = [draw.objects_text(objects), draw.inspectors_text(inspectors), draw.conflicts_text(conflicts)]
    hashes = [draw.sha256_text(t) for t in texts]
    frozen = time.perf_counter() - started

    started = time.perf_counter()
    pools = draw.parse_objects(texts[0]), draw.parse_inspectors(texts[1]), draw.parse_conflicts(texts[2])
    parsed = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    selection = draw.draw(*pools, seed=seed, strata=draw.STRATA, k=args.draw, per_object=2)
    drawn, drawn_cpu = time.perf_counter() - started, time.process_time() - cpu

    assert len(selection) == args.draw and all(len(s.inspectors) == 2 for s in selection)
    strata = len({o.stratum(draw.STRATA) for o in objects})
    print(
        f"random draw: {args.draw} of {args.objects} objects in {strata}"
        f" strata, {args.inspectors} inspectors, {len(conflicts)} 回避 conflicts"
    )
    print(f"  freeze (canonical texts + SHA-256) {frozen:6.2f} s   pools {', '.join(h[:12] for h in hashes)}")
    print(f"  parse frozen texts                 {parsed:6.2f} s")
    print(f"  feasibility + draw                 {drawn:6.2f} s   (CPU {drawn_cpu:5.2f} s)")
    print(
        f"  baseline: hashlib on {args.objects} ids {baseline:6.2f} s   (CPU {baseline_cpu:5.2f} s)"
        f"   ratio draw/baseline {drawn / baseline:5.2f}   (CPU {drawn_cpu / baseline_cpu:5.2f})"
    )


if __name__ == "__main__":
    main()
