"""The text as the analyzer reads it: width-folded, digits of every script as ASCII, invisible characters out,
traditional characters as simplified, with a map back to the text as read.

Reports come full-width (２．８万, 95．5％, 1，085件), with zero-width or thin spaces inside numbers
(4\u200b8件, 1 085件), with digits of other scripts, and in traditional characters (辦結 項). Every rule
of the analyzer is written once, for the folded text; every offset and quote it reports is mapped back
through ``OffsetMap`` so it stays an offset into the text as read.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

# Spaces that sit inside a number written with thousands groups ("1 085件", "12 345人"): one to three
# digits, then groups of three ending at a word ("120 118" between spaces is two cells of a table row).
_GROUP_SPACE_RE = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?=[^\d\s.,]|$)")


@cache
def _fold_table() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every BMP character the folding changes, and what it becomes (built once, in about 0.1 s)."""
    table: dict[str, str] = {}
    for code in range(0x80, 0x10000):
        c = chr(code)
        category = unicodedata.category(c)
        if category == "Cs":
            continue
        if category == "Cf":  # zero-width space and joiners, soft hyphen, BOM, bidi marks
            table[c] = ""
        elif category == "Nd":
            table[c] = str(unicodedata.decimal(c))
        elif category == "Zs":
            table[c] = " "
        elif category != "No":  # ① ² ㈠ stay: folded they would glue a digit onto the next number
            folded = unicodedata.normalize("NFKC", c)
            if folded != c and c not in "…‥":  # an ellipsis stays one character
                table[c] = folded
    pattern = re.compile("[" + "".join(re.escape(c) for c in table) + "\U00010000-\U0010ffff]")
    return pattern, table


def _fold_char(c: str, table: dict[str, str]) -> str:
    if c in table:
        return table[c]
    category = unicodedata.category(c)
    if category == "Nd":
        return str(unicodedata.decimal(c))
    if category == "Cf":
        return ""
    return c


@cache
def _converter():
    """OpenCC's traditional → simplified conversion, or None where the package is missing."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return None
    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    """Traditional characters as simplified, character for character (a line whose length the phrase
    conversion would change keeps its characters, so positions never move)."""
    converter = _converter()
    if converter is None or text.isascii():
        return text
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    lines = text.split("\n")
    out = []
    for line in lines:
        new = converter.convert(line)
        out.append(new if len(new) == len(line) else line)
    return "\n".join(out)


@dataclass
class OffsetMap:
    """Positions in the folded text → positions in the text as read. Folding changes few lengths, so
    the map is a list of breakpoints: from ``starts[k]`` on, original = folded + ``deltas[k]``."""

    length: int  # of the text as read
    starts: list[int] = field(default_factory=lambda: [0])
    deltas: list[int] = field(default_factory=lambda: [0])

    def _mark(self, folded_pos: int, original_pos: int) -> None:
        delta = original_pos - folded_pos
        if self.starts[-1] == folded_pos:
            self.deltas[-1] = delta
        elif self.deltas[-1] != delta:
            self.starts.append(folded_pos)
            self.deltas.append(delta)

    def start(self, pos: int) -> int:
        """Where the character at folded ``pos`` stands in the text as read."""
        k = bisect_right(self.starts, pos) - 1
        return min(pos + self.deltas[k], self.length)

    def end(self, pos: int) -> int:
        """The end, in the text as read, of a span that ends at folded ``pos``."""
        return self.start(pos - 1) + 1 if pos > 0 else 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        a = self.start(start)
        return a, max(a, self.end(end))


@dataclass
class Folded:
    text: str
    offsets: OffsetMap


def fold(original: str) -> Folded:
    """The folded text and its map back to ``original``."""
    pattern, table = _fold_table()
    pieces: list[str] = []
    offsets = OffsetMap(len(original))
    position = 0  # in the original
    out_len = 0
    for m in pattern.finditer(original):
        if m.start() > position:
            pieces.append(original[position : m.start()])
            out_len += m.start() - position
        replacement = _fold_char(m.group(), table)
        if len(replacement) != 1:
            for k in range(1, len(replacement)):  # an expansion's extra characters stand on the original one
                offsets._mark(out_len + k, m.start())
            offsets._mark(out_len + len(replacement), m.end())
        pieces.append(replacement)
        out_len += len(replacement)
        position = m.end()
    pieces.append(original[position:])
    text = "".join(pieces)
    # spaces inside a grouped number go; the characters after them map on
    if " " in text:
        removed = [
            m.start() + k for m in _GROUP_SPACE_RE.finditer(text) for k, c in enumerate(m.group()) if c == " "
        ]
        if removed:
            text, offsets = _remove_positions(text, offsets, removed)
    return Folded(_to_simplified(text), offsets)


def _remove_positions(text: str, offsets: OffsetMap, removed: list[int]) -> tuple[str, OffsetMap]:
    new = OffsetMap(offsets.length)
    pieces, previous, shift = [], 0, 0
    boundaries = sorted(set(offsets.starts[1:]) | {p + 1 for p in removed})
    for pos in removed:
        pieces.append(text[previous:pos])
        previous = pos + 1
    pieces.append(text[previous:])
    # rebuild breakpoints: for each folded position after removal, original = old map of the position it
    # came from; positions only change where a removal or an old breakpoint stands
    ordered, gone = sorted(removed), set(removed)
    for old_pos in [0, *boundaries]:
        shift = bisect_right(ordered, old_pos - 1)
        if old_pos in gone:
            continue
        new._mark(old_pos - shift, offsets.start(old_pos) if old_pos < len(text) else offsets.length)
    return "".join(pieces), new
