"""Which Jobs a user may read."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from fazhi.org.models import User
from fazhi.org.selectors import assert_unit_in_scope

from .models import Job


def job_in_scope(pk: int, user: User, visible_ids: list[int]) -> Job:
    """The Job, if its unit is one the user sees (403 otherwise); a system job (no unit) only for its
    starter and system administrators."""
    job = get_object_or_404(Job.objects.select_related("unit", "created_by"), pk=pk)
    if job.unit_id is None:
        if not (user.is_system_admin or job.created_by_id == user.pk):
            assert_unit_in_scope([], None)
    else:
        assert_unit_in_scope(visible_ids, job.unit_id)
    return job


def recent_jobs(user: User, visible_ids: list[int], limit: int = 50) -> QuerySet[Job]:
    """The user's own recent Jobs (still in scope), and for system administrators the system's."""
    mine = Q(created_by=user) & (Q(unit_id__in=visible_ids) | Q(unit__isnull=True))
    if user.is_system_admin:
        mine |= Q(unit__isnull=True)
    return Job.objects.filter(mine).select_related("unit", "created_by")[:limit]
