"""Demo rows of 双随机、一公开: a 检查对象名录库 of a few hundred market entities per township (valid
统一社会信用代码, 行业, 区域 by village, 风险等级), the township's certified 综合行政执法队员 as its
执法检查人员名录库 with a few 回避 conflicts, and 抽查计划 taken through the same services the pages use
(冻结名录, 公布种子来源, two people entering the seed, 抽取, 结果录入, 公示): in past years published, some
late; this year one plan in each state, one with its results due around today."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from fazhi.core.demo import DemoContext
from fazhi.enforcement.models import Certificate, CertificateStatus
from fazhi.org.models import Unit, UnitLevel, User
from fazhi.org.selectors import subtree_ids
from fazhi.registers.bulk import insert_history
from fazhi.registers.deadlines import today as local_today

from . import services
from .credit_codes import make as credit_code
from .models import Conflict, InspectionObject, InspectionPlan, Inspector, ObjectKind, PlanStatus

# at every scale: ``--scale`` already multiplies the townships (it multiplied both: scale² entities,
# 1.75 million at --scale 27, none of them counted by an indicator)
OBJECTS_PER_TOWNSHIP = (180, 300)
TRADES = [
    # (行业, 风险等级 weights A/B/C/D, enterprise name tails, 个体工商户 name tails)
    ("餐饮服务", (3, 5, 2, 1), ["餐饮管理有限公司", "酒店有限公司"], ["小吃店", "面馆", "农家乐", "快餐店"]),
    ("食品销售", (4, 5, 1, 0), ["商贸有限公司", "超市有限公司"], ["便利店", "副食店", "粮油店"]),
    ("药品零售", (3, 4, 2, 1), ["大药房有限公司", "医药连锁有限公司"], ["药店"]),
    ("特种设备", (1, 3, 3, 2), ["机械设备有限公司", "电梯工程有限公司"], ["汽修厂"]),
    ("建筑施工", (1, 3, 4, 2), ["建筑工程有限公司", "建材有限公司"], ["建材经营部"]),
    ("危险化学品", (0, 2, 4, 3), ["化工有限公司", "燃气有限公司"], ["液化气供应站"]),
]
BRANDS = [
    "宏达", "鑫源", "恒泰", "富民", "兴旺", "永盛", "金桥", "华丰", "瑞祥", "天成",
    "聚福", "盛世", "益康", "百信", "惠民", "顺发", "德润", "康泰", "嘉禾", "隆昌",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
RESULTS = [  # (检查结果, 处理情况), most inspections find nothing
    ("未发现问题", ""),
    ("未发现问题", ""),
    ("未发现问题", ""),
    ("发现问题已责令整改", "责令限期整改，已复查合格"),
    ("未按规定公示许可证照", "责令改正，已整改"),
    ("发现违法行为", "已立案查处"),
    ("通过登记的住所无法联系", "列入经营异常名录"),
]
PLANS = [  # (抽查事项, 行业 filter, 抽取户数 or None for 5%)
    ("食品经营者日常监督检查", "食品销售", 8),
    ("餐饮服务食品安全监督检查", "餐饮服务", 8),
    ("危险化学品经营安全检查", "危险化学品", None),
]
STATES = [PlanStatus.DRAFT, PlanStatus.FROZEN, PlanStatus.SEED_ANNOUNCED, PlanStatus.DRAWN]


def build(ctx: DemoContext) -> None:
    rng = random.Random(repr(ctx.rng.getstate()))  # the contributors after this one draw the same numbers
    today = local_today()
    history = ctx.scale == 1
    users = list(User.objects.filter(is_active=True).order_by("pk")[:2])
    if len(users) < 2:
        return
    townships = list(Unit.objects.filter(level=UnitLevel.TOWNSHIP).order_by("pk"))
    counties = list(dict.fromkeys(t.parent_id for t in townships))
    if ctx.scale > 1:
        counties = counties[:2]  # plans go through the services one step at a time: a sample is enough
    objects, inspectors, pairs = [], [], []
    serial = 0
    for township in townships:
        regions = list(
            Unit.objects.filter(parent=township, level=UnitLevel.VILLAGE).values_list("short_name", flat=True)
        ) or [township.short_name or township.name]
        made = []
        for _ in range(rng.randint(*OBJECTS_PER_TOWNSHIP)):
            serial += 1
            trade, weights, companies, shops = rng.choice(TRADES)
            brand = rng.choice(BRANDS)
            roll = rng.random()
            if roll < 0.6:
                kind, name, prefix = (
                    ObjectKind.ENTERPRISE,
                    f"{township.short_name}{brand}{rng.choice(companies)}",
                    "91",
                )
            elif roll < 0.95:
                surname = rng.choice(SURNAMES)
                kind, name, prefix = (
                    ObjectKind.INDIVIDUAL,
                    f"{township.short_name}{surname}记{rng.choice(shops)}",
                    "92",
                )
            else:
                kind, name, prefix = ObjectKind.OTHER, f"{township.short_name}{brand}农民专业合作社", "93"
            made.append(
                InspectionObject(
                    unit=township, status="listed", name=name, kind=kind, industry=trade,
                    credit_code=credit_code(prefix, "330102", serial * 7919 % 10**9),
                    region=rng.choice(regions), risk=rng.choices("ABCD", weights)[0],
                    listed_on=date(ctx.years[0] - 1, 1, 1) + timedelta(days=rng.randrange(365 * 2)),
                )
            )  # fmt: skip
        objects += made
        certificates = Certificate.objects.filter(
            unit_id__in=subtree_ids(township), status=CertificateStatus.VALID
        ).order_by("pk")
        own = [
            Inspector(
                unit_id=c.unit_id, status="listed", certificate=c.number, person_id=c.holder_id,
                field="综合行政执法", listed_on=c.issued_on,
            )
            for c in certificates
        ]  # fmt: skip
        inspectors += own
        for inspector in own:  # 回避: a relative runs a shop, or the inspector used to work there
            for obj in rng.sample(made, k=min(len(made), rng.choice([0, 0, 1, 2]))):
                pairs.append(
                    (inspector, obj.credit_code, rng.choice(["近亲属经营", "曾在该单位任职", "有经济往来"]))
                )
    now = timezone.now()
    for item in (*objects, *inspectors):
        item.version, item.created_at, item.updated_at = 1, now, now
    objects = InspectionObject.objects.bulk_create(objects, batch_size=2000)
    inspectors = Inspector.objects.bulk_create(inspectors, batch_size=2000)
    if history:  # the audit rows, copied by the database from the rows just written
        by = User.objects.get(username="admin")
        insert_history(objects, user_id=by.pk, at=now, reason="演示数据")
        insert_history(inspectors, user_id=by.pk, at=now, reason="演示数据")
    Conflict.objects.bulk_create([Conflict(inspector=i, credit_code=c, reason=r) for i, c, r in pairs])
    ctx.rows[InspectionObject._meta.verbose_name] += len(objects)
    ctx.rows[Inspector._meta.verbose_name] += len(inspectors)
    ctx.rows[Conflict._meta.verbose_name] += len(pairs)

    plans = 0
    staffed = set(Inspector.objects.values_list("unit_id", flat=True))
    for county_id in counties:
        towns = [t for t in townships if t.parent_id == county_id and _staffed(t, staffed)]
        if not towns:
            continue
        scope = subtree_ids(Unit.objects.get(pk=county_id))
        n = 0
        for year in ctx.years:
            current = year == today.year
            for title, industry, count in PLANS:
                town = towns[n % len(towns)]
                n += 1
                target = PlanStatus.PUBLISHED
                plans += _plan(rng, town, year, title, industry, count, users, scope, today, target, n)
            if current:  # one plan in each earlier state, and one with its results due around today
                for k, state in enumerate([*STATES, PlanStatus.RESULTS]):
                    town = towns[(n + k) % len(towns)]
                    title, industry, count = PLANS[k % len(PLANS)]
                    title = f"{title}（第二批）"
                    plans += _plan(rng, town, year, title, industry, count, users, scope, today, state, n + k)
    ctx.rows[InspectionPlan._meta.verbose_name] += plans


def _staffed(town: Unit, staffed: set[int]) -> bool:
    return bool(staffed & set(subtree_ids(town)))


def _plan(rng: random.Random, town: Unit, year: int, title: str, industry: str, count: int | None,
          users: list[User], scope: list[int], today: date, target: PlanStatus, n: int) -> int:  # fmt: skip
    """One plan taken through the services up to ``target``."""
    first, second = users
    if year == today.year:
        if target == PlanStatus.RESULTS:
            start = today - timedelta(days=45)  # results recorded ~4 weeks ago: due around today
        elif target == PlanStatus.PUBLISHED:
            start = today - timedelta(days=90 + rng.randint(0, 60))
        else:
            start = today - timedelta(days=rng.randint(6, 12))
    else:
        start = date(year, 3, 1) + timedelta(days=(n * 47) % 240)
    plan = InspectionPlan(
        unit=town, title=title, year=year, filter_industry=industry, count=count,
        percent=None if count else 5, by_risk=True, inspectors_per_object=2, drafted_on=start,
    )  # fmt: skip
    try:
        plan = services.plan_create(plan, actor=first, scope_ids=scope)
        common = dict(scope_ids=scope)
        steps = [PlanStatus.FROZEN, PlanStatus.SEED_ANNOUNCED, PlanStatus.DRAWN, PlanStatus.RESULTS,
                 PlanStatus.PUBLISHED]  # fmt: skip
        wanted = steps[: steps.index(target) + 1] if target in steps else []
        day = start
        for step in wanted:
            if step == PlanStatus.FROZEN:
                day += timedelta(days=2)
                plan = services.freeze(plan, actor=first, version=plan.version, on=day, **common)
            elif step == PlanStatus.SEED_ANNOUNCED:
                day += timedelta(days=1)
                issue = f"{year}{n:03d}"
                plan = services.announce_seed_source(
                    plan, actor=first, version=plan.version, on=day, **common,
                    source=f"中国福利彩票双色球第{issue}期开奖号码（前六个红球号码依次连写）",
                )  # fmt: skip
                seed = "".join(f"{b:02d}" for b in sorted(rng.sample(range(1, 34), 6)))
                plan = services.enter_seed(plan, actor=first, version=plan.version, value=seed, **common)
                plan = services.enter_seed(plan, actor=second, version=plan.version, value=seed, **common)
            elif step == PlanStatus.DRAWN:
                day += timedelta(days=2)
                plan = services.draw_plan(plan, actor=first, version=plan.version, on=day, **common)
            elif step == PlanStatus.RESULTS:
                day += timedelta(days=14 if year == today.year and target == PlanStatus.RESULTS else 20)
                drawn = list(plan.drawn.values_list("credit_code", flat=True))
                outcomes = {code: rng.choice(RESULTS) for code in drawn}
                plan = services.record_results(
                    plan, actor=first, version=plan.version, on=min(day, today), **common,
                    results={c: r for c, (r, _) in outcomes.items()},
                    handling={c: h for c, (_, h) in outcomes.items()},
                )  # fmt: skip
                day = min(day, today)
            elif step == PlanStatus.PUBLISHED:
                due = services.results_due(plan) or day
                late = rng.random() < 0.25
                on = (
                    due + timedelta(days=rng.randint(3, 20))
                    if late
                    else day + timedelta(days=rng.randint(2, 12))
                )
                on = min(on, today)
                plan = services.publish(plan, actor=first, version=plan.version, on=on, **common)
    except Exception as exc:  # a demo must not half-build silently: say which plan failed and why
        raise RuntimeError(f"演示抽查计划“{town.name}{year}年{title}”未能办理：{exc}") from exc
    return 1
