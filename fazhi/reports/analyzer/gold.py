"""Score the analyzer against gold annotations (shared/gold): recall, non-fact hits, catalogue accuracy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path


@dataclass
class GoldScore:
    facts: int = 0
    found: int = 0
    extracted: int = 0
    catalogued: int = 0
    catalogue_right: int = 0
    uncatalogued: int = 0
    missed: list[str] = field(default_factory=list)
    non_fact_hits: list[str] = field(default_factory=list)
    wrong_ids: list[str] = field(default_factory=list)
    spurious_ids: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def add(self, other: GoldScore) -> None:
        for name in ("facts", "found", "extracted", "catalogued", "catalogue_right", "uncatalogued"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed += other.missed
        self.non_fact_hits += other.non_fact_hits
        self.wrong_ids += other.wrong_ids
        self.spurious_ids += other.spurious_ids
        self.extra += other.extra

    @property
    def recall(self) -> float:
        return self.found / self.facts if self.facts else 1.0

    @property
    def precision(self) -> float:
        """Share of the figures found that the gold lists (a number the gold leaves out is a false figure)."""
        return (self.extracted - len(self.extra)) / self.extracted if self.extracted else 1.0

    @property
    def spurious_rate(self) -> float:
        """Share of figures the gold leaves outside the catalogue that were given an indicator anyway."""
        return len(self.spurious_ids) / self.uncatalogued if self.uncatalogued else 0.0

    @property
    def catalogue_accuracy(self) -> float:
        return self.catalogue_right / self.catalogued if self.catalogued else 1.0


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    spans, i = [], text.find(quote)
    while i != -1:
        spans.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return spans


def score(text: str, facts: list[dict], gold: dict) -> GoldScore:
    result = GoldScore()
    used: set[int] = set()
    for g in gold["facts"]:
        result.facts += 1
        spans = _occurrences(text, g["quote"])
        candidates = [
            i
            for i, f in enumerate(facts)
            if i not in used
            and Decimal(str(f["value"])) == Decimal(str(g["value"]))
            and any(a <= f["start"] < b for a, b in spans)
        ]
        # "报备率、及时率、规范率均达100%" is three facts at one place: pair each with its own indicator
        match = next((i for i in candidates if facts[i]["indicator"] == g.get("catalog_id")), None)
        if match is None and candidates:
            match = candidates[0]
        if match is None:
            result.missed.append(f"{g['value']}{g['unit']} «{g['quote']}»")
            continue
        used.add(match)
        result.found += 1
        if g.get("catalog_id"):
            result.catalogued += 1
            if facts[match]["indicator"] == g["catalog_id"]:
                result.catalogue_right += 1
            else:
                result.wrong_ids.append(f"{g['catalog_id']} ≠ {facts[match]['indicator']} «{g['quote']}»")
        else:
            result.uncatalogued += 1
            if facts[match]["indicator"]:
                result.spurious_ids.append(f"{facts[match]['indicator']} «{g['quote']}»")
    result.extracted = len(facts)
    claimed = {(facts[i]["start"], facts[i]["end"]) for i in used}
    for i, f in enumerate(facts):
        # the other indicators of one stated number ("均达100%") are not extra figures
        if i not in used and (f["start"], f["end"]) not in claimed:
            result.extra.append(f"{f['value']}{f['unit']} «{f['quote']}»")
    for nf in gold.get("non_facts", []):
        for a, b in _occurrences(text, nf["quote"]):
            for f in facts:
                if a <= f["start"] < b:
                    result.non_fact_hits.append(f"{f['value']}{f['unit']} «{nf['quote']}»")
    return result


def load_gold_dev(dev_dir: Path) -> list[tuple[str, dict]]:
    """The development set (shared/gold-dev): each report's text, without its ``# source:`` line, and gold."""
    out = []
    for p in sorted((dev_dir / "gold").glob("*.json")):
        text = (dev_dir / "reports" / f"{p.stem}.txt").read_text(encoding="utf-8")
        if text.startswith("# source:"):
            text = text.split("\n", 1)[1]
        out.append((text, json.loads(p.read_text(encoding="utf-8"))))
    return out


def load_gold(gold_dir: Path, seed_dir: Path) -> list[tuple[Path, dict]]:
    return [
        (seed_dir / json.loads(p.read_text())["seed_file"], json.loads(p.read_text()))
        for p in sorted(gold_dir.glob("*.json"))
    ]
