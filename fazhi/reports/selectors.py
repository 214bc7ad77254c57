"""Reads of analyzed reports, scoped to the units a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from fazhi.org.models import Unit

from .models import AnalysisBatch, AnalyzedReport


def batches_in(unit_ids: list[int]) -> QuerySet[AnalysisBatch]:
    return (
        AnalysisBatch.objects.filter(unit_id__in=unit_ids)
        .select_related("unit", "created_by")
        .annotate(report_count=Count("reports"))
        .order_by("-created_at", "-pk")
    )


def batch_in_scope(pk: int, visible_ids: list[int]) -> AnalysisBatch:
    batch = get_object_or_404(AnalysisBatch.objects.select_related("unit", "created_by"), pk=pk)
    if batch.unit_id not in set(visible_ids):
        raise PermissionDenied("该批报告不属于您可查看的单位。")
    return batch


def report_in_scope(pk: int, visible_ids: list[int]) -> AnalyzedReport:
    report = get_object_or_404(AnalyzedReport.objects.select_related("batch__unit"), pk=pk)
    if report.batch.unit_id not in set(visible_ids):
        raise PermissionDenied("该报告不属于您可查看的单位。")
    return report


def unit_named(name: str | None, visible_ids: list[int]) -> Unit | None:
    """The one unit the user may see whose name is the reporting unit an analysis found (长冈乡 for
    "青山县长冈乡", say), or None when there is none or more than one."""
    if not name:
        return None
    matches = list(
        Unit.objects.filter(pk__in=visible_ids).filter(
            Q(name=name) | Q(short_name=name) | Q(name__endswith=name)
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None
