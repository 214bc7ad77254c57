"""行政执法案件: the workflow, 法制审核 of major cases, the two certified officers (《行政处罚法》第四十二条),
the statutory time limits, bad input and the indicators."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fazhi.discretion.models import ListKind, Tier
from fazhi.discretion.tests.factories import DiscretionItemFactory, ListItemFactory
from fazhi.enforcement.models import CaseStatus, CaseType, EnforcementCase, Outcome, PartyKind
from fazhi.enforcement.registers import CASES, case_deadline
from fazhi.enforcement.tests.factories import (
    EnforcementCaseFactory,
    MajorCatalogueItemFactory,
    certified_officer,
)
from fazhi.enforcement.tests.factories import case_step as step
from fazhi.indicators.engine import compute
from fazhi.org.models import UserRole
from fazhi.org.selectors import visible_unit_ids
from fazhi.org.tests.factories import PersonFactory, UserFactory
from fazhi.registers import services

pytestmark = pytest.mark.django_db

FILED = date(2025, 3, 3)


@pytest.fixture
def office(county):
    return county["changgang_office"]


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-cases")


@pytest.fixture
def basis(county):
    """The county's 裁量基准 items (一般: 2000元 to 20000元; 严重: 50000元 to 100000元) and its 不予处罚
    清单 item, which the township's cases rely on."""
    general = DiscretionItemFactory(unit=county["county"], start=date(2024, 1, 2))
    grave = DiscretionItemFactory(
        unit=county["county"],
        start=date(2024, 1, 2),
        tier=Tier.GRAVE,
        fine_min=Decimal(50000),
        fine_max=Decimal(100000),
    )
    first = ListItemFactory(unit=county["county"], start=date(2024, 1, 2), kind=ListKind.NO_PENALTY)
    return {"general": general, "grave": grave, "first": first}


def new_case(office, clerk, **values):
    return EnforcementCaseFactory(unit=office, start=FILED, actor=clerk, **values)


def to_notified(case, clerk):
    step(case, CaseStatus.INVESTIGATING, clerk, date(2025, 3, 20))
    step(case, CaseStatus.NOTIFIED, clerk, date(2025, 4, 1), hearing_requested=True)
    return case


# -- the workflow -----------------------------------------------------------------------------------
def test_a_major_case_is_decided_only_after_legal_review(office, clerk, basis):
    item = MajorCatalogueItemFactory(unit=office, start=date(2024, 1, 2), actor=clerk)
    case = to_notified(new_case(office, clerk, major_item=item), clerk)
    assert case.major and case.hearing_requested
    with pytest.raises(ValidationError) as refused:
        step(case, CaseStatus.DECIDED, clerk, date(2025, 4, 20), outcome=Outcome.PENALTY)
    assert "第五十八条" in str(refused.value) and "法制审核" in str(refused.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.decided_on is None and case.outcome == ""
    step(case, CaseStatus.REVIEWED, clerk, date(2025, 4, 15))
    step(
        case,
        CaseStatus.DECIDED,
        clerk,
        date(2025, 4, 20),
        outcome=Outcome.PENALTY,
        fine_amount=Decimal(60000),
        discretion_item=basis["grave"],
    )
    step(case, CaseStatus.SERVED, clerk, date(2025, 4, 22))
    step(case, CaseStatus.SERVED, clerk, date(2025, 4, 25))  # 公示
    step(case, CaseStatus.EXECUTED, clerk, date(2025, 5, 20))
    step(case, CaseStatus.CLOSED, clerk, date(2025, 5, 30))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.published_on == date(2025, 4, 25)
    assert case.fine_amount == Decimal(60000) and case_deadline(case) is None


def test_a_case_closed_before_its_publicity_may_still_record_it_late(office, clerk, basis):
    case = to_notified(new_case(office, clerk), clerk)
    step(case, CaseStatus.DECIDED, clerk, date(2025, 4, 20), outcome=Outcome.PENALTY)
    step(case, CaseStatus.SERVED, clerk, date(2025, 4, 22))
    step(case, CaseStatus.EXECUTED, clerk, date(2025, 5, 20))
    step(case, CaseStatus.CLOSED, clerk, date(2025, 5, 30))
    step(case, CaseStatus.CLOSED, clerk, date(2025, 6, 5))  # 公示, after 结案
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.published_on == date(2025, 6, 5)
    assert case.published_on > case.publicity_due  # 7 working days after 决定: counted as late
    assert value("penalty_publicity_timely_rate", office) == 0


def test_a_case_not_major_may_be_decided_without_legal_review(office, clerk, basis):
    case = to_notified(new_case(office, clerk), clerk)
    step(
        case,
        CaseStatus.DECIDED,
        clerk,
        date(2025, 4, 20),
        outcome=Outcome.NO_PENALTY_FIRST,
        list_item=basis["first"],
    )
    assert case.status == CaseStatus.DECIDED and not case.major and case.legal_review_on is None


def test_a_major_case_imported_as_decided_without_review_is_refused(office, clerk):
    case = EnforcementCaseFactory.build(unit=office, start=FILED, major=True)
    case.status = CaseStatus.DECIDED
    case.investigated_on, case.notified_on, case.decided_on = (
        date(2025, 3, 10),
        date(2025, 3, 20),
        date(2025, 4, 1),
    )
    case.outcome = Outcome.PENALTY
    with pytest.raises(ValidationError) as refused:
        services.prepare_new(CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk), note="导入")
    assert "法制审核" in str(refused.value)


# -- 《行政处罚法》第四十二条 ----------------------------------------------------------------------------
def test_filing_needs_two_officers_with_valid_certificates(office, clerk):
    uncertified = PersonFactory(unit=office, name="赵无证")
    case = EnforcementCaseFactory.build(unit=office, start=FILED, co_handler=uncertified)
    for write in (
        lambda: services.item_create(CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk)),
        lambda: services.prepare_new(
            CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk), note="导入"
        ),
    ):
        case.status = ""
        with pytest.raises(ValidationError) as refused:
            write()
        message = str(refused.value)
        assert "第四十二条" in message and "协办执法人员赵无证" in message and "2025年3月3日" in message
    assert not EnforcementCase.objects.exists()


def test_the_two_officers_must_be_different_people(office, clerk):
    officer = certified_officer(office, FILED)
    case = EnforcementCaseFactory.build(unit=office, start=FILED, lead_handler=officer, co_handler=officer)
    with pytest.raises(ValidationError) as refused:
        services.item_create(CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk))
    assert "不得少于2人" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementCaseFactory.build(
            unit=office, start=FILED, lead_handler=officer, co_handler=officer, status=CaseStatus.FILED
        ).save()


def test_deciding_needs_the_certificates_valid_on_the_decision_day(office, clerk):
    lapsing = certified_officer(office, FILED, expires=date(2025, 4, 10))
    lapsing.name = "钱过期"
    lapsing.save()
    case = to_notified(new_case(office, clerk, lead_handler=lapsing), clerk)
    with pytest.raises(ValidationError) as refused:
        step(case, CaseStatus.DECIDED, clerk, date(2025, 4, 20), outcome=Outcome.PENALTY)
    message = str(refused.value)
    assert "主办执法人员钱过期在决定之日（2025年4月20日）无有效执法证" in message and "第四十二条" in message
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.decided_on is None
    step(case, CaseStatus.DECIDED, clerk, date(2025, 4, 9), outcome=Outcome.PENALTY)


# -- time limits --------------------------------------------------------------------------------------
def test_decision_is_due_90_days_after_filing(office, clerk):
    case = new_case(office, clerk)
    deadline = case_deadline(case)
    # 2025年3月3日 + 90 days = 2025年6月1日, inside the 端午 holiday (5月31日–6月2日): the limit runs to
    # the next working day
    assert deadline.label == "作出行政处罚决定" and deadline.due == date(2025, 6, 3)
    assert "第六十条" in deadline.source and case.due_date == deadline.due


def test_service_and_publicity_count_working_days_across_the_national_day(office, clerk, basis):
    case = to_notified(new_case(office, clerk), clerk)
    step(
        case,
        CaseStatus.DECIDED,
        clerk,
        date(2025, 9, 30),
        outcome=Outcome.PENALTY,
        fine_amount=Decimal(2000),
        discretion_item=basis["general"],
    )
    # 10月1日–8日 is the 国庆 holiday and 10月11日 (Saturday) a working day: 9, 10, 11, 13, 14, 15, 16
    assert case.due_label == "送达并公示行政处罚决定" and case.due_date == date(2025, 10, 16)
    assert case.publicity_due == date(2025, 10, 16)
    step(case, CaseStatus.SERVED, clerk, date(2025, 10, 9))
    assert case.due_label == "公示行政处罚决定" and case.due_date == date(2025, 10, 16)
    step(case, CaseStatus.SERVED, clerk, date(2025, 10, 17))  # 公示, one working day late
    assert case.due_date is None


# -- bad input --------------------------------------------------------------------------------------
def test_bad_input_is_refused_naming_the_field(office, clerk):
    case = EnforcementCaseFactory.build(unit=office, start=FILED, party_organization="")
    with pytest.raises(ValidationError) as refused:
        services.item_create(CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk))
    assert refused.value.message_dict["party_organization"] == ["当事人为法人或其他组织时，应填写单位名称。"]
    case = EnforcementCaseFactory.build(
        unit=office, start=FILED, party_kind=PartyKind.PERSON, party_person=""
    )
    with pytest.raises(ValidationError) as refused:
        services.item_create(CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk))
    assert "party_person" in refused.value.message_dict
    case = to_notified(new_case(office, clerk), clerk)
    with pytest.raises(ValidationError) as refused:
        step(
            case,
            CaseStatus.DECIDED,
            clerk,
            date(2025, 4, 20),
            outcome=Outcome.NO_PENALTY_MINOR,
            fine_amount=Decimal(500),
        )
    assert "不应有罚没金额" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        step(case, CaseStatus.DECIDED, clerk, date(2025, 3, 25), outcome=Outcome.PENALTY)
    assert "决定日期（2025年3月25日）不能早于告知日期（2025年4月1日）" in str(refused.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.decided_on is None and case.version == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementCase.objects.filter(pk=case.pk).update(decided_on=date(2025, 3, 1))


# -- indicators -------------------------------------------------------------------------------------
def value(name, unit, year=2025):
    return compute(unit, year, ids=[name], units=[unit.pk])[unit.pk][name].value


def test_indicators(office, clerk, basis):
    item = MajorCatalogueItemFactory(unit=office, start=date(2024, 1, 2), actor=clerk)

    def decided(outcome, on=date(2025, 4, 20), review=False, **values):
        case = to_notified(new_case(office, clerk, **values), clerk)
        if review:
            step(case, CaseStatus.REVIEWED, clerk, on - timedelta(days=3))
        given = {"list_item": basis["first"]} if outcome == Outcome.NO_PENALTY_FIRST else {}
        step(case, CaseStatus.DECIDED, clerk, on, outcome=outcome, **given)
        return case

    reviewed = decided(Outcome.PENALTY, review=True, major_item=item)
    step(reviewed, CaseStatus.DECIDED, clerk, date(2025, 4, 25))  # 公示 in time
    late = decided(Outcome.PENALTY)
    step(late, CaseStatus.DECIDED, clerk, date(2025, 6, 3))  # 公示 late
    decided(Outcome.PENALTY)  # not published
    decided(Outcome.NO_PENALTY_FIRST)
    decided(Outcome.NO_PENALTY_MINOR)
    decided(Outcome.NO_PENALTY_MINOR, review=True, major=True)
    to_notified(new_case(office, clerk), clerk)  # undecided: counted nowhere
    assert value("penalty_cases", office) == 3
    assert value("no_penalty_first_offense", office) == 1
    assert value("no_penalty_minor", office) == 2
    assert value("major_decision_legal_review_rate", office) == 100
    assert float(value("penalty_publicity_timely_rate", office)) == pytest.approx(100 / 3, abs=0.1)
    assert value("penalty_cases", office, 2024) == 0


def test_penalty_cases_and_the_publicity_rate_count_the_same_cases(office, clerk):
    """Both count 行政处罚 cases decided with a penalty: a 行政强制 case decided and never published is
    in neither, so it lowers no rate."""

    def decided(outcome=Outcome.PENALTY, **values):
        case = to_notified(new_case(office, clerk, **values), clerk)
        step(case, CaseStatus.DECIDED, clerk, date(2025, 4, 21), outcome=outcome)
        return case

    published = decided()
    step(published, CaseStatus.DECIDED, clerk, date(2025, 4, 25))  # 公示 in time
    decided(Outcome.COERCIVE_MEASURE, case_type=CaseType.COERCION)  # owes no 公示
    assert value("penalty_cases", office) == 1
    assert value("penalty_publicity_timely_rate", office) == 100
