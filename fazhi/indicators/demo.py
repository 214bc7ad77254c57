"""Demo figures entered by hand for the work no register counts yet (研究法治建设会议, 集体学法, 述法,
人民调解, 法律援助, 行政复议与应诉, 普法), by every township and department of the first county and by
the county itself, in the volumes the seeds report, for the demo years."""

from __future__ import annotations

from decimal import Decimal

from fazhi.core.demo import DemoContext
from fazhi.org.models import Unit, UnitLevel, User
from fazhi.org.selectors import subtree_ids

from .services import manual_value_save

# indicator: (low, high) for one township or department in a year (the county adds them up)
EVERY_UNIT = {
    "rol_meetings": (2, 6),
    "study_sessions": (4, 12),
    "law_reports_by_principals": (1, 3),
    "leader_training_attendance": (8, 40),
    "publicity_events": (6, 30),
    "publicity_materials": (300, 1500),
}
TOWNSHIPS = {
    "disputes_screened": (60, 160),
    "legal_consultations": (40, 120),
    "law_literate_residents": (10, 40),
}
JUSTICE_BUREAU = {  # the 司法局 reports the county's 行政复议 and 法律援助
    "reconsideration_received": (30, 60),
    "legal_aid_cases": (120, 260),
}


def _save(actor: User, unit: Unit, year: int, indicator: str, scope: list[int], **values) -> None:
    manual_value_save(actor=actor, unit=unit, year=year, indicator=indicator, scope_ids=scope, **values)


def build(ctx: DemoContext) -> None:
    admin = User.objects.get(username="admin")
    county = Unit.objects.filter(level=UnitLevel.COUNTY, parent__isnull=False).order_by("code").first()
    county = county or Unit.objects.filter(level=UnitLevel.COUNTY).order_by("code").first()
    if county is None:
        return
    scope = subtree_ids(county)
    reporters = [county, *county.children.exclude(level=UnitLevel.VILLAGE).order_by("sort_order", "code")]
    for year in ctx.years[-3:-1]:  # the two years before this one: last year and the one before it
        for unit in reporters:
            own = dict(EVERY_UNIT)
            if unit.level == UnitLevel.TOWNSHIP:
                own |= TOWNSHIPS
            if unit.name.endswith("司法局"):
                own |= JUSTICE_BUREAU
            for indicator, (low, high) in own.items():
                value = Decimal(ctx.rng.randint(low, high))
                _save(admin, unit, year, indicator, scope, value=value)
                ctx.rows["指标填报"] += 1
            obliged = ctx.rng.randint(30, 200)  # 学法考法: every unit's staff sat, or nearly all
            sat = obliged - ctx.rng.choice([0, 0, 0, 1, 2])
            _save(admin, unit, year, "staff_exam_participation_rate", scope, value=None, numerator=sat,
                  denominator=obliged)  # fmt: skip
            if unit.level == UnitLevel.TOWNSHIP:
                cases = ctx.rng.randint(50, 140)
                success = cases - ctx.rng.randint(0, 4)
                _save(admin, unit, year, "mediation_cases", scope, value=Decimal(cases))
                _save(admin, unit, year, "mediation_success", scope, value=Decimal(success))
                _save(admin, unit, year, "mediation_success_rate", scope, value=None, numerator=success,
                      denominator=cases)  # fmt: skip
                ctx.rows["指标填报"] += 4
