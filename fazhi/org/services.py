"""Writes to units, people and users. Every write checks the actor's scope and records the actor."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.core.audit import stamp_actor

from .models import Person, Role, Unit, User, UserRole


def _require_manager(actor: User) -> None:
    if not actor.can_manage:
        raise PermissionDenied("只有单位管理员或系统管理员可以维护单位、人员和用户。")


def _require_in_scope(unit_ids: list[int], unit_id: int | None, what: str) -> None:
    if unit_id not in set(unit_ids):
        raise PermissionDenied(f"{what}不在您有权管理的单位范围内。")


@transaction.atomic
def unit_save(*, actor: User, unit: Unit, unit_ids: list[int]) -> Unit:
    """Create or update a unit below a unit the actor manages."""
    _require_manager(actor)
    if unit.pk:
        _require_in_scope(unit_ids, unit.pk, "该单位")
    if unit.parent_id is None:
        if not (actor.is_system_admin and actor.unit_id is None):
            raise PermissionDenied("只有系统管理员可以设立顶级单位。")
    else:
        _require_in_scope(unit_ids, unit.parent_id, "上级单位")
    moved = bool(unit.pk) and Unit.objects.filter(pk=unit.pk).exclude(parent_id=unit.parent_id).exists()
    unit.full_clean()
    stamp_actor(unit, actor)
    unit.save()
    if moved:
        # the figures kept per unit roll up along the tree: a unit moved elsewhere changes the totals of
        # both its old and its new superiors
        from fazhi.indicators.services import tree_changed

        tree_changed()
    return unit


@transaction.atomic
def person_save(*, actor: User, person: Person, roles: Iterable[Role], unit_ids: list[int]) -> Person:
    """Create or update a person in a unit the actor manages, with their roles."""
    _require_manager(actor)
    if person.pk:
        previous = Person.objects.get(pk=person.pk)
        _require_in_scope(unit_ids, previous.unit_id, "该人员")
    _require_in_scope(unit_ids, person.unit_id, "所属单位")
    person.id_number = person.id_number.upper()
    person.full_clean()
    stamp_actor(person, actor)
    person.save()
    person.roles.set(list(roles))
    return person


@transaction.atomic
def user_save(*, actor: User, user: User, unit_ids: list[int], password: str | None = None) -> User:
    """Create or update a login within the actor's scope; only system admins make system admins."""
    _require_manager(actor)
    if user.pk:
        previous = User.objects.get(pk=user.pk)
        if previous.unit_id is not None or not actor.is_system_admin:
            _require_in_scope(unit_ids, previous.unit_id, "该用户")
    if user.role == UserRole.SYSTEM_ADMIN and not actor.is_system_admin:
        raise PermissionDenied("只有系统管理员可以授予系统管理员角色。")
    if user.unit_id is None:
        if not actor.is_system_admin:
            raise ValidationError({"unit": "请选择所属单位。"})
    else:
        _require_in_scope(unit_ids, user.unit_id, "所属单位")
    if user.may_view_personal_data and not (actor.is_system_admin or actor.may_view_personal_data):
        raise PermissionDenied("您本人无权查看完整个人信息，不能授予他人该权限。")
    if password:
        user.set_password(password)
        if user.pk:  # the password is not audited: the version says it was set
            user._change_reason = "重设密码"  # type: ignore[attr-defined]  # read by django-simple-history
    elif not user.pk:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    stamp_actor(user, actor)
    user.save()
    if password and user.pk != actor.pk:  # a password someone else chose: the user replaces it first
        from fazhi.accounts.services import require_password_change

        require_password_change([user.pk])
    return user
