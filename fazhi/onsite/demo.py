"""Demo rows of 扫码入检: the county's yearly 企业安静期 (每月1日至20日), a QR token for every demo
enterprise, and about 120 visits per scale logged through the service (some in the quiet days for a
reason the period does not allow, so flagged; a few enterprises visited often, so 重复检查 shows).
Enterprises come from the 检查对象名录库 demo; without any, only the quiet periods are made."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.core.demo import DemoContext
from fazhi.enforcement.models import Certificate
from fazhi.enforcement.selectors import valid_on
from fazhi.inspections.models import DrawnObject, InspectionObject, InspectionPlan, ObjectKind
from fazhi.org.models import Person, Unit, UnitLevel, User

from . import selectors, services
from .models import DEFAULT_ALLOWED_REASONS, QuietPeriod, VisitReason

VISITS_PER_SCALE = 120  # each goes through the service (about 30 queries): the demo is built by many tests
BASIS = "{county}人民政府办公室关于实行涉企行政检查“企业安静期”制度的通知"
REASONS = [
    (VisitReason.RANDOM, 0.3),
    (VisitReason.COMPLAINT, 0.3),
    (VisitReason.ASSIGNED, 0.15),
    (VisitReason.SPECIAL, 0.12),
    (VisitReason.MAJOR_RISK, 0.08),
    (VisitReason.OTHER, 0.05),
]
# most checks for a reason the quiet period does not allow are made after its days (21日 on)
KEEPS_QUIET = 0.5
OTHER_TEXTS = ["配合上级专项督查", "企业申请指导服务", "核实举报线索前期走访"]
NOTES = ["", "", "", "现场未发现问题", "责令当场整改", "出具检查记录"]


def build(ctx: DemoContext) -> None:
    rng = random.Random(repr(ctx.rng.getstate()) + "onsite")  # leaves the shared generator untouched
    admin = User.objects.get(username="admin")
    counties = list(
        Unit.objects.filter(level=UnitLevel.COUNTY, children__level=UnitLevel.DEPARTMENT).distinct()
    )
    everyone = list(Unit.objects.values_list("pk", flat=True))
    for county in counties:
        for year in ctx.years:
            period = QuietPeriod(
                unit=county, title=f"{year}年企业安静期", basis=BASIS.format(county=county.name),
                valid_from=date(year, 1, 1), valid_to=date(year, 12, 31), first_day=1, last_day=20,
                all_enterprises=True, allowed_reasons=list(DEFAULT_ALLOWED_REASONS),
            )  # fmt: skip
            services.save_quiet_period(period, actor=admin, scope_ids=everyone)
            ctx.rows["onsite_quiet_periods"] += 1
    ids = list(
        InspectionObject.objects.filter(kind=ObjectKind.ENTERPRISE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 5000):
        chunk = InspectionObject.objects.filter(pk__in=ids[start : start + 5000]).only("pk", "kind")
        ctx.rows["onsite_codes"] += len(services.ensure_codes(chunk))
    _link_demo_officer()
    if ids:
        _visits(ctx, rng, ids, admin)


def _link_demo_officer() -> None:
    """The demo login of the 市场监管局 (scjg) is one of its certified officers, so it can scan."""
    user = User.objects.filter(username="scjg", person__isnull=True).select_related("unit").first()
    if user is None or user.unit is None:
        return
    today = timezone.localdate()
    holders = Certificate.objects.filter(valid_on(today), unit=user.unit).values("holder_id")
    person = Person.objects.filter(pk__in=holders, user__isnull=True).order_by("pk").first()
    if person is not None:
        user.person = person
        user.save(update_fields=["person"])


def _drawn(ids: list[int]) -> list[tuple[int, InspectionPlan]]:
    """(enterprise id, plan) for every demo enterprise a drawn 抽查计划 selected."""
    drawn = list(
        DrawnObject.objects.filter(plan__status__in=selectors.DRAWN_STATES).values_list(
            "credit_code", "plan_id"
        )
    )
    codes = {code for code, _ in drawn}
    known = set(ids)  # tens of thousands at load-test scales: too many for one SQL IN list
    by_code = {
        code: pk
        for code, pk in InspectionObject.objects.filter(credit_code__in=codes).values_list(
            "credit_code", "pk"
        )
        if pk in known
    }
    plans = InspectionPlan.objects.defer("objects_text", "inspectors_text", "conflicts_text").in_bulk(
        {plan for _, plan in drawn}
    )
    return [(by_code[code], plans[plan]) for code, plan in drawn if code in by_code]


def _visits(ctx: DemoContext, rng: random.Random, ids: list[int], admin: User) -> None:
    today = timezone.localdate()
    first = max(date(ctx.years[0], 1, 1), today - timedelta(days=540))
    # a few enterprises get a third of the visits, so some pass the 重复检查 threshold
    busy = rng.sample(ids, max(1, min(5, len(ids) // 10)))
    drawn = _drawn(ids)
    departments: dict[int | None, list[Unit]] = {}
    officers: dict[tuple[int, date], list[Person]] = {}
    reasons, weights = zip(*REASONS, strict=True)
    made = 0
    for _ in range(VISITS_PER_SCALE * ctx.scale * 10):  # some draws find no two certified officers
        if made >= VISITS_PER_SCALE * ctx.scale:
            break
        reason = rng.choices(reasons, weights)[0]
        plan, earliest = None, first
        if reason == VisitReason.RANDOM and drawn:
            pk, plan = rng.choice(drawn)  # a 双随机 check visits what its plan drew, after the draw
            earliest = max(first, plan.drawn_on or first)
        else:
            if reason == VisitReason.RANDOM:
                reason = VisitReason.COMPLAINT
            pk = rng.choice(busy) if rng.random() < 0.35 else rng.choice(ids)
        enterprise = InspectionObject.objects.select_related("unit").get(pk=pk)
        county = selectors.county_of(enterprise.unit)
        if county not in departments:
            certifying = Certificate.objects.values("unit_id")  # departments with enforcement officers
            departments[county] = list(
                Unit.objects.filter(parent_id=county, level=UnitLevel.DEPARTMENT, pk__in=certifying).order_by(
                    "pk"
                )
            )
        if not departments[county] or earliest > today:
            continue
        unit = rng.choice(departments[county])
        day = earliest + timedelta(days=rng.randrange((today - earliest).days + 1))
        if reason not in DEFAULT_ALLOWED_REASONS and day.day <= 20 and rng.random() < KEEPS_QUIET:
            day = day.replace(day=21 + rng.randrange(7))
        key = (unit.pk, day)
        if key not in officers:
            holders = Certificate.objects.filter(valid_on(day), unit=unit).values("holder_id")
            officers[key] = list(Person.objects.filter(pk__in=holders).order_by("pk"))
        if len(officers[key]) < 2:
            continue
        team = rng.sample(officers[key], 2)
        moment = timezone.make_aware(
            datetime.combine(day, time(8, 30)) + timedelta(minutes=rng.randrange(540))
        )
        if moment > timezone.now():
            continue
        try:
            services.record_visit(
                enterprise, actor=admin, officer=team[0], co_officers=team[1:], reason=reason, plan=plan,
                reason_text=rng.choice(OTHER_TEXTS) if reason == VisitReason.OTHER else "",
                note=rng.choice(NOTES), at=moment,
            )  # fmt: skip
        except ValidationError:
            continue  # e.g. fewer certified officers than a county's own officers_min
        made += 1
    ctx.rows["onsite_visits"] += made
