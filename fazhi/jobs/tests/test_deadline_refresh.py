"""A rule or holiday schedule change announces itself; the registers queue one deadline refresh."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from fazhi.jobs.models import Job, JobState
from fazhi.jobs.testing import run_queued_tasks
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.rules.models import RuleOverride
from fazhi.rules.services import override_delete, override_save
from fazhi.workdays.schedules import parse_schedule
from fazhi.workdays.services import schedule_load

pytestmark = pytest.mark.django_db

REFRESH = "fazhi.registers.tasks.refresh_deadlines"


def _override(unit, value="10"):
    return RuleOverride(
        rule_code="legality_review.max",
        unit=unit,
        value=value,
        measure="工作日",
        source="青山县合法性审查办法第十条",
        valid_from=date(2024, 1, 1),
    )


def test_a_rule_override_queues_one_deadline_refresh(county, django_capture_on_commit_callbacks):
    admin = UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN)
    ids = [county["county"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        override = override_save(actor=admin, override=_override(county["county"]), unit_ids=ids)
    job = Job.objects.get(kind=REFRESH)
    assert job.state == JobState.QUEUED and job.unit == county["county"] and job.created_by == admin
    assert DBTaskResult.objects.get().task_path == REFRESH

    # a second change while the refresh still waits: that refresh will see it, none is added
    with django_capture_on_commit_callbacks(execute=True):
        override_delete(actor=admin, override=override, unit_ids=ids)
    assert Job.objects.filter(kind=REFRESH).count() == 1 and DBTaskResult.objects.count() == 1

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result == {"changed": 0} and "重新计算期限" in job.message

    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        override_save(actor=admin, override=_override(county["county"], "十"), unit_ids=ids)
    assert Job.objects.filter(kind=REFRESH).count() == 1  # a refused change queues nothing


def test_loading_a_holiday_schedule_queues_a_system_refresh(django_capture_on_commit_callbacks):
    schedule = {"year": 2099, "source": "国办发明电", "holidays": ["2099-01-01"], "makeup_workdays": []}
    with django_capture_on_commit_callbacks(execute=True):
        schedule_load(parse_schedule(schedule))
    job = Job.objects.get(kind=REFRESH)
    assert job.unit is None and job.created_by is None
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE
