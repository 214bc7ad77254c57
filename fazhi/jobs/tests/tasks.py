"""Tasks the job tests run (module level, as the queue needs: it imports them by path)."""

from fazhi.jobs.models import Job
from fazhi.jobs.services import JobFailed, job_task, progress


@job_task
def count_to(job: Job, *, n: int) -> dict:
    for i in range(1, n + 1):
        progress(job, i, n, f"第{i}步")
    return {"sum": n * (n + 1) // 2}


@job_task
def refuse(job: Job, *, reason: str) -> None:
    progress(job, 1, 4, "开始")
    raise JobFailed(reason)


@job_task
def crash(job: Job) -> None:
    progress(job, 1, 2, "开始")
    print(1 / 0)
