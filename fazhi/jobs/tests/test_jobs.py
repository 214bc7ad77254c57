"""Jobs end to end: queued on commit, run by a worker, progress and outcome on a scoped page."""

import ast
import signal
import socket
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fazhi.cli import main
from fazhi.jobs.models import Job, JobState
from fazhi.jobs.services import GENERIC_ERROR, run_here, start
from fazhi.jobs.testing import run_queued_tasks
from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory

from .tasks import count_to, crash, refuse

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(county):
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR)


def test_a_task_runs_end_to_end_on_the_database_queue(county, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(count_to, actor=clerk, unit=county["changgang"], title="数到三", n=3)
    job.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert job.state == JobState.QUEUED and job.task_id == str(queued.id)
    assert queued.task_path == "fazhi.jobs.tests.tasks.count_to"
    assert queued.args_kwargs == {"args": [], "kwargs": {"job_id": job.pk, "n": 3}}

    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.done, job.total) == (3, 3) and job.message == "第3步"
    assert job.result == {"sum": 6} and job.started_at <= job.finished_at
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # the audit keeps who started it and each change of state, not every progress step
    history = list(job.history.order_by("history_id"))
    assert [h.state for h in history] == ["queued", "running", "done"] and history[0].history_user == clerk


def test_nothing_is_queued_when_the_transaction_rolls_back(county, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        start(count_to, actor=clerk, unit=county["changgang"], title="数到三", n=3)
    assert len(callbacks) == 1 and not DBTaskResult.objects.exists()  # enqueued only on commit


def test_a_failing_task_fails_its_job_with_a_chinese_message(
    county, clerk, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        refused = start(
            refuse, actor=clerk, unit=county["changgang"], title="拒绝", reason="第3行：缺少审查编号"
        )
        crashed = start(crash, actor=clerk, unit=county["changgang"], title="出错")
    assert run_queued_tasks() == 2
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.state == JobState.FAILED and refused.error == "第3行：缺少审查编号"
    assert refused.done == 1 and refused.total == 4
    assert crashed.state == JobState.FAILED and crashed.error == GENERIC_ERROR.format(pk=crashed.pk)
    assert "Traceback" not in crashed.error and "ZeroDivision" not in crashed.error
    assert "ZeroDivisionError" in caplog.text  # the traceback is logged for the administrators
    failed = DBTaskResult.objects.get(id=crashed.task_id)
    assert failed.status == "FAILED" and "ZeroDivisionError" in failed.traceback


def test_start_refuses_arguments_the_queue_cannot_carry(county, clerk):
    with pytest.raises(TypeError):
        start(count_to, actor=clerk, unit=county["changgang"], title="x", n={1, 2})
    with pytest.raises(TypeError, match="job_task"):
        start("fazhi.jobs.services.progress", actor=clerk, unit=county["changgang"], title="x")


def test_the_job_page_polls_until_the_end_and_is_scoped(
    client, county, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(count_to, actor=clerk, unit=county["changgang"], title="数到三", n=3)
    client.force_login(clerk)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "数到三" in page and "排队中" in page
    assert f'hx-get="{reverse("jobs:progress", args=[job.pk])}" hx-trigger="every 1s"' in page
    assert "<script" not in page.split("</head>", 1)[1]  # htmx attributes only (a CSP comes later)

    run_queued_tasks()
    Job.objects.filter(pk=job.pk).update(result_url="/reports/analyze/1/")
    partial = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "已完成" in partial and "hx-trigger" not in partial
    assert 'href="/reports/analyze/1/"' in partial and "查看结果" in partial
    assert "数到三" in client.get(reverse("jobs:list")).content.decode()

    neighbour = UserFactory(unit=county["hekou"], role=UserRole.OPERATOR)
    client.force_login(neighbour)
    for name in ("jobs:detail", "jobs:progress", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 403
    assert "数到三" not in client.get(reverse("jobs:list")).content.decode()
    client.force_login(UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN))
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200  # the county above


def test_a_system_job_is_seen_by_system_administrators_only(client, county, clerk):
    job = run_here(count_to, actor=None, unit=None, title="全系统任务", n=1)
    assert job.state == JobState.DONE
    client.force_login(UserFactory(unit=county["county"], role=UserRole.UNIT_ADMIN))
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 403
    client.force_login(UserFactory(unit=None, role=UserRole.SYSTEM_ADMIN))
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200


def test_run_here_reports_progress_in_process(county, clerk):
    seen = []
    job = run_here(
        count_to,
        actor=clerk,
        unit=county["changgang"],
        title="数到五",
        on_progress=lambda j: seen.append(j.done),
        n=5,
    )
    assert job.state == JobState.DONE and job.result == {"sum": 15} and seen == [1, 2, 3, 4, 5, 5]
    failed = run_here(crash, actor=clerk, unit=county["changgang"], title="出错")
    assert failed.state == JobState.FAILED and "任务编号" in failed.error
    with pytest.raises(Exception, match=r"权限|范围"):
        run_here(count_to, actor=clerk, unit=county["hekou"], title="别人的", n=1)


@pytest.mark.django_db(transaction=True)
def test_fazhi_worker_and_jobs_wait(county, clerk, capsys):
    job = start(
        count_to, actor=clerk, unit=county["changgang"], title="数到四", n=4
    )  # autocommit: queued now
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        assert main(["worker", "--batch"]) == 0
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)
    assert main(["jobs", "wait", str(job.pk)]) == 0
    assert f"任务{job.pk}已完成" in capsys.readouterr().out
    assert main(["jobs", "wait", "999999"]) == 2


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="Redis not reachable at 127.0.0.1:6379")
def test_a_task_runs_end_to_end_on_rq(county, clerk, django_capture_on_commit_callbacks):
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    rq_settings = {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        "RQ_QUEUES": {"default": {"URL": "redis://127.0.0.1:6379/15"}},
    }
    with override_settings(**rq_settings):
        with django_capture_on_commit_callbacks(execute=True):
            job = start(count_to, actor=clerk, unit=county["changgang"], title="数到三", n=3)
            failing = start(refuse, actor=clerk, unit=county["changgang"], title="拒绝", reason="不行")
        job.refresh_from_db()
        assert job.task_id and not DBTaskResult.objects.exists()
        # in this process (no fork), so the task reads the test's database
        worker = django_rq.get_worker("default", job_class=RQJob, worker_class=SimpleWorker)
        worker.work(burst=True)
        job.refresh_from_db()
        failing.refresh_from_db()
        assert job.state == JobState.DONE and job.result == {"sum": 6} and job.done == 3
        assert failing.state == JobState.FAILED and failing.error == "不行"
        assert count_to.get_result(job.task_id).status == "SUCCESSFUL"


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(Path(__file__).parents[3]).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("layer", ["rules", "workdays"])
def test_the_lower_layers_do_not_import_the_registers(layer):
    root = Path(__file__).parents[2] / layer
    offenders = {
        str(path.relative_to(root.parent)): sorted(
            m for m in _imported_modules(path) if m.startswith("fazhi.registers")
        )
        for path in root.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert "fazhi.registers.services" in _imported_modules(
        Path(__file__).parents[2] / "registers" / "tasks.py"
    )


def test_staged_files_are_read_from_the_staging_area_only(settings, tmp_path):
    from fazhi.jobs import files

    settings.MEDIA_ROOT = tmp_path
    path = files.stage("导入".encode(), "../../台账.XLSX")
    assert path.startswith("jobs/uploads/") and path.endswith(".xlsx") and ".." not in path
    assert files.read(path) == "导入".encode()
    with pytest.raises(ValueError):
        files.read("secret_key")
    files.discard([path, "secret_key"])
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_command_runs_its_task_here_with_a_progress_bar(county, capsys):
    assert main(["indicators", "--rebuild"]) == 0
    job = Job.objects.get(kind="fazhi.indicators.tasks.rebuild_figures")
    assert job.state == JobState.DONE and job.unit is None and job.created_by is None
    out, err = capsys.readouterr()
    assert "已重建各单位年度指标汇总" in out and "重建各单位年度指标汇总: 100%" in err


def test_a_job_without_progress_for_long_is_flagged(client, county, clerk):
    from datetime import timedelta

    from django.utils import timezone

    job = Job.objects.create(kind="x", title="卡住的任务", unit=county["changgang"], created_by=clerk)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, updated_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(clerk)
    partial = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "超过10分钟没有新的进展" in partial and "hx-trigger" in partial


def test_a_task_delivered_twice_runs_once(county, clerk):
    job = Job.objects.create(
        kind=count_to.module_path, title="数到二", unit=county["changgang"], created_by=clerk
    )
    assert count_to.call(job_id=job.pk, n=2) == {"job": job.pk, "state": "done"}
    assert count_to.call(job_id=job.pk, n=2) is None  # already claimed: not run again
    assert count_to.call(job_id=999_999, n=2) is None  # a job deleted meanwhile
    assert [h.state for h in job.history.order_by("history_id")] == ["queued", "running", "done"]


def test_prune_deletes_old_finished_jobs_their_files_and_queue_rows(
    county, clerk, settings, tmp_path, django_capture_on_commit_callbacks, capsys
):
    import os
    from datetime import timedelta

    from django.utils import timezone

    from fazhi.jobs import files
    from fazhi.jobs.services import finish

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        old = start(count_to, actor=clerk, unit=county["changgang"], title="旧", n=1)
        recent = start(count_to, actor=clerk, unit=county["changgang"], title="新", n=1)
    run_queued_tasks()
    old.refresh_from_db()
    finish(old, file=("结果.pdf", b"%PDF"))
    long_ago = timezone.now() - timedelta(days=100)
    Job.objects.filter(pk=old.pk).update(finished_at=long_ago)
    DBTaskResult.objects.filter(id=old.task_id).update(finished_at=long_ago)
    forgotten, fresh = files.stage(b"x", "a.txt"), files.stage(b"y", "b.txt")
    os.utime(tmp_path / forgotten, (long_ago.timestamp(), long_ago.timestamp()))

    assert main(["jobs", "prune", "--days", "90"]) == 0
    assert "后台任务1个、未处理的上传文件1个、队列记录1条" in capsys.readouterr().out
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    recent.refresh_from_db()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [recent.task_id]
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [fresh]


def test_system_administrators_read_jobs_in_the_admin(admin_client, county, clerk):
    job = run_here(count_to, actor=clerk, unit=county["changgang"], title="数到一", n=1)
    assert "数到一" in admin_client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert admin_client.get(reverse("admin:jobs_job_change", args=[job.pk])).status_code == 200
    assert admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code == 200
