"""Demo rows of the enforcement registers: a certificate for most of the demo's 执法人员 (those with the
role enforcement_officer, by department and township), renewals and withdrawals over the demo years, some
expiring around today, their yearly training and the 执法资格考试 sittings."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from fazhi.core.demo import DemoContext
from fazhi.decisions.demo import _Steps
from fazhi.org.models import Person, User
from fazhi.registers.deadlines import today as local_today
from fazhi.registers.services import refresh_deadline
from fazhi.registers.spec import register_for

from .models import (
    CaseStatus,
    CaseType,
    Certificate,
    EnforcementCase,
    EnforcementField,
    ExamSitting,
    Outcome,
    PartyKind,
    Training,
)
from .registers import case_derive, certificate_derive

FIELDS = {
    "市场监管局": EnforcementField.MARKET, "生态环境分局": EnforcementField.ECOLOGY,
    "交通运输局": EnforcementField.TRANSPORT, "农业农村局": EnforcementField.AGRICULTURE,
    "应急管理局": EnforcementField.EMERGENCY, "自然资源局": EnforcementField.NATURAL_RESOURCES,
    "文旅广电局": EnforcementField.CULTURE,
}  # fmt: skip
COURSES = [
    "《行政处罚法》专题培训", "行政执法文书规范制作", "执法全过程记录实务", "行政执法案卷评查",
    "包容审慎监管与轻微违法不罚", "安全生产执法检查实务", "行政复议与应诉案例分析",
]  # fmt: skip
CLOSE_REASONS = ["调离执法岗位", "退休", "违规执法被收回", "年审不合格"]
YEARS_VALID = 5  # 证件有效期 as provincial 执法证件管理办法 commonly set (rules.md 10.4)


def _save(model, items: list, steps: _Steps, timelines: list) -> None:
    spec = register_for(model)
    for item in items:
        if model is Certificate:
            certificate_derive(item)
        if model is EnforcementCase:
            case_derive(item)
        refresh_deadline(spec, item)
    if steps.history:
        created = bulk_create_with_history(items, model, batch_size=2000, default_change_reason="演示数据")
    else:
        created = model.objects.bulk_create(items, batch_size=2000)
    for item, timeline in zip(created, timelines, strict=True):
        steps.add(item, timeline)


def build(ctx: DemoContext) -> None:
    today = local_today()
    # an own generator seeded from the shared one's state, so the contributors after this one draw the
    # same numbers with or without it
    rng = random.Random(repr(ctx.rng.getstate()))
    steps = _Steps(history=ctx.scale == 1)
    by = User.objects.get(username="admin")
    officers = list(
        Person.objects.filter(roles__code="enforcement_officer").select_related("unit").order_by("pk")
    )
    certificates, cert_steps = [], []
    trainings, training_steps = [], []
    exams, exam_steps = [], []
    first_year = ctx.years[0]
    for n, person in enumerate(officers):
        unit = person.unit
        field = FIELDS.get(unit.short_name, EnforcementField.COMPREHENSIVE)
        if rng.random() < 0.1:
            continue  # a few officers have no certificate yet
        # the first certificate: issued before the demo years or within them (new staff passed the exam)
        issued = date(first_year - 4, 1, 1) + timedelta(days=rng.randrange(365 * (len(ctx.years) + 3)))
        issued = min(issued, today - timedelta(days=20))
        if issued.year >= first_year:
            sat = issued - timedelta(days=rng.randint(30, 90))
            exams.append(
                ExamSitting(
                    unit=unit,
                    ticket=f"ZK{sat.year}{n:05d}",
                    person=person,
                    sat_on=sat,
                    score=Decimal(rng.randint(60, 98)),
                    passed=True,
                    status="recorded",
                )
            )
            exam_steps.append([("登记", "recorded", sat)])
        serial = 0
        while True:
            serial += 1
            expires = issued + timedelta(days=365 * YEARS_VALID - 1)
            if rng.random() < 0.04:  # some expire around today, for the 临期/逾期 alerts
                expires = today + timedelta(days=rng.randint(-10, 45))
            cert = Certificate(
                unit=unit, holder=person, number=f"{unit.code[-6:]}{person.pk:06d}{serial}", field=field,
                issuer="县人民政府", issued_on=issued, expires_on=max(expires, issued), status="valid",
            )  # fmt: skip
            timeline = [("登记", "valid", issued)]
            renewal = cert.expires_on + timedelta(days=1)
            closing = date(first_year, 1, 1) + timedelta(days=rng.randrange(365 * len(ctx.years)))
            if issued < closing <= today and rng.random() < 0.08:
                to = rng.choice(["revoked", "withdrawn"])
                cert.status, cert.closed_on, cert.closed_reason = to, closing, rng.choice(CLOSE_REASONS)
                timeline.append(("注销" if to == "revoked" else "收回", to, closing))
            elif rng.random() < 0.02:
                suspended = issued + timedelta(days=rng.randint(30, 300))
                if suspended <= today:
                    cert.status, cert.suspended_on = "suspended", suspended
                    cert.suspension_reason = "涉嫌违法违纪被立案调查"
                    timeline.append(("暂扣", "suspended", suspended))
            certificates.append(cert)
            cert_steps.append(timeline)
            if cert.status != "valid" or renewal > today:
                break
            # 换证 on expiry: the old one is 注销 the day the new one is issued
            cert.status, cert.closed_on, cert.closed_reason = "revoked", renewal, "期满换发新证"
            timeline.append(("注销", "revoked", renewal))
            issued = renewal
        for year in ctx.years:
            hours, k = 0, 0
            target = rng.choice([40, 60, 60, 64, 72, 80])
            while hours < target and k < 8:
                on = date(year, 1, 10) + timedelta(days=rng.randrange(340))
                if on > today:
                    break
                h = rng.choice([4, 8, 12, 16, 24])
                trainings.append(
                    Training(
                        unit=unit,
                        person=person,
                        trained_on=on,
                        hours=Decimal(h),
                        course=f"{rng.choice(COURSES)}（{year}年第{k + 1}期）",
                        status="recorded",
                    )
                )
                training_steps.append([("登记", "recorded", on)])
                hours, k = hours + h, k + 1
    # candidates who failed the exam
    for n, person in enumerate(officers[: len(officers) // 5]):
        sat = date(rng.choice(list(ctx.years)), 6, 15)
        if sat <= today:
            exams.append(
                ExamSitting(
                    unit=person.unit,
                    ticket=f"ZK{sat.year}F{n:05d}",
                    person=person,
                    sat_on=sat,
                    score=Decimal(rng.randint(35, 59)),
                    passed=False,
                    status="recorded",
                )
            )
            exam_steps.append([("登记", "recorded", sat)])
    _save(Certificate, certificates, steps, cert_steps)
    _save(Training, trainings, steps, training_steps)
    _save(ExamSitting, exams, steps, exam_steps)
    cases, case_steps = _cases(ctx, rng, certificates, today)
    _save(EnforcementCase, cases, steps, case_steps)
    ctx.rows["status changes"] += steps.save(by)
    ctx.rows[EnforcementCase._meta.verbose_name] += len(cases)
    ctx.rows[Certificate._meta.verbose_name] += len(certificates)
    ctx.rows[Training._meta.verbose_name] += len(trainings)
    ctx.rows[ExamSitting._meta.verbose_name] += len(exams)


CAUSES = [
    "未按规定公示食品经营许可证", "占道经营", "违规设置户外广告", "未取得道路运输经营许可擅自经营",
    "超标排放水污染物", "销售不符合安全标准的农药", "未按规定开展安全生产教育培训", "违法占用耕地建房",
    "经营场所未落实消防安全责任", "未经许可经营网吧",
]  # fmt: skip
PARTIES = ["商贸有限公司", "餐饮店", "物流有限公司", "农业专业合作社", "建材经营部", "便利店"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "志强", "丽娟", "海峰", "春梅", "卫东", "桂兰"]
CASE_STEPS = [
    ("调查取证", CaseStatus.INVESTIGATING, "investigated_on", 20),
    ("告知", CaseStatus.NOTIFIED, "notified_on", 15),
    ("法制审核", CaseStatus.REVIEWED, "legal_review_on", 7),
    ("作出决定", CaseStatus.DECIDED, "decided_on", 5),
    ("送达", CaseStatus.SERVED, "served_on", 3),
    ("执行", CaseStatus.EXECUTED, "executed_on", 20),
    ("结案", CaseStatus.CLOSED, "closed_on", 10),
]


def _cases(ctx: DemoContext, rng: random.Random, certificates: list, today: date):
    """Cases of the units with two officers certified throughout: a few hundred at scale 1, mostly
    closed, about a quarter filed in the last hundred days and open with their limits around today."""
    by_unit: dict[int, list[Certificate]] = {}
    for cert in certificates:
        if cert.status == "valid":
            by_unit.setdefault(cert.unit_id, []).append(cert)
    cases, timelines = [], []
    first = date(ctx.years[0], 1, 1)
    n = 0
    for unit_id, certs in sorted(by_unit.items()):
        for _ in range(4 * ctx.scale):
            filed = first + timedelta(days=rng.randrange((today - first).days - 10))
            if rng.random() < 0.25:
                filed = today - timedelta(days=rng.randint(10, 100))
            end = min(filed + timedelta(days=100), today)
            officers = [c.holder for c in certs if c.issued_on <= filed and c.expires_on >= end]
            if len(officers) < 2:
                continue
            n += 1
            lead, co = rng.sample(officers, 2)
            person = rng.random() < 0.4
            party = rng.choice(SURNAMES) + rng.choice(GIVEN)
            case = EnforcementCase(
                unit_id=unit_id, status=CaseStatus.FILED, number=f"执罚立〔{filed.year}〕{n}号",
                case_type=CaseType.PENALTY, party_kind=PartyKind.PERSON if person else PartyKind.ORGANIZATION,
                party_person=party,
                party_organization="" if person else f"青山县{party[-2:]}{rng.choice(PARTIES)}",
                cause=rng.choice(CAUSES), lead_handler=lead, co_handler=co, filed_on=filed,
                major=rng.random() < 0.15,
            )  # fmt: skip
            timeline = [("登记", CaseStatus.FILED, filed)]
            on = filed
            for label, to, field, days in CASE_STEPS:
                if to == CaseStatus.REVIEWED and not case.major and rng.random() < 0.7:
                    continue
                on = on + timedelta(days=rng.randint(1, days))
                if on > today:
                    break
                setattr(case, field, on)
                case.status = to
                timeline.append((label, to, on))
                if to == CaseStatus.DECIDED:
                    roll = rng.random()
                    case.outcome = (
                        Outcome.PENALTY if roll < 0.8 else Outcome.NO_PENALTY_MINOR if roll < 0.9
                        else Outcome.NO_PENALTY_FIRST
                    )  # fmt: skip
                    if case.outcome != Outcome.PENALTY:
                        break  # 不予处罚: closed by hand later
                    case.fine_amount = Decimal(rng.choice([500, 2000, 5000, 10000, 50000]))
                    published = on + timedelta(days=rng.randint(1, 12))
                    if published <= today and rng.random() < 0.9:
                        case.published_on = published
            cases.append(case)
            timelines.append(timeline)
    return cases, timelines
