"""Background work of the register framework, and the receiver that queues it when a lower layer
(rules, working days) announces a change."""

from __future__ import annotations

from typing import Any

from fazhi.jobs.models import Job
from fazhi.jobs.services import finish, job_task, progress, start

from .services import refresh_all_deadlines


@job_task
def refresh_deadlines(job: Job) -> None:
    """Recompute every open item's deadline (after a rule override or a holiday schedule changed)."""
    progress(job, 0, 1, "正在重新计算各台账未办结事项的期限")
    changed = refresh_all_deadlines()
    finish(job, f"已重新计算期限：{changed}项的期满日有变化。", result={"changed": changed})


def queue_deadline_refresh(sender: Any, *, actor: Any = None, unit: Any = None, **kwargs: Any) -> Job:
    """Receiver of ``rules_changed`` and ``schedules_changed``: queue one refresh (on commit). A refresh
    still waiting in the queue for the same unit covers this change too, so none is added then."""
    return start(
        refresh_deadlines,
        actor=actor,
        unit=unit,
        title="规则或节假日安排变更后重新计算台账期限",
        coalesce=True,
    )
