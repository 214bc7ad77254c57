"""The 行政执法 indicators counted from the staff registers: training-hours compliance (a per-person sum
against the rule, in SQL for every unit at once) and training sessions, rolled up the unit tree, the
same whether counted from the registers or read from the kept figures; and every 行政执法 indicator of
the catalogue has a register behind it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fazhi.enforcement import selectors
from fazhi.enforcement.models import Certificate, CertificateStatus, EnforcementField, Training
from fazhi.indicators import summary
from fazhi.indicators.catalogue import indicators
from fazhi.indicators.engine import compute
from fazhi.indicators.formulas import DEFINITIONS
from fazhi.indicators.models import DataVersion
from fazhi.org.models import Person
from fazhi.org.selectors import subtree_ids

pytestmark = pytest.mark.django_db
YEAR = 2024


def holder(unit, name, *, issued=date(2022, 5, 1), expires=date(2026, 4, 30), closed=None, status="valid"):
    person = Person.objects.create(unit=unit, name=name)
    Certificate.objects.create(
        unit=unit, status=status, number=f"ZF-{name}", holder=person, field=EnforcementField.COMPREHENSIVE,
        issuer="青山县人民政府", issued_on=issued, expires_on=expires, closed_on=closed,
        suspended_on=issued if status == CertificateStatus.SUSPENDED else None,
        ended_on=closed or expires + timedelta(days=1),
    )  # fmt: skip
    return person


def trained(person, hours, on, course="行政处罚法专题培训", *, unit=None, voided=False):
    Training.objects.create(
        unit=unit or person.unit, status="voided" if voided else "recorded", person=person,
        trained_on=on, course=course, hours=Decimal(hours), void_reason="重复登记" if voided else "",
    )  # fmt: skip


@pytest.fixture
def staff(county):
    """长冈乡司法所: 3 holders (one reaches 60 hours over two courses, one only with a voided record,
    one 59.5); 河口镇: 2 holders (one reaches), one certificate 收回 in the year and one expired before
    its end (neither counted); hours of another year are not counted."""
    office, hekou = county["changgang_office"], county["hekou"]
    a = holder(office, "张明")
    b = holder(office, "李华")
    c = holder(office, "王芳", status=CertificateStatus.SUSPENDED)
    d = holder(hekou, "赵强")
    e = holder(hekou, "陈静")
    gone = holder(hekou, "刘伟", closed=date(2024, 6, 1), status=CertificateStatus.WITHDRAWN)
    expired = holder(hekou, "周敏", expires=date(2024, 12, 30))
    for person in (a, b, c):  # one session of the 司法所, three people
        trained(person, "32", date(2024, 3, 5), "行政处罚法专题培训")
    trained(a, "28", date(2024, 9, 10), "执法文书制作")
    trained(b, "28", date(2024, 9, 10), "执法文书制作", voided=True)
    trained(c, "27.5", date(2024, 9, 10), "执法文书制作")
    trained(d, "60", date(2024, 11, 2), "安全生产执法检查")
    trained(e, "60", date(2023, 11, 2), "安全生产执法检查")
    for person in (gone, expired):
        trained(person, "60", date(2024, 4, 2), "安全生产执法检查")
    return county


def test_training_compliance_counts_people_reaching_the_rule_and_rolls_up(staff):
    figures = compute(staff["county"], YEAR, ids=["training_hours_compliance_rate", "enforcement_trainings"])
    rate = {pk: v["training_hours_compliance_rate"] for pk, v in figures.items()}
    assert (rate[staff["changgang"].pk].numerator, rate[staff["changgang"].pk].denominator) == (1, 3)
    assert (rate[staff["hekou"].pk].numerator, rate[staff["hekou"].pk].denominator) == (1, 2)
    county = rate[staff["county"].pk]
    assert (county.numerator, county.denominator, county.value) == (2, 5, Decimal("40.0"))
    assert rate[staff["justice"].pk].value is None  # nobody to count
    # the same people and sums as the page's check
    for unit in ("changgang", "hekou", "county"):
        assert selectors.training_compliance(subtree_ids(staff[unit]), YEAR) == (
            rate[staff[unit].pk].numerator,
            rate[staff[unit].pk].denominator,
        )
    sessions = {pk: v["enforcement_trainings"].value for pk, v in figures.items()}
    # 司法所: 3月5日 and 9月10日 (the voided record does not make another); 河口镇: 11月2日 and 4月2日
    assert sessions[staff["changgang"].pk] == 2 and sessions[staff["hekou"].pk] == 2
    assert sessions[staff["county"].pk] == 4


def test_a_person_in_force_in_two_units_is_counted_once_in_each_and_hours_from_anywhere(staff):
    person = Person.objects.get(name="陈静")
    trained(person, "60", date(2024, 5, 6), "综合执法培训", unit=staff["justice"])
    figures = compute(staff["county"], YEAR, ids=["training_hours_compliance_rate"])
    hekou = figures[staff["hekou"].pk]["training_hours_compliance_rate"]
    assert (hekou.numerator, hekou.denominator) == (2, 2)


def test_kept_figures_agree_with_the_registers(staff):
    ids = ["training_hours_compliance_rate", "enforcement_trainings", "enforcement_staff"]
    DataVersion.objects.update_or_create(pk=1, defaults={"figures_ready": False})
    direct = compute(staff["county"], YEAR, ids=ids)
    summary.rebuild([YEAR])
    assert "enforcement_trainings" in {k.split("/")[0] for k in summary.part_keys()}
    # a per-person sum over another table is never kept: every training write would have to refresh it
    assert not any(k.startswith("training_hours_compliance_rate/") for k in summary.part_keys())
    assert "training_hours_compliance_rate" not in summary.stale_ids()
    assert compute(staff["county"], YEAR, ids=ids) == direct


def test_every_enforcement_indicator_of_the_catalogue_has_a_definition():
    ids = [i.id for i in indicators().values() if i.area == "行政执法"]
    assert len(ids) == 18
    assert [i for i in ids if i not in DEFINITIONS] == []
    assert all(DEFINITIONS[i].basis for i in ids)


def test_no_compliance_rate_before_the_training_rule(staff):
    """enforcement.training_hours is in force from 2023年8月9日: for 2022 the rate is not computed (no
    threshold to miss), while the staff are still counted."""
    holder(staff["justice"], "吴刚", issued=date(2020, 1, 1), expires=date(2026, 1, 1))
    figures = compute(staff["county"], 2022, ids=["training_hours_compliance_rate", "enforcement_staff"])
    county = figures[staff["county"].pk]
    assert county["training_hours_compliance_rate"].value is None
    assert county["training_hours_compliance_rate"].denominator == 0
    assert county["enforcement_staff"].value > 0
