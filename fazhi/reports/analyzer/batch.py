"""Many reports at once: the files under folders, each analyzed or given its Chinese error."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .analyze import analyze_file
from .reading import SUFFIXES, ReadError


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files named, with the supported files under each folder (sorted, recursively)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


def analyze_files(files: Iterable[Path]) -> Iterator[dict]:
    """One result per file: the analysis, or ``{"file", "error"}`` when the file cannot be read."""
    for path in files:
        try:
            yield analyze_file(path)
        except ReadError as exc:
            yield {"file": str(path), "error": str(exc)}
