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

from .models import Certificate, EnforcementField, ExamSitting, Training
from .registers import certificate_derive

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
    ctx.rows["status changes"] += steps.save(by)
    ctx.rows[Certificate._meta.verbose_name] += len(certificates)
    ctx.rows[Training._meta.verbose_name] += len(trainings)
    ctx.rows[ExamSitting._meta.verbose_name] += len(exams)
