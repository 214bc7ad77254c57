"""Fixtures of the contract tests: township users and makers of register items.

Every app's ``tests/factories.py`` is imported here, so the recipes it registers for its registers
(``registers.testing.recipe``) are known before the contract tests are parametrized."""

import importlib

import pytest
from django.apps import apps

from fazhi.org.models import UserRole
from fazhi.org.tests.factories import UserFactory
from fazhi.registers.testing import Maker

for _app in apps.get_app_configs():
    try:
        importlib.import_module(f"{_app.name}.tests.factories")
    except ModuleNotFoundError as exc:
        if exc.name not in (f"{_app.name}.tests", f"{_app.name}.tests.factories"):
            raise


@pytest.fixture
def changgang_user(county):
    """An operator of 长冈乡: sees and keeps the township's records (its 司法所 and villages too)."""
    return UserFactory(unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-op")


@pytest.fixture
def privileged_user(county):
    """An operator of 长冈乡 who may see personal data in full."""
    return UserFactory(
        unit=county["changgang"], role=UserRole.OPERATOR, username="changgang-pd", may_view_personal_data=True
    )


@pytest.fixture
def hekou_user(county):
    return UserFactory(unit=county["hekou"], role=UserRole.OPERATOR, username="hekou-op")


@pytest.fixture
def maker(changgang_user):
    return Maker(changgang_user)


@pytest.fixture
def hekou_maker(hekou_user):
    return Maker(hekou_user)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
