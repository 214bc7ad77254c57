"""公示 of enforcement decisions (国办发〔2018〕118号; here those of 行政处罚 cases, rule
``enforcement.publicity_penalty``, and of a 行政强制, ``enforcement.publicity_other``): where
each case's 公示 stands (公示情况, derived on every write), the dashboard's notice of cases closed
unpublished with the filtered list behind it, and the overdue 公示 of an open case among the register's
alerts."""

import importlib
import threading
import time
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from fazhi.core.attention import notices
from fazhi.enforcement import selectors
from fazhi.enforcement.models import (
    EXECUTED_OUTCOMES,
    CaseStatus,
    CaseType,
    EnforcementCase,
    Outcome,
    Publicity,
)
from fazhi.enforcement.registers import CASES
from fazhi.enforcement.tests.factories import EnforcementCaseFactory
from fazhi.enforcement.tests.factories import case_step as step
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UserFactory
from fazhi.registers import services
from fazhi.registers.selectors import open_alerts

pytestmark = pytest.mark.django_db

FILED = date(2025, 3, 3)
DECIDED = date(2025, 4, 21)  # 公示 due 7 working days later (4月27日 a Sunday worked): 4月29日


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-publicity")


@pytest.fixture
def bureau(county):
    """A user of the county's 司法局 level: sees every unit of the county."""
    return UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, username="county-justice")


def decided(unit, clerk, *, outcome=Outcome.PENALTY, case_type=CaseType.PENALTY, filed=FILED):
    case = EnforcementCaseFactory(unit=unit, start=filed, actor=clerk, case_type=case_type)
    step(case, CaseStatus.INVESTIGATING, clerk, date(2025, 3, 20))
    step(case, CaseStatus.NOTIFIED, clerk, date(2025, 4, 1))
    step(case, CaseStatus.DECIDED, clerk, DECIDED, outcome=outcome)
    return case


def closed(case, clerk):
    step(case, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    if case.outcome in EXECUTED_OUTCOMES:
        step(case, CaseStatus.EXECUTED, clerk, date(2025, 5, 20))
    step(case, CaseStatus.CLOSED, clerk, date(2025, 5, 30))
    return case


def test_publicity_state_follows_the_case(county, clerk):
    office = county["changgang_office"]
    case = decided(office, clerk)
    assert case.publicity_due == date(2025, 4, 29) and case.publicity == Publicity.PENDING
    closed(case, clerk)
    assert case.publicity == Publicity.CLOSED_UNPUBLISHED
    step(case, CaseStatus.CLOSED, clerk, date(2025, 6, 5))  # 公示 after 结案
    assert case.publicity == Publicity.LATE
    in_time = decided(office, clerk)
    step(in_time, CaseStatus.DECIDED, clerk, date(2025, 4, 29))  # 公示 on the last day
    assert in_time.publicity == Publicity.ON_TIME
    assert EnforcementCase.objects.get(pk=in_time.pk).publicity == Publicity.ON_TIME  # stored
    excused = decided(office, clerk, outcome=Outcome.NO_PENALTY_MINOR)  # a 行政处罚 case's decision too
    assert (excused.publicity, excused.publicity_due) == (Publicity.PENDING, date(2025, 4, 29))
    assert excused.due_label == "送达并公示不予行政处罚决定"
    withdrawn = decided(office, clerk, outcome=Outcome.REVOKED)  # nothing to serve nor publish
    assert (withdrawn.publicity, withdrawn.publicity_due, withdrawn.due_date) == ("", None, None)


def test_the_dashboard_shows_the_justice_bureau_cases_closed_unpublished(county, clerk, bureau, client):
    office, hekou = county["changgang_office"], county["hekou"]
    hekou_clerk = UserFactory(unit=hekou, role=UserRole.OPERATOR, username="hekou-publicity")
    forgotten = closed(decided(office, clerk), clerk)
    other = closed(decided(hekou, hekou_clerk), hekou_clerk)
    published = closed(decided(office, clerk), clerk)
    step(published, CaseStatus.CLOSED, clerk, date(2025, 6, 5))  # published late: not "never"
    coercion = decided(office, clerk, case_type=CaseType.COERCION, outcome=Outcome.COERCIVE_MEASURE)
    closed(coercion, clerk)  # a 行政强制 decision owes its 公示 too
    revoked = decided(office, clerk, outcome=Outcome.REVOKED)
    closed(revoked, clerk)  # 撤销案件 decides nothing to publish
    decided(office, clerk)  # still open: its 公示 is the register's deadline, not this notice
    closed(decided(office, clerk, filed=date(2024, 12, 20)), clerk)  # filed in another year

    assert set(selectors.closed_unpublished(None, 2025)) == {forgotten, other, coercion}
    assert set(selectors.closed_unpublished(subtree_ids(county["changgang"]), 2025)) == {forgotten, coercion}
    found = {n.label: n for n in notices(subtree_ids(county["county"]), 2025)}
    assert found["执法决定结案未公示"].count == 3

    client.force_login(bureau)
    page = client.get(reverse("home"), {"year": 2025}).content.decode()
    notice = found["执法决定结案未公示"]
    assert "执法决定结案未公示（2025年）" in page and notice.url.replace("&", "&amp;") in page
    assert ">3件</a>" in page  # cases are counted in 件
    listed = client.get(notice.url).content.decode()
    unpublished = [forgotten, other, coercion]
    assert all(f">{case.number}<" in listed for case in unpublished)
    for number in EnforcementCase.objects.exclude(pk__in=[c.pk for c in unpublished]).values_list(
        "number", flat=True
    ):
        assert f">{number}<" not in listed

    client.force_login(clerk)  # a township sees its own only
    page = client.get(reverse("home"), {"year": 2025}).content.decode()
    assert "执法决定结案未公示（2025年）" in page
    listed = client.get(notice.url).content.decode()
    assert f">{forgotten.number}<" in listed and f">{other.number}<" not in listed
    client.force_login(hekou_clerk)
    assert "执法决定结案未公示（2024年）" not in client.get(reverse("home"), {"year": 2024}).content.decode()


def test_an_open_case_past_its_publicity_deadline_is_overdue_on_the_dashboard(county, clerk):
    office = county["changgang_office"]
    unserved = decided(office, clerk)
    # 送达 and 公示 fall due the same day (7 working days): one alert names both
    assert unserved.due_label == "送达并公示行政处罚决定" and unserved.due_date == date(2025, 4, 29)
    assert "国办发〔2018〕118号" in unserved.due_source and "第六十一条" in unserved.due_source
    served = decided(office, clerk)
    step(served, CaseStatus.SERVED, clerk, date(2025, 4, 23))
    step(served, CaseStatus.EXECUTED, clerk, date(2025, 5, 20))
    assert served.due_label == "公示行政处罚决定" and served.publicity == Publicity.PENDING
    alerts, counts = open_alerts(subtree_ids(county["county"]))
    overdue = {a.item.pk: a.state.value for a in alerts if a.spec is CASES}
    assert overdue == {unserved.pk: "逾期", served.pk: "逾期"}
    assert counts["enforcement-cases"]["逾期"] == 2
    step(served, CaseStatus.EXECUTED, clerk, date(2025, 5, 21))  # 公示, late
    assert served.due_date is None and served.publicity == Publicity.LATE


def test_the_migration_fills_the_state_of_cases_already_kept(county, clerk):
    office = county["changgang_office"]
    forgotten = closed(decided(office, clerk), clerk)
    pending = decided(office, clerk)
    EnforcementCase.objects.update(publicity="")
    migration = importlib.import_module("fazhi.enforcement.migrations.0005_case_publicity")
    migration.fill_publicity(django_apps, None)
    states = dict(EnforcementCase.objects.values_list("pk", "publicity"))
    assert states == {forgotten.pk: Publicity.CLOSED_UNPUBLISHED, pending.pk: Publicity.PENDING}


def test_a_local_rule_moves_the_publicity_due_date_of_open_cases(county, clerk):
    """A county that publishes 行政处罚决定 within 5 working days: the refresh after the override moves
    the kept 公示期限 (which the indicator counts) with the deadline, not only the deadline."""
    from fazhi.rules.models import RuleOverride
    from fazhi.rules.services import forget_overrides

    case = decided(county["changgang_office"], clerk)
    assert (case.publicity_due, case.due_date) == (date(2025, 4, 29), date(2025, 4, 29))
    RuleOverride.objects.create(
        rule_code="enforcement.publicity_penalty", unit=county["county"], value="5", measure="工作日",
        source="县政府办《行政执法公示办法》", valid_from=date(2025, 1, 1),
    )  # fmt: skip
    forget_overrides()
    assert services.refresh_all_deadlines() >= 1
    case.refresh_from_db()
    assert (case.publicity_due, case.due_date, case.due_label) == (
        date(2025, 4, 27),  # a Sunday worked
        date(2025, 4, 27),
        "公示行政处罚决定",
    )
    assert case.publicity == Publicity.PENDING


def test_a_decision_is_published_once(county, clerk):
    """公示 is offered until it is recorded, then no more: taken again it would replace the date the
    公示及时率 counts (an on-time 公示 turned late by a second click)."""
    case = decided(county["changgang_office"], clerk)
    assert "公示" in [s.label for s in CASES.workflow.steps_for(case)]
    step(case, CaseStatus.DECIDED, clerk, date(2025, 4, 25))
    assert (case.published_on, case.publicity) == (date(2025, 4, 25), Publicity.ON_TIME)
    assert [s.label for s in CASES.workflow.steps_for(case)] == ["送达"]
    with pytest.raises(ValidationError) as refused:
        step(case, CaseStatus.DECIDED, clerk, date(2025, 5, 20))
    assert refused.value.messages == ["该行政执法案件已有公示日期（2025年4月25日），不再办理“公示”。"]
    step(case, CaseStatus.SERVED, clerk, date(2025, 4, 28))
    assert "公示" not in [s.label for s in CASES.workflow.steps_for(case)]
    stored = EnforcementCase.objects.get(pk=case.pk)
    assert (stored.published_on, stored.publicity) == (date(2025, 4, 25), Publicity.ON_TIME)


@pytest.mark.django_db(transaction=True)
def test_a_publicity_recorded_during_a_deadline_refresh_is_kept(county, clerk, monkeypatch):
    """The refresh has read the case (unpublished) when a clerk records its 公示: the clerk's step waits
    for the refresh's rows, so the refresh never writes back the 待公示 it read over the 按期公示."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers with BEGIN IMMEDIATE")
    case = decided(county["changgang_office"], clerk)
    # the refresh has something to write: the deadline and the 公示情况 (as a migration might leave them)
    EnforcementCase.objects.filter(pk=case.pk).update(due_date=None, due_label="", publicity="")
    read = threading.Event()
    refresh = services.refresh_deadline

    def slow_refresh(spec, item):
        refresh(spec, item)
        if spec is CASES:
            read.set()
            time.sleep(0.5)  # the clerk records the 公示 meanwhile

    monkeypatch.setattr(services, "refresh_deadline", slow_refresh)

    def run() -> None:
        try:
            services.refresh_all_deadlines()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        read.wait(10)
        step(EnforcementCase.objects.get(pk=case.pk), CaseStatus.DECIDED, clerk, date(2025, 4, 25))
    finally:
        thread.join()
    stored = EnforcementCase.objects.get(pk=case.pk)
    assert (stored.published_on, stored.publicity) == (date(2025, 4, 25), Publicity.ON_TIME)
    assert (stored.due_label, stored.due_date) == ("送达行政处罚决定书", date(2025, 4, 29))  # no 公示 left
