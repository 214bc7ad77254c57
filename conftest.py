"""Shared pytest fixtures: a small county built with factories."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Loaded schedules are cached per process; every test starts from the database's truth."""
    from fazhi.workdays.services import invalidate_cache

    invalidate_cache()
    yield
    invalidate_cache()
