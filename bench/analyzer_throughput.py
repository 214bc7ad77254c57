"""Analyzer throughput: the seed reports repeated to ≥ 5 MB, against a read + decode + digit-regex baseline.

Run: .venv/bin/python bench/analyzer_throughput.py [--mb 5] [--seeds DIR] [--mixed]
Prints KB/s of the analyzer on one core and the ratio of its time to the baseline's, measured in the
same run on the same files. Targets (issue 3): ≥ 1000 KB/s and a ratio ≤ 20.
With --mixed it also reads the seeds and the development set (shared/gold-dev) written as txt, docx, html
and pdf (bench/report_formats.py; the PDFs through LibreOffice, cached) and prints reports/s of a batch on
one process and on all cores (issue 12), and PDF pages/s of the reader alone.
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


def mixed_corpus(into: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    from report_formats import as_format  # type: ignore[import-not-found]

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))]
    for p in sorted((ROOT.parent / "shared" / "gold-dev" / "reports").glob("*.txt")):
        texts.append(p.read_text(encoding="utf-8").split("\n", 1)[1])
    files = []
    for n, text in enumerate(texts):
        for suffix in ("txt", "docx", "html", "pdf"):
            path = into / f"{n:03d}.{suffix}"
            path.write_bytes(as_format(text, suffix))
            files.append(path)
    return files


def mixed(into: Path) -> None:
    from fazhi.reports.analyzer.batch import analyze_files, default_jobs
    from fazhi.reports.analyzer.reading import read_bytes

    files = mixed_corpus(into)
    list(analyze_files(files[:8]))  # warm up
    for jobs in sorted({1, default_jobs()}):
        started = time.perf_counter()
        results = list(analyze_files(files, jobs=jobs))
        elapsed = time.perf_counter() - started
        errors = sum("error" in r for r in results)
        kinds = f"txt/docx/html/pdf 各{len(files) // 4}份"
        print(f"混合格式（{kinds}）{jobs}个进程：{len(files) / elapsed:.1f} 份/s（{errors}份出错）")
    import pypdfium2 as pdfium

    pdfs = [p.read_bytes() for p in files if p.suffix == ".pdf"]
    pages = sum(len(pdfium.PdfDocument(data)) for data in pdfs)
    started = time.perf_counter()
    for data in pdfs:
        read_bytes(data, "r.pdf")
    print(f"PDF 读取：{pages}页，{pages / (time.perf_counter() - started):.0f} 页/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mixed", action="store_true", help="also reports/s on mixed formats")
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
    if args.mixed:
        with tempfile.TemporaryDirectory() as tmp:
            mixed(Path(tmp))


if __name__ == "__main__":
    main()
