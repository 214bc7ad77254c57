"""The 检查对象名录库 at 10⁶ objects: imported through the register framework's Excel import, then (with
``--draw``) frozen and drawn from through the inspection plan's services.

Run: .venv/bin/python bench/pool_import.py [--rows 1000000] [--db sqlite|postgres] [--draw]
The database starts empty (SQLite in a temporary folder; PostgreSQL in a database fazhi_bench_pool made
anew). 检查对象 rows (valid 统一社会信用代码, 行业, 区域, 风险等级) are written to XLSX workbooks with
openpyxl's write-only mode, at most ``MAX_IMPORT_ROWS`` rows (10⁵) each, the most one file may hold,
and each is imported with ``fazhi.registers.excel.import_workbook``, as the page's and the CLI's import
job do: every row checked by the services, audit history written. The baseline, in the same run, is a bare
``bulk_create`` of the same rows as ready-made model instances (batch 5,000, one transaction). Printed:
rows per second of the import and its time divided by the baseline's (target ≤ 3), and the time to
write the workbooks (not counted). With ``--draw``, 10⁴ inspectors and 10⁵ 回避 conflicts are added
and a plan drawing 1,000 objects is frozen, its seed entered and drawn: each step's time is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "fazhi_bench_pool"

INDUSTRIES = [
    "餐饮服务",
    "食品销售",
    "药品零售",
    "建筑施工",
    "危险化学品",
    "特种设备",
    "娱乐场所",
    "道路运输",
]
REGIONS = ["城关镇", "长冈乡", "青山镇", "白石乡", "桃源镇", "柳溪乡"]
RISKS = ["低风险（A类）", "一般风险（B类）", "较高风险（C类）", "高风险（D类）"]


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
    from fazhi.inspections.credit_codes import make

    kinds = ["企业", "企业", "企业", "个体工商户", "其他组织"]
    return [
        [
            "城关市场监管所",
            f"青山第{i + 1}号经营户",
            make("92" if i % 5 == 3 else "91", "330102", i + 1),
            kinds[i % 5],
            INDUSTRIES[i % 8],
            REGIONS[(i // 8) % 6],
            RISKS[(i // 48) % 4],
            date(2020 + i % 5, 1 + i % 12, 1 + i % 28),
        ]
        for i in range(n)
    ]


def child(rows: int, draw_too: bool, profile: bool, draw_only: bool = False) -> None:
    """Runs inside one database (its environment is set): set up, import, baseline, print."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from openpyxl import Workbook

    from fazhi.indicators import summary
    from fazhi.inspections.models import InspectionObject
    from fazhi.inspections.registers import INSPECTION_OBJECTS
    from fazhi.org.models import Unit, UnitLevel, User, UserRole
    from fazhi.registers.excel import MAX_IMPORT_ROWS, header, import_workbook

    call_command("migrate", verbosity=0)
    county = Unit.objects.create(code="B", name="青山县", level=UnitLevel.COUNTY)
    office = Unit.objects.create(code="B-1", name="城关市场监管所", level=UnitLevel.OFFICE, parent=county)
    elsewhere = Unit.objects.create(code="B-2", name="基线单位", level=UnitLevel.OFFICE, parent=county)
    user = User.objects.create(username="bench", unit=county, role=UserRole.UNIT_ADMIN)
    summary.rebuild()  # kept figures maintained, as in production
    scope = [county.pk, office.pk]  # the baseline's unit is outside: what is imported sees none of its rows

    if draw_only:  # the pool written in bulk, not imported: only the plan's steps are timed
        InspectionObject.objects.bulk_create(_instances(office, _rows(rows)), batch_size=5000)
        _draw(county, office, user, rows)
        return

    fields = ["unit", "name", "credit_code", "kind", "industry", "region", "risk", "listed_on"]
    columns = {c.field: c for c in INSPECTION_OBJECTS.import_columns}
    headers = [header(INSPECTION_OBJECTS, columns[f]) for f in fields]
    cells = _rows(rows)
    started = time.perf_counter()
    books = []
    for start in range(0, rows, MAX_IMPORT_ROWS):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(INSPECTION_OBJECTS.label)
        sheet.append(headers)
        for row in cells[start : start + MAX_IMPORT_ROWS]:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        books.append(out.getvalue())
    written = time.perf_counter() - started

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    for n, data in enumerate(books, 1):
        if profiler:
            profiler.enable()
        import_workbook(INSPECTION_OBJECTS, data, f"名录{n}.xlsx", actor=user, scope_ids=scope)
        if profiler:
            profiler.disable()
    imported = time.perf_counter() - started
    assert InspectionObject.objects.filter(unit=office).count() == rows

    plain = _instances(elsewhere, cells)  # prepared before the clock starts
    started = time.perf_counter()
    with transaction.atomic():
        InspectionObject.objects.bulk_create(plain, batch_size=5000)
    baseline = time.perf_counter() - started
    print(
        f"{connection.vendor:10s} {rows:>8} 检查对象 in {len(books)} workbook(s) (written in {written:.0f} s)"
        f"  import {imported:6.1f} s = {rows / imported:6.0f} rows/s   bare bulk_create {baseline:5.1f} s"
        f"   ratio {imported / baseline:4.2f}  (target ≤ 3)"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        pstats.Stats(profiler).sort_stats("cumtime").print_stats(r"fazhi|openpyxl|bulk_create|full_clean", 15)
    if draw_too:
        _draw(county, office, user, rows)


def _instances(unit, cells: list[list]) -> list:
    """The baseline's ready-made model instances of the rows."""
    from fazhi.inspections.models import InspectionObject

    kinds = {"企业": "enterprise", "个体工商户": "individual", "其他组织": "other"}
    risks = dict(zip(RISKS, "ABCD", strict=True))
    return [
        InspectionObject(
            unit=unit,
            status="listed",
            name=r[1],
            credit_code=r[2],
            kind=kinds[r[3]],
            industry=r[4],
            region=r[5],
            risk=risks[r[6]],
            listed_on=r[7],
        )
        for r in cells
    ]


def _draw(county, office, user, rows: int) -> None:
    """Freeze and draw a plan over the imported pool: each service's time."""
    from django.db import connection

    from fazhi.inspections import services
    from fazhi.inspections.models import Conflict, InspectionObject, InspectionPlan, Inspector
    from fazhi.org.models import Person, User, UserRole

    people = Person.objects.bulk_create([Person(unit=office, name=f"检查员{i}") for i in range(10_000)])
    inspectors = Inspector.objects.bulk_create(
        [
            Inspector(
                unit=office,
                status="listed",
                certificate=f"浙33010{i:06d}",
                person=p,
                field="市场监管",
                listed_on=date(2020, 1, 1),
            )
            for i, p in enumerate(people)
        ],
        batch_size=5000,
    )
    codes = InspectionObject.objects.order_by("pk").values_list("credit_code", flat=True)[:rows:10]
    Conflict.objects.bulk_create(
        [Conflict(inspector=inspectors[i % len(inspectors)], credit_code=c) for i, c in enumerate(codes)],
        batch_size=5000,
    )
    second = User.objects.create(username="bench2", unit=county, role=UserRole.UNIT_ADMIN)
    scope = [office.pk]  # not the baseline's copy of the pool
    day = date(2025, 3, 3)
    plan = services.plan_create(
        InspectionPlan(unit=office, title="日常监督检查", year=2025, count=1000, by_industry=True,
                       by_region=True, by_risk=True, inspectors_per_object=2, drafted_on=day),
        actor=user, scope_ids=scope,
    )  # fmt: skip
    common = dict(actor=user, scope_ids=scope)
    times = {}
    started = time.perf_counter()
    plan = services.freeze(plan, version=plan.version, on=day, **common)
    times["freeze (read 名录, canonical texts, SHA-256, feasibility)"] = time.perf_counter() - started
    plan = services.announce_seed_source(
        plan, version=plan.version, on=day, source="双色球第2025030期", **common
    )
    plan = services.enter_seed(plan, version=plan.version, value="2025030", **common)
    plan = services.enter_seed(plan, actor=second, scope_ids=scope, version=plan.version, value="2025030")
    started = time.perf_counter()
    plan = services.draw_plan(InspectionPlan.objects.get(pk=plan.pk), version=plan.version, on=day, **common)
    times["draw_plan (read plan, check hashes, parse, draw, store)"] = time.perf_counter() - started
    started = time.perf_counter()
    assert services.verify(InspectionPlan.objects.get(pk=plan.pk)).consistent
    times["verify"] = time.perf_counter() - started
    for what, seconds in times.items():
        print(f"{connection.vendor:10s}   {what:58s} {seconds:6.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--draw", action="store_true", help="also freeze and draw a plan over the pool")
    parser.add_argument("--profile", action="store_true", help="print the import's top functions")
    parser.add_argument("--draw-only", action="store_true", help="write the pool in bulk, time only the plan")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows, args.draw, args.profile, args.draw_only)
        return 0
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, FAZHI_DATA_DIR=data_dir, FAZHI_DB_CONN_MAX_AGE="0")
        env.pop("DATABASE_URL", None)
        if args.db == "postgres":
            if not _postgres_ready():
                print("postgres   not reachable: skipped")
                return 0
            env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
        command = [sys.executable, __file__, "--child", "--rows", str(args.rows)]
        command += ["--draw"] * args.draw + ["--profile"] * args.profile + ["--draw-only"] * args.draw_only
        subprocess.run(command, env=env, cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
