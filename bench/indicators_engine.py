"""Indicator engine and dashboard at 10⁶ register rows, on SQLite and (when reachable) PostgreSQL.

Run: .venv/bin/python bench/indicators_engine.py [--scale 27] [--db sqlite|postgres|both]
The demo database is built once per scale with `fazhi demo --scale N` (SQLite under var/bench/, PostgreSQL
in a database fazhi_bench_N) and reused. Printed per database:
- every indicator with a register, computed by the engine for the top unit and every 乡镇 for one year,
  against one hand-written SQL GROUP BY over the largest register table in the same run (target ratio ≤ 3);
- the dashboard page: the first (uncached) request, and the median of the next 20 (target ≤ 300 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def _env(db: str, scale: int) -> dict[str, str]:
    env = dict(os.environ, FAZHI_ALLOWED_HOSTS="testserver,localhost,127.0.0.1")
    env["FAZHI_DATA_DIR"] = str(ROOT / "var" / "bench" / f"scale-{scale}")
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/fazhi_bench_{scale}"
    else:
        env.pop("DATABASE_URL", None)
    return env


def _postgres_ready(scale: int) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            name = f"fazhi_bench_{scale}"
            if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
                conn.execute(f'create database "{name}"')
        return True
    except psycopg.OperationalError:
        return False


def ensure_data(db: str, scale: int, seed: int) -> None:
    env = _env(db, scale)
    Path(env["FAZHI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "fazhi"), "demo", "--scale", str(scale), "--seed", str(seed), "--if-empty"],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"{db}: fazhi demo failed:\n{result.stderr}")
    if "跳过" not in result.stdout:
        print(
            f"[{db}] 已生成演示数据（{time.perf_counter() - started:.0f} s）：{result.stdout.splitlines()[0]}"
        )


def measure(db: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from fazhi.indicators import summary
    from fazhi.indicators.engine import compute
    from fazhi.indicators.formulas import DEFINITIONS
    from fazhi.indicators.models import DataVersion, UnitFigures
    from fazhi.org.models import Unit, UnitLevel, User

    if not (summary.is_ready() and UnitFigures.objects.exists()):
        started = time.perf_counter()
        rows = summary.rebuild()
        print(f"[{db}] 建立各单位年度指标汇总：{rows:,}行，{time.perf_counter() - started:.1f} s")
    tables = {part.model for d in DEFINITIONS.values() for part in d.parts()}
    sizes = {model: model.objects.count() for model in tables}
    largest = max(sizes, key=sizes.__getitem__)
    year = timezone.localdate().year
    root = Unit.objects.get(parent__isnull=True)
    townships = list(Unit.objects.filter(level=UnitLevel.TOWNSHIP).values_list("pk", flat=True))
    print(
        f"[{db}] 台账行数：{sum(sizes.values()):,}（最大表 {largest._meta.db_table}：{sizes[largest]:,}），"
        f"单位 {Unit.objects.count():,}，乡镇 {len(townships)}"
    )

    def best(fn, repeat=3) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return min(times)

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT unit_id, COUNT(*) FROM {largest._meta.db_table} GROUP BY unit_id")
            cursor.fetchall()

    def engine():
        figures = compute(root, year, units=[root.pk, *townships])
        assert len(figures) == 1 + len(townships)

    def scan():  # the same figures counted from the register tables, without the kept per-unit figures
        DataVersion.objects.filter(pk=1).update(figures_ready=False)
        try:
            engine()
        finally:
            DataVersion.objects.filter(pk=1).update(figures_ready=True)

    base = best(baseline)
    took = best(engine)
    scanned = best(scan)
    print(
        f"[{db}] 引擎：{len(DEFINITIONS)}项指标 × （顶层单位 + {len(townships)}个乡镇）{took * 1000:.0f} ms；"
        f"基线（一条 GROUP BY）{base * 1000:.0f} ms；比值 {took / base:.2f}（目标 ≤ 3）"
    )
    print(f"[{db}] （对照：不用汇总、直接扫描台账表 {scanned * 1000:.0f} ms，比值 {scanned / base:.2f}）")

    for username in ("admin", "yfzx"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        started = time.perf_counter()
        assert client.get("/").status_code == 200
        first = time.perf_counter() - started
        times = []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get("/")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        median = statistics.median(times) * 1000
        print(
            f"[{db}] 工作台（{username}）：首次 {first * 1000:.0f} ms，"
            f"其后20次中位数 {median:.0f} ms（目标 ≤ 300 ms）"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=int, default=27, help="演示县个数（27 个约 10⁶ 行台账，约六成为执法案件）"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--measure", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in databases:
        if db == "postgres" and not _postgres_ready(args.scale):
            print("[postgres] 无法连接 PostgreSQL（127.0.0.1:5432），跳过")
            continue
        ensure_data(db, args.scale, args.seed)
        subprocess.run(
            [sys.executable, __file__, "--measure", db, "--scale", str(args.scale)],
            env=_env(db, args.scale),
            check=True,
        )


if __name__ == "__main__":
    main()
