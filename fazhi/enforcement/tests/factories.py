"""Factories of the enforcement registers' items, and their recipes for the contract tests.

``XFactory.build(unit=…)`` is a new item with realistic entered values and no workflow step taken;
``XFactory(unit=…, holder=…, actor=…)`` registers it through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory

from fazhi.enforcement.models import (
    CaseStatus,
    CaseType,
    Certificate,
    CertificateStatus,
    EnforcementCase,
    EnforcementField,
    ExamSitting,
    MajorCatalogueItem,
    Outcome,
    PartyKind,
    Training,
)
from fazhi.org.models import Person
from fazhi.registers import testing
from fazhi.registers.testing import RegisterItemFactory, person_name

COURSES = ["行政处罚法专题培训", "行政执法文书制作", "执法全过程记录实务", "安全生产执法检查", "食品安全抽检"]


class CertificateFactory(RegisterItemFactory):
    class Meta:
        model = Certificate

    number = factory.LazyAttribute(lambda o: f"33010{o.start.year}{o.n:06d}")
    field = EnforcementField.COMPREHENSIVE
    issuer = "青山县人民政府"
    issued_on = factory.LazyAttribute(lambda o: o.start)
    expires_on = factory.LazyAttribute(lambda o: o.start + timedelta(days=3 * 365))


class TrainingFactory(RegisterItemFactory):
    class Meta:
        model = Training

    course = factory.LazyAttribute(lambda o: f"{COURSES[o.n % len(COURSES)]}（第{o.n}期）")
    trained_on = factory.LazyAttribute(lambda o: o.start)
    hours = Decimal("8.0")


class ExamSittingFactory(RegisterItemFactory):
    class Meta:
        model = ExamSitting

    ticket = factory.LazyAttribute(lambda o: f"ZK{o.start.year}{o.n:06d}")
    sat_on = factory.LazyAttribute(lambda o: o.start)
    score = Decimal("78.5")
    passed = True


CAUSES = [
    "未按规定公示食品经营许可证",
    "占道经营",
    "违规设置户外广告",
    "未取得许可从事道路运输经营",
    "超标排放污水",
]
PARTIES = ["青山县鸿达商贸有限公司", "青山县绿源农业专业合作社", "青山县顺风物流有限公司", "青山县明珠餐饮店"]


def certified_officer(unit, on, *, expires=None) -> Person:
    """A person of ``unit`` holding a 执法证 valid from well before ``on`` to three years after it (or
    to ``expires``), written directly: the certificate register's own steps are tested elsewhere."""
    person = Person.objects.create(unit=unit, name=person_name())
    Certificate.objects.create(
        unit=unit,
        status=CertificateStatus.VALID,
        number=f"ZF{person.pk:08d}",
        holder=person,
        field=EnforcementField.COMPREHENSIVE,
        issuer="青山县人民政府",
        issued_on=on - timedelta(days=400),
        expires_on=expires or on + timedelta(days=3 * 365),
        ended_on=(expires or on + timedelta(days=3 * 365)) + timedelta(days=1),
    )
    return person


class MajorCatalogueItemFactory(RegisterItemFactory):
    class Meta:
        model = MajorCatalogueItem

    title = factory.LazyAttribute(lambda o: f"较大数额罚款（第{o.n}项）")
    basis = "对公民处五千元以上、对法人或者其他组织处五万元以上罚款"
    listed_on = factory.LazyAttribute(lambda o: o.start)


class EnforcementCaseFactory(RegisterItemFactory):
    """A 行政处罚 case filed on ``start`` by two certified officers of its unit; not major."""

    class Meta:
        model = EnforcementCase

    number = factory.LazyAttribute(lambda o: f"青综执罚立〔{o.start.year}〕{o.n}号")
    case_type = CaseType.PENALTY
    party_kind = PartyKind.ORGANIZATION
    party_person = factory.LazyAttribute(lambda o: person_name())
    party_organization = factory.LazyAttribute(lambda o: f"{PARTIES[o.n % len(PARTIES)]}{o.n}")
    cause = factory.LazyAttribute(lambda o: CAUSES[o.n % len(CAUSES)])
    lead_handler = factory.LazyAttribute(lambda o: certified_officer(o.unit, o.start))
    co_handler = factory.LazyAttribute(lambda o: certified_officer(o.unit, o.start))
    filed_on = factory.LazyAttribute(lambda o: o.start)


def _prepare_case(maker, case, step) -> None:
    """The contract walks take 告知 → 决定 directly too: a case the maker linked to a 目录 item is then
    taken off the catalogue first (as a clerk corrects a wrong classification), so the walk is lawful."""
    if step.to == CaseStatus.DECIDED and case.status == CaseStatus.NOTIFIED and case.major_item_id:
        EnforcementCase.objects.filter(pk=case.pk).update(major_item=None, major=False)
        case.major_item, case.major = None, False


def _undecided_major(maker, unit, on):
    """An imported decided major case without 法制审核: refused as the step 决定 refuses it."""
    return {
        "major": True,
        "major_item": None,
        "investigated_on": on + timedelta(days=5),
        "notified_on": on + timedelta(days=10),
        "decided_on": on + timedelta(days=20),
        "outcome": Outcome.PENALTY,
    }


testing.recipe("enforcement-major-catalogue", factory=MajorCatalogueItemFactory)


def _other_handlers(maker, unit, on):
    """A third officer of the case, certified like the two the factory names."""
    return {"other_handlers": [certified_officer(unit, on)]}


testing.recipe(
    "enforcement-cases",
    factory=EnforcementCaseFactory,
    prepare=_prepare_case,
    spoil={CaseStatus.DECIDED: _undecided_major},
    related=_other_handlers,
)
testing.recipe("enforcement-certificates", factory=CertificateFactory)
testing.recipe("enforcement-trainings", factory=TrainingFactory)
testing.recipe("enforcement-exams", factory=ExamSittingFactory)


def case_step(case, to, actor, on, **values):
    """Take a step of a 行政执法案件 through the service, as ``actor`` (in the units it sees)."""
    from fazhi.enforcement.registers import CASES
    from fazhi.org.selectors import visible_unit_ids
    from fazhi.registers import services

    return services.item_transition(
        CASES, case, to, actor=actor, scope_ids=visible_unit_ids(actor), on=on, values=values
    )
