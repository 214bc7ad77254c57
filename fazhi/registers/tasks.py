"""Background work of the register framework, and the receiver that queues it when a lower layer
(rules, working days) announces a change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fazhi.jobs import files
from fazhi.jobs.models import Job
from fazhi.jobs.services import JobFailed, finish, job_task, progress, start
from fazhi.org.models import Unit
from fazhi.org.selectors import subtree_ids, visible_unit_ids

from .excel import ImportFailed, import_workbook
from .services import refresh_all_deadlines
from .spec import REGISTRY

# A file this small (a few hundred rows) is imported within the request; a larger one by the worker.
IMPORT_INLINE_BYTES = 32 * 1024
MESSAGES_SHOWN = 200


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


@job_task
def import_register(job: Job, *, register: str, path: str, name: str, unit_id: int) -> None:
    """Import a staged workbook into a register, all rows or none, as the Job's user within ``unit_id``'s
    subtree; progress is the rows checked so far."""
    spec = REGISTRY[register]
    try:
        data = files.read(path)
    finally:
        files.discard([path])
    actor, unit = job.created_by, Unit.objects.get(pk=unit_id)
    if actor is None or unit.pk not in set(visible_unit_ids(actor)):
        raise PermissionDenied("该单位不在您的权限范围内。")

    def checked(done: int, total: int) -> None:
        progress(job, done, total, f"已核对{done}/{total}行")

    try:
        items = import_workbook(spec, data, name, actor=actor, scope_ids=subtree_ids(unit), progress=checked)
    except ImportFailed as exc:
        raise JobFailed(import_failure(exc.messages)) from None
    finish(
        job,
        f"已导入{len(items)}条{spec.item_label}。",
        result={"imported": len(items)},
        result_url=reverse("registers:list", args=[spec.key]),
    )


def import_failure(messages: list[str]) -> str:
    """Every problem of a refused file, one a line (the first MESSAGES_SHOWN of a very bad one)."""
    shown = messages[:MESSAGES_SHOWN]
    more = f"\n……另有{len(messages) - len(shown)}处问题" if len(messages) > len(shown) else ""
    return f"未导入（{len(messages)}处问题，未写入任何一行）：\n" + "\n".join(shown) + more


def start_import(spec: Any, data: bytes, name: str, *, actor: Any, unit: Unit) -> Job:
    """Queue the import of an uploaded workbook for the worker (the file is staged until it is read)."""
    path = files.stage(data, name)
    return start(
        import_register,
        actor=actor,
        unit=unit,
        title=f"导入{spec.label}（{name[:60]}）",
        register=spec.key,
        path=path,
        name=name,
        unit_id=unit.pk,
    )
