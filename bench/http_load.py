"""The dashboards under load: gunicorn, PostgreSQL and Redis, driven by wrk at 32 connections.

The issue's target, measured in one run: the public report card, the scorecard and an
indicator page each reach at least half the requests per second of `/health` (the bare
view, one database round trip through the whole middleware stack), with p99 under 100 ms.
Then the same pages in-process on SQLite beside PostgreSQL (bench/sqlite_vs_pg.py).

The set-up is a deployment's: production settings (DEBUG off, manifest static files,
a TLS proxy's `X-Forwarded-Proto: https`), gunicorn with 2 sync workers, Redis as the
cache, a member signed in through the real sign-in form. Nothing is asserted: the run
prints each figure beside its baseline, people judge.

Not named bench/http.py: a script's folder comes first on sys.path, so that name would
shadow the standard library's `http` for every program in bench/.

Environment: DATABASE_URL (the PostgreSQL server; the run creates `<its database>_bench_http`,
or `collectif_bench_http` by default, and drops it at the end), BENCH_REDIS_URL (default
redis://127.0.0.1:6379/5, flushed at the start; if nothing answers, a private redis-server
is started when one is installed), BENCH_HTTP_SECONDS (wrk's duration per page, default 10),
BENCH_ROUNDS (in-process timed requests per page, default 20).
"""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import sqlite_vs_pg

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/collectif_bench_http"
SECONDS = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = 32
PASSWORD = "collectif-demo-2026"  # noqa: S105 (the demo's published password)
HEALTH = ("/health", "/health", False)
PROXY = {"X-Forwarded-Proto": "https"}


def say(text: str = "") -> None:
    print(text, flush=True)


# ---- The machine and the services -------------------------------------------------------


def machine(postgres_url: str, redis_url: str) -> str:
    import psycopg
    import redis

    with psycopg.connect(psycopg_url(postgres_url)) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    server = redis.Redis.from_url(redis_url).info("server")
    wrk = shutil.which("wrk")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPU, {memory:.0f} GB RAM, PostgreSQL {row[0] if row else '?'}, "
        f"Redis {server['redis_version']}, Python {sys.version.split()[0]}, "
        f"wrk {'at ' + wrk if wrk else 'absent'}; load average at start "
        + ", ".join(f"{n:.1f}" for n in os.getloadavg())
    )


def psycopg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return DEFAULT_URL
    parts = urlsplit(url)
    name = (parts.path.strip("/") or "collectif") + "_bench_http"
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.strip("/")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(psycopg_url(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@contextlib.contextmanager
def redis_for_run() -> Iterator[str]:
    """The configured Redis, or a private redis-server on a free port; flushed at the start."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    process = None
    if not redis_answers(url) and shutil.which("redis-server"):
        port = free_port()
        process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],  # noqa: S607
            stdout=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/5"
        wait_until(lambda: redis_answers(url), "redis-server")
        say(f"  nothing answered at the configured Redis: started redis-server on port {port}")
    try:
        redis.Redis.from_url(url).flushdb()
        yield url
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)


def wait_until(ready: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {seconds:.0f} s")
        time.sleep(0.2)


def django_env(database_url: str, cache_url: str, static_root: Path) -> dict[str, str]:
    """A deployment's environment: production settings, the static files collected aside."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "http_settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "BENCH_STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def prepare(postgres_env: dict[str, str], sqlite_env: dict[str, str]) -> float:
    """Collect the static files and load the same demo into both databases, side by side."""
    collectif = str(BIN / "collectif")
    start = time.perf_counter()
    steps = [
        (postgres_env, f"{collectif} collectstatic --noinput -v0"),
        (postgres_env, f"{collectif} migrate --noinput -v0 && {collectif} demo --no-progress"),
        (sqlite_env, f"{collectif} migrate --noinput -v0 && {collectif} demo --no-progress"),
    ]
    running = [
        subprocess.Popen(  # noqa: S602 (our own commands, no outside input)
            command, shell=True, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for env, command in steps
    ]
    for process, (_env, command) in zip(running, steps, strict=True):
        _out, err = process.communicate()
        if process.returncode:
            raise RuntimeError(f"{command} failed:\n{err.decode()[-3000:]}")
    return time.perf_counter() - start


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """gunicorn with 2 sync workers on a free loopback port, stopped whatever happens."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            f"--error-logfile={log}",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until(lambda: get(port, "/health")[0] == 200, "gunicorn")
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---- Requests ---------------------------------------------------------------------------


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers={**PROXY, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError:
        return 0, ""


def set_cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(address: str, email: str) -> str:
    """Through the real sign-in form: its CSRF cookie and token, then the POST.

    Returns the Cookie header a browser would send afterwards.
    """
    host, port = address.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/en/accounts/login/", headers=PROXY)
    page = conn.getresponse()
    cookies = set_cookies(page)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    if page.status != 200 or not match or "csrftoken" not in cookies:
        raise RuntimeError(f"the sign-in page answered {page.status} without a CSRF token")
    form = {"csrfmiddlewaretoken": match[1], "login": email, "password": PASSWORD}
    origin = f"https://{address}"
    conn.request(
        "POST",
        "/en/accounts/login/",
        body=urlencode(form),
        headers={
            **PROXY,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Origin": origin,
            "Referer": f"{origin}/en/accounts/login/",
        },
    )
    answer = conn.getresponse()
    answer.read()
    cookies |= set_cookies(answer)
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {email} answered {answer.status}, no session")
    return f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}"


# ---- wrk --------------------------------------------------------------------------------


@dataclass
class Load:
    requests_per_second: float
    p50: float  # seconds
    p99: float
    requests: int
    failures: int  # answers other than 2xx or 3xx
    socket_errors: int  # connect, read, write errors and timeouts


UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def seconds_of(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> Load:
    def find(pattern: str) -> str:
        match = re.search(pattern, output)
        if not match:
            raise ValueError(f"wrk's output has no {pattern!r}:\n{output}")
        return match[1]

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(
        requests_per_second=float(find(r"Requests/sec:\s+([\d.]+)")),
        p50=seconds_of(find(r"\n\s+50%\s+(\S+)")),
        p99=seconds_of(find(r"\n\s+99%\s+(\S+)")),
        requests=int(find(r"(\d+) requests in")),
        failures=int(failures[1]) if failures else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def run_wrk(url: str, headers: dict[str, str]) -> Load:
    # A timeout longer than the run, so that slow answers count in the latencies
    # instead of vanishing as socket timeouts (wrk's default is 2 s).
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", f"--timeout={SECONDS + 20}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(  # noqa: S603
        [*command, "--latency", url], capture_output=True, text=True, check=True
    )
    return parse_wrk(result.stdout)


def http_section(env: dict[str, str], log: Path) -> list[str]:
    say(
        f"\nHTTP under load: gunicorn (2 sync workers), PostgreSQL, Redis cache;"
        f" wrk -t2 -c{CONNECTIONS} -d{SECONDS}s, after one warm-up request per page"
    )
    if not shutil.which("wrk"):
        say("  wrk is not installed (apt-get install wrk): HTTP section skipped.")
        return ["HTTP under load: skipped, wrk absent"]
    rows: list[tuple[str, Load | None]] = []
    with gunicorn(env, log) as address:
        cookie = sign_in(address, sqlite_vs_pg.MEMBER_EMAIL)
        for label, path, signed_in in [HEALTH, *sqlite_vs_pg.PAGES]:
            headers = {**PROXY, **({"Cookie": cookie} if signed_in else {})}
            status, _body = get(int(address.split(":")[1]), path, headers)
            if status != 200:
                say(f"  !! {label} {path} answered {status} to its warm-up request: not measured")
                rows.append((label, None))
                continue
            rows.append((label, run_wrk(f"http://{address}{path}", headers)))
    summary = load_table(rows)
    errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
    if errors:
        say(f"  !! gunicorn logged {len(errors)} tracebacks (see {log.name})")
    return summary


def load_table(rows: list[tuple[str, Load | None]]) -> list[str]:
    health = rows[0][1]
    baseline = health.requests_per_second if health else 0.0
    say(
        f"  {'page':18} {'req/s':>8} {'× /health':>9} {'p50':>9} {'p99':>9}"
        f" {'requests':>9} {'failed':>7}  verdict (≥ 0.5× /health and p99 < 100 ms)"
    )
    summary = []
    for label, load in rows:
        if load is None:
            line = f"  {label:18} not measured (its warm-up request failed)"
        else:
            ratio = load.requests_per_second / baseline if baseline else 0.0
            met = ratio >= 0.5 and load.p99 < 0.1
            verdict = "baseline" if label == "/health" else f"target {'met' if met else 'missed'}"
            line = (
                f"  {label:18} {load.requests_per_second:8,.1f} {ratio:8.2f}×"
                f" {load.p50 * 1000:6.1f} ms {load.p99 * 1000:6.1f} ms {load.requests:9,d}"
                f" {load.failures + load.socket_errors:7,d}  {verdict}"
            )
        say(line)
        summary.append(f"HTTP: {line.strip()}")
        if load and load.requests < 10 * CONNECTIONS:
            say(
                f"  !! {label}: only {load.requests:,} answers in {SECONDS} s; wrk's latencies"
                " count answered requests only, not those still queued at the end"
            )
        if load and (load.failures or load.socket_errors):
            say(
                f"  !! {label}: {load.failures:,} answers not 2xx/3xx and"
                f" {load.socket_errors:,} socket errors or timeouts"
            )
    return summary


# ---- Main -------------------------------------------------------------------------------


def main() -> int:
    import psycopg
    import redis

    started = time.perf_counter()
    postgres_url = bench_database_url()
    try:
        recreate_database(postgres_url)
    except psycopg.OperationalError as exc:
        say(f"The HTTP benchmark needs PostgreSQL; could not reach it ({exc}).")
        return 0
    try:
        with (
            redis_for_run() as redis_url,
            tempfile.TemporaryDirectory(prefix="collectif-bench-http-") as workdir,
        ):
            say(f"Collectif HTTP benchmark: {machine(postgres_url, redis_url)}")
            static = Path(workdir) / "static"
            postgres_env = django_env(postgres_url, redis_url, static)
            sqlite_env = django_env(f"sqlite:///{workdir}/bench.sqlite3", redis_url, static)
            loading = prepare(postgres_env, sqlite_env)
            say(f"  demo loaded into PostgreSQL and SQLite in {loading:.0f} s")
            summary = http_section(postgres_env, Path(workdir) / "gunicorn.log")
            keys = redis.Redis.from_url(redis_url).dbsize()
            say(f"  Redis cache after the load: {keys:,} keys")
            summary += sqlite_vs_pg.compare(sqlite_env, postgres_env)
    finally:
        recreate_database(postgres_url, drop_only=True)
    say("\nSummary")
    for line in summary:
        say(line)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    say(f"\nTotal run time: {time.perf_counter() - started:.0f} s (database dropped)")
    say(f"Load average at the end: {load} (other work on the machine skews timings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
