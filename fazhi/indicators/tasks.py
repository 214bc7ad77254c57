"""Background work of the indicators: the kept figures rebuilt from the registers."""

from __future__ import annotations

from fazhi.jobs.models import Job
from fazhi.jobs.services import finish, job_task, progress

from . import summary


@job_task
def rebuild_figures(job: Job) -> None:
    """Recompute every unit's kept figures for the kept years (``summary.rebuild``)."""
    progress(job, 0, 1, "正在由台账重新计算各单位年度指标汇总")
    rows = summary.rebuild()
    finish(job, f"已重建各单位年度指标汇总：{rows}行。", result={"rows": rows})
