"""The public 行政执法决定公示: no login, no personal data beyond a masked name, withdrawn decisions gone,
rate-limited per client address, cacheable and revalidated by ETag."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fazhi.enforcement.models import CaseStatus, Outcome, PartyKind
from fazhi.enforcement.tests.factories import EnforcementCaseFactory
from fazhi.registers.deadlines import today

ID_NUMBER = "410123198705061234"
PHONE = "13912345678"


def decided(unit, n: int, *, published: date | None, person: bool = False, outcome=Outcome.PENALTY, **extra):
    """A case decided ten days before ``published`` (or today), written directly: the page only reads."""
    on = (published or today()) - timedelta(days=10)
    case = EnforcementCaseFactory.build(unit=unit, n=n, start=on - timedelta(days=30))
    case.status = CaseStatus.DECIDED
    case.investigated_on = case.notified_on = on - timedelta(days=5)
    case.decided_on, case.outcome, case.published_on = on, outcome, published
    case.fine_amount = Decimal("2000") if outcome == Outcome.PENALTY else None
    if person:
        case.party_kind, case.party_person, case.party_organization = PartyKind.PERSON, "欧阳明华", ""
    for name, value in extra.items():
        setattr(case, name, value)
    case.save()
    return case


@pytest.fixture
def published(county):
    day = today() - timedelta(days=3)
    return {
        "company": decided(county["changgang"], 1, published=day),
        "person": decided(
            county["hekou"],
            2,
            published=day,
            person=True,
            cause=f"欧阳明华占道经营，身份证{ID_NUMBER}，电话{PHONE}",
        ),
        "unpublished": decided(county["changgang"], 3, published=None),
        "future": decided(county["changgang"], 4, published=today() + timedelta(days=2)),
        "revoked": decided(county["changgang"], 5, published=day, outcome=Outcome.REVOKED),
    }


def test_published_decisions_are_public_without_login_and_without_personal_data(published):
    response = Client().get(reverse("publicity:decisions"))
    assert response.status_code == 200
    page = response.content.decode()
    assert published["company"].number in page and published["company"].party_organization in page
    assert published["person"].number in page and "欧***" in page
    for secret in ("欧阳明华", "阳明华", ID_NUMBER, PHONE):
        assert secret not in page
    for hidden in ("unpublished", "future", "revoked"):
        assert published[hidden].number not in page
    assert "罚款2000元" in page and "共2件" in page
    assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies


def test_filters_by_unit_year_and_keyword_and_never_by_a_persons_name(published, county):
    client = Client()
    by_unit = client.get(reverse("publicity:decisions"), {"unit": county["hekou"].pk}).content.decode()
    assert published["person"].number in by_unit and published["company"].number not in by_unit
    last_year = client.get(reverse("publicity:decisions"), {"year": today().year - 3}).content.decode()
    assert "共0件" in last_year
    by_name = client.get(reverse("publicity:decisions"), {"q": "欧阳明华"}).content.decode()
    assert "共0件" in by_name
    by_company = client.get(reverse("publicity:decisions"), {"q": published["company"].party_organization})
    assert "共1件" in by_company.content.decode()


@pytest.mark.parametrize(
    "query", [{"unit": "abc"}, {"unit": "99999999"}, {"year": "20x4"}, {"page": "-1"}, {"q": "x" * 5000}]
)
def test_odd_queries_are_ignored_not_errors(published, query):
    assert Client().get(reverse("publicity:decisions"), query).status_code == 200


def test_only_safe_methods(published):
    assert Client().post(reverse("publicity:decisions")).status_code == 405


def test_cacheable_and_revalidated_by_etag(published):
    client = Client()
    first = client.get(reverse("publicity:decisions"))
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get(reverse("publicity:decisions"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    # a change to a listed decision changes the page's validator
    case = published["company"]
    case.cause = "违规设置户外广告"
    case.save()
    assert client.get(reverse("publicity:decisions"), HTTP_IF_NONE_MATCH=etag).status_code == 200


@override_settings(PUBLIC_RATE="5/m")
def test_rate_limited_per_client_address(published):
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [client.get(reverse("publicity:index")).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    refused = client.get(reverse("publicity:decisions"))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "访问过于频繁" in refused.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.8").get(reverse("publicity:decisions")).status_code == 200
