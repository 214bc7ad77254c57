"""No codes in the clerk's way (issue 11 §8): rules by their Chinese names (the code only as an
administrator's tooltip), and the commands default to the top unit."""

import re
from datetime import date

import pytest
from django.urls import reverse

from fazhi.cli import main
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.rules.models import RuleOverride

pytestmark = pytest.mark.django_db


def test_rule_pages_name_rules_in_chinese(client, county):
    RuleOverride.objects.create(
        rule_code="annual_report.department_submit", unit=county["county"], value="02-20", measure="",
        source="青山县规定", valid_from=date(2024, 1, 1),
    )  # fmt: skip
    client.force_login(UserFactory(unit=county["changgang"], role=UserRole.OPERATOR))
    page = client.get(reverse("rules:list")).content.decode()
    shown = re.sub(r"<[^>]+>", " ", page)  # what a reader sees (an anchor id may keep the code)
    assert "annual_report.department_submit" not in shown and "normative.catalogue_first_half" not in shown
    client.force_login(UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN))
    page = client.get(reverse("rules:list")).content.decode()
    assert 'title="规则代码：annual_report.department_submit"' in page  # for administrators, as a tooltip


def test_commands_default_to_the_top_unit(county, tmp_path, capsys):
    UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN, username="yfzx")
    assert main(["indicators", "--year", "2024", "--json"]) == 0
    assert '"legality_reviews"' in capsys.readouterr().out
    out = tmp_path / "r.docx"
    assert main(["report", "--year", "2024", "--out", str(out), "--user", "yfzx"]) == 0
    assert out.stat().st_size > 0
