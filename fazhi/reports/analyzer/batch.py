"""Many reports at once: the files under folders, each analyzed or given its Chinese error."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from .analyze import analyze_file
from .reading import SUFFIXES, ReadError

log = logging.getLogger(__name__)


def report_files(paths: Iterable[Path]) -> list[Path]:
    """The report files named, with the supported files under each folder (sorted, recursively)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(path)
    return files


def analyze_one(path: Path) -> dict:
    """The analysis of one file, or ``{"file", "error"}``: whatever goes wrong stays with this file."""
    try:
        return analyze_file(path)
    except ReadError as exc:
        return {"file": str(path), "error": str(exc)}
    except OSError as exc:
        return {"file": str(path), "error": f"{path}：无法读取文件（{exc.strerror or type(exc).__name__}）"}
    except Exception as exc:  # never the batch's failure: the file's, named
        log.exception("分析失败：%s", path)
        return {
            "file": str(path),
            "error": f"{path}：分析出错（{type(exc).__name__}），请将此文件反馈给管理员",
        }


def analyze_files(files: Iterable[Path]) -> Iterator[dict]:
    """One result per file, in order: the analysis, or ``{"file", "error"}`` when it cannot be had."""
    for path in files:
        yield analyze_one(path)
