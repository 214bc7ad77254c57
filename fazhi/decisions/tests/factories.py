"""Factories of the decisions registers' items, and their recipes for the contract tests.

``XFactory.build(unit=…)`` is a new item with realistic entered values and no workflow step taken;
``XFactory(unit=…, actor=…)`` registers it through the services. A later ``status`` with the steps'
fields filled replays those steps (``LegalityReviewFactory(issued=True, …)`` is a review found 合法)."""

from __future__ import annotations

from datetime import timedelta

import factory

from fazhi.decisions.models import (
    AdministrativeAgreement,
    AgreementKind,
    DecisionCategory,
    DelegatedPower,
    DelegationLevel,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    Opinion,
    PowerItem,
    PowerKind,
    ReviewKind,
    ReviewPoint,
)
from fazhi.org.tests.factories import PersonFactory
from fazhi.registers import testing
from fazhi.registers.testing import RegisterItemFactory

TOPICS = [
    "农村建房管理",
    "殡葬改革",
    "光伏项目招商",
    "河道采砂管理",
    "集贸市场改造",
    "学校周边交通",
    "秸秆禁烧",
]


def topic(n: int) -> str:
    return f"{TOPICS[n % len(TOPICS)]}（第{n}批）"


class LegalityReviewFactory(RegisterItemFactory):
    class Meta:
        model = LegalityReview

    number = factory.LazyAttribute(
        lambda o: f"{o.unit.short_name or o.unit.name[:2]}审〔{o.start.year}〕{o.n}号"
    )
    title = factory.LazyAttribute(lambda o: f"关于{topic(o.n)}的实施意见（送审稿）")
    kind = ReviewKind.NORMATIVE
    submitter = "乡政府办公室"
    contact_phone = factory.LazyAttribute(lambda o: f"1375710{o.n % 10000:04d}")
    submitted_on = factory.LazyAttribute(lambda o: o.start)

    class Params:
        # found 合法 by the unit's reviewer: 受理 the next day, opinion a week later
        issued = factory.Trait(
            status="issued",
            accepted_on=factory.LazyAttribute(lambda o: o.start + timedelta(days=1)),
            opinion=Opinion.LAWFUL,
            opinion_on=factory.LazyAttribute(lambda o: o.start + timedelta(days=7)),
            reviewer=factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..unit")),
        )


class ReviewPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewPoint

    review = factory.SubFactory(LegalityReviewFactory)
    clause = factory.Sequence(lambda n: f"第{n + 1}条")
    problem = "设定的罚款超出上位法规定的幅度"
    suggestion = "按《行政处罚法》第十四条修改"
    adopted = True


class MajorDecisionFactory(RegisterItemFactory):
    class Meta:
        model = MajorDecision

    year = factory.LazyAttribute(lambda o: o.start.year)
    title = factory.LazyAttribute(lambda o: f"{topic(o.n)}方案")
    category = DecisionCategory.PROJECT
    undertaker = "乡村建办"
    listed_on = factory.LazyAttribute(lambda o: o.start)


class NormativeDocumentFactory(RegisterItemFactory):
    class Meta:
        model = NormativeDocument

    title = factory.LazyAttribute(lambda o: f"关于{topic(o.n)}的管理办法")
    drafter = "乡司法所"
    drafted_on = factory.LazyAttribute(lambda o: o.start)


class AdministrativeAgreementFactory(RegisterItemFactory):
    class Meta:
        model = AdministrativeAgreement

    number = factory.LazyAttribute(lambda o: f"XY-{o.start.year}-{o.n:03d}")
    title = factory.LazyAttribute(lambda o: f"{topic(o.n)}合作协议")
    kind = AgreementKind.INVESTMENT
    counterparty = factory.LazyAttribute(lambda o: f"青山新能源有限公司第{o.n}分公司")


class PowerItemFactory(RegisterItemFactory):
    class Meta:
        model = PowerItem

    code = factory.LazyAttribute(lambda o: f"XZCF-{o.n:05d}")
    name = factory.LazyAttribute(lambda o: f"对{topic(o.n)}违法行为的处罚")
    kind = PowerKind.PENALTY
    basis = "《中华人民共和国行政处罚法》第十八条"
    listed_on = factory.LazyAttribute(lambda o: o.start)


class DelegatedPowerFactory(RegisterItemFactory):
    class Meta:
        model = DelegatedPower

    name = factory.LazyAttribute(lambda o: f"{topic(o.n)}行政检查权")
    level = DelegationLevel.COUNTY
    kind = PowerKind.INSPECTION
    document = "青政发〔2025〕3号"
    delegated_on = factory.LazyAttribute(lambda o: o.start)


def _issued_review(maker, unit, before):
    """A review the unit's reviewer found 合法 in the fortnight before ``before``."""
    return LegalityReviewFactory(
        unit=unit, issued=True, start=before - timedelta(days=14), actor=maker.actor,
        reviewer=maker.person(unit),
    )  # fmt: skip


def _unlawful_review(maker, unit, on):
    """The item goes on with a review that found it 不合法 (送审 a month before ``on``)."""
    review = LegalityReviewFactory(
        unit=unit, issued=True, opinion=Opinion.UNLAWFUL, start=on - timedelta(days=30),
        actor=maker.actor, reviewer=maker.person(unit),
    )  # fmt: skip
    return {"review": review}


testing.recipe(
    "legality-reviews",
    factory=LegalityReviewFactory,
    link=_issued_review,
)
testing.recipe("major-decisions", factory=MajorDecisionFactory, spoil={"decided": _unlawful_review})
testing.recipe("normative-documents", factory=NormativeDocumentFactory, spoil={"approved": _unlawful_review})
testing.recipe("agreements", factory=AdministrativeAgreementFactory, spoil={"performing": _unlawful_review})
testing.recipe("power-items", factory=PowerItemFactory)
testing.recipe("delegated-powers", factory=DelegatedPowerFactory)
