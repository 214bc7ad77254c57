"""Many reports at once: the files under folders, each analyzed or given its Chinese error."""

from __future__ import annotations

import logging
import multiprocessing
import os
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


def default_jobs() -> int:
    """Worker processes for a batch: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def analyze_files(files: Iterable[Path], jobs: int = 1) -> Iterator[dict]:
    """One result per file, in the files' order: the analysis, or ``{"file", "error"}`` when it cannot be
    had. With ``jobs`` > 1 the files are analyzed in that many processes; results are yielded as they come
    (in order), so a caller that writes each one out holds one at a time, however many files there are."""
    files = list(files)
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield analyze_one(path)
        return
    # fork: the workers start with the modules and the catalogue already loaded
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with context.Pool(min(jobs, len(files))) as pool:
        # small chunks keep the workers busy on a mix of small txt and slow pdf/doc files
        yield from pool.imap(analyze_one, files, chunksize=2)
