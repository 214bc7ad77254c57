"""执法证, 培训记录 and 执法资格考试: the workflow, constraints, the hours check, expiry alerts,
valid_certificate and the indicators."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from fazhi.enforcement import selectors
from fazhi.enforcement.models import Certificate, ExamSitting, Training
from fazhi.enforcement.registers import CERTIFICATES
from fazhi.enforcement.tests.factories import CertificateFactory
from fazhi.indicators.engine import compute
from fazhi.org.models import UserRole
from fazhi.org.selectors import visible_unit_ids
from fazhi.org.tests.factories import PersonFactory, UserFactory
from fazhi.registers import services
from fazhi.rules.services import effective_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(county):
    return county["changgang_office"]


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-enf")


def certificate(unit, holder, n, issued, expires, **fields):
    """A certificate written directly (past the services), as the indicator tests count them."""
    values = {"status": "valid", **fields}
    cert = Certificate(
        unit=unit, holder=holder, number=f"C{n}", field="market", issuer="青山县人民政府",
        issued_on=issued, expires_on=expires, **values,
    )  # fmt: skip
    cert.ended_on = cert.closed_on or expires + timedelta(days=1)
    cert.save()
    return cert


def step(cert, to, actor, on, **values):
    return services.item_transition(
        CERTIFICATES, cert, to, actor=actor, scope_ids=visible_unit_ids(actor), on=on, values=values
    )


# -- the workflow -----------------------------------------------------------------------------------
def test_suspend_resume_and_revoke_each_need_their_reason_and_date(office, clerk):
    holder = PersonFactory(unit=office, name="王执法")
    cert = CertificateFactory(unit=office, holder=holder, start=date(2024, 3, 1), actor=clerk)
    assert cert.status == "valid" and cert.ended_on == date(2027, 3, 2)
    with pytest.raises(ValidationError) as refused:
        step(cert, "suspended", clerk, date(2024, 6, 1))
    assert "暂扣原因" in str(refused.value)
    step(cert, "suspended", clerk, date(2024, 6, 1), suspension_reason="涉嫌违法违纪被立案调查")
    cert.refresh_from_db()
    assert (cert.status, cert.suspended_on) == ("suspended", date(2024, 6, 1))
    assert selectors.valid_certificate(holder, date(2024, 6, 2)) is None
    with pytest.raises(ValidationError):
        step(cert, "valid", clerk, date(2024, 5, 1))  # 发还 before 暂扣
    step(cert, "valid", clerk, date(2024, 7, 1))
    cert.refresh_from_db()
    assert cert.status == "valid" and cert.resumed_on == date(2024, 7, 1)
    with pytest.raises(ValidationError) as refused:
        step(cert, "revoked", clerk, date(2024, 9, 1))
    assert "注销或收回原因" in str(refused.value)
    step(cert, "revoked", clerk, date(2024, 9, 1), closed_reason="调离执法岗位")
    cert.refresh_from_db()
    assert (cert.status, cert.closed_on, cert.ended_on) == ("revoked", date(2024, 9, 1), date(2024, 9, 1))
    assert cert.due_date is None  # a closed certificate needs no renewal


def test_the_database_refuses_an_expiry_before_the_issue(office):
    holder = PersonFactory(unit=office)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            unit=office, holder=holder, number="X1", field="market", issuer="县政府",
            issued_on=date(2024, 3, 1), expires_on=date(2024, 2, 1), status="valid",
        )  # fmt: skip


def test_the_form_path_names_the_field(office, clerk):
    holder = PersonFactory(unit=office)
    cert = CertificateFactory.build(unit=office, holder=holder, start=date(2024, 3, 1))
    cert.expires_on = date(2024, 1, 1)
    with pytest.raises(ValidationError) as refused:
        services.item_create(CERTIFICATES, cert, actor=clerk, scope_ids=visible_unit_ids(clerk))
    assert "有效期至不能早于发证日期" in str(refused.value)


# -- expiry alerts ----------------------------------------------------------------------------------
def test_expiry_alert_is_due_the_rules_window_before_expiry(office, clerk):
    rule = effective_rule("enforcement.certificate_expiry_notice").rule
    assert rule.confidence == "unsure" and int(rule.number) == 30
    holder = PersonFactory(unit=office)
    cert = CertificateFactory(unit=office, holder=holder, start=date(2024, 3, 1), actor=clerk)
    assert cert.due_date == date(2027, 3, 1) - timedelta(days=30)
    assert "执法证到期换证" in cert.due_label and "2027年3月1日" in cert.due_label
    assert cert.due_source == rule.source


def test_expiring_lists_certificates_in_force_within_the_window(office, county):
    people = [PersonFactory(unit=office) for _ in range(4)]
    today = date(2026, 6, 1)
    soon = certificate(office, people[0], 1, date(2023, 7, 1), date(2026, 6, 20))
    certificate(office, people[1], 2, date(2023, 7, 1), date(2026, 8, 20))  # outside the window
    certificate(office, people[2], 3, date(2023, 7, 1), date(2026, 5, 20))  # already expired
    certificate(office, people[3], 4, date(2023, 7, 1), date(2026, 6, 10), status="revoked",
                closed_on=date(2025, 1, 1), closed_reason="调离")  # fmt: skip
    assert selectors.expiring([office.pk], today) == [soon]
    assert selectors.expiring([county["hekou"].pk], today) == []


# -- valid_certificate ------------------------------------------------------------------------------
def test_valid_certificate_on_a_day(office):
    holder = PersonFactory(unit=office)
    cert = certificate(office, holder, 1, date(2024, 1, 10), date(2026, 1, 9))
    assert selectors.valid_certificate(holder, date(2024, 1, 9)) is None  # not yet issued
    assert selectors.valid_certificate(holder, date(2024, 1, 10)) == cert
    assert selectors.valid_certificate(holder, date(2026, 1, 9)) == cert  # the last day
    assert selectors.valid_certificate(holder, date(2026, 1, 10)) is None  # expired
    other = PersonFactory(unit=office)
    certificate(office, other, 2, date(2024, 1, 10), date(2026, 1, 9), status="withdrawn",
                closed_on=date(2025, 1, 1), closed_reason="违规执法")  # fmt: skip
    assert selectors.valid_certificate(other, date(2024, 12, 31)) is not None  # before it was withdrawn
    assert selectors.valid_certificate(other, date(2025, 1, 1)) is None
    held = PersonFactory(unit=office)
    certificate(office, held, 3, date(2024, 1, 10), date(2026, 1, 9), status="suspended",
                suspended_on=date(2025, 3, 1), suspension_reason="立案调查")  # fmt: skip
    assert selectors.valid_certificate(held, date(2025, 2, 28)) is not None
    assert selectors.valid_certificate(held, date(2025, 3, 1)) is None


def test_two_certified_officers_are_needed(office):
    """《行政处罚法》第四十二条：执法人员不得少于两人，且具有执法资格 (rule penalty.officers_min)."""
    a, b, c = (PersonFactory(unit=office) for _ in range(3))
    certificate(office, a, 1, date(2024, 1, 1), date(2027, 1, 1))
    certificate(office, b, 2, date(2024, 1, 1), date(2027, 1, 1))
    on = date(2025, 5, 1)
    assert selectors.qualified_officers([a, b], on) == (True, [])
    assert selectors.qualified_officers([a], on) == (False, [])
    assert selectors.qualified_officers([a, b, c], on) == (False, [c])


# -- training hours ---------------------------------------------------------------------------------
def training(unit, person, on, hours, status="recorded", course="行政处罚法专题培训"):
    return Training.objects.create(
        unit=unit, person=person, trained_on=on, course=course, hours=Decimal(hours), status=status
    )


@pytest.fixture
def staff(office, county):
    """Three holders in 长冈乡: 60, 40 (+ a voided 30) and 0 hours in 2024; one whose certificate was
    withdrawn in 2024; one in 河口镇."""
    full, short, none, gone = (PersonFactory(unit=office, name=n) for n in ("甲", "乙", "丙", "丁"))
    for n, person in enumerate((full, short, none), start=1):
        certificate(office, person, n, date(2023, 1, 1), date(2026, 1, 1))
    certificate(office, gone, 4, date(2023, 1, 1), date(2026, 1, 1), status="withdrawn",
                closed_on=date(2024, 6, 1), closed_reason="调离")  # fmt: skip
    training(office, full, date(2024, 3, 1), "40")
    training(office, full, date(2024, 9, 1), "20", course="执法文书制作")
    training(office, short, date(2024, 3, 1), "40")
    training(office, short, date(2024, 4, 1), "30", status="voided", course="错录")
    training(office, short, date(2023, 12, 31), "30", course="去年的培训")
    hekou = PersonFactory(unit=county["hekou"], name="戊")
    certificate(county["hekou"], hekou, 5, date(2023, 1, 1), date(2026, 1, 1))
    return full, short, none


def test_short_of_hours_lists_holders_below_the_rule(office, staff):
    _, short, none = staff
    rows = selectors.short_of_hours([office.pk], 2024)
    assert [(r.person, r.hours, r.short) for r in rows] == [
        (none, Decimal("0"), Decimal("60")), (short, Decimal("40"), Decimal("20"))
    ]  # fmt: skip
    assert selectors.training_compliance([office.pk], 2024) == (1, 3)


def test_the_hours_page_and_its_export(office, staff, clerk, client):
    client.force_login(clerk)
    url = reverse("enforcement:training_hours")
    page = client.get(url, {"year": 2024, "show": "short"})
    text = page.content.decode()
    assert page.status_code == 200 and "乙" in text and "丙" in text and ">甲<" not in text
    assert "60学时" in text
    export = client.get(url, {"year": 2024, "show": "short", "format": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("enforcement:expiring")).status_code == 200


# -- indicators -------------------------------------------------------------------------------------
def value(name, unit, year=2024):
    return compute(unit, year, ids=[name], units=[unit.pk])[unit.pk][name]


def test_indicators(county, office):
    people = [PersonFactory(unit=office) for _ in range(5)]
    certificate(office, people[0], 1, date(2023, 3, 1), date(2026, 2, 28))
    certificate(office, people[1], 2, date(2024, 3, 1), date(2027, 2, 28))
    certificate(office, people[2], 3, date(2024, 4, 1), date(2027, 3, 31), status="suspended",
                suspended_on=date(2024, 10, 1), suspension_reason="立案调查")  # fmt: skip
    certificate(office, people[3], 4, date(2022, 1, 1), date(2024, 12, 31))  # expires on the last day
    certificate(office, people[4], 5, date(2022, 1, 1), date(2025, 1, 1), status="revoked",
                closed_on=date(2024, 5, 1), closed_reason="退休")  # fmt: skip
    for n, (score, passed) in enumerate([(85, True), (55, False), (90, True), (70, True)]):
        ExamSitting.objects.create(
            unit=office,
            ticket=f"T{n}",
            person=people[n],
            sat_on=date(2024, 5, 10),
            score=score,
            passed=passed,
            status="voided" if n == 3 else "recorded",
        )
    town = county["changgang"]
    assert value("enforcement_staff", town).value == 4  # 1, 2, the suspended 3 and 4 (valid on its last day)
    assert value("certified_staff", town).value == 3
    assert value("certificates_issued", town).value == 2
    assert value("certificates_revoked", town).value == 1
    assert value("exam_candidates", town).value == 3  # the voided sitting is not counted
    rate = value("exam_pass_rate", town)
    assert (rate.numerator, rate.denominator, rate.value) == (2, 3, Decimal("66.7"))
    assert value("certificates_issued", county["hekou"]).value == 0
