"""处理结果 by 案件类型 (issue 13 §2): each type decides with its own outcomes (行政许可: 准予/不予行政许可;
行政强制: 采取/不采取行政强制措施; 行政检查: 未发现违法行为/责令改正/移送立案查处; 撤销案件 for every type),
a wrong pairing is refused with a message naming both on every entry path and by the database, and only a
行政处罚 decision owes its 公示 (rule ``enforcement.publicity_penalty``)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from fazhi.discretion.models import ListKind
from fazhi.discretion.tests.factories import ListItemFactory
from fazhi.enforcement import selectors
from fazhi.enforcement.models import OUTCOMES_BY_TYPE, CaseStatus, CaseType, EnforcementCase, Outcome
from fazhi.enforcement.registers import CASES
from fazhi.enforcement.tests.factories import EnforcementCaseFactory
from fazhi.indicators.engine import compute
from fazhi.org.models import UserRole
from fazhi.org.selectors import visible_unit_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.registers import excel, services
from fazhi.registers.spec import Column

pytestmark = pytest.mark.django_db

FILED = date(2025, 3, 3)
DECIDED = date(2025, 4, 21)


@pytest.fixture
def office(county):
    return county["changgang_office"]


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-case-types")


def step(case, to, clerk, on, **values):
    return services.item_transition(
        CASES, case, to, actor=clerk, scope_ids=visible_unit_ids(clerk), on=on, values=values
    )


def notified(office, clerk, case_type):
    case = EnforcementCaseFactory(unit=office, start=FILED, actor=clerk, case_type=case_type)
    step(case, CaseStatus.INVESTIGATING, clerk, date(2025, 3, 20))
    step(case, CaseStatus.NOTIFIED, clerk, date(2025, 4, 1))
    return case


def test_each_type_is_decided_with_its_own_outcomes(county, office, clerk):
    """Every outcome of every type is accepted by the 决定 step, and only a 行政处罚 case decided with a
    penalty has a 公示期限 and a 公示情况."""
    first = ListItemFactory(unit=county["county"], start=date(2024, 1, 2), kind=ListKind.NO_PENALTY)
    seen = set()
    for case_type, outcomes in OUTCOMES_BY_TYPE.items():
        for outcome in outcomes:
            case = notified(office, clerk, case_type)
            given = {"list_item": first} if outcome == Outcome.NO_PENALTY_FIRST else {}  # 第三十三条
            step(case, CaseStatus.DECIDED, clerk, DECIDED, outcome=outcome, **given)
            stored = EnforcementCase.objects.get(pk=case.pk)
            assert (stored.status, stored.case_type, stored.outcome) == (
                CaseStatus.DECIDED,
                case_type,
                outcome,
            )
            punished = case_type == CaseType.PENALTY and outcome == Outcome.PENALTY
            assert (stored.publicity_due is not None, stored.publicity != "") == (punished, punished)
            seen.add(outcome)
    assert seen == set(Outcome.values)  # every outcome belongs to some type
    assert all(Outcome.REVOKED in outcomes for outcomes in OUTCOMES_BY_TYPE.values())
    assert set(OUTCOMES_BY_TYPE) == set(CaseType.values)


@pytest.mark.parametrize(
    ("case_type", "outcome", "message"),
    [
        (
            CaseType.INSPECTION,
            Outcome.PENALTY,
            "行政检查案件的处理结果不能为“给予行政处罚”，应为“未发现违法行为”“责令改正”“移送立案查处”或“撤销案件”。",
        ),
        (
            CaseType.LICENSE,
            Outcome.NO_PENALTY_FIRST,
            "行政许可案件的处理结果不能为“不予处罚（首违不罚）”，应为“准予行政许可”“不予行政许可”或“撤销案件”。",
        ),
        (
            CaseType.COERCION,
            Outcome.CORRECTION_ORDERED,
            "行政强制案件的处理结果不能为“责令改正”，应为“采取行政强制措施”“不采取行政强制措施”或“撤销案件”。",
        ),
        (
            CaseType.PENALTY,
            Outcome.LICENSE_GRANTED,
            "行政处罚案件的处理结果不能为“准予行政许可”，应为“给予行政处罚”“不予处罚（违法行为轻微并及时改正）”"
            "“不予处罚（首违不罚）”“不予处罚（其他情形）”或“撤销案件”。",
        ),
    ],
)
def test_an_outcome_of_another_type_is_refused_by_the_decision_step(
    office, clerk, case_type, outcome, message
):
    case = notified(office, clerk, case_type)
    with pytest.raises(ValidationError) as refused:
        step(case, CaseStatus.DECIDED, clerk, DECIDED, outcome=outcome)
    assert refused.value.message_dict["outcome"] == [message]
    stored = EnforcementCase.objects.get(pk=case.pk)
    assert stored.status == CaseStatus.NOTIFIED and stored.outcome == ""


def test_an_edit_changing_the_type_under_a_decided_outcome_is_refused(office, clerk):
    case = notified(office, clerk, CaseType.PENALTY)
    step(case, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.PENALTY)
    case.case_type = CaseType.INSPECTION
    with pytest.raises(ValidationError) as refused:
        services.item_update(CASES, case, actor=clerk, scope_ids=visible_unit_ids(clerk))
    assert refused.value.message_dict["outcome"][0].startswith("行政检查案件的处理结果不能为“给予行政处罚”")
    assert EnforcementCase.objects.get(pk=case.pk).case_type == CaseType.PENALTY


def test_the_database_refuses_a_write_that_bypasses_the_check(office, clerk):
    case = notified(office, clerk, CaseType.INSPECTION)
    step(case, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.NO_VIOLATION)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementCase.objects.filter(pk=case.pk).update(outcome=Outcome.PENALTY)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementCase.objects.filter(pk=case.pk).update(case_type=CaseType.LICENSE)
    EnforcementCase.objects.filter(pk=case.pk).update(outcome=Outcome.REVOKED)  # fits every type
    EnforcementCase.objects.filter(pk=case.pk).update(case_type=CaseType.LICENSE)
    assert EnforcementCase.objects.get(pk=case.pk).case_type == CaseType.LICENSE


def test_an_inspection_owes_no_publicity(office, clerk):
    """A 行政检查 decided 责令改正 has no 公示期限 nor 公示情况, its next deadline is no 公示, and closed
    unpublished it is neither in the 结案未公示 notice nor in the 行政处罚 figures."""
    inspection = notified(office, clerk, CaseType.INSPECTION)
    step(inspection, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.CORRECTION_ORDERED)
    assert inspection.publicity_due is None and inspection.publicity == ""
    assert inspection.due_date is None and inspection.due_label == ""  # neither 公示 nor 行政处罚 送达
    step(inspection, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    step(inspection, CaseStatus.EXECUTED, clerk, date(2025, 5, 20))
    step(inspection, CaseStatus.CLOSED, clerk, date(2025, 5, 30))
    stored = EnforcementCase.objects.get(pk=inspection.pk)
    assert stored.publicity_due is None and stored.publicity == "" and stored.due_date is None
    assert not selectors.closed_unpublished(None, 2025).exists()

    penalty = notified(office, clerk, CaseType.PENALTY)  # the same path with a penalty owes its 公示
    step(penalty, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.PENALTY)
    assert penalty.publicity_due == date(2025, 4, 29) and "公示" in penalty.due_label
    figures = compute(office, 2025, ids=["penalty_cases"], units=[office.pk])[office.pk]
    assert figures["penalty_cases"].value == 1


def _workbook(rows: list[dict[str, str]]) -> bytes:
    book = load_workbook(io.BytesIO(excel.template_bytes(CASES)))
    heads = [c.value for c in book.worksheets[0][1]]
    for row in rows:
        book.worksheets[0].append([row.get(h, "") for h in heads])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_refuses_a_wrong_pairing_by_row(office, clerk):
    draft = EnforcementCaseFactory.build(unit=office, start=FILED)
    h = {f: excel.header(CASES, Column(f)) for f in ("unit", "number", "case_type", "party_kind")}
    h |= {f: excel.header(CASES, Column(f)) for f in ("party_organization", "cause", "lead_handler")}
    h |= {f: excel.header(CASES, Column(f)) for f in ("co_handler", "filed_on", "investigated_on")}
    h |= {f: excel.header(CASES, Column(f)) for f in ("notified_on", "decided_on", "outcome")}
    h["status"] = "状态"

    def row(number: str, case_type: CaseType, outcome: Outcome) -> dict[str, str]:
        return {
            h["unit"]: office.name,
            h["number"]: number,
            h["case_type"]: case_type.label,
            h["party_kind"]: draft.get_party_kind_display(),
            h["party_organization"]: draft.party_organization,
            h["cause"]: draft.cause,
            h["lead_handler"]: draft.lead_handler.name,
            h["co_handler"]: draft.co_handler.name,
            h["filed_on"]: "2025-03-03",
            h["investigated_on"]: "2025-03-20",
            h["notified_on"]: "2025-04-01",
            h["decided_on"]: "2025-04-21",
            h["outcome"]: outcome.label,
            h["status"]: "已决定",
        }

    data = _workbook(
        [
            row("检1", CaseType.INSPECTION, Outcome.NO_VIOLATION),
            row("检2", CaseType.INSPECTION, Outcome.PENALTY),
        ]
    )
    scope = visible_unit_ids(clerk)
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_workbook(CASES, data, "案件.xlsx", actor=clerk, scope_ids=scope)
    assert failed.value.messages == [
        f"第3行「{h['outcome']}」：行政检查案件的处理结果不能为“给予行政处罚”，"
        "应为“未发现违法行为”“责令改正”“移送立案查处”或“撤销案件”。"
    ]
    assert not EnforcementCase.objects.filter(number__startswith="检").exists()
    good = _workbook([row("检1", CaseType.INSPECTION, Outcome.NO_VIOLATION)])
    (item,) = excel.import_workbook(CASES, good, "案件.xlsx", actor=clerk, scope_ids=scope)
    assert (item.case_type, item.outcome, item.publicity_due) == (
        CaseType.INSPECTION,
        Outcome.NO_VIOLATION,
        None,
    )


def test_the_time_limits_follow_the_case_type(office, clerk):
    """A 行政许可 is decided within 20 working days of 受理 and its licence issued within 10 working days
    of 准予 (《行政许可法》第四十二条、第四十四条); a 行政检查 shows no 行政处罚 time limit before or after
    its decision; a 行政处罚 case keeps 90 days to decide."""
    licence = notified(office, clerk, CaseType.LICENSE)
    assert (licence.due_label, licence.due_date) == ("作出行政许可决定", date(2025, 3, 31))
    assert "《中华人民共和国行政许可法》第四十二条" in licence.due_source
    step(licence, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.LICENSE_GRANTED)
    assert (licence.due_label, licence.due_date) == ("颁发、送达行政许可证件", date(2025, 5, 7))  # 五一 off
    refused = notified(office, clerk, CaseType.LICENSE)
    step(refused, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.LICENSE_REFUSED)
    assert refused.due_date is None and refused.due_label == ""
    inspection = notified(office, clerk, CaseType.INSPECTION)
    assert inspection.due_date is None
    step(inspection, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.REFERRED)
    assert inspection.due_date is None and inspection.publicity_due is None
    penalty = notified(office, clerk, CaseType.PENALTY)
    # 90 days: 6月1日, a Sunday in the 端午 holiday (5月31日 to 6月2日), so the next working day
    assert (penalty.due_label, penalty.due_date) == ("作出行政处罚决定", date(2025, 6, 3))
