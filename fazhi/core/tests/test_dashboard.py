"""The dashboard a 依法治县办 opens every morning: figures against targets and last year, rankings of
subordinate units, the alert list, and each table as Excel."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.decisions.models import LegalityReview, NormativeDocument
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.registers.deadlines import today

pytestmark = pytest.mark.django_db


def review(unit, number, opinion_on, status="issued", due_date=None):
    return LegalityReview.objects.create(
        unit=unit,
        number=number,
        title=f"审查{number}",
        kind="other",
        submitter="s",
        submitted_on=date(2024, 1, 2),
        status=status,
        opinion="lawful" if opinion_on else "",
        opinion_on=opinion_on,
        due_date=due_date,
        due_label="出具审查意见" if due_date else "",
    )


def doc(unit, title, published, filed, due):
    NormativeDocument.objects.create(
        unit=unit,
        title=title,
        drafter="d",
        drafted_on=published,
        published_on=published,
        filed_on=filed,
        filing_due_on=due,
        status="filed",
    )


@pytest.fixture
def data(county):
    review(county["changgang_office"], "R1", date(2024, 3, 1))
    review(county["changgang_office"], "R2", date(2024, 4, 1))
    review(county["hekou"], "R3", date(2024, 5, 1))
    review(county["hekou"], "R0", date(2023, 5, 1))
    review(county["hekou"], "OPEN-LATE", None, status="accepted", due_date=today() - timedelta(days=3))
    review(county["changgang_office"], "OPEN-SOON", None, status="accepted", due_date=today())
    doc(county["changgang"], "及时备案的文件", date(2024, 3, 1), date(2024, 3, 10), date(2024, 3, 18))
    doc(county["hekou"], "逾期备案的文件", date(2024, 3, 1), date(2024, 4, 30), date(2024, 3, 18))
    return county


def test_figures_targets_last_year_and_ranking(client, data):
    client.force_login(UserFactory(unit=data["county"], role=UserRole.UNIT_ADMIN))
    page = client.get(reverse("home"), {"year": 2024, "rank": "legality_reviews"}).content.decode()
    assert "2024年主要指标" in page
    assert "<strong>3</strong>件" in page  # 合法性审查件数, county total
    assert '<strong>50</strong>% <span class="text-muted">(1/2)</span>' in page  # 报备及时率
    assert "未达标" in page and "100%" in page  # the target of rules targets.normative_filing_timely_rate
    assert "下级单位排名：合法性审查件数" in page
    ranking = page[page.index("下级单位排名") :]
    assert ranking.index("长冈乡") < ranking.index("河口镇") < ranking.index("青山县司法局")


def test_alerts_list_every_open_item_that_is_due(client, data):
    client.force_login(UserFactory(unit=data["county"], role=UserRole.UNIT_ADMIN))
    page = client.get(reverse("home")).content.decode()
    assert "逾期1" in page and "临期1" in page
    late = LegalityReview.objects.get(number="OPEN-LATE")
    assert reverse("registers:detail", args=["legality-reviews", late.pk]) in page
    township = UserFactory(unit=data["changgang"], role=UserRole.OPERATOR)
    client.force_login(township)
    page = client.get(reverse("home")).content.decode()
    assert "OPEN-SOON" in page and "OPEN-LATE" not in page  # only its own subtree


def test_every_table_exports_to_excel(client, data):
    client.force_login(UserFactory(unit=data["county"], role=UserRole.UNIT_ADMIN))

    def sheet(**params):
        response = client.get(reverse("home"), params)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        return list(load_workbook(io.BytesIO(response.content)).active.values)

    figures = sheet(year=2024, export="figures")
    assert figures[0][:4] == ("领域", "指标", "单位", "2024年")
    assert ("依法决策与规范性文件", "合法性审查件数", "件", 3) in [row[:4] for row in figures]
    ranking = sheet(year=2024, rank="legality_reviews", export="ranking")
    assert ranking[1][:3] == (1, "长冈乡", 2)
    alerts = sheet(export="alerts")
    assert [row[0] for row in alerts[1:]] == ["逾期", "临期"]


def test_hand_entered_figures_page(client, data):
    client.force_login(UserFactory(unit=data["changgang"], role=UserRole.OPERATOR))
    url = reverse("indicators:manual")
    response = client.post(
        url, {"year": 2024, "value_publicity_events": "36", "note_publicity_events": "普法台账"}
    )
    assert response.status_code == 302
    page = client.get(url, {"year": 2024}).content.decode()
    assert 'name="value_publicity_events" value="36"' in page
    page = client.post(url, {"year": 2024, "value_publicity_events": "三十"}).content.decode()
    assert "“普法宣传活动场次”：“三十”不是数字" in page
    home = client.get(reverse("home"), {"year": 2024}).content.decode()
    assert "普法宣传活动场次" in home and "<strong>36</strong>场次" in home
