"""The rubric: 基本标准 veto a file whatever its score, deductions from 100 (never below 0), grades at
the thresholds of the rules in force, a county's own items and threshold overrides, bad input refused
with the field named and nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fazhi.casereview import services
from fazhi.casereview.models import CaseFileReview, Grade, ReviewFinding, RubricItem
from fazhi.casereview.registers import CASE_FILE_REVIEWS
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UnitFactory, UserFactory
from fazhi.registers import services as register_services
from fazhi.rules.models import RuleOverride
from fazhi.rules.services import forget_overrides, override_save

pytestmark = pytest.mark.django_db


def test_the_national_rubric_ships_with_vetoes_and_deductions(county):
    rubric = services.rubric_for(county["justice"])
    vetoes = [i.text for i in rubric.values() if i.veto]
    assert any("主要证据不足" in t for t in vetoes) and any("超越职权" in t for t in vetoes)
    assert any("适用法律" in t for t in vetoes) and any("严重违反法定程序" in t for t in vetoes)
    assert all(i.points > 0 and i.source for i in rubric.values() if not i.veto)
    assert all("第七十条" in i.source or "第三十八条" in i.source for i in rubric.values() if i.veto)


def test_a_file_without_findings_is_excellent(new_review):
    review = new_review()
    assert (review.score, review.grade, review.vetoed) == (Decimal("100"), Grade.EXCELLENT, False)


def test_deductions_are_summed_from_100(new_review):
    review = new_review(12, 13, 20)  # 3 + 2 + 1
    review.refresh_from_db()
    assert (review.score, review.grade) == (Decimal("94.0"), Grade.EXCELLENT)


def test_a_veto_fails_the_file_whatever_the_deductions(new_review):
    review = new_review(3)  # 主要证据不足, nothing deducted
    review.refresh_from_db()
    assert (review.score, review.grade, review.vetoed) == (Decimal("100.0"), Grade.FAIL, True)


@pytest.mark.parametrize(
    ("numbers", "score", "grade"),
    [
        ((14, 14), "90.0", Grade.EXCELLENT),  # exactly the 优秀 threshold
        ((14, 14, 20), "89.0", Grade.PASS),
        ((14,) * 6, "70.0", Grade.PASS),  # exactly the 合格 threshold
        ((14,) * 6 + (20,), "69.0", Grade.FAIL),
    ],
)
def test_grades_at_the_thresholds(new_review, numbers, score, grade):
    review = new_review(*numbers)
    review.refresh_from_db()
    assert (review.score, review.grade) == (Decimal(score), grade)


def test_deductions_cannot_push_the_score_below_zero(new_review):
    review = new_review(*([14] * 25))  # 125 points
    review.refresh_from_db()
    assert (review.score, review.grade) == (Decimal("0.0"), Grade.FAIL)


def test_a_county_override_of_a_threshold_changes_the_grade(county, new_review):
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, username="county-admin")
    assert new_review(14, 14, number="A").grade == Grade.EXCELLENT  # 90 分
    override_save(
        actor=admin,
        override=RuleOverride(
            rule_code="case_review.grade_excellent", unit=county["county"], value="95",
            source="某省行政执法案卷评查标准（95分以上为优秀）", valid_from=date(2024, 1, 1),
        ),
        unit_ids=[county["county"].pk],
    )  # fmt: skip
    forget_overrides()
    review = new_review(14, 14, number="B")
    review.refresh_from_db()
    assert (review.score, review.grade) == (Decimal("90.0"), Grade.PASS)
    other = UnitFactory(code="X", name="邻县")  # the national threshold still applies elsewhere
    assert services.grade_for(Decimal("90"), False, other) == Grade.EXCELLENT


def test_a_county_item_replaces_and_adds_to_the_national_rubric(county, county_user, scope, new_review):
    services.rubric_item_add(
        unit=county["county"], number=20, category="文书归档", text="文书未按本省格式制作",
        points=Decimal("0.5"), actor=county_user, scope_ids=scope,
    )  # fmt: skip
    services.rubric_item_add(
        unit=county["county"], number=101, category="执法公示", text="未在县执法公示平台公示",
        points=Decimal("2"), actor=county_user, scope_ids=scope,
    )  # fmt: skip
    review = new_review(20, 101)
    review.refresh_from_db()
    assert review.score == Decimal("97.5")
    assert services.rubric_for(county["justice"])[20].unit == county["county"]


def _count():
    return CaseFileReview.objects.count(), ReviewFinding.objects.count()


def test_an_item_of_another_countys_rubric_is_refused_and_nothing_is_written(county, new_review):
    other = UnitFactory(code="Y", name="白水县")
    RubricItem.objects.create(unit=other, number=150, category="立案", text="未录入白水县办案系统", points=2)
    before = _count()
    with pytest.raises(ValidationError) as exc:
        new_review(12, 150)
    assert "评查项目序号" in str(exc.value) and "白水县" in str(exc.value)
    assert _count() == before


def test_an_unknown_item_is_refused(new_review):
    with pytest.raises(ValidationError, match="评查标准中没有第999项"):
        new_review(999)
    assert _count() == (0, 0)


def test_a_veto_without_its_reason_is_refused(new_review):
    with pytest.raises(ValidationError, match="发现的问题"):
        new_review(3, descriptions=[""])
    assert _count() == (0, 0)


@pytest.mark.parametrize(
    ("points", "veto", "message"),
    [
        ("-2", False, "扣分不能为负数"),
        ("0", False, "大于0"),
        ("3", True, "否决项"),
        ("120", False, "不能超过100分"),
    ],
)
def test_bad_rubric_items_are_refused_by_field(county, county_user, scope, points, veto, message):
    with pytest.raises(ValidationError) as exc:
        services.rubric_item_add(
            unit=county["county"], number=102, category="立案", text="x", points=Decimal(points), veto=veto,
            actor=county_user, scope_ids=scope,
        )  # fmt: skip
    assert message in "".join(exc.value.message_dict["points"])
    assert not RubricItem.objects.filter(unit=county["county"]).exists()


def test_the_database_keeps_score_and_veto_consistent(new_review):
    review = new_review(3)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileReview.objects.filter(pk=review.pk).update(grade=Grade.PASS)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileReview.objects.filter(pk=review.pk).update(score=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RubricItem.objects.create(number=300, category="x", text="x", points=Decimal("-1"))


def test_editing_the_findings_rescores_the_review(new_review, county_user, scope):
    review = new_review(12)
    review.refresh_from_db()
    assert review.score == Decimal("97.0")
    child = CASE_FILE_REVIEWS.children[0]
    kept = list(review.findings.all())
    rows = [*kept, ReviewFinding(item_number=4, description="适用已废止的条例")]
    register_services.item_update(
        CASE_FILE_REVIEWS, review, actor=county_user, scope_ids=scope, read_version=review.version,
        children={child: rows},
    )  # fmt: skip
    review.refresh_from_db()
    assert (review.grade, review.vetoed) == (Grade.FAIL, True)
    register_services.item_update(
        CASE_FILE_REVIEWS, review, actor=county_user, scope_ids=scope, read_version=review.version,
        children={child: []},
    )  # fmt: skip
    review.refresh_from_db()
    assert (review.score, review.grade, review.vetoed) == (Decimal("100.0"), Grade.EXCELLENT, False)
