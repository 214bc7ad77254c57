"""Factories of the 案卷评查 registers' items, and their recipes for the contract tests.

``XFactory.build(unit=…)`` is a new item with realistic entered values and no workflow step taken;
``XFactory(unit=…, actor=…)`` registers it through the services."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.contenttypes.models import ContentType

from fazhi.casereview.models import CaseFileReview, Rectification
from fazhi.registers import testing
from fazhi.registers.models import Attachment
from fazhi.registers.testing import RegisterItemFactory

CASES = ["未取得食品经营许可从事食品经营", "违法占用耕地建房", "超限运输", "无证排污", "擅自采伐林木"]


class CaseFileReviewFactory(RegisterItemFactory):
    class Meta:
        model = CaseFileReview

    number = factory.LazyAttribute(lambda o: f"评查〔{o.start.year}〕{o.n}号")
    organ = "青山县司法局"
    case_ref = factory.LazyAttribute(
        lambda o: f"{CASES[o.n % len(CASES)]}案（青综执罚〔{o.start.year}〕{o.n}号）"
    )
    reviewed_on = factory.LazyAttribute(lambda o: o.start)
    opinion = "证据链完整，文书基本规范"


class RectificationFactory(RegisterItemFactory):
    class Meta:
        model = Rectification

    number = factory.LazyAttribute(lambda o: f"评查整改〔{o.start.year}〕{o.n}号")
    organ = "青山县司法局"
    problems = "部分案卷证据未注明来源；送达回证缺失。请逐案补正，举一反三完善制度。"
    issued_on = factory.LazyAttribute(lambda o: o.start)
    due_on = factory.LazyAttribute(lambda o: o.start + timedelta(days=30))


def _evidence(maker, item, step) -> None:
    """The clerk uploads the 整改报告 before confirming (a row only: no file is written in tests)."""
    if step.to == "done":
        Attachment.objects.create(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk,
            file="attachments/test/zhenggai.pdf", name="整改报告.pdf", size=1024, sha256="0" * 64,
            uploaded_by=maker.actor,
        )  # fmt: skip


testing.recipe("case-file-reviews", factory=CaseFileReviewFactory)
testing.recipe("case-review-rectifications", factory=RectificationFactory, prepare=_evidence)
