"""Load on the web server: does it scale to the machine's cores, and do writers ever hit a lock timeout?

Run: .venv/bin/python bench/load.py [--db sqlite|postgres|both] [--server gunicorn|waitress|both]
     [--seconds 15]
Loopback only (127.0.0.1), bounded in time: every phase stops by itself. For each database and server:
the demo county is built in a fresh database, the server is started with the settings recommended for
production (gunicorn: one process per core, 4 threads each; waitress as `fazhi serve` runs it, for
comparison), and logged-in users read the pages clerks open most (dashboard, register lists, a detail
page) while writers register 合法性审查 through the web form.
Printed: the single-user rate; the throughput under 50 concurrent readers as a ratio of that rate times the
cores (target ≥ 0.8: the server scales to the machine); p50/p95 latency; and with 10 writers beside 20
readers, how many writes failed (a lock timeout shows as a 500; target 0).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
HOST, PORT = "127.0.0.1", 8765
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "fazhi_bench_load"
PASSWORD = "fazhi@2024"
RUN = time.strftime("%H%M%S")  # numbers of this run's writes never repeat an earlier run's
READ_PATHS = [
    "/",
    "/registers/legality-reviews/",
    "/registers/normative-documents/",
    "/registers/power-items/",
]


class Session:
    """One logged-in user on a keep-alive connection."""

    def __init__(self, username: str):
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        self.cookies: dict[str, str] = {}
        page = self.get("/login/")[1]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.post(
            "/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        if status != 302:
            raise RuntimeError(f"login of {username} failed: {status}")

    def _headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, "Referer": f"http://{HOST}:{PORT}/", "Host": f"{HOST}:{PORT}"}

    def _read(self) -> tuple[int, str]:
        response = self.conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")

    def _request(self, method: str, path: str, body: str | None, headers: dict[str, str]) -> tuple[int, str]:
        for attempt in (1, 2):  # a keep-alive connection the server closed while idle: open a new one
            try:
                self.conn.request(method, path, body=body, headers=headers)
                return self._read()
            except (http.client.RemoteDisconnected, ConnectionError, http.client.CannotSendRequest):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple[int, str]:
        return self._request("GET", path, None, self._headers())

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        headers = self._headers() | {"Content-Type": "application/x-www-form-urlencoded"}
        return self._request("POST", path, urllib.parse.urlencode(data), headers)


def _read_loop(session: Session, until: float, latencies: list[float], errors: list[int], n: int) -> None:
    i = n
    while time.perf_counter() < until:
        path = READ_PATHS[i % len(READ_PATHS)]
        started = time.perf_counter()
        status, _ = session.get(path)
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors.append(status)
        i += 1


def _write_loop(session: Session, until: float, n: int, done: list[int], failed: list[str]) -> None:
    page = session.get("/registers/legality-reviews/new/")[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    unit = re.search(r'<option value="(\d+)"[^>]*selected', page) or re.search(
        r'name="unit"[^>]*>\s*<option value="(\d+)"', page
    )
    unit_id = unit.group(1) if unit else re.findall(r'<option value="(\d+)"', page)[0]
    k = 0
    while time.perf_counter() < until:
        k += 1
        form = {"csrfmiddlewaretoken": token, "unit": unit_id, "number": f"压测〔{RUN}-{n}〕{k}号"}
        form |= {"title": "压测送审事项", "kind": "other", "submitter": "乡政府办公室"}
        form |= {"submitted_on": "2026-01-05", "opinion_count": "1"}
        status, body = session.post("/registers/legality-reviews/new/", form)
        if status == 302:
            done.append(1)
        else:
            failed.append(f"{status}: {re.sub(r'<[^>]+>', ' ', body)[:120].split()}")


def _phase(users: list[Session], seconds: float, writers: list[Session] = ()) -> dict:
    until = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: list[int] = []
    done: list[int] = []
    failed: list[str] = []
    threads = [
        threading.Thread(target=_read_loop, args=(s, until, latencies, errors, i))
        for i, s in enumerate(users)
    ]
    threads += [
        threading.Thread(target=_write_loop, args=(s, until, i, done, failed)) for i, s in enumerate(writers)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else 0,
        "p95": latencies[int(len(latencies) * 0.95)] if latencies else 0,
        "errors": len(errors),
        "writes": len(done),
        "write_failures": failed,
    }


def _server(kind: str, env: dict[str, str]) -> subprocess.Popen:
    cores = os.cpu_count() or 2
    if kind == "gunicorn":
        command = [str(BIN / "gunicorn"), "fazhi.wsgi:application", "-b", f"{HOST}:{PORT}", "-k", "gthread",
                   "-w", str(cores), "--threads", "4", "--log-level", "warning"]  # fmt: skip
    else:
        command = [
            str(BIN / "waitress-serve"),
            f"--listen={HOST}:{PORT}",
            "--threads=8",
            "fazhi.wsgi:application",
        ]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            http.client.HTTPConnection(HOST, PORT, timeout=1).request("GET", "/login/")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{kind} did not start: {process.stderr.read().decode()[-500:]}")


def run(db: str, servers: list[str], seconds: float) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, FAZHI_DATA_DIR=data_dir, FAZHI_ALLOWED_HOSTS=HOST, FAZHI_LOGIN_FAILURES="1000")
        env.pop("DATABASE_URL", None)
        if db == "postgres":
            try:
                import psycopg

                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f'drop database if exists "{PG_NAME}" with (force)')
                    conn.execute(f'create database "{PG_NAME}"')
            except Exception:
                print("postgres  not reachable: skipped")
                return
            env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
        subprocess.run(
            [str(BIN / "fazhi"), "demo", "--if-empty"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        cores = os.cpu_count() or 2
        global RUN
        for kind in servers:
            RUN = f"{time.strftime('%H%M%S')}{kind}"
            process = _server(kind, env)
            try:
                single = _phase([Session("yfzx")], seconds)
                readers = _phase([Session("yfzx") for _ in range(50)], seconds)
                mixed = _phase(
                    [Session("yfzx") for _ in range(20)], seconds, [Session("changgang") for _ in range(10)]
                )
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
            ratio = readers["rate"] / (single["rate"] * cores)
            print(
                f"{db:9s} {kind:9s} single user {single['rate']:5.1f} req/s ({single['p50'] * 1000:.0f} ms)"
                f" | 50 readers {readers['rate']:5.1f} req/s, ratio {ratio:4.2f} (target ≥ 0.8),"
                f" p50 {readers['p50'] * 1000:.0f} ms, p95 {readers['p95'] * 1000:.0f} ms,"
                f" errors {readers['errors']}"
                f" | 10 writers + 20 readers: {mixed['writes']} writes, {len(mixed['write_failures'])} failed"
                f" (target 0), reads p95 {mixed['p95'] * 1000:.0f} ms"
            )
            for failure in mixed["write_failures"][:3]:
                print(f"          write failed: {failure}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--server", choices=["gunicorn", "waitress", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    servers = ["gunicorn", "waitress"] if args.server == "both" else [args.server]
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run(db, servers, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
