"""Rows written in bulk without building a model object per row: the audit history and the timeline of
many imported items, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models

PASS_THROUGH = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.ForeignKey,
    models.BooleanField,
)


def _converter(field: models.Field) -> Callable[[Any], Any]:
    """How a value of ``field`` is handed to the database driver (a date as the backend wants it …);
    plain text and numbers pass as they are, a repeated value is converted once."""
    if isinstance(field, PASS_THROUGH) and not isinstance(field, models.AutoField):
        return lambda value: value
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value not in seen:
            seen[value] = field.get_db_prep_save(value, connection)
        return seen[value]

    return convert


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]], batch: int = 5000) -> int:
    """Insert ``rows`` ({attname: value}, every concrete column but an auto primary key) into ``model``'s
    table with one ``executemany`` per batch; returns how many."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
    convert = [(f.attname, _converter(f)) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    if connection.vendor == "postgresql":  # COPY streams the rows: no statement per row
        return _copy(table, columns, ([c(row[a]) for a, c in convert] for row in rows))
    count = 0
    chunk: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append([c(row[a]) for a, c in convert])
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _copy(table: str, columns: str, rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def insert_history(
    items: Sequence[Any], *, user_id: int | None, at: datetime, reason: str, batch: int = 2000
) -> int:
    """The "created" audit row of each new item, as django-simple-history writes it, copied by the
    database from the rows just inserted (INSERT … SELECT), so no Python object is made per row."""
    if not items:
        return 0
    model = type(items[0])
    history = model.history.model
    q = connection.ops.quote_name
    own = [f for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    stamps = ("history_date", "history_change_reason", "history_type", "history_user_id")
    columns = [q(f.column) for f in own] + [q(c) for c in stamps]
    source = model._meta
    at_db = history._meta.get_field("history_date").get_db_prep_save(at, connection)
    sql = (
        f"INSERT INTO {q(history._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(q(source.get_field(f.name).column) for f in own)}, %s, %s, %s, %s "
        f"FROM {q(source.db_table)} WHERE {q(source.pk.column)} "
    )
    stamp = [at_db, reason, "+", user_id]
    ids = sorted(item.pk for item in items)
    with connection.cursor() as cursor:
        if ids[-1] - ids[0] + 1 == len(ids):
            # the new rows hold every id from the first to the last (as a bulk insert's usually do), so no
            # other row is between them: one statement, no list of ids to send
            cursor.execute(sql + "BETWEEN %s AND %s", [*stamp, ids[0], ids[-1]])
            return len(ids)
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            cursor.execute(sql + f"IN ({', '.join(['%s'] * len(chunk))})", [*stamp, *chunk])
    return len(ids)
