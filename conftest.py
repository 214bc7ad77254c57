"""Shared pytest fixtures: a small county built with factories."""

import os

import pytest

# Before Django reads its settings: no persistent connections, so the live server's threads do not keep
# the PostgreSQL test database open at teardown.
os.environ.setdefault("FAZHI_DB_CONN_MAX_AGE", "0")

PACKAGE_YEARS_IN_TESTS = range(2004, 2027)


def pytest_configure(config):
    """Passwords hashed with one round of MD5 in tests, as Django's testing guide advises: PBKDF2's
    million rounds cost most of a second for every user a factory or the demo creates. What the tests
    prove about passwords (validators, lockout, changes) does not depend on the hasher."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(monkeypatch):
    """Loaded schedules are cached per process; every test starts from the database's truth.

    The tests pin the years chinese-calendar knows to 2004–2026, so a release that adds 2027 does not
    change what they expect of an unknown year."""
    from fazhi.workdays import services

    known = services.package_schedules()
    monkeypatch.setattr(
        services, "package_schedules", lambda: {y: s for y, s in known.items() if y in PACKAGE_YEARS_IN_TESTS}
    )
    services.invalidate_cache()
    yield
    services.invalidate_cache()


def _forget_cached_state() -> None:
    """Cached indicator figures are keyed by unit id, which a later test's database may reuse."""
    from django.core.cache import cache

    from fazhi.rules.services import forget_overrides

    cache.clear()
    forget_overrides()


@pytest.fixture(autouse=True)
def _empty_cache():
    _forget_cached_state()


@pytest.fixture
def county(db):
    """县 → 司法局, 长冈乡 → 长冈乡司法所, 合富村; and a second township 河口镇 with a village."""
    from fazhi.org.models import UnitLevel
    from fazhi.org.tests.factories import UnitFactory

    root = UnitFactory(code="C", name="青山县", level=UnitLevel.COUNTY)
    units = {
        "county": root,
        "justice": UnitFactory(code="C-D1", name="青山县司法局", short_name="司法局", parent=root),
        "changgang": UnitFactory(code="C-T1", name="长冈乡", level=UnitLevel.TOWNSHIP, parent=root),
        "hekou": UnitFactory(code="C-T2", name="河口镇", level=UnitLevel.TOWNSHIP, parent=root),
    }
    units["changgang_office"] = UnitFactory(
        code="C-T1S", name="长冈乡司法所", level=UnitLevel.OFFICE, parent=units["changgang"]
    )
    units["hefu"] = UnitFactory(
        code="C-T1V1", name="合富村", level=UnitLevel.VILLAGE, parent=units["changgang"]
    )
    units["hekou_village"] = UnitFactory(
        code="C-T2V1", name="河口村", level=UnitLevel.VILLAGE, parent=units["hekou"]
    )
    return units


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    """The demo county (built once per test process, copied back for each module: see
    fazhi/core/tests/demo_snapshot.py), rolled back after the module; each test's own writes
    are rolled back at its end (its ``db`` transaction is a savepoint inside this one)."""
    from django.db import transaction

    from fazhi.core.tests.demo_snapshot import demo_county as copy_demo_county

    with django_db_blocker.unblock(), transaction.atomic():
        # set up before the function-scoped fixtures: figures an earlier test cached for a unit id the
        # demo reuses would go into the demo's reports
        _forget_cached_state()
        ctx = copy_demo_county()
        _forget_cached_state()
        yield ctx
        transaction.set_rollback(True)


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, only the tests that reach a database: the SQLite run (the README's test command
    runs both) has already run the others, whose outcome the database cannot change."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    keep, skip = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)
        (keep if uses_db else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep
