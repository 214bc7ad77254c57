"""Hand-entered figures (issue 11 §5): a rate from its parts alone, a contradiction refused, the share of
units that entered a rolled-up figure shown, and read-only users given read-only pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fazhi.indicators import services
from fazhi.indicators.models import ManualValue
from fazhi.org.models import UserRole
from fazhi.org.selectors import subtree_ids
from fazhi.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RATE = "mediation_success_rate"


def test_a_rate_is_computed_from_its_parts_and_a_contradiction_refused(county, client):
    clerk = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)
    client.force_login(clerk)
    url = reverse("indicators:manual")
    response = client.post(url, {"year": 2024, f"num_{RATE}": "45", f"den_{RATE}": "50"})
    assert response.status_code == 302
    entry = ManualValue.objects.get(indicator=RATE)
    assert (entry.value, entry.numerator, entry.denominator) == (Decimal("90.00"), 45, 50)
    with pytest.raises(ValidationError, match=r"与分子/分母（45/50=90\.00%）不一致"):
        services.manual_value_save(actor=clerk, unit=county["changgang"], year=2024, indicator=RATE,
                                   value=Decimal("98"), numerator=45, denominator=50,
                                   scope_ids=subtree_ids(county["changgang"]))  # fmt: skip
    page = client.post(url, {"year": 2024, f"value_{RATE}": "98", f"num_{RATE}": "45", f"den_{RATE}": "50"})
    assert "不一致" in page.content.decode() and ManualValue.objects.get().value == Decimal("90.00")


def test_a_rolled_up_hand_entered_figure_says_how_many_units_entered_it(county, client):
    clerk = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)
    scope = subtree_ids(county["changgang"])
    services.manual_value_save(actor=clerk, unit=county["changgang"], year=2024, indicator=RATE, value=None,
                               numerator=45, denominator=50, scope_ids=scope)  # fmt: skip
    client.force_login(UserFactory(unit=county["county"], role=UserRole.VIEWER))
    page = client.get(reverse("home"), {"year": 2024}).content.decode()
    assert "1/4 个单位已填报" in page  # the county itself, 司法局, 长冈乡, 河口镇: one of them entered it


def test_read_only_users_get_read_only_pages(county, client):
    client.force_login(UserFactory(unit=county["county"], role=UserRole.VIEWER))
    page = client.get(reverse("indicators:manual")).content.decode()
    assert f'name="value_{RATE}"' not in page and "保存</button>" not in page
    page = client.get(reverse("registers:list", args=["annual-reports"])).content.decode()
    assert "生成报告初稿" not in page
    assert "生成初稿</button>" not in client.get(reverse("reports:annual_new")).content.decode()
