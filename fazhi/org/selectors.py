"""Reads that respect unit scoping: a user sees its own unit and the units below it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q, QuerySet

from .models import Person, Unit, User


def root_units_of(user: User) -> QuerySet[Unit]:
    """The units at the top of what ``user`` may see."""
    if user.is_system_admin and user.unit_id is None:
        return Unit.objects.filter(parent__isnull=True)
    return Unit.objects.filter(pk=user.unit_id)


def subtree_ids(unit: Unit) -> list[int]:
    """Ids of ``unit`` and every unit below it, shallowest first: one recursive query down the parent
    links from that unit (it visits only the subtree, not the whole table)."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    sql = f"""
        WITH RECURSIVE down(id, depth) AS (
            SELECT id, 0 FROM {table} WHERE id = %s
            UNION ALL
            SELECT u.id, down.depth + 1 FROM {table} u
            JOIN down ON u.parent_id = down.id WHERE down.depth < 64
        )
        SELECT id FROM down ORDER BY depth, id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk])
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def branches_below(unit: Unit) -> dict[int, int]:
    """Every unit below ``unit``, mapped to the child of ``unit`` it lies under (a child to itself): one
    recursive query down the parent links, where a subtree query per child would make one each."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    sql = f"""
        WITH RECURSIVE down(id, branch, depth) AS (
            SELECT id, id, 1 FROM {table} WHERE parent_id = %s
            UNION ALL
            SELECT u.id, down.branch, down.depth + 1 FROM {table} u
            JOIN down ON u.parent_id = down.id WHERE down.depth < 64
        )
        SELECT id, branch FROM down"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk])
        return dict(cursor.fetchall())


def ancestor_ids(unit: Unit) -> list[int]:
    """``unit`` and the units above it, nearest first (a walk up the parent links: one small query per
    level, where a tree query would visit the whole table)."""
    chain, parent = [unit.pk], unit.parent_id
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = Unit.objects.filter(pk=parent).values_list("parent_id", flat=True).first()
    return chain


def ancestor_chains(unit_ids: list[int]) -> dict[int, list[int]]:
    """For each of ``unit_ids``: the unit and the units above it, nearest first — one recursive query up
    the parent links for all of them."""
    if not unit_ids:
        return {}
    table = Unit._meta.db_table
    marks = ", ".join(["%s"] * len(unit_ids))
    sql = f"""
        WITH RECURSIVE up(origin, id, parent_id, depth) AS (
            SELECT id, id, parent_id, 0 FROM {table} WHERE id IN ({marks})
            UNION ALL
            SELECT up.origin, u.id, u.parent_id, up.depth + 1 FROM {table} u JOIN up ON u.id = up.parent_id
            WHERE up.depth < 64
        )
        SELECT origin, id FROM up ORDER BY origin, depth"""
    chains: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(unit_ids))
        for origin, pk in cursor.fetchall():
            chains.setdefault(origin, []).append(pk)
    return chains


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
