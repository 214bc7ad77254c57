"""Factories of the enforcement registers' items, and their recipes for the contract tests.

``XFactory.build(unit=…)`` is a new item with realistic entered values and no workflow step taken;
``XFactory(unit=…, holder=…, actor=…)`` registers it through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory

from fazhi.enforcement.models import Certificate, EnforcementField, ExamSitting, Training
from fazhi.registers import testing
from fazhi.registers.testing import RegisterItemFactory

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


testing.recipe("enforcement-certificates", factory=CertificateFactory)
testing.recipe("enforcement-trainings", factory=TrainingFactory)
testing.recipe("enforcement-exams", factory=ExamSittingFactory)
