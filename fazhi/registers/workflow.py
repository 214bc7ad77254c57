"""A register's workflow: its states, the steps allowed from each, and which states close an item.

The workflow owns an item's state: only a step changes it, and a step's ``effect`` (the legal
precondition it enforces) runs on every entry path, including an import of a record already in a later
state, which replays the steps that lead there (``Workflow.paths_to``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Step:
    """A transition: the button ``label`` moves an item to state ``to``.

    ``date_field`` is the item's field that records the step's date (asked for on the step's form);
    ``requires`` are further fields the step's form asks for and that must be filled;
    ``effect(item, on)`` applies the register's own rules of the step (it may raise ValidationError);
    ``sets`` names the fields the effect fills in, which no edit form may change;
    ``optional`` are fields the step's form offers without requiring them (the effect may);
    ``actor_rule(item, actor)`` refuses a writer who may not take the step (审核 by another than the
    drafter), raising ValidationError;
    ``when`` = (field, values) offers the step only to items whose ``field`` holds one of ``values`` (a
    case decided without a penalty is closed after 送达, with nothing to 执行; None: while the field is
    empty, a step taken once, like 公示); the first value is the one a test walk picks.
    """

    to: str
    label: str
    date_field: str | None = None
    requires: tuple[str, ...] = ()
    effect: Callable[[Any, date], None] | None = None
    sets: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    actor_rule: Callable[[Any, Any], None] | None = None
    when: tuple[str, tuple[str | None, ...]] | None = None

    def applies_to(self, item: Any) -> bool:
        return self.when is None or getattr(item, self.when[0]) in self.when[1]

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field this step fills in."""
        return ((self.date_field,) if self.date_field else ()) + self.requires + self.optional + self.sets


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

    def steps_for(self, item: Any) -> tuple[Step, ...]:
        """The steps ``item`` may take now: those from its state that apply to it."""
        return tuple(s for s in self.steps_from(item.status) if s.applies_to(item))

    def step(self, state: str, to: str) -> Step | None:
        return next((s for s in self.steps_from(state) if s.to == to), None)

    def is_open(self, state: str) -> bool:
        return state not in self.closed

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.states.items())

    @cached_property
    def owned_fields(self) -> frozenset[str]:
        """Fields only steps fill in: an edit form never carries them."""
        return frozenset(f for steps in self.steps.values() for step in steps for f in step.fields)

    def paths_to(self, target: str) -> list[tuple[Step, ...]]:
        """Every way from the initial state to ``target`` that enters no state more than twice (a review
        returned for materials is accepted a second time), shortest first; an import replays one."""
        found: list[tuple[Step, ...]] = []
        limit = 2 * len(self.states)

        def walk(state: str, path: tuple[Step, ...], visits: dict[str, int]) -> None:
            if state == target:
                found.append(path)
            if len(path) >= limit:
                return
            for step in self.steps_from(state):
                if visits.get(step.to, 0) < 2:
                    walk(step.to, (*path, step), {**visits, step.to: visits.get(step.to, 0) + 1})

        walk(self.initial, (), {self.initial: 1})
        return sorted(found, key=len)

    def problems(self) -> list[str]:
        """What is wrong with the declaration itself (checked at start-up)."""
        errors = []
        if self.initial not in self.states:
            errors.append(f"initial state {self.initial!r} is not a state")
        for source, steps in self.steps.items():
            for step in steps:
                if source not in self.states or step.to not in self.states:
                    errors.append(f"step {source!r} → {step.to!r} names an unknown state")
            targets = [step.to for step in steps]  # a step is found by its source and target
            errors += [
                f"two steps {source!r} → {to!r}" for to in sorted(set(targets)) if targets.count(to) > 1
            ]
        errors += [f"closed state {s!r} is not a state" for s in self.closed if s not in self.states]
        unreachable = [s for s in self.states if s != self.initial and not self.paths_to(s)]
        errors += [f"state {s!r} cannot be reached from {self.initial!r}" for s in unreachable]
        return errors
