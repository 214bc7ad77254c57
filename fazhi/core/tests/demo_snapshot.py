"""The demo county for tests, built once per test process and copied back for every module that asks.

Building the demo takes about half a minute, mostly in the services its contributors go through; copying
its rows back takes a second or two. The snapshot is every table's rows as the database returns them (no
ORM conversion), taken inside a transaction that is then rolled back: PostgreSQL copies them with COPY
in its own text format, SQLite with plain SELECT/INSERT, so every value comes back byte for byte.

A module's copy is made inside that module's transaction (conftest's ``demo_county``), so it is rolled
back like a fresh build was; a transactional test's copy is committed, and flushed after the test.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db import connection, transaction

from fazhi.core.demo import DemoContext, build_demo

SEED = 3
# written by migrations and never by the demo or a test's module fixture
UNTOUCHED = {"django_migrations"}


@dataclass
class Snapshot:
    ctx: DemoContext
    tables: dict[str, tuple[list[str], object]]  # table -> (columns, rows or COPY data)


_snapshot: Snapshot | None = None


def _tables() -> list[str]:
    names = connection.introspection.table_names(include_views=False)
    return sorted(n for n in names if n not in UNTOUCHED)


def _take() -> Snapshot:
    tables: dict[str, tuple[list[str], object]] = {}
    with transaction.atomic():
        ctx = build_demo(seed=SEED)
        with connection.cursor() as cursor:
            for table in _tables():
                quoted = connection.ops.quote_name(table)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as out:
                        tables[table] = ([], b"".join(bytes(chunk) for chunk in out))
                else:
                    cursor.execute(f"SELECT * FROM {quoted}")
                    columns = [c[0] for c in cursor.description]
                    tables[table] = (columns, cursor.fetchall())
        transaction.set_rollback(True)
    return Snapshot(ctx=ctx, tables=tables)


def _restore(snapshot: Snapshot) -> None:
    """Make every table hold exactly the snapshot's rows (within the caller's transaction).

    Foreign keys are created deferrable by Django on both databases, so the order of tables does not
    matter until the transaction ends."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in snapshot.tables))
            for table, (_, data) in snapshot.tables.items():
                if data:
                    with cursor.cursor.copy(f"COPY {quote(table)} FROM STDIN") as into:
                        into.write(data)
            # check the copied rows' foreign keys now, in the module's transaction: left deferred, every
            # test would check them all again (Django checks constraints before a test's rollback, and
            # rolling back a savepoint makes the checks fired inside it pending again)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        for table, (columns, rows) in snapshot.tables.items():
            cursor.execute(f"DELETE FROM {quote(table)}")
            if rows:
                marks = ", ".join("%s" for _ in columns)
                names = ", ".join(quote(c) for c in columns)
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)


def demo_county() -> DemoContext:
    """Fill the database with the demo county (seed 3), in the caller's transaction if there is one, and
    return a fresh copy of its build context."""
    global _snapshot
    if _snapshot is None or set(_snapshot.tables) != set(_tables()):
        _snapshot = _take()
    with transaction.atomic():
        _restore(_snapshot)
    return copy.deepcopy(_snapshot.ctx)
