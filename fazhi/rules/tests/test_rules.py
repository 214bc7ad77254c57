"""The rules catalogue: every rule has a legal source, deadlines use working days, local overrides win."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cli import main
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.rules.catalogue import RuleKind, national_rule, national_rules, rule_codes
from fazhi.rules.models import RuleOverride
from fazhi.rules.services import annual_due_date, deadline, effective_rule, override_save, report_parts


def test_every_rule_has_source_and_valid_kind():
    rules = national_rules()
    assert len(rule_codes()) >= 60
    for rule in rules:
        assert rule.source.strip(), rule.code
        assert rule.name.strip(), rule.code
        if rule.kind in (RuleKind.DEADLINE, RuleKind.MINIMUM):
            assert rule.is_period, rule.code


def test_report_parts_are_the_five_of_the_supervision_regulation():
    parts = report_parts(date(2025, 1, 1))
    assert [int(p.value) for p in parts] == [1, 2, 3, 4, 5]
    assert "第一责任人" in parts[2].name
    assert all("督察工作规定" in p.source for p in parts)


def test_rules_md_day_kinds():
    # 行政复议法 第八十八条: 五日 are working days, 60日 calendar days
    assert national_rule("reconsideration.acceptance", date(2024, 6, 1)).unit == "工作日"
    assert national_rule("reconsideration.decision", date(2024, 6, 1)).unit == "日"
    # 行政许可法 第八十二条: all working days
    assert national_rule("licensing.decision", date(2024, 6, 1)).unit == "工作日"


def test_rule_validity_dates():
    with pytest.raises(ValueError, match="没有有效版本"):
        national_rule("reconsideration.decision", date(2023, 6, 1))  # the 2023 revision came into force 2024


@pytest.mark.django_db
def test_deadline_counts_working_days_over_the_spring_festival():
    # 复议受理审查 5 工作日 from 2024-02-07: 02-08, 02-09, 02-18 (make-up), 02-19, 02-20
    assert deadline("reconsideration.acceptance", date(2024, 2, 7)) == date(2024, 2, 20)
    # 复议决定 60日 from 2024-08-02 → 10-01 is a holiday → 10-08
    assert deadline("reconsideration.decision", date(2024, 8, 2)) == date(2024, 10, 8)


@pytest.mark.django_db
def test_annual_due_dates():
    assert annual_due_date("annual_report.department_submit", 2024) == date(2024, 2, 29)
    assert annual_due_date("annual_report.publish", 2025) == date(2025, 3, 31)


@pytest.mark.django_db
def test_override_of_the_nearest_unit_wins_and_default_stays_visible(county):
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN)
    ids = [u.pk for u in county.values()]
    override_save(
        actor=admin,
        override=RuleOverride(
            rule_code="normative.filing",
            unit=county["county"],
            value="30",
            source="《某省行政规范性文件管理办法》第二十条",
            valid_from=date(2024, 1, 1),
        ),
        unit_ids=ids,
    )
    override_save(
        actor=admin,
        override=RuleOverride(
            rule_code="normative.filing",
            unit=county["changgang"],
            value="3",
            measure="工作日",
            source="测试：乡镇从严",
            valid_from=date(2024, 1, 1),
        ),
        unit_ids=ids,
    )
    eff = effective_rule("normative.filing", unit=county["hefu"], on=date(2024, 5, 6))
    assert (eff.rule.value, eff.rule.unit, eff.default.value) == ("3", "工作日", "15")
    assert effective_rule("normative.filing", unit=county["hekou"], on=date(2024, 5, 6)).rule.value == "30"
    assert effective_rule("normative.filing", unit=county["hekou"], on=date(2023, 5, 6)).override is None
    # 2024-05-06 (一) + 3 working days in 长冈乡 vs. 30 days in 河口镇
    assert deadline("normative.filing", date(2024, 5, 6), unit=county["changgang"]) == date(2024, 5, 9)
    assert deadline("normative.filing", date(2024, 5, 6), unit=county["hekou"]) == date(2024, 6, 5)


@pytest.mark.django_db
def test_override_validation_and_permissions(county):
    ids = [county["changgang"].pk]
    admin = UserFactory(unit=county["changgang"], role=UserRole.UNIT_ADMIN)
    viewer = UserFactory(unit=county["changgang"], role=UserRole.VIEWER)
    base = dict(
        rule_code="normative.filing", unit=county["changgang"], source="x", valid_from=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        override_save(actor=admin, override=RuleOverride(value="十五", **base), unit_ids=ids)
    assert "期限应为正整数" in str(exc.value)
    with pytest.raises(ValidationError):
        override_save(actor=admin, override=RuleOverride(value="15", measure="元", **base), unit_ids=ids)
    with pytest.raises(PermissionDenied):
        override_save(actor=viewer, override=RuleOverride(value="15", **base), unit_ids=ids)
    with pytest.raises(PermissionDenied):
        override_save(
            actor=admin, override=RuleOverride(value="15", **{**base, "unit": county["hekou"]}), unit_ids=ids
        )


@pytest.mark.django_db
def test_cli_rules(capsys):
    assert main(["rules", "deadline", "reconsideration.acceptance", "2024-02-07"]) == 0
    assert capsys.readouterr().out.startswith("2024-02-20\t")
    assert main(["rules", "deadline", "no.such.rule", "2024-02-07"]) == 2
    assert "没有“no.such.rule”" in capsys.readouterr().err
