"""The demo county: each app contributes its own rows, in the order listed here.

A contributor is a function ``build(ctx: DemoContext) -> None``. It must be deterministic for
``ctx.rng`` (never call the global ``random``), must count what it creates in ``ctx.rows``, and grows its
volume with ``ctx.scale``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

CONTRIBUTORS = [
    "fazhi.org.demo.build",
    "fazhi.decisions.demo.build",
    "fazhi.casereview.demo.build",
    "fazhi.enforcement.demo.build",
    "fazhi.inspections.demo.build",
    "fazhi.onsite.demo.build",  # after the 检查对象名录库 (inspections) demo, whose enterprises it uses
    "fazhi.indicators.demo.build",
    "fazhi.reports.demo.build",
    "fazhi.accounts.demo.build",  # last: flags every demo login to change the shared password
]


@dataclass
class DemoContext:
    rng: random.Random
    scale: int
    years: range
    rows: Counter = field(default_factory=Counter)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, 说明)


class DemoError(ValueError):
    pass


def database_is_empty() -> bool:
    from fazhi.org.models import Unit

    return not Unit.objects.exists()


def build_demo(*, scale: int = 1, seed: int = 2024, reset: bool = False) -> DemoContext:
    """Fill the database with the demo county; refuses a non-empty database unless ``reset``."""
    if scale < 1:
        raise DemoError("--scale 应为不小于1的整数 / --scale must be at least 1")
    # every contributor imported before anything is built: one that cannot be imported fails the build
    # at once, not after the hour the earlier ones take at load-test scales
    builders = []
    for path in CONTRIBUTORS:
        module, name = path.rsplit(".", 1)
        builders.append(getattr(import_module(module), name))
    if not database_is_empty():
        if not reset:
            raise DemoError(
                "数据库中已有数据；如需重建演示数据请加 --reset（将清空全部数据） / database not empty"
            )
        call_command("flush", interactive=False, verbosity=0)
        # cached figures and rules are keyed by ids the new rows take again
        from django.core.cache import cache

        from fazhi.rules.services import forget_overrides

        cache.clear()
        forget_overrides()
    ctx = DemoContext(rng=random.Random(seed), scale=scale, years=range(2023, timezone.localdate().year + 1))
    from fazhi.indicators import summary
    from fazhi.indicators.services import data_changed

    with transaction.atomic():
        for build in builders:
            build(ctx)
        # rows were bulk-created, past the services that keep the figures: build them once
        summary.rebuild()
        data_changed()
    return ctx
