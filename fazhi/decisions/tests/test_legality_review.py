"""合法性审查: the workflow, its review period in working days (with pauses), rule overrides, due states."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.decisions.models import LegalityReview, Opinion, ReviewKind
from fazhi.decisions.registers import LEGALITY_REVIEWS, review_summary
from fazhi.jobs.testing import run_queued_tasks
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.registers import deadlines, services
from fazhi.registers.deadlines import DueState, due_state
from fazhi.registers.selectors import timeline
from fazhi.rules.models import RuleOverride
from fazhi.rules.services import override_save

pytestmark = pytest.mark.django_db


def step(review, to, on, user, scope, **values):
    return services.item_transition(
        LEGALITY_REVIEWS, review, to, actor=user, scope_ids=scope, on=on, values=values
    )


def test_review_period_counts_working_days_across_national_day(new_review, office_user, scope, reviewer):
    review = new_review()
    assert review.status == "submitted" and review.due_date is None  # the clock starts at 受理
    step(review, "accepted", date(2024, 9, 27), office_user, scope)
    # 15 working days from Fri 2024-09-27: Sun 9-29 is a make-up workday, 10-1..10-7 are holidays,
    # Sat 10-12 is a make-up workday → Wed 2024-10-23 (rule legality_review.max)
    assert review.due_date == date(2024, 10, 23)
    assert review.due_label == "出具审查意见" and "115号" in review.due_source
    summary = dict(review_summary(review))
    assert summary["一般最早出具日"] == "2024年10月10日"  # at least 5 working days (legality_review.min)
    assert "不少于5个工作日" in summary["审查期限"] and "不超过15个工作日" in summary["审查期限"]


def test_returned_for_materials_pauses_the_clock(new_review, office_user, scope, reviewer):
    review = new_review()
    step(review, "accepted", date(2024, 9, 27), office_user, scope)
    step(review, "returned", date(2024, 10, 9), office_user, scope)
    assert review.status == "returned" and review.due_date is None
    step(review, "accepted", date(2024, 10, 14), office_user, scope)
    assert review.paused_workdays == 4  # 10-10, 10-11, Sat 10-12 (make-up), 10-14
    assert review.due_date == date(2024, 10, 29)  # 15 + 4 working days from 09-27
    step(
        review,
        "issued",
        date(2024, 10, 25),
        office_user,
        scope,
        opinion=Opinion.LAWFUL_IF_AMENDED,
        reviewer=reviewer,
    )
    assert review.status == "issued" and review.due_date is None
    changes = [(c.label, c.on, c.by) for c in timeline(review)]
    assert changes == [
        ("登记", None, office_user),
        ("受理", date(2024, 9, 27), office_user),
        ("退回补充材料", date(2024, 10, 9), office_user),
        ("材料补齐，继续审查", date(2024, 10, 14), office_user),
        ("出具审查意见", date(2024, 10, 25), office_user),
    ]
    assert review.history.count() == 5 and review.history.first().history_user == office_user


def test_normative_documents_use_their_own_rules(new_review, office_user, scope):
    review = new_review(kind=ReviewKind.NORMATIVE)
    step(review, "accepted", date(2024, 9, 27), office_user, scope)
    assert "国办发〔2018〕115号" in review.due_source and review.due_date == date(2024, 10, 23)
    decision = new_review(number="长冈审〔2024〕2号", kind=ReviewKind.MAJOR_DECISION)
    step(decision, "accepted", date(2024, 9, 27), office_user, scope)
    assert (
        dict(review_summary(decision))["一般最早出具日"] == "2024年10月12日"
    )  # ≥ 7 working days (条例第二十六条)


def test_a_county_override_changes_open_deadlines(
    county, new_review, office_user, scope, django_capture_on_commit_callbacks
):
    review = new_review()
    step(review, "accepted", date(2024, 9, 27), office_user, scope)
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN)
    override = RuleOverride(
        rule_code="legality_review.max",
        unit=county["county"],
        value="10",
        measure="工作日",
        source="青山县合法性审查办法第十条",
        valid_from=date(2024, 1, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        override_save(actor=admin, override=override, unit_ids=[county["county"].pk])
    run_queued_tasks()  # the refresh is queued work (fazhi.registers.tasks.refresh_deadlines)
    review.refresh_from_db()
    assert review.due_date == date(2024, 10, 16) and review.due_source == "青山县合法性审查办法第十条"


def test_steps_must_follow_the_workflow_and_fill_their_fields(new_review, office_user, scope):
    review = new_review()
    with pytest.raises(ValidationError, match="不能执行"):
        step(review, "issued", date(2024, 10, 1), office_user, scope, opinion=Opinion.LAWFUL)
    with pytest.raises(ValidationError) as error:
        step(review, "accepted", date(2024, 9, 1), office_user, scope)
    assert "受理日期不能早于送审日期" in str(error.value)
    step(review, "accepted", date(2024, 9, 27), office_user, scope)
    with pytest.raises(ValidationError, match="需要填写：审查结论、审查人员"):
        step(review, "issued", date(2024, 10, 1), office_user, scope)
    with pytest.raises(ValidationError) as error:  # a step's field is not changed by an edit
        review = LegalityReview.objects.get(pk=review.pk)
        review.accepted_on = date(2024, 9, 30)
        services.item_update(LEGALITY_REVIEWS, review, actor=office_user, scope_ids=scope)
    assert "受理日期只能在办理步骤中填写" in str(error.value)


def test_only_editors_within_scope_may_write(county, new_review, office_user, scope):
    review = new_review()
    viewer = UserFactory(unit=county["changgang"], role=UserRole.VIEWER)
    with pytest.raises(PermissionDenied, match="只读"):
        step(review, "accepted", date(2024, 9, 27), viewer, scope)
    neighbour = UserFactory(unit=county["hekou"], role=UserRole.OPERATOR)
    with pytest.raises(PermissionDenied, match="权限范围"):
        step(review, "accepted", date(2024, 9, 27), neighbour, [county["hekou"].pk])


@pytest.mark.parametrize(
    ("due", "is_open", "state"),
    [
        (date(2024, 10, 7), True, DueState.OVERDUE),
        (date(2024, 10, 8), True, DueState.SOON),  # today
        (date(2024, 10, 11), True, DueState.SOON),  # 3 working days on (alerts.due_soon)
        (date(2024, 10, 12), True, DueState.NORMAL),  # the make-up Saturday is the 4th working day
        (date(2024, 10, 7), False, DueState.NONE),  # closed items are never overdue
        (None, True, DueState.NONE),
    ],
)
def test_due_states(due, is_open, state):
    from fazhi.registers.deadlines import soon_limit

    today = date(2024, 10, 8)
    assert due_state(due, is_open, today, soon_limit(today)) is state


def test_a_deadline_in_an_unknown_year_is_flagged_until_its_schedule_is_loaded(
    new_review, office_user, scope, django_capture_on_commit_callbacks, monkeypatch
):
    from fazhi.workdays.schedules import parse_schedule
    from fazhi.workdays.services import schedule_load

    def load(year, holidays):
        schedule = {"year": year, "source": "国办发明电", "holidays": holidays, "makeup_workdays": []}
        with django_capture_on_commit_callbacks(execute=True):
            schedule_load(parse_schedule(schedule))
        run_queued_tasks()

    load(2099, ["2099-01-01"])  # years far ahead, so no release of chinese-calendar can know them
    monkeypatch.setattr(deadlines, "today", lambda: date(2099, 12, 31))  # dates may not lie ahead
    review = new_review(submitted_on=date(2099, 12, 21))
    step(review, "accepted", date(2099, 12, 21), office_user, scope)
    # 15 working days reach into 2100, whose holidays are not known: counted on weekends only, flagged
    assert review.due_date == date(2100, 1, 11) and review.due_guessed
    load(2100, ["2100-01-01", "2100-01-04"])
    review.refresh_from_db()
    assert review.due_date == date(2100, 1, 13) and not review.due_guessed
