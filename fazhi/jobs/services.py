"""Background work as Jobs: start one, report its progress from the task body, finish or fail it.

A task is an ordinary function decorated with :func:`job_task`; it receives its :class:`Job` first and
the keyword arguments given to :func:`start` (JSON values only: ids, strings, numbers, lists)::

    @job_task
    def import_rows(job: Job, *, register: str, path: str) -> None:
        rows = read(path)
        for n, row in enumerate(rows, 1):
            check(row)
            progress(job, n, len(rows), f"已校验{n}行")
        with transaction.atomic():
            write(rows)
        finish(job, f"已导入{len(rows)}条", result_url=reverse(...))

    job = start(import_rows, actor=user, unit=unit, title="导入合法性审查台账", register=..., path=...)
    return redirect(job)  # /jobs/<id>/ polls the progress

The Job is the user's record of the run (Chinese state, progress, result link, Chinese error); the task
backend (the database queue, or RQ when REDIS_URL is set) keeps its own. A body fails its Job with a
message for the user by raising :class:`JobFailed` (or a ValidationError/PermissionDenied, whose messages
are shown); any other exception is logged with its traceback and the user reads a generic message.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import DEFAULT_TASK_QUEUE_NAME, Task
from django_tasks.utils import normalize_json

from fazhi.core.audit import stamp_actor
from fazhi.org.models import Unit, User
from fazhi.org.selectors import visible_unit_ids

from .models import FINISHED_STATES, Job, JobState

logger = logging.getLogger("fazhi.jobs")

GENERIC_ERROR = (
    "任务运行时出错（任务编号{pk}），详细情况已记入系统日志。"
    "请稍后重试；如仍失败，请把任务编号告诉系统管理员。"
)
INTERRUPTED = "任务被中断（后台任务进程停止），未完成。请重新发起。"
NOT_QUEUED = "任务未能排入后台队列（任务编号{pk}），详细情况已记入系统日志。请稍后重试或联系系统管理员。"

# progress is written to the database at most this often (the page polls every second)
PROGRESS_INTERVAL = 0.5

_progress_listener: ContextVar[Callable[[Job], None] | None] = ContextVar("job_progress", default=None)


class JobFailed(Exception):
    """Raised by a task body: the Job fails with this Chinese message, shown to the user as it is."""


# -- the task side ----------------------------------------------------------------------------------
def job_task(body: Callable[..., Any] | None = None, *, queue_name: str = DEFAULT_TASK_QUEUE_NAME):
    """Make ``body(job, **kwargs)`` a task of Django's Tasks framework run as a Job.

    The task itself takes ``job_id`` and the keyword arguments; it loads the Job, marks it 运行中, runs
    the body, and marks it 已完成 (unless the body called :func:`finish` itself; a JSON return value is
    kept as the result) or 失败.
    """

    def wrap(body: Callable[..., Any]) -> Task:
        @functools.wraps(body)
        def run(job_id: int, **kwargs: Any) -> Any:
            return _run_job(body, job_id, kwargs)

        run.job_body = body  # type: ignore[attr-defined]  # marks a Job task for start()
        return task(run, queue_name=queue_name)

    return wrap(body) if body is not None else wrap


def _run_job(body: Callable[..., Any], job_id: int, kwargs: dict[str, Any]) -> Any:
    # claim the Job with a conditional update: a task delivered twice (a retried RQ job) runs once, and
    # the claim waits for a transaction that chose to join this still-queued Job (start(coalesce=True)
    # locks it), so the body reads what that transaction committed
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, updated_at=now
    ):
        logger.warning("Job %s is gone or no longer queued; task %s not run", job_id, body.__qualname__)
        return None
    job = Job.objects.get(pk=job_id)
    job.save(update_fields=["state", "started_at", "updated_at"])  # the audit's 运行中 entry
    try:
        value = body(job, **kwargs)
    except JobFailed as exc:
        fail(job, str(exc))
    except ValidationError as exc:
        fail(job, "\n".join(exc.messages))
    except PermissionDenied as exc:
        fail(job, str(exc) or "无权执行该任务。")
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        fail(job, GENERIC_ERROR.format(pk=job.pk))
        raise  # the task backend records the failure and its traceback too
    except BaseException:  # the worker is stopping (SIGTERM, a second Ctrl+C)
        logger.warning("Job %s (%s) interrupted", job.pk, job.kind)
        fail(job, INTERRUPTED)
        raise
    else:
        if job.state not in FINISHED_STATES:
            try:
                result = normalize_json(value)
            except (TypeError, ValueError):
                result = None
            finish(job, result=result)
    return {"job": job.pk, "state": job.state}


def progress(job: Job, done: int, total: int | None = None, message: str = "") -> None:
    """Report that ``done`` of ``total`` steps are done (``total`` None: unknown or unchanged).

    Written at most every PROGRESS_INTERVAL seconds (and always when done reaches total). Call it
    outside a long transaction: what is written inside one is seen only when it commits (validate the
    rows with progress first, then write them in one transaction)."""
    job.done = max(0, done)
    if total is not None:
        job.total = max(0, total)
    if message:
        job.message = message[:300]
    if listener := _progress_listener.get():
        listener(job)
    now = time.monotonic()
    last = getattr(job, "_progress_written", 0.0)
    if now - last < PROGRESS_INTERVAL and not (job.total and job.done >= job.total):
        return
    job._progress_written = now  # type: ignore[attr-defined]
    Job.objects.filter(pk=job.pk).update(
        done=job.done, total=job.total, message=job.message, updated_at=timezone.now()
    )


def finish(
    job: Job,
    message: str = "",
    *,
    result: Any = None,
    result_url: str = "",
    file: tuple[str, bytes] | None = None,
) -> None:
    """Mark the Job 已完成 with a message, a JSON ``result``, the page of what it produced
    (``result_url``) and/or a file (name, bytes) served at /jobs/<id>/download/."""
    job.state, job.finished_at = JobState.DONE, timezone.now()
    job.message = (message or job.message or "已完成")[:300]
    if job.total:
        job.done = job.total
    fields = ["state", "finished_at", "message", "done", "updated_at"]
    if result is not None:
        job.result = normalize_json(result)
        fields.append("result")
    if result_url:
        job.result_url = result_url
        fields.append("result_url")
    if file is not None:
        name, data = file
        job.result_file.save(name, ContentFile(data), save=False)
        fields.append("result_file")
        if not job.result_url:
            job.result_url = reverse("jobs:download", args=[job.pk])
            fields.append("result_url")
    job.save(update_fields=fields)
    _notify(job)


def fail(job: Job, message: str) -> None:
    """Mark the Job 失败 with a Chinese message for the user (never a traceback: log that)."""
    job.state, job.finished_at = JobState.FAILED, timezone.now()
    job.error = message or "任务失败。"
    job.save(update_fields=["state", "finished_at", "error", "updated_at"])
    _notify(job)


def _notify(job: Job) -> None:
    if listener := _progress_listener.get():
        listener(job)


# -- the caller side --------------------------------------------------------------------------------
def _resolve(kind_or_task: str | Task) -> Task:
    found = import_string(kind_or_task) if isinstance(kind_or_task, str) else kind_or_task
    if not isinstance(found, Task) or not hasattr(found.func, "job_body"):
        raise TypeError(f"{kind_or_task!r} is not a task made with fazhi.jobs.services.job_task")
    return found


def _new_job(task: Task, *, actor: User | None, unit: Unit | None, title: str, result_url: str) -> Job:
    if actor is not None and unit is not None and unit.pk not in set(visible_unit_ids(actor)):
        raise PermissionDenied("该单位不在您有权管理的范围内。")
    job = Job(kind=task.module_path, title=title[:200], unit=unit, created_by=actor, result_url=result_url)
    stamp_actor(job, actor)
    job.save()
    return job


def start(
    kind_or_task: str | Task,
    *,
    actor: User | None,
    unit: Unit | None,
    title: str,
    result_url: str = "",
    coalesce: bool = False,
    **kwargs: Any,
) -> Job:
    """Record a Job (排队中) and queue its task when the current transaction commits.

    ``kind_or_task`` is a :func:`job_task` or its dotted path; ``kwargs`` go to the body and must be
    JSON values. ``actor``/``unit`` None make a system job (only system administrators see it).
    ``coalesce``: when a Job of the same kind and unit is still 排队中, return it instead of queueing
    another (it has not started, so it will see whatever changed). ``result_url`` may be known up front
    or set by the body through :func:`finish`.
    """
    task = _resolve(kind_or_task)
    kwargs = normalize_json(kwargs)  # refuse a value the queue cannot carry now, not in the worker
    if coalesce:
        waiting = Job.objects.filter(kind=task.module_path, unit=unit, state=JobState.QUEUED)
        if transaction.get_connection().in_atomic_block:
            # hold it queued until this transaction commits: its worker's claim waits for the change
            waiting = waiting.select_for_update()
        if (found := waiting.order_by("pk").first()) is not None:
            return found
    job = _new_job(task, actor=actor, unit=unit, title=title, result_url=result_url)
    transaction.on_commit(functools.partial(_enqueue, task, job.pk, kwargs))
    return job


def _enqueue(task: Task, job_id: int, kwargs: dict[str, Any]) -> None:
    try:
        queued = task.enqueue(job_id=job_id, **kwargs)
    except Exception:
        logger.exception("Job %s could not be queued", job_id)
        Job.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=NOT_QUEUED.format(pk=job_id), finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(queued.id)[:64])


def run_here(
    kind_or_task: str | Task,
    *,
    actor: User | None,
    unit: Unit | None,
    title: str,
    on_progress: Callable[[Job], None] | None = None,
    **kwargs: Any,
) -> Job:
    """Record a Job and run its task in this process (the CLI without a worker); ``on_progress`` sees
    every progress report. Returns the finished Job (已完成 or 失败; an unexpected error is logged)."""
    task = _resolve(kind_or_task)
    kwargs = normalize_json(kwargs)  # the same values the queue would hand the body
    job = _new_job(task, actor=actor, unit=unit, title=title, result_url="")
    token = _progress_listener.set(on_progress)
    try:
        task.call(job_id=job.pk, **kwargs)
    except Exception:  # already logged and recorded on the Job by _run_job
        pass
    finally:
        _progress_listener.reset(token)
    job.refresh_from_db()
    return job


def prune(*, days: int = 90) -> dict[str, int]:
    """Delete what background work leaves behind once it is ``days`` old: finished Jobs (their history
    stays in the audit) and their result files, staged uploads no worker read, and the database queue's
    finished task results."""
    from django.core.files.storage import default_storage
    from django_tasks_db.models import DBTaskResult

    from . import files

    cutoff = timezone.now() - timedelta(days=days)
    old = Job.objects.filter(state__in=FINISHED_STATES, finished_at__lt=cutoff)
    for job in old.exclude(result_file=""):
        job.result_file.delete(save=False)
    jobs, _ = old.delete()
    staged = 0
    if default_storage.exists(files.STAGING):
        for name in default_storage.listdir(files.STAGING)[1]:
            path = f"{files.STAGING}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                staged += 1
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return {"jobs": jobs, "staged": staged, "results": results}
