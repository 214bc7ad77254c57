"""Indicator figures as the pages and the CLI ask for them: cached per unit and year, recomputed after
any register change; and the figures units enter by hand."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F

from fazhi.core.audit import stamp_actor
from fazhi.org.models import Unit, User

from . import engine, summary
from .catalogue import indicators
from .formulas import DEFINITIONS
from .models import DataVersion, ManualValue
from .values import IndicatorValue

CACHE_SECONDS = 600


def data_version() -> int:
    return DataVersion.objects.filter(pk=1).values_list("counter", flat=True).first() or 0


def _bump() -> None:
    if not DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def data_changed(
    model: type[models.Model] | None = None, unit_ids: Iterable[int] = (), years: Iterable[int] = ()
) -> None:
    """Call after rows of register ``model`` owned by ``unit_ids`` changed in ``years``: once committed,
    those units' kept figures of that table (and the totals of the units above them) are brought up to
    date, and cached figures are recomputed on their next use. Without a model only the cache goes (a
    figure entered by hand)."""
    changed, touched = set(unit_ids), set(years)

    def apply() -> None:
        if model is not None and changed and touched and summary.is_ready():
            summary.refresh(model, changed, touched)
        _bump()

    transaction.on_commit(apply)


def tree_changed() -> None:
    """Call after a unit moved in the tree: once committed, the kept figures are rebuilt."""

    def apply() -> None:
        if summary.is_ready():
            summary.rebuild()
        _bump()

    transaction.on_commit(apply)


def figures_recalculating() -> bool:
    """Whether some indicator's kept figures are stale (its definition changed since they were built).
    A rebuild is then queued, once; meanwhile the engine counts those indicators from the registers, so
    no stale number is shown, and the pages say 正在重新计算."""
    if not summary.is_ready() or not summary.stale_ids():
        return False
    from fazhi.jobs.models import Job, JobState
    from fazhi.jobs.services import start

    from .tasks import rebuild_figures

    pending = Job.objects.filter(
        kind=rebuild_figures.module_path, state__in=[JobState.QUEUED, JobState.RUNNING]
    )
    if not pending.exists():
        start(rebuild_figures, actor=None, unit=None, title="指标定义变更后重建各单位年度指标汇总")
    return True


def unit_figures(unit: Unit, year: int) -> dict[int, dict[str, IndicatorValue]]:
    """Every indicator for ``unit`` and its direct subordinates (each covering its own subtree)."""
    key = f"fazhi:indicators:{data_version()}:{unit.pk}:{year}"
    figures = cache.get(key)
    if figures is None:
        figures = engine.compute(unit, year)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


@transaction.atomic
def manual_value_save(
    *, actor: User, unit: Unit, year: int, indicator: str, value: Decimal | None, note: str = "",
    numerator: int | None = None, denominator: int | None = None, scope_ids: list[int],
) -> ManualValue:  # fmt: skip
    """Record a unit's own figure for an indicator no register counts. A rate may be given by its
    numerator and denominator alone (the rate is computed); a rate that contradicts them is refused."""
    if not actor.can_edit:
        raise PermissionDenied("只读用户不能填报指标。")
    if unit.pk not in set(scope_ids):
        raise PermissionDenied("该单位不在您的权限范围内。")
    info = indicators().get(indicator)
    if info is None:
        raise ValidationError(f"指标“{indicator}”不在指标目录中。")
    if indicator in DEFINITIONS:
        raise ValidationError(f"“{info.name}”由台账自动统计，不需要填报。")
    if not info.is_rate and (numerator is not None or denominator is not None):
        raise ValidationError(f"“{info.name}”不是比率，不填分子、分母。")
    if (numerator is None) != (denominator is None):
        raise ValidationError(f"“{info.name}”的分子和分母应同时填写。")
    if numerator is not None and denominator is not None:
        if denominator == 0:
            raise ValidationError(f"“{info.name}”的分母不能为0。")
        computed = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))
        if value is None:
            value = computed
        elif abs(value - computed) > Decimal("0.1"):  # a rate rounded or cut to one decimal still agrees
            raise ValidationError(
                f"“{info.name}”填的{value}%与分子/分母（{numerator}/{denominator}={computed}%）不一致。"
            )
    if value is None:
        raise ValidationError(f"“{info.name}”请填写数值（比率也可只填分子和分母）。")
    if value < 0 or (info.is_rate and value > 100):
        raise ValidationError(f"“{info.name}”的数值应在 0{'—100' if info.is_rate else ' 以上'}。")
    if numerator is not None and denominator is not None and numerator > denominator:
        raise ValidationError(f"“{info.name}”的分子不能大于分母。")
    entry = ManualValue.objects.filter(indicator=indicator, unit=unit, year=year).first() or ManualValue(
        indicator=indicator, unit=unit, year=year
    )
    entry.value, entry.note, entry.numerator, entry.denominator = value, note, numerator, denominator
    entry.entered_by = actor
    stamp_actor(entry, actor)
    entry.save()
    data_changed()  # hand-entered figures are read directly; cached figures must go
    return entry
