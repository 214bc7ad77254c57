"""Analyzer against the gold annotations: the seeds (shared/gold) and the development set (shared/gold-dev).

Run: .venv/bin/python bench/analyzer_gold.py [--verbose] [--format txt|docx|html|pdf]
Prints figure recall, precision (figures found that the gold lists), catalogue-id accuracy (seeds only:
gold-dev has no ids) and numbers found inside annotated non-figures.  With ``--format`` each text is first
written as that kind of file and read back, so a format's result can be set beside the plain text's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--format", default="txt", choices=["txt", "docx", "html", "pdf"])
    args = parser.parse_args()
    from fazhi.reports.analyzer.analyze import analyze_text
    from fazhi.reports.analyzer.gold import GoldScore, load_gold, load_gold_dev, score

    sets = {
        "seeds": [
            (p.read_text(encoding="utf-8-sig"), g) for p, g in load_gold(SHARED / "gold", SHARED / "seeds")
        ],
        "gold-dev": load_gold_dev(SHARED / "gold-dev"),
    }
    for name, items in sets.items():
        total = GoldScore()
        for text, gold in items:
            if args.format != "txt":
                from fazhi.reports.analyzer.formats import roundtrip  # type: ignore[attr-defined]

                text = roundtrip(text, args.format)
            result = analyze_text(text, gold.get("id") or gold.get("seed_file", ""))
            one = score(text, result["facts"], gold)
            total.add(one)
            if args.verbose and (one.missed or one.extra or one.non_fact_hits or one.wrong_ids):
                print(f"-- {name} {gold.get('id') or gold.get('seed_file')}")
                for label, items_ in (
                    ("missed", one.missed),
                    ("extra", one.extra),
                    ("non-fact", one.non_fact_hits),
                    ("wrong id", one.wrong_ids),
                ):
                    for item in items_:
                        print(f"   {label}: {item}")
        ids = f"，指标 {total.catalogue_right}/{total.catalogued}" if total.catalogued else ""
        print(
            f"{name}：召回 {total.found}/{total.facts} = {total.recall:.3f}，"
            f"精确 {total.extracted - len(total.extra)}/{total.extracted} = {total.precision:.3f}{ids}，"
            f"非数字误报 {len(total.non_fact_hits)}"
        )


if __name__ == "__main__":
    main()
