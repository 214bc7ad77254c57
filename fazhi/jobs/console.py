"""Jobs on the command line: run a task here with a progress bar, or queue it and follow it."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from django_tasks.base import Task
from tqdm import tqdm

from fazhi.org.models import Unit, User

from . import services
from .models import Job, JobState


class _Bar:
    """A tqdm bar that follows a Job's done/total/message."""

    def __init__(self, title: str, out: TextIO) -> None:
        self.bar = tqdm(total=None, desc=title, unit="项", file=out, dynamic_ncols=True)

    def show(self, job: Job) -> None:
        if job.total and self.bar.total != job.total:
            self.bar.total = job.total
        self.bar.n = job.done
        if job.message:
            self.bar.set_postfix_str(job.message, refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()


def run_with_progress(
    kind_or_task: str | Task,
    *,
    actor: User | None,
    unit: Unit | None,
    title: str,
    out: TextIO | None = None,
    **kwargs: Any,
) -> Job:
    """Run the task in this process (no worker needed) with a progress bar; returns the finished Job."""
    bar = _Bar(title, out or sys.stderr)
    try:
        return services.run_here(
            kind_or_task, actor=actor, unit=unit, title=title, on_progress=bar.show, **kwargs
        )
    finally:
        bar.close()


def queue_and_follow(
    kind_or_task: str | Task,
    *,
    actor: User | None,
    unit: Unit | None,
    title: str,
    out: TextIO | None = None,
    **kwargs: Any,
) -> Job:
    """Queue the task for the worker (outside any transaction, so it is queued at once) and follow it."""
    job = services.start(kind_or_task, actor=actor, unit=unit, title=title, **kwargs)
    print(f"已排队：任务{job.pk}（可另开终端运行 fazhi jobs wait {job.pk} 查看）", file=out or sys.stderr)
    return follow(job.pk, out=out)


def follow(
    job_id: int, *, out: TextIO | None = None, interval: float = 0.5, timeout: float | None = None
) -> Job:
    """Show the Job's progress until it ends (or ``timeout`` seconds pass); returns it as last read."""
    job = Job.objects.get(pk=job_id)
    bar = _Bar(job.title, out or sys.stderr)
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while True:
            bar.show(job)
            if job.finished or (deadline is not None and time.monotonic() > deadline):
                return job
            time.sleep(interval)
            job.refresh_from_db()
    finally:
        bar.close()


def outcome(job: Job) -> str:
    """One Chinese line saying how the Job ended (or where it stands)."""
    if job.state == JobState.DONE:
        where = f"；结果：{job.result_url}" if job.result_url else ""
        return f"任务{job.pk}已完成：{job.message}{where}"
    if job.state == JobState.FAILED:
        return f"任务{job.pk}失败：{job.error}"
    return f"任务{job.pk}{job.get_state_display()}（{job.done}/{job.total or '?'}）"
