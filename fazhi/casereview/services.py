"""Writes and computations of 案卷评查: the rubric in force for a unit, a review's score and grade from
its findings, and a county's own rubric items."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from fazhi.core.audit import stamp_actor
from fazhi.org.models import Unit, User
from fazhi.org.selectors import ancestor_ids
from fazhi.rules.services import effective_rule

from .models import CaseFileReview, Grade, ReviewFinding, RubricItem
from .rubric_data import national_items

FULL_MARKS = Decimal("100")


def rubric_for(unit: Unit) -> dict[int, RubricItem]:
    """The rubric in force for ``unit``: the national default, each 序号 replaced by the item of the
    nearest unit above (or the unit itself) that has its own, plus the items those units added."""
    chain = ancestor_ids(unit)
    items: dict[int, RubricItem] = {}
    rank: dict[int, int] = {}
    rows = list(RubricItem.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=chain)).select_related("unit"))
    if not any(r.unit_id is None for r in rows):  # a flushed database: the shipped default still applies
        rows += national_items(RubricItem)
    for item in rows:
        level = len(chain) if item.unit_id is None else chain.index(item.unit_id)
        if item.number not in items or level < rank[item.number]:
            items[item.number], rank[item.number] = item, level
    return dict(sorted(items.items()))


def rubric_item_for(
    unit: Unit, number: int | None, rubric: dict[int, RubricItem] | None = None
) -> RubricItem:
    """The item ``number`` of ``unit``'s rubric; a number only another county's rubric has is refused
    by name."""
    if number is None:
        raise ValidationError({"item_number": "请填写评查项目序号。"})
    rubric = rubric if rubric is not None else rubric_for(unit)
    if number in rubric:
        return rubric[number]
    elsewhere = RubricItem.objects.filter(number=number, unit__isnull=False).select_related("unit").first()
    if elsewhere is not None and elsewhere.unit is not None:
        message = (
            f"评查项目序号：第{number}项是{elsewhere.unit.name}自行制定的评查项目，"
            f"不在{unit.name}适用的评查标准中。"
        )
    else:
        message = f"评查项目序号：评查标准中没有第{number}项。"
    raise ValidationError({"item_number": message})


def grade_for(score: Decimal, vetoed: bool, unit: Unit, on: date | None = None) -> str:
    """优秀/合格/不合格 by the thresholds in force for ``unit`` (rules case_review.grade_*, which a
    county may override); failing a 基本标准 is 不合格 whatever the score."""
    if vetoed:
        return Grade.FAIL
    excellent = Decimal(str(effective_rule("case_review.grade_excellent", unit=unit, on=on).rule.number))
    passing = Decimal(str(effective_rule("case_review.grade_pass", unit=unit, on=on).rule.number))
    if score >= excellent:
        return Grade.EXCELLENT
    return Grade.PASS if score >= passing else Grade.FAIL


def score(
    unit: Unit,
    numbers: Iterable[int | None],
    on: date | None = None,
    rubric: dict[int, RubricItem] | None = None,
) -> tuple[Decimal, str, bool]:
    """(score, grade, vetoed) of a file with findings of rubric items ``numbers``: 100 less the points
    of each finding, never below 0; any 基本标准 found makes it 不合格."""
    rubric = rubric if rubric is not None else rubric_for(unit)
    points, vetoed = Decimal("0"), False
    for number in numbers:
        item = rubric_item_for(unit, number, rubric)
        vetoed = vetoed or item.veto
        points += item.points
    result = max(Decimal("0"), FULL_MARKS - points)
    return result, grade_for(result, vetoed, unit, on), vetoed


def rescore(review: CaseFileReview) -> None:
    """Store the score and grade the review's saved findings give (called whenever a finding is saved
    or removed, on every path: the form, the services, the factories)."""
    numbers = list(ReviewFinding.objects.filter(review=review).values_list("item_number", flat=True))
    review.score, review.grade, review.vetoed = score(review.unit, numbers, review.reviewed_on)
    review.save(update_fields=["score", "grade", "vetoed"])


def score_pending(review: CaseFileReview, finding: ReviewFinding) -> None:
    """An imported review's score from its findings as the importer checks them, before anything is
    written (the import writes the rows in bulk)."""
    pending = review.__dict__.setdefault("_pending_findings", [])
    rubric_item_for(review.unit, finding.item_number)
    pending.append(finding.item_number)
    review.score, review.grade, review.vetoed = score(review.unit, pending, review.reviewed_on)


@transaction.atomic
def rubric_item_add(
    *, unit: Unit, number: int, category: str, text: str, points: Decimal, veto: bool = False,
    source: str = "", actor: User, scope_ids: Iterable[int],
) -> RubricItem:  # fmt: skip
    """A county's own rubric item: the same 序号 as a national item replaces it for the county's units."""
    if not actor.can_edit or unit.pk not in set(scope_ids):
        raise PermissionDenied("该单位不在您的权限范围内。")
    item = RubricItem(
        unit=unit, number=number, category=category, text=text, points=points, veto=veto, source=source
    )
    item.full_clean()
    stamp_actor(item, actor)
    item.save()
    return item
