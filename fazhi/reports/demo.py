"""Demo annual reports: last year's report of the first county and of its townships, drafted from the
demo registers and at different stages (some published, some submitted, some still drafts)."""

from __future__ import annotations

from datetime import date

from fazhi.core.demo import DemoContext
from fazhi.org.models import Unit, UnitLevel, User
from fazhi.org.selectors import subtree_ids
from fazhi.registers.services import item_transition

from .builder import draft_report
from .registers import ANNUAL_REPORTS


def build(ctx: DemoContext) -> None:
    from fazhi.registers.deadlines import today

    year = today().year - 1
    admin = User.objects.get(username="admin")
    county = Unit.objects.filter(level=UnitLevel.COUNTY, parent__isnull=False).order_by("code").first()
    county = county or Unit.objects.filter(level=UnitLevel.COUNTY).order_by("code").first()
    if county is None:
        return
    units = [county, *county.children.filter(level=UnitLevel.TOWNSHIP).order_by("sort_order", "code")]
    for n, unit in enumerate(units):
        scope = subtree_ids(unit)
        report = draft_report(unit, year, actor=admin, unit_ids=scope)
        ctx.rows["年度报告"] += 1
        # most reports of last year are out by now; a few are late, for the alerts and the roll-up to show
        stage = ctx.rng.choices(["drafting", "reviewing", "submitted", "published"], weights=[1, 1, 2, 7])[0]
        if n == 0:
            stage = "submitted"  # the county's own report waits to be published
        if stage == "drafting":
            continue
        step = item_transition
        step(ANNUAL_REPORTS, report, "reviewing", actor=admin, scope_ids=scope, on=date(year + 1, 2, 10))
        if stage == "reviewing":
            continue
        step(ANNUAL_REPORTS, report, "submitted", actor=admin, scope_ids=scope, on=date(year + 1, 2, 25))
        if stage == "published":
            url = f"https://www.example.gov.cn/fzzfjs/{year}/{unit.code}.html"
            step(
                ANNUAL_REPORTS,
                report,
                "published",
                actor=admin,
                scope_ids=scope,
                on=date(year + 1, 3, 20),
                values={"public_url": url},
            )
