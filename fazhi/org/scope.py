"""The unit scope of a request: which unit the user is looking at, and which units that covers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .models import Unit, UnitLevel, User
from .selectors import ancestor_ids, root_units_of, subtree_ids, visible_unit_ids

SESSION_KEY = "scope_unit_id"


@dataclass
class Scope:
    user: User
    chosen_unit_id: int | None = None

    @cached_property
    def visible_ids(self) -> list[int]:
        """Every unit the user may see at all."""
        return visible_unit_ids(self.user)

    @cached_property
    def unit(self) -> Unit | None:
        """The unit currently looked at: the chosen one if visible, else the user's top unit."""
        if self.chosen_unit_id and self.chosen_unit_id in set(self.visible_ids):
            return Unit.objects.get(pk=self.chosen_unit_id)
        return root_units_of(self.user).first()

    @cached_property
    def unit_ids(self) -> list[int]:
        """The current unit and its subordinates: what lists and figures cover."""
        if self.unit is None:
            return []
        if self.unit.pk == self.user.unit_id:  # the user's own unit: what it may see, already read
            return self.visible_ids
        visible = set(self.visible_ids)
        return [pk for pk in subtree_ids(self.unit) if pk in visible]

    @cached_property
    def switchable_units(self) -> list[Unit]:
        """Units the user can switch to, in tree order: the top units and their direct subordinates,
        the current unit's ancestors, and the current unit's own subordinates (villages excepted), so
        the list stays short however large the tree."""
        if len(self.visible_ids) <= 1:
            return []
        roots = list(root_units_of(self.user).values_list("pk", flat=True))
        near: set[int] = set(roots)
        near |= set(Unit.objects.filter(parent_id__in=roots).values_list("pk", flat=True))
        if self.unit is not None:
            near |= set(ancestor_ids(self.unit))
            near |= set(self.unit.children.values_list("pk", flat=True))
        visible = set(self.visible_ids)
        units = Unit.objects.filter(pk__in=[pk for pk in near if pk in visible]).exclude(
            level=UnitLevel.VILLAGE
        )
        children: dict[int | None, list[Unit]] = {}
        by_pk = {u.pk: u for u in units}
        for unit in by_pk.values():
            children.setdefault(unit.parent_id if unit.parent_id in by_pk else None, []).append(unit)
        ordered: list[Unit] = []

        def walk(parent: int | None, depth: int) -> None:
            for unit in sorted(children.get(parent, []), key=lambda u: (u.sort_order, u.code)):
                unit.indent = "　" * depth  # type: ignore[attr-defined]  # for the switcher's options
                ordered.append(unit)
                walk(unit.pk, depth + 1)

        walk(None, 0)
        return ordered

    @cached_property
    def covers_all(self) -> bool:
        """The current unit is the one top of the whole tree, so every unit is in ``unit_ids``."""
        return (
            self.unit is not None
            and self.unit.parent_id is None
            and not Unit.objects.filter(parent__isnull=True).exclude(pk=self.unit.pk).exists()
        )

    def contains(self, unit_id: int | None) -> bool:
        return unit_id in set(self.unit_ids)
