"""A register's workflow: its states, the steps allowed from each, and which states close an item."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Step:
    """A transition: the button ``label`` moves an item to state ``to``.

    ``date_field`` is the item's field that records the step's date (asked for on the step's form);
    ``requires`` are further fields the step's form asks for and that must be filled;
    ``effect(item, on)`` applies the register's own rules of the step (it may raise ValidationError).
    """

    to: str
    label: str
    date_field: str | None = None
    requires: tuple[str, ...] = ()
    effect: Callable[[Any, date], None] | None = None


@dataclass(frozen=True)
class Workflow:
    states: dict[str, str]  # code → 中文
    initial: str
    steps: dict[str, tuple[Step, ...]]  # from state → allowed steps
    closed: frozenset[str] = field(default_factory=frozenset)

    def label(self, state: str) -> str:
        return self.states.get(state, state)

    def steps_from(self, state: str) -> tuple[Step, ...]:
        return self.steps.get(state, ())

    def step(self, state: str, to: str) -> Step | None:
        return next((s for s in self.steps_from(state) if s.to == to), None)

    def is_open(self, state: str) -> bool:
        return state not in self.closed

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.states.items())
