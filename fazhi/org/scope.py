"""The unit scope of a request: which unit the user is looking at, and which units that covers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .models import Unit, UnitLevel, User
from .selectors import root_units_of, subtree_ids, visible_unit_ids

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
        visible = set(self.visible_ids)
        return [pk for pk in subtree_ids(self.unit) if pk in visible]

    @cached_property
    def switchable_units(self) -> list[Unit]:
        """Units the user can switch to: every visible unit except villages."""
        if len(self.visible_ids) <= 1:
            return []
        return list(
            Unit.objects.with_tree_fields()
            .order_siblings_by("sort_order", "code")
            .filter(pk__in=self.visible_ids)
            .exclude(level=UnitLevel.VILLAGE)
        )

    def contains(self, unit_id: int | None) -> bool:
        return unit_id in set(self.unit_ids)
