"""`fazhi backup` / `fazhi restore`: a round trip gives back every table's rows, every uploaded file and
the keys; a damaged backup or a database holding data is refused. Runs on SQLite and, under
DATABASE_URL=postgres://…, on PostgreSQL (pg_dump/pg_restore)."""

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connections

from fazhi.core import backup as backups
from fazhi.core.tests.demo_snapshot import demo_county
from fazhi.org.models import Unit, User


def _digests() -> dict:
    connection = connections["default"]
    if connection.vendor == "sqlite":
        return backups.sqlite_table_digests(backups._sqlite_connect(connection.settings_dict["NAME"]))
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        return backups.postgres_table_digests(cursor)


@pytest.fixture
def installation(settings, tmp_path):
    """This installation's data folder (keys, media) in a temporary place."""
    data = tmp_path / "var"
    (data / "media" / "attachments" / "2025").mkdir(parents=True)
    (data / "secret_key").write_text("k" * 60)
    (data / "field_key").write_text("fieldkey")
    (data / "media" / "attachments" / "2025" / "审查意见书.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(5000))
    settings.DATA_DIR, settings.MEDIA_ROOT = data, data / "media"
    return data


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_table_file_and_key(installation, tmp_path):
    demo_county()  # committed: the backup reads it through its own connection
    before = _digests()
    archive = tmp_path / "备份" / "fazhi-2025.tar.gz"
    result = backups.backup(archive)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert result.manifest.tables == before
    assert {"media/attachments/2025/审查意见书.pdf", "keys/secret_key", "keys/field_key"} <= set(
        result.manifest.files
    )
    assert before["org_unit"]["rows"] == Unit.objects.count() > 50

    # refused over a database holding data
    with pytest.raises(backups.BackupError, match="--force"):
        backups.restore(archive)

    # the disaster: rows changed and deleted, a file lost, a key regenerated
    Unit.objects.filter(parent__isnull=False).update(name="改坏了")
    User.objects.filter(username="lingdao").delete()
    media_file = installation / "media" / "attachments" / "2025" / "审查意见书.pdf"
    original = media_file.read_bytes()
    media_file.unlink()
    (installation / "media" / "stray.txt").write_text("not in the backup")
    (installation / "secret_key").write_text("new")
    assert _digests() != before

    backups.restore(archive, force=True)
    assert _digests() == before
    assert media_file.read_bytes() == original
    assert not (installation / "media" / "stray.txt").exists()
    assert (installation / "secret_key").read_text() == "k" * 60
    assert User.objects.filter(username="lingdao").exists()


@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_foreign_backup_is_refused_before_anything_is_written(installation, tmp_path):
    Unit.objects.create(code="C", name="青山县", level="county")
    archive = tmp_path / "b.tar.gz"
    backups.backup(archive)
    # rewrite one member with other bytes, keeping the manifest: the checksum must catch it
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.addfile(member, io.BytesIO(data))
    Unit.objects.all().delete()
    with pytest.raises(backups.BackupError, match="校验不符"):
        backups.restore(damaged, force=True)
    assert not Unit.objects.exists()  # nothing written
    not_a_backup = tmp_path / "x.tar.gz"
    not_a_backup.write_bytes(b"hello")
    with pytest.raises(backups.BackupError, match="无法读取"):
        backups.restore(not_a_backup, force=True)
    assert (installation / "media" / "attachments" / "2025" / "审查意见书.pdf").exists()  # untouched
    shutil.rmtree(installation / "media")
    backups.restore(archive)  # an empty database (and media folder) needs no --force
    assert Unit.objects.get().name == "青山县"


def _fazhi(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "FAZHI_DATA_DIR": str(data_dir), "FAZHI_SECRET_KEY": ""}
    env.pop("DATABASE_URL", None)  # the command's own SQLite file in data_dir
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_the_commands_on_a_sqlite_file(tmp_path):
    """The real commands: one installation backed up, restored into a fresh one, exit statuses."""
    old, new = tmp_path / "old", tmp_path / "new"
    assert _fazhi(old, "manage", "migrate", "-v", "0").returncode == 0
    made = _fazhi(old, "manage", "shell", "-c", "from fazhi.org.models import Unit; "
                  "Unit.objects.create(code='C', name='青山县', level='county')")  # fmt: skip
    assert made.returncode == 0, made.stderr
    archive = tmp_path / "fazhi.tar.gz"
    done = _fazhi(old, "backup", str(archive))
    assert done.returncode == 0, done.stderr
    assert "已备份" in done.stdout
    restored = _fazhi(new, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "校验值均与备份一致" in restored.stdout
    assert (new / "secret_key").read_text() == (old / "secret_key").read_text()
    again = _fazhi(new, "restore", str(archive))
    assert again.returncode == 2 and "--force" in again.stderr
    assert _fazhi(new, "restore", str(tmp_path / "missing.tar.gz")).returncode == 2
