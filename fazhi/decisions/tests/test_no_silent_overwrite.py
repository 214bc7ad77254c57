"""No silent overwrite: an edit or a step read at an older version is refused, says who changed what,
and keeps what the user typed (issue 10 §3); concurrent steps on one record: one wins (§1)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from fazhi.decisions.models import LegalityReview
from fazhi.decisions.registers import LEGALITY_REVIEWS
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.registers import services
from fazhi.registers.selectors import timeline

pytestmark = pytest.mark.django_db


def _form(page_form) -> dict:
    """What the browser sends back: every field's value as the page rendered it."""
    values = {name: page_form[name].value() for name in page_form.fields}
    return {name: ("" if value is None else value) for name, value in values.items()}


def test_a_stale_edit_is_refused_and_what_was_typed_is_kept(county, office_user, new_review):
    review = new_review(number="长冈审〔2024〕11号")
    other = UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, last_name="王", first_name="芳")
    first, second = Client(), Client()
    first.force_login(office_user)
    second.force_login(other)
    url = reverse("registers:edit", args=["legality-reviews", review.pk])
    mine = _form(first.get(url).context["form"])
    theirs = _form(second.get(url).context["form"])
    theirs["title"] = "关于农村建房管理的实施意见（修改稿）"
    assert second.post(url, theirs).status_code == 302  # 王芳 saves first
    mine["submitter"] = "乡自然资源所"
    page = first.post(url, mine)
    assert page.status_code == 200
    text = page.content.decode()
    assert "已被王芳" in text and "送审事项" in text and "（修改稿）" in text  # who, what, their value
    assert 'value="乡自然资源所"' in text  # nothing typed is lost
    review.refresh_from_db()
    assert review.submitter == "乡政府办公室" and review.title.endswith("（修改稿）")
    # saving again after seeing the difference is a deliberate choice, and goes through
    again = _form(page.context["form"]) | {"submitter": "乡自然资源所"}
    assert first.post(url, again).status_code == 302
    review.refresh_from_db()
    assert review.submitter == "乡自然资源所" and review.version == 3


def test_a_step_someone_else_took_meanwhile_is_not_taken_again(office_user, scope, new_review):
    review = new_review()
    seen_by_other = LegalityReview.objects.get(pk=review.pk)
    services.item_transition(LEGALITY_REVIEWS, review, "withdrawn", actor=office_user, scope_ids=scope,
                             on=date(2024, 9, 27))  # fmt: skip
    with pytest.raises(ValidationError, match=r"已由.*办理为“已撤回”，本次操作未执行"):
        services.item_transition(LEGALITY_REVIEWS, seen_by_other, "accepted", actor=office_user,
                                 scope_ids=scope, on=date(2024, 9, 27))  # fmt: skip
    assert LegalityReview.objects.get(pk=review.pk).status == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_steps_one_wins(county, office_user, scope, new_review):
    """Two requests take a step on the same review at once: the row lock lets one through."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers with BEGIN IMMEDIATE")
    review = new_review()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def take(to: str) -> None:
        item = LegalityReview.objects.get(pk=review.pk)
        barrier.wait()
        try:
            services.item_transition(LEGALITY_REVIEWS, item, to, actor=office_user, scope_ids=scope,
                                     on=date(2024, 9, 27))  # fmt: skip
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(to,)) for to in ("accepted", "withdrawn")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[0] == "ok" and "本次操作未执行" in sorted(results)[1]
    assert len(timeline(review)) == 2  # 登记 and the one step that won
