"""Personal data at rest: 身份证号 and phone numbers are encrypted in the table and its history, found
and kept unique through a keyed digest, and the data files are readable by the server's account only
(issue 14 §3)."""

import stat

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection

from fazhi.org import fields
from fazhi.org.models import Person
from fazhi.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ID_NUMBER, PHONE = "41042319900101007X", "13812345678"


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")
        return [row[0] for row in cursor.fetchall()]


def test_a_dump_shows_no_number_in_clear(county):
    person = PersonFactory(unit=county["hefu"], id_number=ID_NUMBER, phone=PHONE)
    person.phone = "13900001111"
    person.save()
    stored = _raw("org_person", "id_number") + _raw("org_person", "phone")
    history = _raw("org_historicalperson", "id_number") + _raw("org_historicalperson", "phone")
    for value in stored + history:
        assert value.startswith(fields.TOKEN_PREFIX) and "1381234" not in value and "410423" not in value
    person.refresh_from_db()
    assert (person.id_number, person.phone) == (ID_NUMBER, "13900001111")  # read back in clear


def test_the_digest_finds_and_keeps_a_number_unique(county):
    person = PersonFactory(unit=county["hefu"], id_number=ID_NUMBER)
    assert Person.objects.get(id_number_digest=fields.digest(ID_NUMBER.lower())) == person
    with pytest.raises(IntegrityError):
        PersonFactory(unit=county["hekou"], id_number=ID_NUMBER)


def test_a_wrong_key_is_an_error_not_ciphertext_on_a_page(county, settings):
    PersonFactory(unit=county["hefu"], id_number=ID_NUMBER)
    settings.DATA_KEYS = {**settings.DATA_KEYS, "fernet": ["a" * 43 + "="]}
    fields._fernet.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="无法解密"):
            Person.objects.get()
    finally:
        fields._fernet.cache_clear()


def test_data_files_are_readable_by_the_server_only():
    for name in ("secret_key", "data_keys.json"):
        path = settings.DATA_DIR / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600 and settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    probe = settings.DATA_DIR / "umask-probe"
    probe.write_text("x")
    try:
        assert stat.S_IMODE(probe.stat().st_mode) == 0o600  # the database and its WAL are made likewise
    finally:
        probe.unlink()
