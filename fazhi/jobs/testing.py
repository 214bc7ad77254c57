"""For tests: run the queued tasks of the database backend in the test process, as `fazhi worker --batch`
does, so a test sees the real enqueue → serialise → claim → run path (and can read the test database,
which another process could not)."""

from __future__ import annotations

from unittest import mock


def run_queued_tasks(backend: str = "default") -> int:
    """Run every queued task, then return how many ran."""
    from django_tasks_db.management.commands import db_worker

    worker = db_worker.Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # the worker closes stale connections between tasks; inside a test's transaction that would end it
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return worker._run_tasks
