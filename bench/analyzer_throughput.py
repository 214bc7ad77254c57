"""Analyzer throughput: the seed reports repeated to ≥ 5 MB, against a read + decode + digit-regex baseline.

Run: .venv/bin/python bench/analyzer_throughput.py [--mb 5] [--seeds DIR]
Prints KB/s of the analyzer on one core and the ratio of its time to the baseline's, measured in the
same run on the same files. Targets (issue 3): ≥ 1000 KB/s and a ratio ≤ 20.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DIGITS = re.compile(r"\d+")


def build_corpus(seeds: Path, target_bytes: int, into: Path) -> list[Path]:
    sources = sorted(p for p in seeds.iterdir() if p.suffix == ".txt")
    if not sources:
        raise SystemExit(f"没有找到种子报告：{seeds}")
    files, size, n = [], 0, 0
    while size < target_bytes:
        source = sources[n % len(sources)]
        copy = into / f"{n:05d}_{source.name}"
        shutil.copyfile(source, copy)
        files.append(copy)
        size += copy.stat().st_size
        n += 1
    return files


def baseline(files: list[Path]) -> int:
    found = 0
    for path in files:
        text = path.read_bytes().decode("utf-8-sig")
        found += len(DIGITS.findall(text))
    return found


def analyzer(files: list[Path]) -> int:
    from fazhi.reports.analyzer.analyze import analyze_file

    return sum(len(analyze_file(path)["facts"]) for path in files)


def best_of(fn, files, repeat: int) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(files)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    with tempfile.TemporaryDirectory() as tmp:
        files = build_corpus(args.seeds, int(args.mb * 1024 * 1024), Path(tmp))
        size_kb = sum(p.stat().st_size for p in files) / 1024
        analyzer(files[:5])  # warm up: imports, compiled patterns, catalogue
        base_time, digits = best_of(baseline, files, args.repeat * 3)  # short and noisy: more tries
        time_, facts = best_of(analyzer, files, args.repeat)
    print(f"语料：{len(files)}份报告，{size_kb / 1024:.1f} MB（种子报告重复）")
    print(f"基线（读取+解码+数字正则）：{base_time:.3f} s，{size_kb / base_time:,.0f} KB/s，{digits}处数字")
    print(f"分析器：{time_:.3f} s，{size_kb / time_:,.0f} KB/s，{facts}个数字")
    print(f"比值（分析器/基线）：{time_ / base_time:.1f}")
    print("目标：≥ 1000 KB/s，比值 ≤ 20")


if __name__ == "__main__":
    main()
