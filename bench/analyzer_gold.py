"""Analyzer against the gold annotations: the seeds (shared/gold) and the development set (shared/gold-dev).

Run: .venv/bin/python bench/analyzer_gold.py [--verbose] [--format txt|docx|html|pdf]
Prints figure recall, precision (figures found that the gold lists), catalogue-id accuracy (seeds only:
gold-dev has no ids) and numbers found inside annotated non-figures.  With ``--format`` each text is first
written as that kind of file and read back, so a format's result can be set beside the plain text's.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = ROOT.parent / "shared"


def score_loose(text: str, facts: list[dict], gold: dict):
    """``score`` on the text without whitespace: a converted file breaks lines where the plain text has
    none, so quotes are matched without spaces and line ends."""
    from fazhi.reports.analyzer.gold import score

    keep = [i for i, c in enumerate(text) if not c.isspace()]
    position = {i: k for k, i in enumerate(keep)}
    squeezed = "".join(text[i] for i in keep)

    def moved(pos: int) -> int:
        while pos < len(text) and pos not in position:
            pos += 1
        return position.get(pos, len(squeezed))

    facts = [{**f, "start": moved(f["start"]), "end": moved(f["end"])} for f in facts]

    def strip(items: list[dict]) -> list[dict]:
        return [{**g, "quote": re.sub(r"\s+", "", g["quote"])} for g in items]

    gold = {**gold, "facts": strip(gold["facts"]), "non_facts": strip(gold.get("non_facts", []))}
    return score(squeezed, facts, gold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--format", default="txt", choices=["txt", "docx", "html", "pdf"])
    args = parser.parse_args()
    from report_formats import as_format  # type: ignore[import-not-found]

    from fazhi.reports.analyzer.analyze import analyze_text
    from fazhi.reports.analyzer.gold import GoldScore, load_gold, load_gold_dev, score
    from fazhi.reports.analyzer.reading import read_bytes

    sets = {
        "seeds": [
            (p.read_text(encoding="utf-8-sig"), g) for p, g in load_gold(SHARED / "gold", SHARED / "seeds")
        ],
        "gold-dev": load_gold_dev(SHARED / "gold-dev"),
    }
    for name, items in sets.items():
        total = GoldScore()
        structure = {"unit": 0, "year": 0, "level": 0, "sections": 0}
        for text, gold in items:
            if args.format != "txt":
                text = read_bytes(as_format(text, args.format), f"r.{args.format}")
            result = analyze_text(text, gold.get("id") or gold.get("seed_file", ""))
            one = (
                score_loose(text, result["facts"], gold)
                if args.format != "txt"
                else score(text, result["facts"], gold)
            )
            total.add(one)
            heads = [re.sub(r"\s+", "", s["heading"]) for s in result["sections"] if s["level"] == 1]
            got = {
                "unit": result["unit"] == gold["unit"],
                "year": result["year"] == gold["year"],
                "level": result["level"] == gold["level"],
                "sections": heads == [re.sub(r"\s+", "", h) for h in gold["sections"]],
            }
            for key, ok in got.items():
                structure[key] += ok
                if args.verbose and not ok:
                    shown = result[key] if key != "sections" else heads
                    print(f"-- {name} {gold.get('id') or gold.get('seed_file')} {key}: {shown}")
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
            f"非数字误报 {len(total.non_fact_hits)}；"
            + "，".join(f"{k} {v}/{len(items)}" for k, v in structure.items())
        )


if __name__ == "__main__":
    main()
