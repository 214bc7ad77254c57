"""Demo annual reports: the last two years' reports of the first county and of its townships, drafted
from the demo registers and at different stages (some published, some submitted, some still drafts)."""

from __future__ import annotations

from datetime import date

from fazhi.core.demo import DemoContext
from fazhi.org.models import Unit, UnitLevel, User
from fazhi.org.selectors import subtree_ids
from fazhi.registers.services import item_transition

from .annual import save_text
from .builder import add_measures, adopt_measures, draft_report, suggested_measures
from .models import AnnualReport
from .registers import ANNUAL_REPORTS

# What a clerk adds to the drafted parts, in the words the seed reports use.
CAUSES = "此外，部分干部运用法治思维和法治方式解决问题的能力还需提升，基层法治工作力量较为薄弱。"
MEASURES = [
    "深化行政执法“三项制度”，开展行政执法案卷评查。",
    "加强法治宣传教育，落实“谁执法谁普法”普法责任制。",
]


def _write_parts(report: AnnualReport, actor: User, scope: list[int]) -> None:
    """What a clerk does before 提交审核: confirm the measures the draft suggests, add a few lines."""
    measures = suggested_measures(report, unit_ids=scope)
    if measures:
        adopt_measures(report, [m.key for m in measures], actor=actor, unit_ids=scope)
    add_measures(report, MEASURES, actor=actor, unit_ids=scope)
    shortcomings = report.parts.get(part="shortcomings")
    save_text(report, {"shortcomings": (shortcomings.heading, CAUSES)}, actor=actor, scope_ids=scope)


def build(ctx: DemoContext) -> None:
    from fazhi.indicators import summary
    from fazhi.registers.deadlines import today

    summary.rebuild()  # the registers were bulk-loaded: the drafts read the kept figures, not a recount
    last_year = today().year - 1
    admin = User.objects.get(username="admin")
    reviewer = User.objects.get(username="yfzx")  # 审核 by another than the one who submitted it
    county = Unit.objects.filter(level=UnitLevel.COUNTY, parent__isnull=False).order_by("code").first()
    county = county or Unit.objects.filter(level=UnitLevel.COUNTY).order_by("code").first()
    if county is None:
        return
    units = [county, *county.children.filter(level=UnitLevel.TOWNSHIP).order_by("sort_order", "code")]
    for year in (last_year - 1, last_year):  # the year before first: its report is cited in part 五
        for n, unit in enumerate(units):
            _report(ctx, unit, year, n, admin=admin, reviewer=reviewer, last_year=last_year)


def _report(ctx: DemoContext, unit: Unit, year: int, n: int, *, admin, reviewer, last_year: int) -> None:
    scope = subtree_ids(unit)
    report = draft_report(unit, year, actor=admin, unit_ids=scope)
    ctx.rows["年度报告"] += 1
    # most reports of last year are out by now; a few are late, for the alerts and the roll-up to show
    stage = ctx.rng.choices(["drafting", "reviewing", "submitted", "published"], weights=[1, 1, 2, 7])[0]
    if year < last_year:
        stage = "published"
    elif n == 0:
        stage = "submitted"  # the county's own report waits to be published
    if stage == "drafting":
        return
    _write_parts(report, admin, scope)
    step = item_transition
    step(ANNUAL_REPORTS, report, "reviewing", actor=admin, scope_ids=scope, on=date(year + 1, 2, 10))
    if stage == "reviewing":
        return
    step(ANNUAL_REPORTS, report, "submitted", actor=reviewer, scope_ids=scope, on=date(year + 1, 2, 25))
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
