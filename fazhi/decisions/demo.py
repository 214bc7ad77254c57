"""Demo rows for the decisions registers, in the volumes the seeds report (合法性审查45宗, 审查意见90份,
行政协议17件, 规范性文件备案8件, 赋权129项/982项 …), over the demo years, with open items due around today."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from simple_history.utils import bulk_create_with_history

from fazhi.core.demo import DemoContext
from fazhi.org.models import Person, Unit, UnitLevel, User
from fazhi.registers.models import StatusChange
from fazhi.registers.services import refresh_deadline
from fazhi.registers.spec import register_for
from fazhi.workdays.calendar import add_months
from fazhi.workdays.services import work_calendar

from .models import (
    AdministrativeAgreement,
    AgreementKind,
    DecisionCategory,
    DecisionResult,
    DelegatedPower,
    DelegationLevel,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    Opinion,
    PowerItem,
    PowerKind,
    ReviewKind,
)

TOPICS = [
    "农村集体“三资”管理", "城乡居民医疗救助", "农村建房管理", "耕地保护补偿", "城区停车收费",
    "住房公积金提取",
    "老旧小区改造", "殡葬改革", "农村饮水安全", "乡村道路养护", "中小学校车安全", "政府投资项目管理",
    "公共资源交易", "河长制工作", "秸秆禁烧", "燃气安全管理", "养犬管理", "城市绿化管理", "户外广告设置",
    "优化营商环境", "民营企业纾困", "扶持家庭农场", "职业技能培训补贴", "困难群众临时救助",
]  # fmt: skip
DECISIONS = [
    ("国土空间总体规划", DecisionCategory.PLAN), ("城区供水价格调整", DecisionCategory.POLICY),
    ("垃圾焚烧发电项目", DecisionCategory.PROJECT), ("矿产资源出让", DecisionCategory.RESOURCE),
    ("老城区棚户区改造", DecisionCategory.PROJECT), ("公交票价调整", DecisionCategory.POLICY),
    ("义务教育学校布局调整", DecisionCategory.PLAN), ("集体土地征收补偿标准", DecisionCategory.POLICY),
]  # fmt: skip
COUNTERPARTIES = [
    "青山新能源有限公司",
    "宏达建设集团",
    "绿源环保科技有限公司",
    "华丰农业开发公司",
    "县城投公司",
]
POWER_NAMES = {
    PowerKind.LICENSE: ["{d}许可", "{d}经营许可证核发", "{d}审批"],
    PowerKind.PENALTY: ["对违反{d}规定行为的处罚", "对未取得{d}擅自经营的处罚"],
    PowerKind.INSPECTION: ["对{d}的监督检查", "{d}安全检查"],
    PowerKind.COERCION: ["查封、扣押涉嫌违法{d}物品"],
    PowerKind.CONFIRMATION: ["{d}登记"],
    PowerKind.BENEFIT: ["{d}补贴发放"],
}
LAWS = ["行政许可法", "行政处罚法", "食品安全法", "安全生产法", "土地管理法"]
SUBJECTS = [
    "食品经营",
    "建筑施工",
    "道路运输",
    "林木采伐",
    "取水",
    "排污",
    "燃气经营",
    "农药经营",
    "宅基地",
    "户外广告",
]


def _day(ctx: DemoContext, year: int, until: date) -> date:
    start = date(year, 1, 2)
    span = max(1, min((until - start).days, 360))
    return start + timedelta(days=ctx.rng.randrange(span))


class _Steps:
    """Collects the timeline of each demo item, written once the items have ids."""

    def __init__(self, history: bool):
        self.rows: list[tuple[object, list[tuple[str, str, date]]]] = []
        self.history = history  # audit history of the demo rows (left out at load-test scales)

    def add(self, item, steps: list[tuple[str, str, date]]):
        self.rows.append((item, steps))

    def save(self, by: User) -> int:
        changes = []
        types: dict[type, int] = {}
        for item, steps in self.rows:
            if type(item) not in types:
                types[type(item)] = ContentType.objects.get_for_model(item).pk
            previous = ""
            for label, to, on in steps:
                # by ids: setting the related objects costs a quarter more per row, millions at load scales
                changes.append(
                    StatusChange(
                        content_type_id=types[type(item)],
                        object_id=item.pk,
                        from_status=previous,
                        to_status=to,
                        label=label,
                        on=on,
                        by_id=by.pk,
                        note="演示数据",
                    )
                )
                previous = to
        StatusChange.objects.bulk_create(changes, batch_size=5000)
        self.rows = []
        return len(changes)


def _save(model, items: list, steps: _Steps, pending: list) -> list:
    spec = register_for(model)
    for item in items:
        refresh_deadline(spec, item)
    if steps.history:
        created = bulk_create_with_history(items, model, batch_size=2000, default_change_reason="演示数据")
    else:
        created = model.objects.bulk_create(items, batch_size=2000)
    for item, (original, item_steps) in zip(created, pending, strict=True):
        original.pk = item.pk
        steps.add(item, item_steps)
    return created


def _reviews(ctx, unit: Unit, reviewers: list[Person], per_year: int, today: date, steps: _Steps):
    calendar = work_calendar(strict=False)
    items, pending = [], []
    short = (unit.short_name or unit.name).replace("司法所", "").replace("县", "")[:2]
    for year in ctx.years:
        for n in range(ctx.rng.randint(per_year * 2 // 3, per_year * 4 // 3)):
            submitted = _day(ctx, year, today)
            kind = ctx.rng.choices(list(ReviewKind), weights=[2, 3, 4, 3, 2])[0]
            topic = ctx.rng.choice(TOPICS)
            review = LegalityReview(
                unit=unit,
                number=f"{short}审〔{year}〕{n + 1}号",
                kind=kind,
                submitter=ctx.rng.choice(
                    ["县政府办", "自然资源局", "住建局", "农业农村局", "财政局", "乡政府办公室", "市场监管局"]
                ),
                title=f"关于{topic}的{kind.label}送审稿",
                submitted_on=submitted,
                status="submitted",
                reviewer=ctx.rng.choice(reviewers) if reviewers else None,
                opinion_count=ctx.rng.choice([1, 1, 2, 3]),
            )
            timeline = [("登记", "submitted", submitted)]
            accepted = calendar.add_workdays(submitted, ctx.rng.randint(0, 2))
            if accepted <= today:
                review.accepted_on, review.status = accepted, "accepted"
                timeline.append(("受理", "accepted", accepted))
                done = calendar.add_workdays(accepted, ctx.rng.choice([4, 6, 8, 10, 12, 14, 16]))
                if ctx.rng.random() < 0.1:
                    review.returned_on = calendar.add_workdays(accepted, 2)
                    timeline.append(("退回补充材料", "returned", review.returned_on))
                    review.status = "returned"
                    resumed = calendar.add_workdays(review.returned_on, ctx.rng.randint(2, 6))
                    if resumed <= today:
                        review.paused_workdays = calendar.workdays_between(review.returned_on, resumed)
                        review.resumed_on, review.status = resumed, "accepted"
                        timeline.append(("材料补齐，继续审查", "accepted", resumed))
                        done = calendar.add_workdays(done, review.paused_workdays)
                if review.status == "accepted" and done <= today:
                    review.opinion_on, review.status = done, "issued"
                    review.opinion = ctx.rng.choices(list(Opinion), weights=[6, 3, 1])[0]
                    timeline.append(("出具审查意见", "issued", done))
            items.append(review)
            pending.append((review, timeline))
    return _save(LegalityReview, items, steps, pending)


def _documents(
    ctx, unit: Unit, issuer: str, reviews: list[LegalityReview], per_year: int, today: date, steps: _Steps
):
    """The documents reviewed in ``reviews``; ``issuer`` names the organ in 文号 and meetings."""
    calendar = work_calendar(strict=False)
    usable = [
        r
        for r in reviews
        if r.kind == ReviewKind.NORMATIVE and r.opinion in (Opinion.LAWFUL, Opinion.LAWFUL_IF_AMENDED)
    ]
    items, pending = [], []
    prefix = issuer[:2]
    seen: set[tuple[str, date]] = set()  # two reviews of one draft on one day would be one document
    for n, review in enumerate(usable[: per_year * len(ctx.years)]):
        title = f"关于{review.title[2:].replace('的规范性文件送审稿', '')}的实施办法"
        drafted_on = review.submitted_on - timedelta(days=20)
        if (title, drafted_on) in seen:
            continue
        seen.add((title, drafted_on))
        doc = NormativeDocument(
            unit=unit,
            title=title,
            drafter=review.submitter,
            drafted_on=drafted_on,
            review=review,
            status="reviewing",
            provisional=ctx.rng.random() < 0.2,
        )
        timeline = [("登记", "drafting", doc.drafted_on), ("送合法性审核", "reviewing", review.submitted_on)]
        deliberated = calendar.add_workdays(review.opinion_on, ctx.rng.randint(3, 15))
        if deliberated <= today:
            doc.deliberated_on, doc.meeting, doc.status = deliberated, f"{issuer}常务会议", "approved"
            timeline.append(("集体审议通过", "approved", deliberated))
            published = calendar.add_workdays(deliberated, ctx.rng.randint(2, 10))
            if published <= today:
                doc.published_on, doc.status = published, "published"
                doc.doc_number = f"{prefix}政规〔{published.year}〕{n + 1}号"
                doc.publish_channel = "政府门户网站"
                doc.valid_until = add_months(published, 24 if doc.provisional else 60)
                timeline.append(("公布", "published", published))
                filed = published + timedelta(days=ctx.rng.choice([5, 8, 10, 12, 14, 20, 40]))
                if filed <= today:
                    doc.filed_on, doc.filed_to, doc.status = filed, "上一级人民政府", "filed"
                    timeline.append(("报送备案", "filed", filed))
                    cleanup = date(published.year + 2, 11, 20)  # the periodic 清理 two years on
                    if cleanup <= today and ctx.rng.random() < 0.3:
                        outcome = ctx.rng.choice(
                            [("repealed", "清理：废止", "repeal"), ("amended", "清理：修改", "amend")]
                        )
                        doc.status, doc.cleanup_result, doc.cleanup_on = outcome[0], outcome[2], cleanup
                        timeline.append((outcome[1], outcome[0], cleanup))
        items.append(doc)
        pending.append((doc, timeline))
    return _save(NormativeDocument, items, steps, pending)


def _decisions(ctx, unit: Unit, reviews: list[LegalityReview], today: date, steps: _Steps):
    usable = [r for r in reviews if r.kind == ReviewKind.MAJOR_DECISION and r.opinion_on]
    items, pending, titles = [], [], set()
    for review in usable[: 4 * len(ctx.years)]:
        name, category = ctx.rng.choice(DECISIONS)
        listed = date(review.submitted_on.year, 1, 15)
        comment_from = max(listed, review.submitted_on - timedelta(days=50))
        title = f"{unit.short_name or unit.name}{name}"
        while (listed.year, title) in titles:  # one 目录 lists a matter once
            title += "（续）"
        titles.add((listed.year, title))
        decision = MajorDecision(
            unit=unit,
            year=listed.year,
            title=title,
            category=category,
            undertaker=review.submitter,
            listed_on=listed,
            comment_from=comment_from,
            comment_to=comment_from + timedelta(days=30),
            expert_required=ctx.rng.random() < 0.5,
            risk_required=ctx.rng.random() < 0.4,
            review=review,
            status="reviewing",
        )
        if decision.expert_required:
            decision.expert_on = comment_from + timedelta(days=10)
        if decision.risk_required:
            decision.risk_on = comment_from + timedelta(days=15)
        timeline = [("登记", "listed", listed), ("公开征求意见", "consulting", comment_from)]
        timeline.append(("送合法性审查", "reviewing", review.submitted_on))
        decided = review.opinion_on + timedelta(days=ctx.rng.randint(7, 30))
        if decided <= today and review.opinion != Opinion.UNLAWFUL:
            decision.decided_on, decision.meeting, decision.status = decided, "政府常务会议", "decided"
            decision.result = ctx.rng.choices(list(DecisionResult), weights=[6, 3, 1, 0])[0]
            timeline.append(("集体讨论决定", "decided", decided))
            if decided + timedelta(days=10) <= today:
                decision.published_on, decision.status = decided + timedelta(days=10), "published"
                timeline.append(("公布", "published", decision.published_on))
        items.append(decision)
        pending.append((decision, timeline))
    _save(MajorDecision, items, steps, pending)


def _agreements(ctx, unit: Unit, reviews: list[LegalityReview], today: date, steps: _Steps):
    items, pending = [], []
    for n, review in enumerate(r for r in reviews if r.kind == ReviewKind.AGREEMENT):
        agreement = AdministrativeAgreement(
            unit=unit,
            number=f"XY-{review.submitted_on.year}-{n + 1:03d}",
            title=review.title.replace("送审稿", ""),
            kind=ctx.rng.choice(list(AgreementKind)),
            counterparty=ctx.rng.choice(COUNTERPARTIES),
            amount=ctx.rng.choice([50, 120, 300, 800, 1500, 6000]),
            review=review,
            status="reviewing",
        )
        timeline = [
            ("登记", "drafting", review.submitted_on),
            ("送合法性审查", "reviewing", review.submitted_on),
        ]
        if review.opinion_on and review.opinion != Opinion.UNLAWFUL:
            early = ctx.rng.random() < 0.05  # a few signed before the opinion, as real 台账 show
            signed = review.opinion_on + timedelta(days=-3 if early else ctx.rng.randint(3, 20))
            if signed <= today:
                agreement.signed_on, agreement.status = signed, "performing"
                agreement.term_end = add_months(signed, ctx.rng.choice([6, 12, 24, 36]))
                timeline.append(("签订", "performing", signed))
                if agreement.term_end <= today:
                    agreement.closed_on, agreement.status = agreement.term_end, "completed"
                    timeline.append(("履行完毕", "completed", agreement.term_end))
        items.append(agreement)
        pending.append((agreement, timeline))
    _save(AdministrativeAgreement, items, steps, pending)


def _powers(ctx, unit: Unit, count: int, steps: _Steps):
    items, pending = [], []
    prefix = unit.code[-6:]
    for n in range(count):
        kind = ctx.rng.choices(list(POWER_NAMES), weights=[3, 6, 3, 1, 1, 1])[0]
        name = ctx.rng.choice(POWER_NAMES[kind]).format(d=ctx.rng.choice(SUBJECTS))
        listed = date(ctx.years[0], 3, 1)
        item = PowerItem(
            unit=unit,
            code=f"{prefix}-{n + 1:04d}",
            name=name,
            kind=kind,
            status="listed",
            listed_on=listed,
            basis=f"《中华人民共和国{ctx.rng.choice(LAWS)}》",
        )
        items.append(item)
        pending.append((item, [("列入清单", "listed", listed)]))
    _save(PowerItem, items, steps, pending)


def _delegations(ctx, unit: Unit, count: int, today: date, steps: _Steps):
    items, pending = [], []
    for n in range(count):
        level = ctx.rng.choices([DelegationLevel.PROVINCE, DelegationLevel.CITY], weights=[1, 7])[0]
        year = ctx.rng.choice(list(ctx.years))
        delegated = _day(ctx, year, today)
        kind = ctx.rng.choice([PowerKind.LICENSE, PowerKind.PENALTY, PowerKind.INSPECTION])
        issuer = "省政府" if level == DelegationLevel.PROVINCE else "市政府"
        item = DelegatedPower(
            unit=unit,
            name=f"{ctx.rng.choice(SUBJECTS)}{kind.label[2:]}事项（第{n + 1}项）",
            level=level,
            kind=kind,
            document=f"{issuer}关于向乡镇（街道）赋权的决定（{year}年）",
            delegated_on=delegated,
            takeover_by=delegated + timedelta(days=90),
            status="pending",
            requirements="明确承接科室和人员，完成业务培训，接入审批系统",
        )
        timeline = [("登记", "pending", delegated)]
        taken = delegated + timedelta(days=ctx.rng.randint(20, 120))
        if taken <= today:
            item.taken_on, item.status = taken, "taken"
            timeline.append(("完成承接", "taken", taken))
        items.append(item)
        pending.append((item, timeline))
    _save(DelegatedPower, items, steps, pending)


def build(ctx: DemoContext) -> None:
    from fazhi.registers.deadlines import today as local_today

    today = local_today()
    steps = _Steps(history=ctx.scale == 1)
    by = User.objects.get(username="admin")
    reviewers_by_unit: dict[int, list[Person]] = {}
    for person in Person.objects.filter(roles__code="legal_reviewer"):
        reviewers_by_unit.setdefault(person.unit_id, []).append(person)
    models = (
        LegalityReview, NormativeDocument, MajorDecision, AdministrativeAgreement, PowerItem, DelegatedPower,
    )  # fmt: skip
    before = {m: m.objects.count() for m in models}
    for county in Unit.objects.filter(level=UnitLevel.COUNTY, parent__isnull=False) or Unit.objects.filter(
        level=UnitLevel.COUNTY
    ):
        justice = county.children.filter(short_name="司法局").first()
        if justice is None:
            continue
        # the county government's reviews, documents, decisions and agreements are kept by the 司法局
        reviews = _reviews(ctx, justice, reviewers_by_unit.get(justice.pk, []), 45, today, steps)
        _documents(ctx, justice, f"{county.short_name or county.name}人民政府", reviews, 8, today, steps)
        _decisions(ctx, justice, reviews, today, steps)
        _agreements(ctx, justice, reviews, today, steps)
        for dept in county.children.filter(level=UnitLevel.DEPARTMENT).exclude(pk=justice.pk):
            _powers(ctx, dept, ctx.rng.randint(40, 160), steps)
            dept_reviews = _reviews(ctx, dept, reviewers_by_unit.get(dept.pk, []), 6, today, steps)
            _documents(ctx, dept, dept.short_name or dept.name, dept_reviews, 1, today, steps)
        for town in county.children.filter(level=UnitLevel.TOWNSHIP):
            office = town.children.filter(level=UnitLevel.OFFICE).first()
            keeper = office or town
            town_reviews = _reviews(ctx, keeper, reviewers_by_unit.get(keeper.pk, []), 15, today, steps)
            _decisions(ctx, keeper, town_reviews, today, steps)
            _agreements(ctx, keeper, town_reviews, today, steps)
            _powers(ctx, town, ctx.rng.randint(60, 140), steps)
            _delegations(ctx, town, ctx.rng.randint(40, 110), today, steps)
        ctx.rows["status changes"] += steps.save(by)  # per county, so memory stays flat at any scale
    for model, count in before.items():
        ctx.rows[model._meta.verbose_name] += model.objects.count() - count
    _record_causes(ctx, models, today)


# Why an item ran past its time limit, as clerks record it in the item's 备注.
CAUSES = [
    "起草单位未按期报送备案材料",
    "送审材料不全，已通知起草单位补充",
    "需征求上级主管部门意见，尚未回复",
    "承办人员调整，工作交接延误",
    "涉及多个部门职责，尚在协调",
]


def _record_causes(ctx: DemoContext, models, today: date) -> None:
    """Most overdue open items carry the cause the clerk recorded; a few do not yet."""
    for model in models:
        spec = register_for(model)
        late = model.objects.filter(due_date__lt=today, note="").exclude(status__in=spec.workflow.closed)
        by_cause: dict[str, list[int]] = {}
        for pk in late.values_list("pk", flat=True):
            if ctx.rng.random() < 0.8:
                by_cause.setdefault(ctx.rng.choice(CAUSES), []).append(pk)
        for cause, pks in by_cause.items():  # one UPDATE per cause and 10,000 items, not per item
            for start in range(0, len(pks), 10_000):
                model.objects.filter(pk__in=pks[start : start + 10_000]).update(note=cause)
