"""Excel import of a register at 10⁵ rows, on SQLite and (when reachable) PostgreSQL.

Run: .venv/bin/python bench/register_import.py [--rows 100000] [--db sqlite|postgres|both]
Each database starts empty (SQLite in a temporary folder, PostgreSQL in a database fazhi_bench_import made
anew). A workbook of 合法性审查 rows is written (about 40% already issued, so their steps are replayed),
then imported through ``fazhi.registers.excel.import_workbook`` — every row checked by the services, the
audit history, the timelines and the kept figures written — and, as the baseline in the same run, the same
rows as ready-made model objects are written with a bare ``bulk_create`` in one transaction. Printed:
rows per second of the import (target ≥ 5,000) and its time divided by the baseline's (target ≤ 3).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "fazhi_bench_import"


def _postgres_ready() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'drop database if exists "{PG_NAME}" with (force)')
            conn.execute(f'create database "{PG_NAME}"')
        return True
    except Exception:
        return False


def _rows(n: int) -> list[list]:
    """The cells of ``n`` rows: a county's years of reviews, a share already accepted and issued."""
    kinds = ["规范性文件", "重大行政决策", "行政协议", "重大执法决定", "其他"]
    rows = []
    start = date(2016, 1, 4)
    for i in range(n):
        submitted = start + timedelta(days=i * 3000 // n)
        row = ["长冈乡司法所", f"长冈审〔{submitted.year}〕{i + 1}号", f"关于第{i + 1}项事项的送审稿",
               kinds[i % 5], "乡政府办公室", submitted, None, None, None, None, "已送审"]  # fmt: skip
        if i % 5 in (0, 1):
            row[6:11] = [
                submitted + timedelta(days=1),
                "李审查",
                "合法",
                submitted + timedelta(days=10),
                "已出具意见",
            ]
        rows.append(row)
    return rows


HEADERS = ["所属单位", "审查编号", "送审事项", "事项类型", "送审单位", "送审日期", "受理日期", "审查人员",
           "审查结论", "出具意见日期", "状态"]  # fmt: skip


def child(rows: int) -> None:
    """Runs inside one database (its environment is set): set up, import, baseline, print."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from openpyxl import Workbook

    from fazhi.decisions.models import LegalityReview
    from fazhi.decisions.registers import LEGALITY_REVIEWS
    from fazhi.indicators import summary
    from fazhi.org.models import Person, Unit, UnitLevel, User, UserRole
    from fazhi.registers.excel import import_workbook

    call_command("migrate", verbosity=0)
    county = Unit.objects.create(code="B", name="青山县", level=UnitLevel.COUNTY)
    office = Unit.objects.create(code="B-1", name="长冈乡司法所", level=UnitLevel.OFFICE, parent=county)
    Person.objects.create(unit=office, name="李审查")
    user = User.objects.create(username="bench", unit=county, role=UserRole.UNIT_ADMIN)
    summary.rebuild()  # kept figures maintained, as in production

    cells = _rows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("合法性审查")
    sheet.append(HEADERS)
    for row in cells:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    scope = [county.pk, office.pk]

    started = time.perf_counter()
    items = import_workbook(LEGALITY_REVIEWS, data, "bench.xlsx", actor=user, scope_ids=scope)
    imported = time.perf_counter() - started
    assert len(items) == rows and LegalityReview.objects.count() == rows

    reviewer = Person.objects.get()
    plain = [
        LegalityReview(
            unit=office,
            number=f"基线{r[1]}",
            title=r[2],
            kind="other",
            submitter=r[4],
            submitted_on=r[5],
            accepted_on=r[6],
            reviewer=reviewer if r[7] else None,
            opinion="lawful" if r[8] else "",
            opinion_on=r[9],
            status="issued" if r[9] else "submitted",
        )
        for r in cells
    ]
    started = time.perf_counter()
    with transaction.atomic():
        LegalityReview.objects.bulk_create(plain, batch_size=1000)
    baseline = time.perf_counter() - started
    print(
        f"{connection.vendor:10s} {rows:>7} rows  import {imported:6.1f} s = {rows / imported:7.0f} rows/s"
        f"  (target ≥ 5000)   bare bulk_create {baseline:5.1f} s   ratio {imported / baseline:4.2f}"
        f"  (target ≤ 3)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows)
        return 0
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in databases:
        with tempfile.TemporaryDirectory() as data_dir:
            env = dict(os.environ, FAZHI_DATA_DIR=data_dir, FAZHI_DB_CONN_MAX_AGE="0")
            env.pop("DATABASE_URL", None)
            if db == "postgres":
                if not _postgres_ready():
                    print("postgres   not reachable: skipped")
                    continue
                env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
            command = [sys.executable, __file__, "--child", "--rows", str(args.rows)]
            subprocess.run(command, env=env, cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
