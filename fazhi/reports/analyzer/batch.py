"""Many reports at once: the files under folders, each analyzed or given its Chinese error."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
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
    had. With ``jobs`` > 1 the files are analyzed in that many processes, a few files ahead of the one
    being yielded, so a caller that writes each result out holds a handful at a time however many files
    there are; a worker that dies on a file (a crash inside a PDF library) costs that file only."""
    files = list(files)
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield analyze_one(path)
        return
    yield from _in_processes(files, min(jobs, len(files)))


def _context() -> BaseContext:
    # fork: the workers start with the modules and the catalogue already loaded
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


def _in_processes(files: list[Path], jobs: int) -> Iterator[dict]:
    ahead = jobs * 4
    pool = ProcessPoolExecutor(jobs, mp_context=_context())
    pending: deque[tuple[Path, Future]] = deque()
    position = 0
    try:
        while position < len(files) or pending:
            while position < len(files) and len(pending) < ahead:
                pending.append((files[position], pool.submit(analyze_one, files[position])))
                position += 1
            path, future = pending.popleft()
            try:
                yield future.result()
            except BrokenProcessPool:
                # a worker died: which of the pending files killed it is not known, so each is tried
                # again alone, then the batch goes on in a new pool
                pool.shutdown(wait=False, cancel_futures=True)
                for retry in [path, *(p for p, _ in pending)]:
                    yield _alone(retry)
                pending.clear()
                pool = ProcessPoolExecutor(jobs, mp_context=_context())
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _alone(path: Path) -> dict:
    """One file analyzed in a process of its own, so that a crash is this file's error."""
    with ProcessPoolExecutor(1, mp_context=_context()) as single:
        try:
            return single.submit(analyze_one, path).result()
        except BrokenProcessPool:
            log.error("分析进程异常退出：%s", path)
            return {
                "file": str(path),
                "error": f"{path}：分析时进程异常退出（文件可能损坏），请检查后重新上传",
            }
