"""A large pool is frozen and drawn by the worker: reading and hashing 10⁶ objects takes longer than a
page should wait (see bench/pool_import.py --draw); a small one within the request."""

from __future__ import annotations

from datetime import date

from django.db.models.functions import Length
from django.urls import reverse

from fazhi.jobs.models import Job
from fazhi.jobs.services import JobFailed, finish, job_task, progress, start
from fazhi.org.models import User
from fazhi.org.selectors import subtree_ids, visible_unit_ids

from . import services
from .models import InspectionObject, InspectionPlan, ListingStatus

# Up to this many objects the step runs within the request (about 0.1 s per 10⁴ objects to draw).
INLINE_OBJECTS = 20_000
AVERAGE_LINE = 40  # characters of a frozen object line: 18 + three attributes + tabs
STEPS = {"freeze": "冻结名录", "draw": "执行抽取"}


def in_background(plan: InspectionPlan, step: str) -> bool:
    """Whether the step should run in the worker: its pool has more than INLINE_OBJECTS objects (the
    frozen pool's size estimated from its length, read by the database)."""
    if step == "freeze":
        units = subtree_ids(plan.unit)
        listed = InspectionObject.objects.filter(unit_id__in=units, status=ListingStatus.LISTED)
        return listed.count() > INLINE_OBJECTS
    if step == "draw":
        length = (
            InspectionPlan.objects.filter(pk=plan.pk)
            .annotate(n=Length("objects_text"))
            .values_list("n", flat=True)
            .first()
        )
        return (length or 0) > INLINE_OBJECTS * AVERAGE_LINE
    return False


def start_step(plan: InspectionPlan, step: str, *, actor: User, version: int, on: date) -> Job:
    return start(
        plan_step,
        actor=actor,
        unit=plan.unit,
        title=f"{plan}：{STEPS[step]}",
        result_url=reverse("inspections:plan_detail", args=[plan.pk]),
        plan_id=plan.pk,
        step=step,
        version=version,
        on=on.isoformat(),
    )


@job_task
def plan_step(job: Job, *, plan_id: int, step: str, version: int, on: str) -> None:
    """名录冻结 or 执行抽取 of a plan, as the Job's user within what they may see; a refusal (stale
    version, infeasible pool, seed not agreed…) fails the Job with the service's Chinese message."""
    actor = job.created_by
    if actor is None:
        raise JobFailed("发起此步骤的账号已不存在，未办理。")
    scope = visible_unit_ids(actor)
    plan = InspectionPlan.objects.select_related("unit").get(pk=plan_id)
    progress(job, 0, 1, f"正在{STEPS[step]}")
    day = date.fromisoformat(on)
    if step == "freeze":
        plan = services.freeze(plan, actor=actor, scope_ids=scope, version=version, on=day)
        message = f"已冻结名录：检查对象名录SHA-256 {plan.objects_sha256}。"
    else:
        plan = services.draw_plan(plan, actor=actor, scope_ids=scope, version=version, on=day)
        message = f"已抽取{plan.drawn.count()}户检查对象。"
    finish(job, message, result_url=reverse("inspections:plan_detail", args=[plan.pk]))
