"""The dashboard and the 行政执法 indicators (issue 13 §7): every one shown with its numerator and
denominator and the four rates against their targets; the alert list has the enforcement registers'
deadlines (a case past 作出行政处罚决定, a certificate inside its 换证 window)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.enforcement.models import Training
from fazhi.enforcement.tests.factories import CertificateFactory, EnforcementCaseFactory
from fazhi.indicators import dashboard
from fazhi.indicators.catalogue import indicators
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import PersonFactory, UserFactory
from fazhi.registers.deadlines import today
from fazhi.registers.selectors import open_alerts

pytestmark = pytest.mark.django_db
ENFORCEMENT = [i.id for i in indicators().values() if i.area == "行政执法"]
TARGETED = [
    "training_hours_compliance_rate",
    "major_decision_legal_review_rate",
    "penalty_publicity_timely_rate",
    "random_inspection_publicity_timely_rate",
]


@pytest.fixture
def enforcement(county):
    office = county["changgang_office"]
    now = today()
    late_case = EnforcementCaseFactory(unit=office, start=now - timedelta(days=120))  # 立案, not decided
    expiring = CertificateFactory(
        unit=office, holder=PersonFactory(unit=office), start=now - timedelta(days=3 * 365 - 10)
    )  # 有效期至 in 10 days: inside the 30-day 换证 window
    Training.objects.create(
        unit=office, status="recorded", person=expiring.holder, trained_on=date(now.year - 1, 1, 5),
        course="行政处罚法专题培训", hours=Decimal(16),
    )  # fmt: skip
    return county | {"case": late_case, "certificate": expiring}


def test_every_enforcement_indicator_is_on_the_dashboard_with_its_parts_and_targets(enforcement):
    year = today().year - 1  # every certificate below was in force at its end
    rows = {r.id: r for r in dashboard.key_figures(enforcement["county"], year)}
    assert [i for i in ENFORCEMENT if i not in rows] == []
    for indicator_id in TARGETED:
        assert rows[indicator_id].target == 100 and rows[indicator_id].target_source
    training = rows["training_hours_compliance_rate"]
    # the two case handlers (certified the factory's way) and the expiring holder, none with 60 hours
    assert (training.value.numerator, training.value.denominator) == (0, 3) and training.met is False
    assert rows["enforcement_trainings"].value.value == 1
    _, table = dashboard.figures_table(list(rows.values()), year)
    row = next(r for r in table if r[1] == "执法人员培训学时达标率")
    assert (row[4], row[5], row[8]) == (0, 3, "未达标")


def test_alerts_include_enforcement_deadlines(enforcement, client):
    alerts, counts = open_alerts([enforcement["changgang_office"].pk])
    items = {(a.spec.key, a.item.pk): a for a in alerts}
    case = items[("enforcement-cases", enforcement["case"].pk)]
    assert case.state.value == "逾期" and case.item.due_label == "作出行政处罚决定"
    certificate = items[("enforcement-certificates", enforcement["certificate"].pk)]
    assert certificate.state.value == "逾期" and "执法证到期换证" in certificate.item.due_label
    assert counts["enforcement-cases"]["逾期"] == 1
    client.force_login(UserFactory(unit=enforcement["county"], role=UserRole.UNIT_ADMIN))
    page = client.get(reverse("home")).content.decode()
    assert "执法人员培训学时达标率" in page and "抽查结果公示及时率" in page
    assert reverse("registers:detail", args=["enforcement-cases", enforcement["case"].pk]) in page
