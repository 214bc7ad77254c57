"""Reads that respect unit scoping: a user sees its own unit and the units below it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from .models import Person, Unit, User


def root_units_of(user: User) -> QuerySet[Unit]:
    """The units at the top of what ``user`` may see."""
    if user.is_system_admin and user.unit_id is None:
        return Unit.objects.filter(parent__isnull=True)
    return Unit.objects.filter(pk=user.unit_id)


def subtree_ids(unit: Unit) -> list[int]:
    """Ids of ``unit`` and every unit below it: one indexed query per level of the tree (a recursive
    tree query ranks the whole table first, which costs more once there are tens of thousands of units)."""
    ids, frontier = [unit.pk], [unit.pk]
    while frontier:
        seen = set(ids)
        frontier = [
            pk
            for pk in Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            if pk not in seen
        ]
        ids += frontier
    return ids


def ancestor_ids(unit: Unit) -> list[int]:
    """``unit`` and the units above it, nearest first (a walk up the parent links: one small query per
    level, where a tree query would visit the whole table)."""
    chain, parent = [unit.pk], unit.parent_id
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = Unit.objects.filter(pk=parent).values_list("parent_id", flat=True).first()
    return chain


def visible_unit_ids(user: User) -> list[int]:
    if not user.is_authenticated:
        return []
    if user.is_system_admin and user.unit_id is None:
        return list(Unit.objects.values_list("pk", flat=True))
    if user.unit is None:
        return []
    return subtree_ids(user.unit)


def units_in(unit_ids: list[int]) -> QuerySet[Unit]:
    """Units in tree order (depth-first, by sort order), with their depth."""
    return (
        Unit.objects.with_tree_fields()
        .order_siblings_by("sort_order", "code")
        .filter(pk__in=unit_ids)
        .annotate(people_count=Count("people", filter=Q(people__is_active=True)))
    )


def assert_unit_in_scope(unit_ids: list[int], unit: Unit | int | None) -> None:
    """Raise PermissionDenied (rendered as a Chinese 403 page) when ``unit`` is outside the scope."""
    pk = unit.pk if isinstance(unit, Unit) else unit
    if pk not in unit_ids:
        raise PermissionDenied("该记录不属于您有权查看的单位。")


def people_in(unit_ids: list[int]) -> QuerySet[Person]:
    return Person.objects.filter(unit_id__in=unit_ids).select_related("unit").prefetch_related("roles")


def users_in(unit_ids: list[int]) -> QuerySet[User]:
    return User.objects.filter(unit_id__in=unit_ids).select_related("unit", "person")
