"""Demo rows of the enforcement registers: a certificate for most of the demo's 执法人员 (those with the
role enforcement_officer, by department and township), renewals and withdrawals over the demo years, some
expiring around today, their yearly training and the 执法资格考试 sittings; then the counties' 裁量基准
and 四张清单 (``fazhi.discretion.demo``) and the cases that rely on them, with their 全过程记录.

At load-test scales (``ctx.scale > 1``) the cases are most of the register rows: ``CASES_PER_UNIT``
cases per unit with two certified officers (about 60% of the rows at the 10⁶-row bench scale), written
in bulk without audit history."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from fazhi.core.demo import DemoContext
from fazhi.decisions.demo import _Steps
from fazhi.discretion import demo as discretion_demo
from fazhi.discretion.models import ListKind
from fazhi.org.models import Person, Unit, User
from fazhi.registers.deadlines import today as local_today
from fazhi.registers.services import refresh_deadline
from fazhi.registers.spec import register_for

from .models import (
    EXECUTED_OUTCOMES,
    CaseRecord,
    CaseStatus,
    CaseType,
    Certificate,
    EnforcementCase,
    EnforcementField,
    ExamSitting,
    Outcome,
    PartyKind,
    RecordKind,
    RecordStep,
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


def _sessions(
    rng: random.Random, known: dict, unit_id: int, year: int, today: date
) -> list[tuple[date, int, str]]:
    """The training sessions a unit holds in a year (开展执法培训N场次), up to today: (day, hours, course),
    made the first time they are asked for."""
    if (unit_id, year) not in known:
        days = sorted(
            date(year, 1, 10) + timedelta(days=rng.randrange(340)) for _ in range(rng.randint(6, 10))
        )
        known[unit_id, year] = [
            (on, rng.choice([4, 8, 12, 16, 24]), f"{rng.choice(COURSES)}（{year}年第{k}期）")
            for k, on in enumerate(days, 1)
            if on <= today
        ]
    return known[unit_id, year]


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
    sessions: dict[tuple[int, int], list[tuple[date, int, str]]] = {}
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
            # the officer attends some of the sessions the unit holds that year, until the hours suffice
            hours, target = 0, rng.choice([40, 60, 60, 64, 72, 80])
            held = _sessions(rng, sessions, unit.pk, year, today)
            for on, h, course in sorted(rng.sample(held, len(held))[:8]):
                if hours >= target:
                    break
                trainings.append(
                    Training(
                        unit=unit,
                        person=person,
                        trained_on=on,
                        hours=Decimal(h),
                        course=course,
                        status="recorded",
                    )
                )
                training_steps.append([("登记", "recorded", on)])
                hours += h
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
    adopted = discretion_demo.build(ctx, steps)
    ctx.rows["status changes"] += steps.save(by)
    # the cases county by county, so memory stays flat at load-test scales
    by_county = _by_county(certificates, set(adopted))
    numbers = itertools.count(1)
    for county_id, certs in by_county:
        cases, case_steps, others, records = _cases(ctx, rng, certs, today, adopted[county_id], numbers)
        _save(EnforcementCase, cases, steps, case_steps)
        _save_links(cases, others, records, steps.history)
        ctx.rows[CaseRecord._meta.verbose_name] += sum(len(r) for r in records)
        ctx.rows[EnforcementCase._meta.verbose_name] += len(cases)
        ctx.rows["status changes"] += steps.save(by)
    ctx.rows[Certificate._meta.verbose_name] += len(certificates)
    ctx.rows[Training._meta.verbose_name] += len(trainings)
    ctx.rows[ExamSitting._meta.verbose_name] += len(exams)


# The demo's 裁量基准 areas (``fazhi.discretion.demo.VIOLATIONS``) by the unit that enforces them; the
# townships and the other departments file 综合行政执法 cases under the 城市管理 items.
AREAS = {
    "市场监管局": "market", "生态环境分局": "ecology", "交通运输局": "transport", "城管局": "urban",
    "农业农村局": "agriculture", "应急管理局": "emergency", "文旅广电局": "culture",
}  # fmt: skip
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
# 全过程记录 of each step: (记录类型, 记录名称, 文书编号 or 存储位置 prefix); the step of a case's status
RECORDS = {
    RecordStep.FILING: [(RecordKind.DOCUMENT, "《立案审批表》", "立")],
    RecordStep.INVESTIGATION: [
        (RecordKind.DOCUMENT, "《现场检查（勘验）笔录》", "检"),
        (RecordKind.AUDIOVISUAL, "现场执法记录仪视频", "ZFJLY-"),
        (RecordKind.DOCUMENT, "《询问笔录》", "询"),
    ],
    RecordStep.NOTICE: [(RecordKind.DOCUMENT, "《行政处罚事先告知书》", "告")],
    RecordStep.REVIEW: [(RecordKind.DOCUMENT, "《重大执法决定法制审核意见书》", "审")],
    RecordStep.DECISION: [(RecordKind.DOCUMENT, "《行政处罚决定书》", "罚决")],
    RecordStep.SERVICE: [
        (RecordKind.DOCUMENT, "《送达回证》", "送"),
        (RecordKind.AUDIOVISUAL, "送达过程执法记录仪视频", "ZFJLY-"),
    ],
    RecordStep.EXECUTION: [(RecordKind.OTHER, "罚没款缴款凭证", "JK")],
    RecordStep.CLOSING: [(RecordKind.DOCUMENT, "《结案审批表》", "结")],
}
STEP_OF = {
    CaseStatus.INVESTIGATING: RecordStep.INVESTIGATION, CaseStatus.NOTIFIED: RecordStep.NOTICE,
    CaseStatus.REVIEWED: RecordStep.REVIEW, CaseStatus.DECIDED: RecordStep.DECISION,
    CaseStatus.SERVED: RecordStep.SERVICE, CaseStatus.EXECUTED: RecordStep.EXECUTION,
    CaseStatus.CLOSED: RecordStep.CLOSING,
}  # fmt: skip
CASES_PER_UNIT = 4  # at scale 1: a few hundred cases, quick to build for the tests
# At load-test scales: about 60% of the register rows. A ``fazhi demo --scale 10`` build has ~13,900
# rows of the other registers per county growing linearly with the scale (casereview's grow with its
# square, see the report of issue 13) and ~24 units with two certified officers per county; 860 cases
# each make ~20,600 per county, 60% of the register rows at any scale.
LOAD_CASES_PER_UNIT = 860
LOAD_RECORDS_EVERY = 10  # 全过程记录 for one case in ten at load-test scales (the rows are not figures)


def _by_county(certificates: list, counties: set[int]) -> list[tuple[int, dict[int, list[Certificate]]]]:
    """The valid certificates by unit, grouped by the county above each unit that adopted the items."""
    rows = dict(((pk, parent) for pk, parent in Unit.objects.values_list("pk", "parent_id")))
    grouped: dict[int, dict[int, list[Certificate]]] = {}
    for cert in certificates:
        if cert.status != "valid":
            continue
        up: int | None = cert.unit_id
        while up is not None and up not in counties:
            up = rows[up]
        if up is not None:
            grouped.setdefault(up, {}).setdefault(cert.unit_id, []).append(cert)
    return sorted(grouped.items())


def _cases(ctx: DemoContext, rng: random.Random, by_unit: dict[int, list[Certificate]], today: date,
           items, numbers) -> tuple[list, list, list, list]:  # fmt: skip
    """Cases of one county's units with two officers certified throughout, each relying on a 裁量基准
    item of the county (a fine inside the item's range), some 首违不罚 under a 不予处罚清单 item, some
    轻微免罚, some 从轻 or 减轻 under a list item; a third with a third officer; records of each step
    taken (at load-test scales for one case in ``LOAD_RECORDS_EVERY``)."""
    # the unit objects themselves: the deadlines read ``case.unit``, a query per case if only its id were set
    units = Unit.objects.in_bulk(list(by_unit))
    cases, timelines, others, records = [], [], [], []
    first = date(ctx.years[0], 1, 1)
    per_unit = CASES_PER_UNIT if ctx.scale == 1 else LOAD_CASES_PER_UNIT
    for unit_id, certs in sorted(by_unit.items()):
        pool = items.by_field.get(AREAS.get(units[unit_id].short_name, "urban"), [])
        for _ in range(per_unit):
            filed = first + timedelta(days=rng.randrange((today - first).days - 10))
            # a quarter filed in the last hundred days, some of those stalled after 决定 (送达 and 公示
            # not recorded): open cases due around today, some overdue
            stalled = False
            if rng.random() < 0.25:
                filed = today - timedelta(days=rng.randint(10, 100))
                stalled = rng.random() < 0.15
            end = min(filed + timedelta(days=100), today)
            officers = [c.holder for c in certs if c.issued_on <= filed and c.expires_on >= end]
            if len(officers) < 2:
                continue
            n = next(numbers)
            lead, co, *rest = rng.sample(officers, min(3, len(officers)))
            item = rng.choice(pool)
            person = rng.random() < 0.4
            party = rng.choice(SURNAMES) + rng.choice(GIVEN)
            case = EnforcementCase(
                unit=units[unit_id], status=CaseStatus.FILED, number=f"执罚立〔{filed.year}〕{n}号",
                case_type=CaseType.PENALTY, party_kind=PartyKind.PERSON if person else PartyKind.ORGANIZATION,
                party_person=party,
                party_organization="" if person else f"青山县{party[-2:]}{rng.choice(PARTIES)}",
                cause=item.violation, lead_handler=lead, co_handler=co, filed_on=filed,
                major=rng.random() < 0.15,
            )  # fmt: skip
            timeline = [("登记", CaseStatus.FILED, filed)]
            made = [(RecordStep.FILING, filed)]
            on = filed
            for label, to, field, days in CASE_STEPS:
                if to == CaseStatus.REVIEWED and not case.major and rng.random() < 0.7:
                    continue
                if to == CaseStatus.EXECUTED and case.outcome not in EXECUTED_OUTCOMES:
                    continue  # nothing to carry out: closed after 送达
                if stalled and to == CaseStatus.SERVED:
                    break
                on = on + timedelta(days=rng.randint(1, days))
                if on > today:
                    break
                setattr(case, field, on)
                case.status = to
                timeline.append((label, to, on))
                made.append((STEP_OF[to], on))
                if to == CaseStatus.DECIDED:
                    _decide(case, item, items, rng)
                    # 公示 within 7 working days of the decision (给予 or 不予行政处罚); a few late
                    published = on + timedelta(days=rng.randint(1, 12))
                    if published <= today and rng.random() < 0.9 and not stalled:
                        case.published_on = published
            cases.append(case)
            timelines.append(timeline)
            others.append(rest if rng.random() < 1 / 3 else [])
            keep = ctx.scale == 1 or n % LOAD_RECORDS_EVERY == 0
            records.append(_records(case, made, rng, today) if keep else [])
    return cases, timelines, others, records


def _decide(case: EnforcementCase, item, items, rng: random.Random) -> None:
    """The outcome and the items it relies on: mostly a fine inside the 裁量基准's range (a 警告 where the
    tier has none), 10% 轻微免罚, 10% 首违不罚 under a 不予处罚清单 item, a few 从轻/减轻 under theirs."""
    roll = rng.random()
    if roll >= 0.9:
        case.outcome = Outcome.NO_PENALTY_FIRST
        case.list_item = rng.choice(items.lists[ListKind.NO_PENALTY])
        return
    if roll >= 0.8:
        case.outcome = Outcome.NO_PENALTY_MINOR
        return
    case.outcome = Outcome.PENALTY
    case.discretion_item = item
    if not item.has_fine:
        return  # 警告
    low, high = int(item.fine_min), int(item.fine_max)
    if roll < 0.02 and low >= 200:  # 减轻处罚: below the tier's 下限
        case.list_item = rng.choice(items.lists[ListKind.MITIGATED])
        case.fine_amount = Decimal(max(low // 2 // 100 * 100, 100))
        return
    if roll < 0.08:  # 从轻处罚: the lower part of the range
        case.list_item = rng.choice(items.lists[ListKind.LIGHTER])
        high = low + (high - low) // 4
    step = 100 if high - low >= 1000 else 10
    case.fine_amount = Decimal(rng.randint(low // step, high // step) * step).max(Decimal(low))


def _records(case: EnforcementCase, made: list, rng: random.Random, today: date) -> list[CaseRecord]:
    """A few 全过程记录 of each step the case took; about one closed case in twenty misses those of
    送达, for the warning on its page."""
    rows = []
    skip = RecordStep.SERVICE if case.status == CaseStatus.CLOSED and rng.random() < 0.05 else None
    for step, on in made:
        if step == skip:
            continue
        for kind, title, prefix in RECORDS[step]:
            if kind == RecordKind.AUDIOVISUAL and rng.random() < 0.3:
                continue
            reference = (
                f"{prefix}{on:%Y%m%d}{rng.randint(1, 9999):04d}"
                if kind != RecordKind.DOCUMENT
                else f"{case.number.replace('执罚立', '执罚' + prefix)}"
            )
            rows.append(CaseRecord(case=case, step=step, kind=kind, title=title, reference=reference,
                                   made_on=min(on, today)))  # fmt: skip
    return rows


def _save_links(cases: list, others: list, records: list, history: bool) -> None:
    """The third officers and the 全过程记录 of the cases just written."""
    Through = EnforcementCase.other_handlers.through
    Through.objects.bulk_create(
        [Through(enforcementcase_id=case.pk, person_id=p.pk) for case, rest in zip(cases, others, strict=True)
         for p in rest],
        batch_size=5000,
    )  # fmt: skip
    rows = [row for batch in records for row in batch]
    for row in rows:
        row.case_id = row.case.pk
    if history:
        bulk_create_with_history(rows, CaseRecord, batch_size=2000, default_change_reason="演示数据")
    else:
        CaseRecord.objects.bulk_create(rows, batch_size=5000)
