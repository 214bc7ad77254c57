"""整改通知: 已下发 → 整改中 → 已整改 (only with evidence) / 逾期 (only past the notice's date), and the
open notice's deadline, which the dashboard shows as 临期/逾期."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fazhi.casereview.models import Rectification
from fazhi.casereview.registers import RECTIFICATIONS
from fazhi.registers import services
from fazhi.registers.deadlines import DueState, due_state

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def notice(county, county_user, scope):
    def make(number="青评改〔2024〕1号", issued_on=date(2024, 6, 3), due_on=date(2024, 7, 3)):
        item = Rectification(
            unit=county["changgang_office"], number=number, organ="青山县司法局",
            problems="送达回证缺失，请补正", issued_on=issued_on, due_on=due_on,
        )  # fmt: skip
        return services.item_create(RECTIFICATIONS, item, actor=county_user, scope_ids=scope)

    return make


def step(item, to, user, scope, on, **values):
    return services.item_transition(
        RECTIFICATIONS, item, to, actor=user, scope_ids=scope, on=on, values=values
    )


def test_an_open_notice_is_due_on_the_date_it_set(notice):
    item = notice()
    assert (item.status, item.due_date, item.due_label) == ("issued", date(2024, 7, 3), "完成整改")
    assert due_state(item.due_date, True, date(2024, 7, 4), date(2024, 7, 4)) is DueState.OVERDUE


def test_done_needs_evidence_then_closes_the_deadline(notice, county_user, scope, media):
    item = notice()
    step(item, "rectifying", county_user, scope, date(2024, 6, 10))
    with pytest.raises(ValidationError, match="整改佐证材料"):
        step(item, "done", county_user, scope, date(2024, 6, 28), completion_note="已补正送达回证")
    item.refresh_from_db()
    assert item.status == "rectifying"
    services.attach(RECTIFICATIONS, item, name="整改报告.pdf", data=PDF, actor=county_user, scope_ids=scope)
    step(item, "done", county_user, scope, date(2024, 6, 28), completion_note="已补正送达回证")
    item.refresh_from_db()
    assert (item.status, item.completed_on, item.due_date) == ("done", date(2024, 6, 28), None)


def test_done_needs_the_account_of_the_rectification(notice, county_user, scope, media):
    item = notice()
    step(item, "rectifying", county_user, scope, date(2024, 6, 10))
    services.attach(RECTIFICATIONS, item, name="整改报告.pdf", data=PDF, actor=county_user, scope_ids=scope)
    with pytest.raises(ValidationError, match="整改情况"):
        step(item, "done", county_user, scope, date(2024, 6, 28))


def test_overdue_only_after_the_date_and_still_open(notice, county_user, scope):
    item = notice()
    with pytest.raises(ValidationError, match="2024年7月3日"):
        step(item, "overdue", county_user, scope, date(2024, 7, 3))
    step(item, "overdue", county_user, scope, date(2024, 7, 4))
    item.refresh_from_db()
    assert item.status == "overdue" and item.due_date == date(2024, 7, 3)  # still shown as 逾期
    assert RECTIFICATIONS.workflow.is_open("overdue")


def test_a_due_date_before_the_notice_is_refused(notice):
    with pytest.raises(ValidationError) as exc:
        notice(due_on=date(2024, 5, 1))
    assert "整改期限不能早于下发日期" in exc.value.message_dict["due_on"][0]
    assert not Rectification.objects.exists()
