"""The ``fazhi`` command. 法治政府建设管理系统命令行。

Exit status: 0 success, 2 bad input (a one-line Chinese + English reason on stderr), 1 failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path


class BadInput(Exception):
    """Bad input from the user: exit status 2."""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()


def _iso(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{value}”不是 ISO 日期（如 2024-02-08） / not an ISO date"
        ) from None


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# -- serve ------------------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from waitress import serve

    from fazhi.wsgi import application

    if not any(prefix == "vendor/bootstrap" for prefix, _ in settings.STATICFILES_DIRS):
        print(
            "警告：未找到前端库（node_modules），页面将没有样式；请先运行 make setup。"
            " / front-end assets missing",
            file=sys.stderr,
        )
    db = settings.DATABASES["default"]
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    print(f"法治政府建设管理系统已启动：http://{args.host}:{args.port}/  （数据库：{engine} {db['NAME']}）")
    print("按 Ctrl+C 停止。/ Press Ctrl+C to stop.")
    worker = None
    if args.with_worker:
        _serve_signals()
        worker = _WorkerBeside()
    try:
        serve(application, host=args.host, port=args.port, threads=8, ident="fazhi")
    finally:
        if worker is not None:
            worker.stop()
    return 0


class _WorkerBeside:
    """`fazhi worker` as a child of `fazhi serve --with-worker`: restarted if it dies (after a pause),
    stopped when the server stops (Ctrl+C, SIGTERM), and sent SIGTERM by the kernel if the server dies
    without stopping it (Linux)."""

    RESTART_PAUSE = 5.0

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()
        self.stopping = False
        self.process = self._spawn()
        threading.Thread(target=self._watch, name="worker-watch", daemon=True).start()

    @staticmethod
    def _spawn():
        import signal
        import subprocess

        def die_with_parent() -> None:  # runs in the child before exec
            try:
                import ctypes

                ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
            except OSError:
                pass

        process = subprocess.Popen([sys.executable, "-m", "fazhi.cli", "worker"], preexec_fn=die_with_parent)
        print(f"后台任务进程已启动（进程号 {process.pid}）。/ background worker started", flush=True)
        return process

    def _watch(self) -> None:
        while True:
            code = self.process.wait()
            if self.stopping:
                return
            print(
                f"后台任务进程意外退出（退出码 {code}），{self.RESTART_PAUSE:.0f} 秒后重新启动。"
                " / worker exited, restarting",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(self.RESTART_PAUSE)
            with self.lock:
                if self.stopping:
                    return
                self.process = self._spawn()

    def stop(self) -> None:
        import subprocess

        with self.lock:
            self.stopping = True
            process = self.process
        if process.poll() is None:
            process.terminate()  # the worker finishes the task it is running, then exits
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _serve_signals() -> None:
    """SIGTERM to the server leaves serve() as Ctrl+C does, so the worker beside it is stopped too."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


# -- background work --------------------------------------------------------------------------------
def cmd_worker(args: argparse.Namespace) -> int:
    """Run the queued tasks: django-tasks-db's worker on the database queue, or an RQ worker when
    REDIS_URL is set. Stops on Ctrl+C/SIGTERM after the task it is running."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.REDIS_URL:
        print("后台任务进程（RQ，Redis 队列）已启动。/ RQ worker started")
        options = {"job_class": "django_tasks_rq.Job", "burst": args.batch, "verbosity": 1}
        call_command("rqworker", "default", **options)
    else:
        print("后台任务进程（数据库队列）已启动。/ database worker started")
        call_command(
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            *(["--batch"] if args.batch else []),
            interval=args.interval,
            verbosity=1,
        )
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    from fazhi.jobs.console import follow, outcome
    from fazhi.jobs.models import Job, JobState
    from fazhi.jobs.services import prune

    if args.action == "prune":
        removed = prune(days=args.days)
        print(
            f"已清理{args.days}天前的后台任务{removed['jobs']}个、未处理的上传文件{removed['staged']}个、"
            f"队列记录{removed['results']}条。"
        )
        return 0
    if not Job.objects.filter(pk=args.id).exists():
        raise BadInput(f"没有编号为{args.id}的后台任务 / no such job")
    job = follow(args.id, timeout=args.timeout)
    print(outcome(job))
    if job.state == JobState.FAILED:
        return 1
    return 0 if job.finished else 3


# -- demo -------------------------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    from fazhi.core.demo import DemoError, build_demo, database_is_empty

    if args.if_empty and not database_is_empty():
        print("数据库已有数据，跳过演示数据。/ Database not empty; demo skipped.")
        return 0
    try:
        ctx = build_demo(scale=args.scale, seed=args.seed, reset=args.reset)
    except DemoError as exc:
        raise BadInput(str(exc)) from exc
    print("演示数据已生成 / demo data created: " + "，".join(f"{k} {v}" for k, v in sorted(ctx.rows.items())))
    print("演示账号（用户名 / 密码）：")
    for username, password, note in ctx.logins:
        print(f"  {username:<10} / {password}    {note}")
    return 0


# -- workdays ---------------------------------------------------------------------------------------
def cmd_workdays(args: argparse.Namespace) -> int:
    from fazhi.workdays import services
    from fazhi.workdays.calendar import DayKind, UnknownScheduleError
    from fazhi.workdays.schedules import ScheduleFormatError, parse_schedule_json

    try:
        if args.action == "add":
            print(services.add_workdays(args.date, args.n).isoformat())
        elif args.action == "between":
            print(services.workdays_between(args.date1, args.date2))
        elif args.action == "due":
            kind = DayKind.WORKDAY if args.working else DayKind(args.unit)
            print(services.period_end(args.date, args.n, kind).isoformat())
        elif args.action == "is":
            print("工作日 workday" if services.is_workday(args.date) else "休息日 rest day")
        elif args.action == "years":
            for y in services.known_years():
                origin = "载入" if y.loaded else "软件包"
                print(f"{y.year}\t放假{y.holidays}天\t调休上班{y.makeup_workdays}天\t{origin}\t{y.source}")
        elif args.action == "load":
            path = Path(args.file)
            if not path.is_file():
                raise BadInput(f"文件不存在：{path} / file not found")
            try:
                schedules = parse_schedule_json(path.read_text(encoding="utf-8"))
            except (ScheduleFormatError, UnicodeDecodeError) as exc:
                raise BadInput(f"{path}：{exc} / invalid schedule file") from exc
            for schedule in schedules:
                services.schedule_load(schedule)
                print(
                    f"已载入{schedule.year}年：放假{len(schedule.holidays)}天，调休上班{len(schedule.makeup_workdays)}天"
                )
    except UnknownScheduleError as exc:
        raise BadInput(str(exc)) from exc
    return 0


# -- rules ------------------------------------------------------------------------------------------
def cmd_rules(args: argparse.Namespace) -> int:
    from fazhi.rules.catalogue import CatalogueError, national_rule, national_rules
    from fazhi.rules.services import deadline
    from fazhi.workdays.calendar import UnknownScheduleError

    if args.action == "list":
        rules = national_rules()
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            **r.__dict__,
                            "kind": r.kind.value,
                            "valid_from": str(r.valid_from or ""),
                            "valid_to": str(r.valid_to or ""),
                        }
                        for r in rules
                    ],
                    ensure_ascii=False,
                    indent=1,
                )
            )
        else:
            for r in rules:
                print(f"{r.code}\t{r.display_value}\t{r.name}\t{r.source}")
        return 0
    try:
        rule = national_rule(args.code, args.date)
        end = deadline(args.code, args.date)
    except (CatalogueError, ValueError, UnknownScheduleError) as exc:
        raise BadInput(str(exc)) from exc
    print(
        f"{end.isoformat()}\t{rule.name}：自{args.date.isoformat()}起{rule.value}{rule.unit}（{rule.source}）"
    )
    return 0


# -- analyze ----------------------------------------------------------------------------------------
def cmd_analyze(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from fazhi.reports.analyzer.batch import analyze_files, default_jobs, report_files
    from fazhi.reports.analyzer.summary import summary_text
    from fazhi.reports.analyzer.table import comparison_table, table_source, write_table

    paths = [Path(p) for p in args.files]
    if missing := [str(p) for p in paths if not p.exists()]:
        raise BadInput(f"文件不存在：{'、'.join(missing)} / file not found")
    if args.table and Path(args.table).suffix.lower() not in {".csv", ".xlsx"}:
        raise BadInput(f"对照表只能保存为 .csv 或 .xlsx：{args.table} / table must be .csv or .xlsx")
    if args.jobs is not None and args.jobs < 1:
        raise BadInput("--jobs 至少为 1 / --jobs must be at least 1")
    files = report_files(paths)
    if not files:
        raise BadInput("所给文件夹中没有 txt、docx、doc、wps、pdf 或 html 报告 / no report files found")
    batch = len(files) > 1
    against = _against(args.against) if args.against else None
    jobs = args.jobs or default_jobs()
    # Each result is written out as it comes and only a small copy is kept for the table, so memory
    # stays flat however many files a batch has.
    kept: list[dict] = []
    errors: list[str] = []
    results = analyze_files(files, jobs=jobs if batch else 1)
    for n, result in enumerate(
        tqdm(results, total=len(files), desc="分析报告", unit="份", disable=not batch or None)
    ):
        if against is not None and "error" not in result:
            # one report's cross-check failing is that report's note, not the batch's failure
            try:
                result["against"] = [d.as_dict() for d in against(result)]
            except Exception as exc:
                result["against_error"] = f"与台账核对出错（{type(exc).__name__}）"
        if "error" in result:
            errors.append(result["error"])
        if args.json:  # written piece by piece: a report of 10 MB is never one string of its JSON
            sys.stdout.write("[\n" if n == 0 else ",\n")
            json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        else:
            print(("" if n == 0 else "\n\n") + summary_text(result), end="")
        if args.table:
            kept.append(table_source(result))
    print("\n]" if args.json else "")
    if args.table:
        table = comparison_table(kept)
        write_table(Path(args.table), table)
        print(
            f"对照表已保存：{args.table}（{len(table.rows)}项指标 × {len(table.reports)}份报告）",
            file=sys.stderr,
        )
    for error in errors:
        print(f"错误：{error}", file=sys.stderr)
    return 2 if errors else 0


# -- registers: import / export --------------------------------------------------------------------
def _register_scope(args: argparse.Namespace):
    from fazhi.org.models import Unit, User
    from fazhi.org.selectors import subtree_ids, visible_unit_ids
    from fazhi.registers.spec import REGISTRY

    if args.register not in REGISTRY:
        raise BadInput(f"没有台账“{args.register}”；可用：{'、'.join(sorted(REGISTRY))} / unknown register")
    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None:
        raise BadInput(f"用户“{args.user}”不存在或已停用 / unknown user")
    visible = set(visible_unit_ids(user))
    scope = sorted(visible)
    if args.unit:
        unit = Unit.objects.filter(code=args.unit).first()
        if unit is None or unit.pk not in visible:
            raise BadInput(
                f"单位代码“{args.unit}”不存在或不在用户{user.username}的权限范围内 / unit not in scope"
            )
        scope = [pk for pk in subtree_ids(unit) if pk in visible]
    return REGISTRY[args.register], user, scope


def cmd_import(args: argparse.Namespace) -> int:
    """Import through the same task the web page queues, run here with a progress bar."""
    from fazhi.jobs.console import run_with_progress
    from fazhi.jobs.files import stage
    from fazhi.jobs.models import JobState
    from fazhi.org.models import Unit
    from fazhi.registers.tasks import import_register

    spec, user, _ = _register_scope(args)  # checks the register, the user and --unit
    path = Path(args.file)
    if not path.is_file():
        raise BadInput(f"文件不存在：{path} / file not found")
    from fazhi.org.selectors import root_units_of

    # the --unit given, else the user's own (a system administrator without one: the top of the tree)
    unit = Unit.objects.get(code=args.unit) if args.unit else (user.unit or root_units_of(user).first())
    if unit is None:
        raise BadInput("没有可导入的单位 / no unit to import into")
    job = run_with_progress(
        import_register, actor=user, unit=unit, title=f"导入{spec.label}", register=spec.key,
        path=stage(path.read_bytes(), path.name), name=path.name, unit_id=unit.pk,
    )  # fmt: skip
    if job.state != JobState.DONE:
        print(job.error, file=sys.stderr)
        return 2
    print(job.message)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from fazhi.registers.excel import export_bytes
    from fazhi.registers.selectors import ListFilters, items_for_export

    spec, user, scope = _register_scope(args)
    items = list(items_for_export(spec, scope, ListFilters(year=args.year)))
    out = Path(args.out or f"{args.register}.xlsx")
    out.write_bytes(export_bytes(spec, items, user))  # personal data as this user may see it
    print(f"已导出{len(items)}条{spec.item_label}：{out}")
    return 0


# -- indicators -------------------------------------------------------------------------------------
def cmd_indicators(args: argparse.Namespace) -> int:
    from fazhi.core.formats import plain_number
    from fazhi.indicators.catalogue import indicators
    from fazhi.indicators.engine import compute

    if args.rebuild:  # a system job, run here with a progress bar or (--background) by the worker
        from fazhi.indicators.tasks import rebuild_figures
        from fazhi.jobs.console import outcome, queue_and_follow, run_with_progress
        from fazhi.jobs.models import JobState

        started = time.perf_counter()
        run = queue_and_follow if args.background else run_with_progress
        job = run(rebuild_figures, actor=None, unit=None, title="重建各单位年度指标汇总")
        if job.state != JobState.DONE:
            print(outcome(job), file=sys.stderr)
            return 1
        print(f"{job.message}（{time.perf_counter() - started:.1f} 秒）")
        if not args.unit:
            return 0
    if not args.year:
        raise BadInput("请给出 --year（或只用 --rebuild）/ --year is required")
    unit = _unit(args.unit)
    figures = compute(unit, args.year, units=[unit.pk])[unit.pk]
    if args.json:
        print(json.dumps({k: v.as_dict() for k, v in figures.items()}, ensure_ascii=False, indent=1))
        return 0
    catalogue = indicators()
    print(f"{unit.name}{args.year}年（含下级单位）")
    for indicator_id, value in figures.items():
        info = catalogue[indicator_id]
        shown = "—" if value.value is None else f"{plain_number(value.value)}{info.unit}"
        parts = f"（{value.numerator}/{value.denominator}）" if value.denominator is not None else ""
        print(f"  {info.name}：{shown}{parts}")
    return 0


def _unit(code: str | None):
    """The unit of ``--unit CODE``; without it, the top of the unit tree (when there is one top)."""
    from fazhi.org.models import Unit

    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise BadInput(f"单位代码“{code}”不存在 / unknown unit code")
        return unit
    tops = list(Unit.objects.filter(parent__isnull=True).order_by("code")[:2])
    if len(tops) != 1:
        raise BadInput("数据库中有多个顶层单位，请用 --unit 指定单位代码 / several top units: give --unit")
    return tops[0]


# -- annual report ----------------------------------------------------------------------------------
def cmd_report(args: argparse.Namespace) -> int:
    from fazhi.org.models import User
    from fazhi.org.selectors import subtree_ids, visible_unit_ids
    from fazhi.reports.builder import draft_report
    from fazhi.reports.docx_render import render_docx

    unit = _unit(args.unit)
    user = User.objects.filter(username=args.user, is_active=True).first()
    if user is None or unit.pk not in set(visible_unit_ids(user)):
        raise BadInput(f"用户“{args.user}”不存在或无权访问单位{args.unit} / user cannot see this unit")
    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        raise BadInput(f"输出文件应为 .docx：{out} / output must be .docx")
    report = draft_report(unit, args.year, actor=user, unit_ids=subtree_ids(unit))
    out.write_bytes(render_docx(report))
    print(f"已生成《{report.title}》：{out}")
    return 0


def _against(spec: str):
    """UNIT:YEAR → a function giving an analysis result's figures next to the registers'."""
    from fazhi.org.models import Unit
    from fazhi.reports.crosscheck import against_registers

    code, _, year = spec.partition(":")
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not year.isdigit():
        raise BadInput(
            f"--against 应写作 单位代码:年度（如 410100:2024），且单位须存在：{spec} / bad --against"
        )
    return lambda result: against_registers(result, unit, int(year))


# -- backup / restore -------------------------------------------------------------------------------
def cmd_backup(args: argparse.Namespace) -> int:
    from fazhi.core.backup import BackupError, backup

    started = time.perf_counter()
    try:
        result = backup(Path(args.file))
    except BackupError as exc:
        raise BadInput(str(exc)) from exc
    size = result.path.stat().st_size / 1e6
    print(
        f"已备份：{result.path}（{size:.1f} MB，{result.summary}，{time.perf_counter() - started:.1f} 秒）。"
        "备份文件含密钥，请妥善保管。"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from fazhi.core.backup import BackupError, restore

    try:
        result = restore(Path(args.file), force=args.force)
    except BackupError as exc:
        raise BadInput(str(exc)) from exc
    _migrate()  # a backup of an older version is brought up to this one
    print(
        f"已恢复：{result.path}（{result.summary}，备份时间 {result.manifest.created_at}），"
        "每张表和每个文件的校验值均与备份一致。请重新启动网页服务。"
    )
    return 0


# -- draw (双随机) ----------------------------------------------------------------------------------
def cmd_draw(args: argparse.Namespace) -> int:
    """Re-derive a 抽查计划's draw from its frozen pools (checked against the published SHA-256) and seed."""
    from fazhi.inspections.models import InspectionPlan
    from fazhi.inspections.services import verify

    plan = InspectionPlan.objects.filter(pk=args.plan).first()
    if plan is None:
        raise BadInput(f"没有编号为{args.plan}的抽查计划 / no such plan")
    report = verify(plan)
    print(f"抽查计划{plan.pk}：{plan}")
    for line in report.lines:
        print(f"  {line}")
    print(f"核验结果：{report.verdict} / {'consistent' if report.consistent else 'NOT consistent'}")
    return 0 if report.consistent else 1


# -- manage -----------------------------------------------------------------------------------------
def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fazhi manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fazhi",
        description="法治政府建设管理系统：台账、期限、指标、年度报告与报告分析。"
        " Fazhi: registers, deadlines, indicators, annual reports and report analysis.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令/command")

    p = sub.add_parser("serve", help="迁移数据库并启动网页服务 / migrate and serve the web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--with-worker",
        action="store_true",
        help="同时启动后台任务进程（随网页服务停止）/ also run a background worker",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="运行后台任务进程 / run the background task worker")
    p.add_argument(
        "--batch", action="store_true", help="处理完队列中的任务后退出 / exit when the queue is empty"
    )
    p.add_argument("--interval", type=float, default=1.0, help="队列为空时的检查间隔（秒）/ poll interval")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("jobs", help="后台任务 / background jobs")
    jsub = p.add_subparsers(dest="action", required=True)
    j = jsub.add_parser("wait", help="显示任务进度直到结束 / follow a job until it ends")
    j.add_argument("id", type=int)
    j.add_argument("--timeout", type=float, help="最多等待的秒数 / give up after this many seconds")
    j = jsub.add_parser("prune", help="清理已结束的旧任务及其文件 / delete old finished jobs and their files")
    j.add_argument("--days", type=int, default=90, help="保留天数（默认90）/ keep this many days")
    p.set_defaults(func=cmd_jobs)

    p = sub.add_parser("demo", help="生成演示县数据 / fill the database with a demo county")
    p.add_argument("--scale", type=int, default=1, help="规模倍数（县的个数）/ number of demo counties")
    p.add_argument("--seed", type=int, default=2024, help="随机种子，同一种子结果相同 / random seed")
    p.add_argument("--reset", action="store_true", help="清空现有数据后重建 / wipe the database first")
    p.add_argument(
        "--if-empty", action="store_true", help="仅在数据库为空时生成 / only when the database is empty"
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("workdays", help="工作日计算 / working-day arithmetic")
    wsub = p.add_subparsers(dest="action", required=True)
    w = wsub.add_parser("add", help="DATE 之后第 N 个工作日 / the N-th working day after DATE")
    w.add_argument("date", type=_iso)
    w.add_argument("n", type=int)
    w = wsub.add_parser("between", help="DATE1 之后至 DATE2（含）的工作日数 / working days in (DATE1, DATE2]")
    w.add_argument("date1", type=_iso)
    w.add_argument("date2", type=_iso)
    w = wsub.add_parser("due", help="自 DATE 次日起算 N 日（或工作日）的期满日 / last day of a period")
    w.add_argument("date", type=_iso)
    w.add_argument("n", type=int)
    w.add_argument("--working", action="store_true", help="按工作日计算 / count working days")
    w.add_argument("--unit", choices=["日", "月", "年"], default="日", help="期间单位 / period unit")
    w = wsub.add_parser("is", help="DATE 是否为工作日 / is DATE a working day")
    w.add_argument("date", type=_iso)
    wsub.add_parser("years", help="已知节假日安排的年份 / years with a known schedule")
    w = wsub.add_parser("load", help="载入某年节假日安排（JSON）/ load a year's schedule")
    w.add_argument("file")
    p.set_defaults(func=cmd_workdays)

    p = sub.add_parser("rules", help="规则目录 / the rules catalogue")
    rsub = p.add_subparsers(dest="action", required=True)
    r = rsub.add_parser("list", help="列出全国默认规则 / list national rules")
    r.add_argument("--json", action="store_true")
    r = rsub.add_parser("deadline", help="按规则计算期满日 / deadline of rule CODE from DATE")
    r.add_argument("code")
    r.add_argument("date", type=_iso)
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("analyze", help="分析法治政府建设年度报告 / analyze annual reports")
    p.add_argument("files", nargs="+", metavar="FILE", help="报告文件或文件夹（txt/docx/pdf/html）")
    p.add_argument("--json", action="store_true", help="输出 JSON（每份报告一个对象）/ JSON output")
    p.add_argument("--table", metavar="OUT", help="保存指标×报告对照表（.csv 或 .xlsx）/ comparison table")
    p.add_argument(
        "--against",
        metavar="UNIT:YEAR",
        help="与台账核对：单位代码:年度，如 410100:2024 / check against registers",
    )
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="同时分析的进程数（默认：本机可用的核数）/ worker processes for a batch (default: all cores)",
    )
    p.set_defaults(func=cmd_analyze)

    for name, func, text in (
        ("import", cmd_import, "从 Excel 导入台账（全部无误才导入）/ import a register from Excel"),
        ("export", cmd_export, "导出台账为 Excel / export a register to Excel"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("register", help="台账代码，如 legality-reviews、normative-documents")
        if name == "import":
            p.add_argument("file", help="填好的导入模板（.xlsx）")
        else:
            p.add_argument("--out", help="输出文件（默认 台账代码.xlsx）")
            p.add_argument("--year", type=int, help="只导出该年度")
        p.add_argument("--user", required=True, help="操作用户（记入审计，并决定可见单位）")
        p.add_argument("--unit", help="只限该单位（代码）及其下级")
        p.set_defaults(func=func)

    p = sub.add_parser("indicators", help="计算某单位某年度的指标 / indicators of a unit and year")
    p.add_argument("--unit", help="单位代码（含下级单位；默认顶层单位）")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true", help="输出 {指标: {value, numerator, denominator, unit}}")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="由台账重建各单位年度汇总（批量写入数据库后）/ rebuild kept figures",
    )
    p.add_argument(
        "--background",
        action="store_true",
        help="与 --rebuild 同用：交给后台任务进程并显示进度 / queue the rebuild for the worker and follow it",
    )
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("report", help="由台账生成年度报告并输出公文格式 DOCX / build the annual report")
    p.add_argument("--unit", help="单位代码（默认顶层单位）")
    p.add_argument("--year", type=int, required=True, help="报告年度")
    p.add_argument("--out", required=True, help="输出文件（.docx）")
    p.add_argument("--user", default="admin", help="起草人（记入审计，须能访问该单位；默认 admin）")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("backup", help="备份数据库、上传文件和密钥到一个文件 / back up to one file")
    p.add_argument("file", help="备份文件（.tar.gz），含密钥，须妥善保管")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="由备份文件恢复（先校验）/ restore a backup (verified)")
    p.add_argument("file", help="fazhi backup 生成的备份文件")
    p.add_argument("--force", action="store_true", help="覆盖已有数据的数据库 / overwrite existing data")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("draw", help="双随机抽查 / random inspection draws")
    dsub = p.add_subparsers(dest="draw_command", required=True)
    d = dsub.add_parser("verify", help="由公布的名录摘要和种子重新抽取并比对 / re-derive and compare a draw")
    d.add_argument("plan", type=int, help="抽查计划编号 / plan id")
    p.set_defaults(func=cmd_draw)

    p = sub.add_parser("manage", help="Django 管理命令（系统管理员用）/ Django management commands")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    _setup_django()
    try:
        # the worker leaves migrations to `fazhi serve` (two processes migrating at once would collide)
        if args.func not in (cmd_manage, cmd_worker) and not (args.func is cmd_analyze and not args.against):
            _migrate()
        return args.func(args)
    except BadInput as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"失败：{exc} / failed", file=sys.stderr)
        if os.environ.get("FAZHI_DEBUG") == "1":
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
