"""The indicator engine: roll-up over the unit tree, a bounded number of queries, the cache and its
invalidation, hand-entered figures, and the command."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.cli import main
from fazhi.decisions.models import LegalityReview
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.indicators import services
from fazhi.indicators.engine import compute
from fazhi.indicators.formulas import DEFINITIONS, DueIn
from fazhi.org.models import Unit, UnitLevel, UserRole
from fazhi.org.tests.factories import PersonFactory, UnitFactory, UserFactory
from fazhi.registers.services import item_create

pytestmark = pytest.mark.django_db


def counted_tables(definitions) -> set:
    """The queries that count these definitions' parts: one per table and unit path, one per table of
    parts counted by due dates."""
    return {
        (part.model, "due" if isinstance(part, DueIn) else getattr(part, "unit_field", "unit"))
        for d in definitions
        for part in d.parts()
    }


def reviews(unit, n, on=date(2024, 5, 6)):
    for i in range(n):
        LegalityReview.objects.create(
            unit=unit,
            number=f"{unit.code}-{i}",
            title="t",
            kind="other",
            submitter="s",
            submitted_on=on,
            status="issued",
            opinion="lawful",
            opinion_on=on,
        )


def test_figures_roll_up_the_unit_tree(county):
    reviews(county["justice"], 4)
    reviews(county["changgang_office"], 2)
    reviews(county["hefu"], 1)
    reviews(county["hekou"], 3, on=date(2023, 5, 6))  # another year
    figures = compute(county["county"], 2024, ids=["legality_reviews"])
    by_unit = {Unit.objects.get(pk=pk).name: v["legality_reviews"].value for pk, v in figures.items()}
    # the county and each direct subordinate, each covering its own subtree
    assert by_unit == {"青山县": 7, "青山县司法局": 4, "长冈乡": 3, "河口镇": 0}


def test_queries_do_not_grow_with_units(county, django_assert_max_num_queries):
    for n in range(40):
        town = UnitFactory(parent=county["county"], level=UnitLevel.TOWNSHIP, code=f"X{n}")
        reviews(town, n % 3)
    tables = counted_tables(DEFINITIONS.values())
    # the subordinates, whether kept figures exist, the tree, one GROUP BY per register table (and per
    # table counted by another's unit or by due dates), and whether any figure was entered by hand
    with django_assert_max_num_queries(len(tables) + 4):
        figures = compute(county["county"], 2024)
    assert figures[county["county"].pk]["legality_reviews"].value == sum(n % 3 for n in range(40))
    assert len(figures) == 1 + 3 + 40


def test_cache_is_used_until_a_register_changes(
    county, django_assert_num_queries, django_capture_on_commit_callbacks
):
    reviews(county["changgang_office"], 2)
    first = services.unit_figures(county["county"], 2024)
    with django_assert_num_queries(1):  # only the data version
        assert services.unit_figures(county["county"], 2024) == first
    user = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)
    review = LegalityReview(
        unit=county["changgang_office"],
        number="new",
        title="t",
        kind="other",
        submitter="s",
        submitted_on=date(2024, 6, 1),
        accepted_on=date(2024, 6, 2),
        reviewer=PersonFactory(unit=county["changgang_office"]),
        status="issued",  # an issued review registered afterwards: its steps are replayed
        opinion="lawful",
        opinion_on=date(2024, 6, 3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        item_create(LEGALITY_REVIEWS, review, actor=user, scope_ids=[county["changgang_office"].pk])
    after = services.unit_figures(county["county"], 2024)
    assert after[county["county"].pk]["legality_reviews"].value == 3


def test_hand_entered_figures(county, django_capture_on_commit_callbacks):
    user = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN)
    scope = [u.pk for u in Unit.objects.all()]
    save = services.manual_value_save
    with django_capture_on_commit_callbacks(execute=True):
        save(
            actor=user,
            unit=county["changgang"],
            year=2024,
            indicator="publicity_events",
            value=Decimal(12),
            scope_ids=scope,
        )
        save(
            actor=user,
            unit=county["hekou"],
            year=2024,
            indicator="publicity_events",
            value=Decimal(8),
            scope_ids=scope,
        )
        save(
            actor=user,
            unit=county["changgang"],
            year=2024,
            indicator="principal_appearance_rate",
            value=Decimal(100),
            numerator=5,
            denominator=5,
            scope_ids=scope,
        )
    figures = compute(county["county"], 2024)
    assert figures[county["county"].pk]["publicity_events"].value == 20
    assert figures[county["changgang"].pk]["principal_appearance_rate"].as_dict() == {
        "value": 100.0,
        "numerator": 5,
        "denominator": 5,
        "unit": "%",
    }
    with pytest.raises(ValidationError, match="由台账自动统计"):
        save(
            actor=user,
            unit=county["hekou"],
            year=2024,
            indicator="legality_reviews",
            value=Decimal(1),
            scope_ids=scope,
        )
    with pytest.raises(ValidationError, match="0—100"):
        save(
            actor=user,
            unit=county["hekou"],
            year=2024,
            indicator="principal_appearance_rate",
            value=Decimal(120),
            scope_ids=scope,
        )
    viewer = UserFactory(unit=county["county"], role=UserRole.VIEWER)
    with pytest.raises(PermissionDenied):
        save(
            actor=viewer,
            unit=county["hekou"],
            year=2024,
            indicator="publicity_events",
            value=Decimal(1),
            scope_ids=scope,
        )


def test_indicators_command(county, capsys):
    reviews(county["changgang_office"], 2)
    assert main(["indicators", "--unit", "C", "--year", "2024", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["legality_reviews"] == {"value": 2, "numerator": None, "denominator": None, "unit": "件"}
    assert figures["normative_filing_rate"] == {"value": None, "numerator": 0, "denominator": 0, "unit": "%"}
    assert set(DEFINITIONS) <= set(figures)
    assert main(["indicators", "--unit", "C", "--year", "2024"]) == 0
    assert "合法性审查件数：2件" in capsys.readouterr().out
    assert main(["indicators", "--unit", "nope", "--year", "2024"]) == 2


def _figures(county, ready: bool):
    from fazhi.indicators.models import DataVersion

    DataVersion.objects.update_or_create(pk=1, defaults={"figures_ready": ready})
    figures = compute(county["county"], 2024)
    return {pk: {k: v.as_dict() for k, v in values.items()} for pk, values in figures.items()}


def test_kept_figures_follow_every_write(
    county, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from fazhi.indicators import summary
    from fazhi.registers.services import item_update

    reviews(county["changgang_office"], 2)
    reviews(county["hekou"], 1)
    summary.rebuild([2023, 2024])
    direct = _figures(county, ready=False)
    assert _figures(county, ready=True) == direct
    # the subordinates, the flag, the kept rows, any hand entries; and the tree and one query per table
    # of the kinds never kept (counted from the registers each time)
    live = counted_tables(d for d in DEFINITIONS.values() if not summary.is_kept(d))
    with django_assert_max_num_queries(4 + (1 + len(live) if live else 0)):
        compute(county["county"], 2024)

    user = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN)
    scope = [u.pk for u in Unit.objects.all()]
    review = LegalityReview(
        unit=county["hefu"],
        number="new",
        title="t",
        kind="other",
        submitter="s",
        submitted_on=date(2024, 6, 1),
        accepted_on=date(2024, 6, 2),
        reviewer=PersonFactory(unit=county["changgang_office"]),
        status="issued",  # an issued review registered afterwards: its steps are replayed
        opinion="lawful",
        opinion_on=date(2024, 6, 3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        item_create(LEGALITY_REVIEWS, review, actor=user, scope_ids=scope)
    direct = _figures(county, ready=False)
    kept = _figures(county, ready=True)
    assert kept == direct and kept[county["changgang"].pk]["legality_reviews"]["value"] == 3
    with django_capture_on_commit_callbacks(execute=True):  # moved to another township
        review.unit = county["hekou_village"]
        item_update(LEGALITY_REVIEWS, review, actor=user, scope_ids=scope)
    kept = _figures(county, ready=True)
    assert kept == _figures(county, ready=False)
    assert (
        kept[county["changgang"].pk]["legality_reviews"]["value"],
        kept[county["hekou"].pk]["legality_reviews"]["value"],
    ) == (2, 2)


def test_moving_a_unit_rebuilds_the_kept_figures(county, django_capture_on_commit_callbacks):
    from fazhi.indicators import summary
    from fazhi.org.services import unit_save

    reviews(county["hefu"], 2)  # a village of 长冈乡
    summary.rebuild([2024])
    admin = UserFactory(unit=None, role=UserRole.SYSTEM_ADMIN)
    village = Unit.objects.get(pk=county["hefu"].pk)
    village.parent = county["hekou"]
    with django_capture_on_commit_callbacks(execute=True):
        unit_save(actor=admin, unit=village, unit_ids=[u.pk for u in Unit.objects.all()])
    figures = compute(county["county"], 2024, ids=["legality_reviews"])
    assert figures[county["changgang"].pk]["legality_reviews"].value == 0
    assert figures[county["hekou"].pk]["legality_reviews"].value == 2


def test_a_changed_definition_never_shows_a_stale_figure(county, client, django_capture_on_commit_callbacks):
    """Kept figures carry the fingerprint of the definitions they were built for: when one changes, its
    figures are counted from the registers until the queued rebuild has run, and the page says so."""
    from django.urls import reverse

    from fazhi.indicators import summary
    from fazhi.indicators.models import DataVersion, UnitFigures
    from fazhi.jobs.models import Job
    from fazhi.jobs.testing import run_queued_tasks

    reviews(county["changgang_office"], 2)
    summary.rebuild([2024])
    row = UnitFigures.objects.get(unit=county["county"], year=2024)
    row.total["legality_reviews/value"] = 99  # what a changed definition would have kept
    row.save()
    version = DataVersion.objects.get(pk=1)
    version.figures_fingerprint["legality_reviews"] = "an older definition"
    version.save()
    assert summary.stale_ids() == {"legality_reviews"}
    figures = compute(county["county"], 2024, ids=["legality_reviews", "legality_opinions"])
    assert figures[county["county"].pk]["legality_reviews"].value == 2  # counted, not the stale 99
    client.force_login(UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("home"), {"year": 2024}).content.decode()
        client.get(reverse("home"), {"year": 2024})  # a second look queues no second rebuild
    assert "指标汇总正在重新计算" in page and Job.objects.count() == 1
    run_queued_tasks()
    assert summary.stale_ids() == set()
    assert UnitFigures.objects.get(unit=county["county"], year=2024).total["legality_reviews/value"] == 2
    assert "正在重新计算" not in client.get(reverse("home"), {"year": 2024}).content.decode()
