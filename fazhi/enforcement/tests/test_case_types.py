"""处理结果 by 案件类型 (issue 13 §2): each type decides with its own outcomes (行政许可: 准予/不予行政许可;
行政强制: 采取/不采取行政强制措施; 行政检查: 未发现违法行为/责令改正/移送立案查处; 撤销案件 for every type),
a wrong pairing is refused with a message naming both on every entry path and by the database, and each
decision owes its 公示 (国办发〔2018〕118号): a 行政许可 or 行政处罚 case's within 7 working days
(``enforcement.publicity_penalty``), any other within 20 (``enforcement.publicity_other``)."""

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from fazhi.discretion.models import ListKind
from fazhi.discretion.tests.factories import ListItemFactory
from fazhi.enforcement import selectors
from fazhi.enforcement.models import (
    EXECUTED_OUTCOMES,
    OUTCOMES_BY_TYPE,
    CaseStatus,
    CaseType,
    EnforcementCase,
    Outcome,
)
from fazhi.enforcement.registers import CASES
from fazhi.enforcement.tests.factories import EnforcementCaseFactory
from fazhi.enforcement.tests.factories import case_step as step
from fazhi.indicators.engine import compute
from fazhi.org.models import UserRole
from fazhi.org.selectors import visible_unit_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.registers import excel, services
from fazhi.registers.spec import Column
from fazhi.registers.testing import template_workbook, timeline_of

pytestmark = pytest.mark.django_db

FILED = date(2025, 3, 3)
DECIDED = date(2025, 4, 21)
IN_7_WORKDAYS = date(2025, 4, 29)  # 4月27日 a Sunday worked
IN_20_WORKDAYS = date(2025, 5, 21)  # 5月1日 to 5日 off


@pytest.fixture
def office(county):
    return county["changgang_office"]


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-case-types")


def notified(office, clerk, case_type):
    case = EnforcementCaseFactory(unit=office, start=FILED, actor=clerk, case_type=case_type)
    step(case, CaseStatus.INVESTIGATING, clerk, date(2025, 3, 20))
    step(case, CaseStatus.NOTIFIED, clerk, date(2025, 4, 1))
    return case


def test_each_type_is_decided_with_its_own_outcomes(county, office, clerk):
    """Every outcome of every type is accepted by the 决定 step, and its 公示期限 is the decision's: 7
    working days for a 行政许可 or 行政处罚 case's (准予/不予, 给予/不予), 20 for any other, none for
    撤销案件."""
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
            if outcome == Outcome.REVOKED:
                due = None
            elif case_type in (CaseType.LICENSE, CaseType.PENALTY):
                due = IN_7_WORKDAYS
            else:
                due = IN_20_WORKDAYS
            assert (stored.publicity_due, stored.publicity) == (due, "pending" if due else ""), outcome
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


def test_an_inspection_owes_the_publicity_of_its_conclusion_within_twenty_working_days(office, clerk):
    """A 行政检查 decided 责令改正 owes the 公示 of its conclusion within 20 working days (no 送达 time
    limit of the 行政处罚法), is in the 结案未公示 notice once closed unpublished, and never in the
    行政处罚 figures."""
    inspection = notified(office, clerk, CaseType.INSPECTION)
    step(inspection, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.CORRECTION_ORDERED)
    assert (inspection.publicity_due, inspection.publicity) == (IN_20_WORKDAYS, "pending")
    assert (inspection.due_label, inspection.due_date) == ("公示执法决定", IN_20_WORKDAYS)
    assert "国办发〔2018〕118号" in inspection.due_source
    step(inspection, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    step(inspection, CaseStatus.EXECUTED, clerk, date(2025, 5, 20))
    step(inspection, CaseStatus.CLOSED, clerk, date(2025, 5, 30))
    stored = EnforcementCase.objects.get(pk=inspection.pk)
    assert (stored.publicity, stored.due_date) == ("closed_unpublished", None)
    assert list(selectors.closed_unpublished(None, 2025)) == [stored]
    figures = compute(office, 2025, ids=["penalty_cases"], units=[office.pk])[office.pk]
    assert figures["penalty_cases"].value == 0

    penalty = notified(office, clerk, CaseType.PENALTY)  # the same path with a penalty owes it in 7
    step(penalty, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.PENALTY)
    assert penalty.publicity_due == IN_7_WORKDAYS and "公示" in penalty.due_label
    figures = compute(office, 2025, ids=["penalty_cases"], units=[office.pk])[office.pk]
    assert figures["penalty_cases"].value == 1


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

    data = template_workbook(
        CASES,
        [
            row("检1", CaseType.INSPECTION, Outcome.NO_VIOLATION),
            row("检2", CaseType.INSPECTION, Outcome.PENALTY),
        ],
    )
    scope = visible_unit_ids(clerk)
    with pytest.raises(excel.ImportFailed) as failed:
        excel.import_workbook(CASES, data, "案件.xlsx", actor=clerk, scope_ids=scope)
    assert failed.value.messages == [
        f"第3行「{h['outcome']}」：行政检查案件的处理结果不能为“给予行政处罚”，"
        "应为“未发现违法行为”“责令改正”“移送立案查处”或“撤销案件”。"
    ]
    assert not EnforcementCase.objects.filter(number__startswith="检").exists()
    good = template_workbook(CASES, [row("检1", CaseType.INSPECTION, Outcome.NO_VIOLATION)])
    (item,) = excel.import_workbook(CASES, good, "案件.xlsx", actor=clerk, scope_ids=scope)
    assert (item.case_type, item.outcome, item.publicity_due) == (
        CaseType.INSPECTION,
        Outcome.NO_VIOLATION,
        IN_20_WORKDAYS,
    )


def test_the_time_limits_follow_the_case_type(office, clerk):
    """A 行政许可 is decided within 20 working days of 受理 and its licence issued within 10 working days
    of 准予 (《行政许可法》第四十二条、第四十四条), the earlier first, and the decision published within 7; a
    行政检查 shows no 行政处罚 time limit before its decision and the 20 working days of its 公示 after;
    a 行政处罚 case keeps 90 days to decide."""
    licence = notified(office, clerk, CaseType.LICENSE)
    assert (licence.due_label, licence.due_date) == ("作出行政许可决定", date(2025, 3, 31))
    assert "《中华人民共和国行政许可法》第四十二条" in licence.due_source
    step(licence, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.LICENSE_GRANTED)
    assert (licence.due_label, licence.due_date) == ("公示行政许可决定", IN_7_WORKDAYS)  # the earlier
    step(licence, CaseStatus.DECIDED, clerk, date(2025, 4, 25))  # 公示
    assert (licence.due_label, licence.due_date) == ("颁发、送达行政许可证件", date(2025, 5, 7))  # 五一 off
    refused = notified(office, clerk, CaseType.LICENSE)
    step(refused, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.LICENSE_REFUSED)
    assert (refused.due_label, refused.due_date) == ("公示行政许可决定", IN_7_WORKDAYS)  # nothing to issue
    inspection = notified(office, clerk, CaseType.INSPECTION)
    assert inspection.due_date is None
    step(inspection, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.REFERRED)
    assert (inspection.due_label, inspection.due_date) == ("公示执法决定", IN_20_WORKDAYS)
    penalty = notified(office, clerk, CaseType.PENALTY)
    # 90 days: 6月1日, a Sunday in the 端午 holiday (5月31日 to 6月2日), so the next working day
    assert (penalty.due_label, penalty.due_date) == ("作出行政处罚决定", date(2025, 6, 3))


def test_a_case_with_nothing_to_carry_out_is_closed_after_service(office, clerk):
    """不予处罚, 不予行政许可, 未发现违法行为, 撤销案件 …: no 执行 step, 结案 after 送达; a penalty is
    执行 first.
    The page offers the one step that applies, the service refuses the other by name, an import replays
    the shorter path, and the database keeps 执行日期 to the outcomes carried out."""
    excused = notified(office, clerk, CaseType.PENALTY)
    step(excused, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.NO_PENALTY_MINOR)
    step(excused, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    offered = [s.label for s in CASES.workflow.steps_for(excused)]
    assert offered == ["结案", "公示"]
    with pytest.raises(ValidationError) as refused:
        step(excused, CaseStatus.EXECUTED, clerk, date(2025, 5, 6))
    assert refused.value.messages == [
        "处理结果为“不予处罚（违法行为轻微并及时改正）”的行政执法案件不办理“执行”。"
    ]
    with pytest.raises(ValidationError) as early:  # 结案 before 送达 (the path without 执行 checks it too)
        step(excused, CaseStatus.CLOSED, clerk, date(2025, 4, 22))
    assert "结案日期" in early.value.messages[0] and "送达" in early.value.messages[0]
    step(excused, CaseStatus.CLOSED, clerk, date(2025, 5, 6))
    assert (excused.status, excused.executed_on, excused.closed_on) == (
        CaseStatus.CLOSED,
        None,
        date(2025, 5, 6),
    )

    fined = notified(office, clerk, CaseType.PENALTY)
    step(fined, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.PENALTY)
    step(fined, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    assert [s.label for s in CASES.workflow.steps_for(fined)] == ["执行", "公示"]
    with pytest.raises(ValidationError, match="不办理“结案”"):
        step(fined, CaseStatus.CLOSED, clerk, date(2025, 5, 6))
    assert EnforcementCase.objects.get(pk=fined.pk).status == CaseStatus.SERVED

    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementCase.objects.filter(pk=excused.pk).update(executed_on=date(2025, 5, 1))
    assert set(EXECUTED_OUTCOMES) == {Outcome.PENALTY, Outcome.COERCIVE_MEASURE, Outcome.CORRECTION_ORDERED}


def test_the_import_replays_a_closed_case_without_execution(office, clerk):
    """A 不予处罚 case imported as 已结案 with no 执行日期 takes 送达 → 结案; given a 执行日期 it is refused
    with the reason, and nothing is written."""
    draft = EnforcementCaseFactory.build(unit=office, start=FILED)
    columns = ["unit", "number", "case_type", "party_kind", "party_organization", "cause", "lead_handler"]
    columns += ["co_handler", "filed_on", "investigated_on", "notified_on", "decided_on", "outcome"]
    columns += ["served_on", "executed_on", "closed_on"]
    h = {f: excel.header(CASES, Column(f)) for f in columns} | {"status": "状态"}

    def row(number: str, executed: str) -> dict[str, str]:
        return {
            h["unit"]: office.name, h["number"]: number, h["case_type"]: CaseType.PENALTY.label,
            h["party_kind"]: draft.get_party_kind_display(),
            h["party_organization"]: draft.party_organization,
            h["cause"]: draft.cause, h["lead_handler"]: draft.lead_handler.name,
            h["co_handler"]: draft.co_handler.name, h["filed_on"]: "2025-03-03",
            h["investigated_on"]: "2025-03-20", h["notified_on"]: "2025-04-01", h["decided_on"]: "2025-04-21",
            h["outcome"]: Outcome.NO_PENALTY_MINOR.label, h["served_on"]: "2025-04-23",
            h["executed_on"]: executed, h["closed_on"]: "2025-05-06", h["status"]: "已结案",
        }  # fmt: skip

    scope = visible_unit_ids(clerk)
    with pytest.raises(excel.ImportFailed) as failed:
        data = template_workbook(CASES, [row("罚1", ""), row("罚2", "2025-04-30")])
        excel.import_workbook(CASES, data, "案件.xlsx", actor=clerk, scope_ids=scope)
    assert failed.value.messages == [
        "第3行「状态」：处理结果为“不予处罚（违法行为轻微并及时改正）”的行政执法案件不办理“执行”，"
        "不应有执行完毕日期。"
    ]
    assert not EnforcementCase.objects.filter(number__startswith="罚").exists()
    undecided = {**row("罚3", ""), h["outcome"]: ""}  # told to fill in the outcome, not that 结案 is barred
    with pytest.raises(excel.ImportFailed) as failed:
        data = template_workbook(CASES, [undecided])
        excel.import_workbook(CASES, data, "案件.xlsx", actor=clerk, scope_ids=scope)
    assert failed.value.messages[0].startswith("第2行「状态」：状态为“已结案”须依次办理")
    assert failed.value.messages[0].endswith("请填写：处理结果。")
    published = {**row("罚1", ""), excel.header(CASES, Column("published_on")): "2025-04-25"}
    data = template_workbook(CASES, [published])
    (item,) = excel.import_workbook(CASES, data, "案件.xlsx", actor=clerk, scope_ids=scope)
    assert (item.status, item.executed_on, item.closed_on) == (CaseStatus.CLOSED, None, date(2025, 5, 6))
    assert (item.published_on, item.publicity) == (date(2025, 4, 25), "on_time")  # its 公示 replayed once


def _past_the_constraint(update) -> None:
    """Write rows as they were before 0007's constraint (dropped in the test's transaction only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
            cursor.execute(
                "ALTER TABLE enforcement_enforcementcase DROP CONSTRAINT case_executed_needs_outcome"
            )
        try:
            update()
        finally:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA ignore_check_constraints = OFF")


def test_the_migration_clears_the_execution_of_a_case_with_nothing_to_carry_out(office, clerk):
    """A 不予处罚 case that passed 执行 before 0007 gets back to 已送达 with its 执行日期 cleared, said in its
    备注 and its timeline; a penalty's 执行 stays."""
    excused = notified(office, clerk, CaseType.PENALTY)
    step(excused, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.NO_PENALTY_MINOR)
    step(excused, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    fined = notified(office, clerk, CaseType.PENALTY)
    step(fined, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.PENALTY)
    step(fined, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    step(fined, CaseStatus.EXECUTED, clerk, date(2025, 5, 6))
    _past_the_constraint(
        lambda: EnforcementCase.objects.filter(pk=excused.pk).update(
            status="executed", executed_on=date(2025, 5, 6)
        )
    )
    migration = importlib.import_module("fazhi.enforcement.migrations.0007_case_executed_needs_outcome")
    migration.clear_execution(django_apps, None)
    excused.refresh_from_db()
    assert (excused.status, excused.executed_on, excused.version) == (CaseStatus.SERVED, None, 6)
    assert "已删除执行日期（原为2025年5月6日）" in excused.note and "请办理结案" in excused.note
    last = timeline_of(excused)[-1]
    assert last[:3] == ("executed", "served", "系统升级：无须执行")
    fined.refresh_from_db()
    assert (fined.status, fined.executed_on, fined.note) == (CaseStatus.EXECUTED, date(2025, 5, 6), "")


def test_the_migration_gives_the_decisions_kept_their_publicity(office, clerk):
    """Cases decided before every decision owed 公示 get their 公示期限, 公示情况 and next deadline."""
    coercion = notified(office, clerk, CaseType.COERCION)
    step(coercion, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.COERCIVE_MEASURE)
    closed = notified(office, clerk, CaseType.LICENSE)
    step(closed, CaseStatus.DECIDED, clerk, DECIDED, outcome=Outcome.LICENSE_REFUSED)
    step(closed, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    step(closed, CaseStatus.CLOSED, clerk, date(2025, 4, 24))
    cleared = {"publicity_due": None, "publicity": "", "due_date": None, "due_label": "", "due_source": ""}
    EnforcementCase.objects.update(**cleared)  # as 0006 left them
    migration = importlib.import_module("fazhi.enforcement.migrations.0007_case_executed_needs_outcome")
    migration.settle_publicity(django_apps, None)
    coercion.refresh_from_db()
    assert (coercion.publicity_due, coercion.publicity) == (IN_20_WORKDAYS, "pending")
    assert (coercion.due_date, coercion.due_label) == (IN_20_WORKDAYS, "公示执法决定")
    closed.refresh_from_db()
    assert (closed.publicity_due, closed.publicity, closed.due_date) == (
        IN_7_WORKDAYS,
        "closed_unpublished",
        None,
    )


def test_the_decision_form_offers_the_outcomes_of_the_case_type(office, clerk, client):
    from django.urls import reverse

    client.force_login(clerk)
    for case_type, outcomes in OUTCOMES_BY_TYPE.items():
        case = notified(office, clerk, case_type)
        page = client.get(reverse("registers:transition", args=[CASES.key, case.pk, CaseStatus.DECIDED]))
        offered = {o.label for o in Outcome if f">{o.label}</option>" in page.content.decode()}
        assert offered == {Outcome(o).label for o in outcomes}, case_type
