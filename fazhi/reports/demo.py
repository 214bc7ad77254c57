"""Demo annual reports: last year's report of the first county and of its townships, drafted from the
demo registers and at different stages (some published, some submitted, some still drafts)."""

from __future__ import annotations

from datetime import date

from fazhi.core.demo import DemoContext
from fazhi.org.models import Unit, UnitLevel, User
from fazhi.org.selectors import subtree_ids
from fazhi.registers.services import item_transition

from .builder import draft_report
from .models import AnnualReport
from .registers import ANNUAL_REPORTS

# What a clerk writes in the parts the registers cannot draft, in the words the seed reports use.
WRITTEN = {
    "first_responsible": (
        "（一）认真履行第一责任人职责。党政主要负责人年内{n}次主持召开会议专题研究法治政府建设工作，"
        "将法治政府建设纳入年度工作要点和绩效考核。\n"
        "（二）带头尊法学法守法用法。全年开展政府常务会议会前学法{m}次，主要负责人在年终述职中专题述法。"
    ),
    "next_year": (
        "（一）持续提升依法决策水平，严格落实合法性审查和重大行政决策程序。\n"
        "（二）深化行政执法“三项制度”，开展行政执法案卷评查。\n"
        "（三）加强法治宣传教育，落实“谁执法谁普法”普法责任制。"
    ),
    "shortcomings": "一是部分干部运用法治思维和法治方式的能力还需提升；二是基层法治力量较为薄弱。",
}


def _write_parts(ctx: DemoContext, report: AnnualReport) -> None:
    """Fill the parts a clerk writes by hand, so the report can go to 审核 (every part has text)."""
    for part in report.parts.all():
        if part.part in WRITTEN and not part.text.strip():
            part.text = WRITTEN[part.part].format(n=ctx.rng.randint(2, 5), m=ctx.rng.randint(4, 12))
            part.save(update_fields=["text"])


def build(ctx: DemoContext) -> None:
    from fazhi.registers.deadlines import today

    year = today().year - 1
    admin = User.objects.get(username="admin")
    reviewer = User.objects.get(username="yfzx")  # 审核 by another than the one who submitted it
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
        _write_parts(ctx, report)
        step = item_transition
        step(ANNUAL_REPORTS, report, "reviewing", actor=admin, scope_ids=scope, on=date(year + 1, 2, 10))
        if stage == "reviewing":
            continue
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
