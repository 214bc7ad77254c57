"""A register write costs a bounded number of queries, whatever the number of registers and indicators:
it recounts only its own table, for the years its dates touch (issue 10 §5)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.decisions.models import LegalityReview, ReviewKind
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.indicators import summary
from fazhi.registers import services

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def _queries(captured: CaptureQueriesContext) -> list[str]:
    """The statements that read or write data (savepoints are the test transaction's bookkeeping)."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_create_step_and_edit_each_stay_within_fifteen_queries(
    county, office_user, scope, reviewer, django_capture_on_commit_callbacks
):
    summary.rebuild()  # kept figures are being maintained, as in production
    review = LegalityReview(
        unit=county["changgang_office"],
        number="长冈审〔2024〕31号",
        title="关于农村建房管理的实施意见（送审稿）",
        kind=ReviewKind.NORMATIVE,
        submitter="乡村建办",
        submitted_on=date(2024, 9, 26),
    )
    costs = {}
    with CaptureQueriesContext(connection) as create, django_capture_on_commit_callbacks(execute=True):
        services.item_create(LEGALITY_REVIEWS, review, actor=office_user, scope_ids=scope)
    costs["create"] = len(_queries(create))
    with CaptureQueriesContext(connection) as step, django_capture_on_commit_callbacks(execute=True):
        services.item_transition(
            LEGALITY_REVIEWS, review, "accepted", actor=office_user, scope_ids=scope, on=date(2024, 9, 27)
        )
    costs["step"] = len(_queries(step))
    with CaptureQueriesContext(connection) as issue, django_capture_on_commit_callbacks(execute=True):
        services.item_transition(
            LEGALITY_REVIEWS, review, "issued", actor=office_user, scope_ids=scope, on=date(2024, 10, 15),
            values={"opinion": "lawful", "reviewer": reviewer},
        )  # fmt: skip
    costs["issue"] = len(_queries(issue))
    review.title = "关于农村建房管理的实施意见"
    with CaptureQueriesContext(connection) as edit, django_capture_on_commit_callbacks(execute=True):
        services.item_update(
            LEGALITY_REVIEWS, review, actor=office_user, scope_ids=scope, read_version=review.version
        )
    costs["edit"] = len(_queries(edit))
    assert max(costs.values()) <= MAX_QUERIES, costs
    # and the kept figures are right after all that
    from fazhi.indicators.engine import compute

    figures = compute(county["county"], 2024, ids=["legality_reviews"])
    assert figures[county["county"].pk]["legality_reviews"].value == 1


def test_a_deadline_refresh_reads_each_unit_and_rule_once(county, django_assert_max_num_queries):
    """200 open reviews under one county override: the refresh's queries depend on the units and
    registers, not on the number of items (it was three per item)."""
    from fazhi.rules.models import RuleOverride
    from fazhi.rules.services import forget_overrides

    offices = [county["changgang_office"], county["hefu"], county["hekou_village"], county["justice"]]
    LegalityReview.objects.bulk_create(
        LegalityReview(
            unit=offices[n % 4],
            number=f"审{n}",
            title="送审稿",
            kind="other",
            submitter="乡政府办",
            submitted_on=date(2024, 9, 2),
            accepted_on=date(2024, 9, 3),
            status="accepted",
        )
        for n in range(200)
    )
    RuleOverride.objects.create(
        rule_code="legality_review.max", unit=county["county"], value="10", measure="工作日",
        source="青山县合法性审查办法第十条", valid_from=date(2024, 1, 1),
    )  # fmt: skip
    forget_overrides()
    with django_assert_max_num_queries(40):
        changed = services.refresh_all_deadlines()
    assert changed == 200
    assert set(LegalityReview.objects.values_list("due_date", flat=True)) == {date(2024, 9, 18)}
