"""A case's 裁量基准 and 四张清单 items (《行政处罚法》第三十二至三十四条), its 其他执法人员
(第四十二条) and its 全过程记录 (国办发〔2018〕118号): every branch on the service path, with the
Chinese message and nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.discretion.models import ListKind, Tier
from fazhi.discretion.tests.factories import DiscretionItemFactory, ListItemFactory
from fazhi.enforcement.models import CaseRecord, CaseStatus, EnforcementCase, Outcome, RecordKind, RecordStep
from fazhi.enforcement.registers import CASES, case_summary
from fazhi.enforcement.tests.factories import EnforcementCaseFactory, certified_officer
from fazhi.enforcement.tests.factories import case_step as step
from fazhi.indicators.engine import compute
from fazhi.org.models import UserRole
from fazhi.org.selectors import visible_unit_ids
from fazhi.org.tests.factories import PersonFactory, UnitFactory, UserFactory
from fazhi.registers import services

pytestmark = pytest.mark.django_db

FILED = date(2025, 3, 3)
DECIDED = date(2025, 4, 20)


@pytest.fixture
def office(county):
    return county["changgang_office"]


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-discretion")


@pytest.fixture
def basis(county, clerk):
    """The county's 一般情节 item of 生产经营不符合食品安全标准的食品 (2000元 to 20000元) and its lists."""
    county_clerk = UserFactory(unit=county["county"], role=UserRole.OPERATOR, username="county-discretion")
    item = DiscretionItemFactory(
        unit=county["county"],
        start=date(2024, 1, 1),
        actor=county_clerk,
        violation="生产经营不符合食品安全标准的食品",
    )
    lists = {
        kind: ListItemFactory(unit=county["county"], start=date(2024, 1, 1), kind=kind, actor=county_clerk)
        for kind in ListKind
    }
    return item, lists


def notified(office, clerk, **values):
    case = EnforcementCaseFactory(unit=office, start=FILED, actor=clerk, **values)
    step(case, CaseStatus.INVESTIGATING, clerk, date(2025, 3, 20))
    step(case, CaseStatus.NOTIFIED, clerk, date(2025, 4, 1))
    return case


def refused_decision(case, clerk, **values) -> str:
    with pytest.raises(ValidationError) as refused:
        step(case, CaseStatus.DECIDED, clerk, DECIDED, **values)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.decided_on is None and case.fine_amount is None
    assert case.discretion_item_id is None and case.list_item_id is None
    return " ".join(refused.value.messages)


# -- the fine against the 裁量基准 ------------------------------------------------------------------
def test_a_fine_inside_the_range_is_decided(office, clerk, basis):
    item, _ = basis
    case = notified(office, clerk)
    step(
        case,
        CaseStatus.DECIDED,
        clerk,
        DECIDED,
        outcome=Outcome.PENALTY,
        fine_amount=Decimal(8000),
        discretion_item=item,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.discretion_item == item
    facts = dict(case_summary(case))
    assert "2000元至20000元" in facts["裁量基准"] and "第一百二十四条" in facts["裁量基准"]


def test_a_fine_above_the_range_is_refused_with_the_range_and_basis(office, clerk, basis):
    item, _ = basis
    case = notified(office, clerk)
    message = refused_decision(
        case, clerk, outcome=Outcome.PENALTY, fine_amount=Decimal(50000), discretion_item=item
    )
    assert (
        "罚没金额50000元超出所选裁量基准“生产经营不符合食品安全标准的食品（一般情节）”的幅度"
        "（2000元至20000元），依据《中华人民共和国食品安全法》第一百二十四条第一款" in message
    )


def test_a_fine_above_the_range_is_refused_even_when_mitigated(office, clerk, basis):
    item, lists = basis
    case = notified(office, clerk)
    message = refused_decision(
        case,
        clerk,
        outcome=Outcome.PENALTY,
        fine_amount=Decimal(20001),
        discretion_item=item,
        list_item=lists[ListKind.MITIGATED],
    )
    assert "罚没金额20001元超出所选裁量基准" in message


def test_a_fine_below_the_range_is_refused_unless_mitigated(office, clerk, basis):
    item, lists = basis
    case = notified(office, clerk)
    message = refused_decision(
        case,
        clerk,
        outcome=Outcome.PENALTY,
        fine_amount=Decimal(500),
        discretion_item=item,
        list_item=lists[ListKind.LIGHTER],
    )
    assert "罚没金额500元低于所选裁量基准" in message and "应选择所适用的减轻处罚清单事项" in message
    step(
        case,
        CaseStatus.DECIDED,
        clerk,
        DECIDED,
        outcome=Outcome.PENALTY,
        fine_amount=Decimal(500),
        discretion_item=item,
        list_item=lists[ListKind.MITIGATED],
    )
    case.refresh_from_db()
    assert case.fine_amount == Decimal(500)
    assert "低于裁量基准下限（2000元至20000元）" in dict(case_summary(case))["减轻处罚"]


def test_a_fine_without_an_item_is_refused(office, clerk, basis):
    case = notified(office, clerk)
    message = refused_decision(case, clerk, outcome=Outcome.PENALTY, fine_amount=Decimal(3000))
    assert "罚没金额3000元的行政处罚决定应选择所依据的裁量基准" in message and "第三十四条" in message
    step(case, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.PENALTY)  # 警告: no fine, no item needed


def test_an_item_without_a_fine_admits_none(office, clerk, county):
    warning_only = DiscretionItemFactory(
        unit=county["county"], start=date(2024, 1, 1), tier=Tier.MINOR, fine_min=None, fine_max=None
    )
    case = notified(office, clerk)
    message = refused_decision(
        case, clerk, outcome=Outcome.PENALTY, fine_amount=Decimal(100), discretion_item=warning_only
    )
    assert "未规定罚款，不能处以罚没金额100元" in message


def test_an_item_of_another_county_is_refused(office, clerk, county):
    other = UnitFactory(code="D", name="白水县")
    foreign = DiscretionItemFactory(unit=other, start=date(2024, 1, 1))
    case = notified(office, clerk)
    message = refused_decision(
        case, clerk, outcome=Outcome.PENALTY, fine_amount=Decimal(3000), discretion_item=foreign
    )
    assert "所选适用的裁量基准不在您的权限范围内" in message
    # a writer who sees both counties is refused by the unit tree itself
    admin = UserFactory(unit=None, role=UserRole.SYSTEM_ADMIN, username="discretion-admin")
    with pytest.raises(ValidationError) as refused:
        services.item_transition(
            CASES,
            case,
            CaseStatus.DECIDED,
            actor=admin,
            scope_ids=visible_unit_ids(admin),
            on=DECIDED,
            values={"outcome": Outcome.PENALTY, "fine_amount": Decimal(3000), "discretion_item": foreign},
        )
    assert "由白水县制定，不适用于长冈乡司法所：案件只能适用本单位或上级单位制定的裁量基准" in str(
        refused.value
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.discretion_item_id is None


def test_an_item_not_yet_in_force_is_refused(office, clerk, county):
    later = DiscretionItemFactory(unit=county["county"], start=date(2025, 6, 1))
    case = notified(office, clerk)
    message = refused_decision(
        case, clerk, outcome=Outcome.PENALTY, fine_amount=Decimal(3000), discretion_item=later
    )
    assert "自2025年6月1日起施行，2025年4月20日尚未施行" in message


# -- 首违不罚 and the lists ---------------------------------------------------------------------------
def test_first_offence_needs_a_no_penalty_list_item_and_is_counted(office, clerk, basis):
    _, lists = basis
    case = notified(office, clerk)
    message = refused_decision(case, clerk, outcome=Outcome.NO_PENALTY_FIRST)
    assert "应选择所适用的不予处罚清单事项" in message and "第三十三条第一款" in message
    message = refused_decision(
        case, clerk, outcome=Outcome.NO_PENALTY_FIRST, list_item=lists[ListKind.LIGHTER]
    )
    assert (
        "应选择所适用的不予处罚清单事项" in message
        and "属于从轻处罚清单，只适用于给予行政处罚的决定" in message
    )
    message = refused_decision(case, clerk, outcome=Outcome.PENALTY, list_item=lists[ListKind.NO_PENALTY])
    assert "属于不予处罚清单，与处理结果“给予行政处罚”不符" in message
    step(
        case,
        CaseStatus.DECIDED,
        clerk,
        DECIDED,
        outcome=Outcome.NO_PENALTY_FIRST,
        list_item=lists[ListKind.NO_PENALTY],
    )
    result = compute(office, 2025, ids=["no_penalty_first_offense"], units=[office.pk])
    assert result[office.pk]["no_penalty_first_offense"].value == 1


def test_an_imported_decided_case_is_checked_the_same_way(office, clerk, basis):
    item, _ = basis
    case = EnforcementCaseFactory.build(unit=office, start=FILED)
    case.status = CaseStatus.DECIDED
    case.investigated_on, case.notified_on, case.decided_on = date(2025, 3, 10), date(2025, 3, 20), DECIDED
    case.outcome, case.fine_amount, case.discretion_item = Outcome.PENALTY, Decimal(30000), item
    with pytest.raises(ValidationError) as refused:
        services.prepare_new(CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk), note="导入")
    assert "罚没金额30000元超出所选裁量基准" in str(refused.value)


# -- 其他执法人员 -------------------------------------------------------------------------------------
def test_a_third_officer_needs_a_certificate_and_may_not_repeat(office, clerk):
    lead, co = certified_officer(office, FILED), certified_officer(office, FILED)
    uncertified = PersonFactory(unit=office, name="孙无证")
    scope = visible_unit_ids(clerk)
    for others, expected in (
        ([uncertified], "其他执法人员孙无证在立案之日（2025年3月3日）无有效执法证"),
        ([lead], f"其他执法人员{lead.name}已是本案主办执法人员，不能重复填写"),
    ):
        case = EnforcementCaseFactory.build(unit=office, start=FILED, lead_handler=lead, co_handler=co)
        with pytest.raises(ValidationError) as refused:
            services.item_create(
                CASES, case, actor=clerk, scope_ids=scope, related={"other_handlers": others}
            )
        assert expected in " ".join(refused.value.message_dict["other_handlers"])
    assert not EnforcementCase.objects.exists()
    third = certified_officer(office, FILED)
    case = EnforcementCaseFactory.build(unit=office, start=FILED, lead_handler=lead, co_handler=co)
    services.item_create(CASES, case, actor=clerk, scope_ids=scope, related={"other_handlers": [third]})
    assert list(case.other_handlers.all()) == [third]
    # an edit adding an uncertified officer is refused and leaves the stored ones
    with pytest.raises(ValidationError):
        services.item_update(
            CASES, case, actor=clerk, scope_ids=scope, related={"other_handlers": [third, uncertified]}
        )
    assert list(EnforcementCase.objects.get(pk=case.pk).other_handlers.all()) == [third]


def test_deciding_checks_the_saved_third_officer(office, clerk):
    lapsing = certified_officer(office, FILED, expires=date(2025, 4, 10))
    case = EnforcementCaseFactory(unit=office, start=FILED, actor=clerk, other_handlers=[lapsing])
    step(case, CaseStatus.INVESTIGATING, clerk, date(2025, 3, 20))
    step(case, CaseStatus.NOTIFIED, clerk, date(2025, 4, 1))
    message = refused_decision(case, clerk, outcome=Outcome.PENALTY)
    assert f"其他执法人员{lapsing.name}在决定之日（2025年4月20日）无有效执法证" in message
    assert "第四十二条" in message
    step(case, CaseStatus.DECIDED, clerk, date(2025, 4, 9), outcome=Outcome.PENALTY)


# -- 全过程记录 ---------------------------------------------------------------------------------------
def record(step_, title, on, kind=RecordKind.DOCUMENT, reference=""):
    return CaseRecord(step=step_, kind=kind, title=title, reference=reference, made_on=on)


def test_records_are_grouped_by_step_and_a_closed_case_without_some_is_warned(office, clerk, basis):
    item, _ = basis
    scope = visible_unit_ids(clerk)
    (child,) = CASES.children
    case = EnforcementCaseFactory.build(unit=office, start=FILED)
    early = record(RecordStep.FILING, "《立案审批表》", date(2025, 3, 1))
    early.case = case
    with pytest.raises(ValidationError) as refused:
        services.item_create(CASES, case, actor=clerk, scope_ids=scope, children={child: [early]})
    assert "形成日期（2025年3月1日）不能早于立案日期（2025年3月3日）" in str(refused.value)
    assert not EnforcementCase.objects.exists() and not CaseRecord.objects.exists()
    case = EnforcementCaseFactory.build(unit=office, start=FILED)
    rows = [
        record(RecordStep.FILING, "《立案审批表》", FILED, reference="青执立〔2025〕1号"),
        record(
            RecordStep.INVESTIGATION,
            "现场执法记录仪视频",
            date(2025, 3, 10),
            RecordKind.AUDIOVISUAL,
            "ZFJLY-20250310-0007",
        ),
        record(RecordStep.INVESTIGATION, "《询问笔录》", date(2025, 3, 11)),
    ]
    services.item_create(CASES, case, actor=clerk, scope_ids=scope, children={child: rows})
    facts = dict(case_summary(case))
    assert facts["全过程记录·调查取证"] == (
        "音像现场执法记录仪视频（ZFJLY-20250310-0007），2025年3月10日；文书《询问笔录》，2025年3月11日"
    )
    assert "全过程记录提示" not in facts  # open: nothing to warn about yet
    for to, on, values in (
        (CaseStatus.INVESTIGATING, date(2025, 3, 20), {}),
        (CaseStatus.NOTIFIED, date(2025, 4, 1), {}),
        (
            CaseStatus.DECIDED,
            DECIDED,
            {"outcome": Outcome.PENALTY, "fine_amount": Decimal(2000), "discretion_item": item},
        ),
        (CaseStatus.SERVED, date(2025, 4, 22), {}),
        (CaseStatus.EXECUTED, date(2025, 5, 10), {}),
        (CaseStatus.CLOSED, date(2025, 5, 20), {}),
    ):
        step(case, to, clerk, on, **values)
    warning = dict(case_summary(case))["全过程记录提示"]
    assert "没有决定、送达环节的全过程记录" in warning and "国办发〔2018〕118号" in warning


# -- the form path ------------------------------------------------------------------------------------
def test_the_decision_form_offers_the_countys_items_and_shows_the_refusal(office, clerk, basis, client):
    item, lists = basis
    case = notified(office, clerk)
    client.force_login(clerk)
    url = reverse("registers:transition", args=("enforcement-cases", case.pk, CaseStatus.DECIDED))
    page = client.get(url).content.decode()
    assert f'value="{item.pk}"' in page and f'value="{lists[ListKind.MITIGATED].pk}"' in page
    posted = {
        "on": "2025-04-20",
        "outcome": Outcome.PENALTY,
        "fine_amount": "50000",
        "discretion_item": item.pk,
        "expected_status": CaseStatus.NOTIFIED,
    }
    response = client.post(url, posted)
    assert response.status_code == 200
    assert "罚没金额50000元超出所选裁量基准" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.fine_amount is None and case.discretion_item_id is None
    response = client.post(url, {**posted, "fine_amount": "5000"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.discretion_item == item and case.fine_amount == 5000
