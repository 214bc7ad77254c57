"""Backup and restore of one Fazhi installation: the database, the uploaded files and the generated keys.

A backup is one ``.tar.gz`` file (mode 0600: it holds the keys):

- ``database/fazhi.sqlite3`` — SQLite's online backup API, a consistent copy while the server runs; or
  ``database/fazhi.dump`` — ``pg_dump --format=custom`` of the snapshot the checksums were taken in;
- ``media/…`` — every uploaded file (MEDIA_ROOT);
- ``keys/…`` — the keys generated beside the database (``secret_key`` and any other ``*key*`` file at the
  top of FAZHI_DATA_DIR): without them encrypted data and signed links cannot be read after a restore;
- ``manifest.json`` — the SHA-256 of every table's rows (in primary-key order) and of every file.

``restore`` checks every file against the manifest before it writes anything, refuses a database that
already holds data unless ``force``, and afterwards recomputes every table's checksum from the restored
database and compares it with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

FORMAT = 1
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is Chinese with an English gloss."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    tables: dict[str, dict] = field(default_factory=dict)  # name -> {"rows": n, "sha256": hex}
    files: dict[str, str] = field(default_factory=dict)  # archive path -> sha256 hex

    def as_json(self) -> bytes:
        data = {"format": FORMAT, "engine": self.engine, "created_at": self.created_at}
        data |= {"tables": self.tables, "files": self.files}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise BackupError(f"不认识的备份格式：{data.get('format')} / unknown backup format")
        return cls(data["engine"], data["created_at"], data["tables"], data["files"])


@dataclass
class Result:
    path: Path
    manifest: Manifest

    @property
    def summary(self) -> str:
        rows = sum(t["rows"] for t in self.manifest.tables.values())
        media = sum(1 for p in self.manifest.files if p.startswith("media/"))
        return f"{len(self.manifest.tables)}张表（{rows}行），{media}个上传文件"


# -- checksums --------------------------------------------------------------------------------------
def _canonical(value) -> str:
    """One text per value, the same whichever connection read it (time zones, buffer types)."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, memoryview | bytes | bytearray):
        return "x" + bytes(value).hex()
    if isinstance(value, Decimal):
        return "d" + str(value)
    return repr(value)


def _table_digest(cursor, quoted_table: str, order_by: list[str]) -> dict:
    cursor.execute(f"SELECT * FROM {quoted_table} ORDER BY {', '.join(order_by) or '1'}")
    digest, rows = hashlib.sha256(), 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(("\x1f".join(_canonical(v) for v in row) + "\x1e").encode())
        rows += len(batch)
    return {"rows": rows, "sha256": digest.hexdigest()}


def sqlite_table_digests(conn: sqlite3.Connection) -> dict[str, dict]:
    """Every table of a SQLite database, its rows in primary-key (or all-column) order."""
    cursor = conn.cursor()
    names = [
        r[0]
        for r in cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    digests = {}
    for name in names:
        info = cursor.execute(f'PRAGMA table_info("{name}")').fetchall()
        keys = [f'"{c[1]}"' for c in sorted(info, key=lambda c: c[5]) if c[5]] or [f'"{c[1]}"' for c in info]
        digests[name] = _table_digest(cursor, f'"{name}"', keys)
    return digests


def postgres_table_digests(cursor) -> dict[str, dict]:
    """Every table of the current schema of a PostgreSQL database, rows in primary-key order."""
    from psycopg.types.string import TextLoader

    raw = getattr(cursor, "cursor", cursor)  # Django's wrapper or a psycopg cursor
    for json_type in ("json", "jsonb"):  # as text, as Django reads them: the same digest on any connection
        raw.adapters.register_loader(json_type, TextLoader)
    cursor.execute(
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname"
    )
    tables = cursor.fetchall()
    digests = {}
    for oid, name in tables:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s AND i.indisprimary ORDER BY a.attnum",
            [oid],
        )
        keys = [f'"{r[0]}"' for r in cursor.fetchall()]
        if not keys:
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped"
                " ORDER BY attnum",
                [oid],
            )
            keys = [f'"{r[0]}"' for r in cursor.fetchall()]
        digests[name] = _table_digest(cursor, f'"{name}"', keys)
    return digests


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# -- what belongs to an installation ----------------------------------------------------------------
def _database() -> dict:
    return connections["default"].settings_dict  # the test database in tests, not the settings' one


def _sqlite_connect(name) -> sqlite3.Connection:
    name = str(name)
    return sqlite3.connect(name, uri=name.startswith("file:"))  # file:…?mode=memory in tests


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持的数据库：{vendor} / unsupported database")
    return vendor


def key_files() -> list[Path]:
    """The generated keys kept beside the database (secret_key, and any other *key* file there)."""
    data_dir = Path(settings.DATA_DIR)
    database = Path(str(_database()["NAME"])).name
    return sorted(
        p
        for p in data_dir.iterdir()
        if p.is_file() and "key" in p.name.lower() and not p.name.startswith(database)
    )


def media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def database_holds_data() -> bool:
    """True when the database holds an installation's data: a unit or a user. (A freshly migrated
    database already has rows that migrations seed, such as the roles, which a restore replaces.)"""
    from fazhi.org.models import Unit, User

    try:
        return Unit.objects.exists() or User.objects.exists()
    except DatabaseError:  # not migrated yet
        return False


# -- PostgreSQL tools -------------------------------------------------------------------------------
def _pg_args_env() -> tuple[list[str], dict]:
    db = _database()
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    """The path of pg_dump/pg_restore, checked to be at least the server's major version."""
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"未找到 {name}：请安装与数据库服务器同一主版本的 PostgreSQL 客户端"
            f"（apt install postgresql-client）/ {name} not found"
        )
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    tool_major = int(match.group(1)) if match else 0
    server_major = connections["default"].pg_version // 10000
    if tool_major < server_major:
        raise BackupError(
            f"{name} 版本 {tool_major} 低于数据库服务器版本 {server_major}："
            f"请安装 postgresql-client-{server_major} / {name} {tool_major} is older than the server"
        )
    return tool


# -- backup -----------------------------------------------------------------------------------------
def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _snapshot_sqlite(work: Path) -> tuple[Path, dict[str, dict]]:
    target = work / "fazhi.sqlite3"
    source = _sqlite_connect(_database()["NAME"])
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # SQLite's online backup: a consistent copy while others write
        digests = sqlite_table_digests(copy)
    finally:
        copy.close()
        source.close()
    return target, digests


def _snapshot_postgres(work: Path) -> tuple[Path, dict[str, dict]]:
    """pg_dump and the checksums read the same snapshot, so the manifest describes exactly the dump."""
    import psycopg

    tool = _pg_tool("pg_dump")
    target = work / "fazhi.dump"
    db = _database()
    args, env = _pg_args_env()
    params = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD")}
    params |= {"host": db.get("HOST"), "port": db.get("PORT")}
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        conn.execute("SET TIME ZONE 'UTC'")
        dump = subprocess.run(
            [tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={target}", *args, str(db["NAME"])],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        if dump.returncode != 0:
            raise BackupError(f"pg_dump 失败 / pg_dump failed: {dump.stderr.strip()[:500]}")
        with conn.cursor() as cursor:
            digests = postgres_table_digests(cursor)
        conn.rollback()
    return target, digests


def backup(path: Path) -> Result:
    """Write the backup of this installation to ``path`` (a .tar.gz, mode 0600)."""
    engine = _engine()
    path = Path(path)
    if path.exists() and path.is_dir():
        raise BackupError(f"{path} 是文件夹，请给出备份文件名 / a directory was given")
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(engine=engine, created_at=timezone.now().isoformat())
    partial = path.with_name(path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="fazhi-backup-") as tmp:
        dump, manifest.tables = (_snapshot_sqlite if engine == "sqlite" else _snapshot_postgres)(Path(tmp))
        members: list[tuple[str, Path]] = [(f"database/{dump.name}", dump)]
        media_root = Path(settings.MEDIA_ROOT)
        members += [(f"media/{p.relative_to(media_root).as_posix()}", p) for p in media_files()]
        members += [(f"keys/{p.name}", p) for p in key_files()]
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for name, source in members:
                manifest.files[name] = file_sha256(source)
                tar.add(source, arcname=name, recursive=False)
            _add_bytes(tar, "manifest.json", manifest.as_json())
    partial.replace(path)
    return Result(path, manifest)


# -- restore ----------------------------------------------------------------------------------------
def _safe_name(name: str) -> PurePosixPath:
    posix = PurePosixPath(name)
    if posix.is_absolute() or ".." in posix.parts or posix.parts[0] not in {"database", "media", "keys"}:
        raise BackupError(f"备份文件中有不安全的路径：{name} / unsafe path in the backup")
    return posix


def _unpack(path: Path, work: Path) -> Manifest:
    """Extract the backup into ``work`` after checking every member against the manifest."""
    try:
        tar = tarfile.open(path, mode="r:*")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc} / not a Fazhi backup") from exc
    with tar:
        try:
            manifest = Manifest.from_json(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupError(f"备份文件中没有有效的 manifest.json：{path} / no manifest") from exc
        seen = set()
        for member in tar.getmembers():
            if member.name == "manifest.json":
                continue
            if not member.isfile():
                raise BackupError(f"备份文件中有非普通文件：{member.name} / unexpected member")
            target = work / _safe_name(member.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with tar.extractfile(member) as src, target.open("wb") as out:  # type: ignore[union-attr]
                while block := src.read(CHUNK):
                    digest.update(block)
                    out.write(block)
            if manifest.files.get(member.name) != digest.hexdigest():
                raise BackupError(f"文件校验不符，备份已损坏：{member.name} / checksum mismatch")
            seen.add(member.name)
        if missing := set(manifest.files) - seen:
            raise BackupError(f"备份文件不完整，缺少：{'、'.join(sorted(missing))[:300]} / incomplete backup")
    return manifest


def _restore_sqlite(dump: Path) -> dict[str, dict]:
    connections.close_all()
    source = sqlite3.connect(str(dump))
    target = _sqlite_connect(_database()["NAME"])
    try:
        source.backup(target)  # page by page into the live file, WAL included
        return sqlite_table_digests(target)
    finally:
        target.close()
        source.close()


def _restore_postgres(dump: Path) -> dict[str, dict]:
    tool = _pg_tool("pg_restore")
    args, env = _pg_args_env()
    connections.close_all()
    run = subprocess.run(
        [tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", f"--dbname={_database()['NAME']}", *args, str(dump)],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    if run.returncode != 0:
        raise BackupError(f"pg_restore 失败 / pg_restore failed: {run.stderr.strip()[:500]}")
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
        return postgres_table_digests(cursor)


def _replace_media(source: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        shutil.rmtree(root)
    if source.is_dir():
        shutil.copytree(source, root)
    else:
        root.mkdir(parents=True)
    for p in [root, *root.rglob("*")]:
        p.chmod(0o700 if p.is_dir() else 0o600)


def _write_keys(source: Path) -> list[str]:
    written = []
    if source.is_dir():
        for key in sorted(source.iterdir()):
            target = Path(settings.DATA_DIR) / key.name
            shutil.copyfile(key, target)
            target.chmod(0o600)
            written.append(key.name)
    return written


def restore(path: Path, *, force: bool = False) -> Result:
    """Restore the backup ``path`` into this installation's database, media folder and keys."""
    engine = _engine()
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path} / backup file not found")
    with tempfile.TemporaryDirectory(prefix="fazhi-restore-") as tmp:
        work = Path(tmp)
        manifest = _unpack(path, work)  # every file checked before anything is written
        if manifest.engine != engine:
            raise BackupError(
                f"备份来自 {manifest.engine} 数据库，当前为 {engine}：请在同类数据库上恢复"
                f" / the backup is of {manifest.engine}, this installation uses {engine}"
            )
        if not force:
            media = Path(settings.MEDIA_ROOT)
            if database_holds_data() or (media.is_dir() and any(media.iterdir())):
                raise BackupError(
                    "当前数据库（或上传文件夹）已有数据：恢复会覆盖它们。确需覆盖请加 --force"
                    " / the database is not empty; use --force to overwrite it"
                )
        dump = next((work / "database").iterdir())
        restored = (_restore_sqlite if engine == "sqlite" else _restore_postgres)(dump)
        _replace_media(work / "media")
        _write_keys(work / "keys")
        _verify(manifest, restored)
    return Result(path, manifest)


def _verify(manifest: Manifest, restored: dict[str, dict]) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    wrong = [name for name, digest in manifest.tables.items() if restored.get(name) != digest]
    for name, digest in manifest.files.items():
        if name.startswith("media/") and file_sha256(media_root / name.removeprefix("media/")) != digest:
            wrong.append(name)
    if wrong:
        raise BackupError(
            f"恢复后校验不符：{'、'.join(wrong[:10])} / restored data differs from the manifest"
        )
