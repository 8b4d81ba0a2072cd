"""What every measurement benchmark shares: its output, its settings and its throw-away database."""

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/collectif"
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "collectif_bench")
VALUES = int(os.environ.get("BENCH_VALUES", "10000000"))
EXPORT_VALUES = int(os.environ.get("BENCH_EXPORT_VALUES", "1000000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
WARMUP = 5
BASELINE_RUNS = 3
SCALING_RUNS = int(os.environ.get("BENCH_SCALING_RUNS", "3"))
SCORECARD = "/en/measurement/scorecard/"
INDICATOR_PAGE = "/en/measurement/indicators/youth_served/"
IMPORT_INDICATORS = 400
IMPORT_SITES = 250
LATEST_PERIOD = "2026Q3"


# ---- Output ---------------------------------------------------------------------------

SUMMARY: list[str] = []


def say(text: str = "") -> None:
    print(text, flush=True)


def figure(
    label: str,
    value: str,
    *,
    baseline: str = "",
    ratio: str = "",
    target: str = "",
    note: str = "",
) -> None:
    """One result line: the figure, its baseline, the ratio, the target's verdict, a note."""
    line = f"{label:<52} {value:>12}"
    if baseline:
        line += f" | vs {baseline}"
    if ratio:
        line += f" | ratio {ratio}"
    if target:
        line += f" | {target}"
    if note:
        line += f" ({note})"
    SUMMARY.append(line)
    say(line)


def verdict(met: bool, target: str) -> str:
    return f"{target}: target {'met' if met else 'missed'}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def human(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds < 120 else f"{seconds / 60:,.1f} min"


def megabytes(kilobytes: float) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


class Stopwatch:
    def __enter__(self) -> "Stopwatch":
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


# ---- The throw-away database ----------------------------------------------------------


def server_urls(url: str) -> tuple[str, str]:
    """The server's maintenance database URL and the bench database URL."""
    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    bench = urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DATABASE}", parts.query, ""))
    return admin, bench


def psycopg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def recreate_database(admin_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(psycopg_url(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')


def raw_connection() -> Any:
    """A separate psycopg connection to the bench database, for COPY and DDL."""
    import psycopg

    conn = psycopg.connect(psycopg_url(os.environ["DATABASE_URL"]), autocommit=True)
    conn.execute("SET maintenance_work_mem = '1GB'")
    return conn


def setup_django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ.setdefault("CONN_MAX_AGE", "600")
    import django

    django.setup()
    from django.conf import settings

    # The test client's host, without setup_test_environment(): its instrumented
    # template rendering would add a cost real requests do not have.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def run_alone(name: str, work: Callable[[], None], *, with_demo: bool = True) -> int:
    """One benchmark on its own: a throw-away PostgreSQL database (migrated, with the demo
    loaded unless `with_demo` is false), `work()`, the summary, and the database dropped
    even after an error."""
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        say(f"The {name} benchmark needs PostgreSQL (set DATABASE_URL to a postgres:// URL).")
        return 0
    admin, bench = server_urls(url)
    recreate_database(admin)
    try:
        setup_django(bench)
        from django.core.management import call_command

        from collectif.core.demo import ConsoleOutput, load_demo

        call_command("migrate", verbosity=0)
        if with_demo:
            load_demo(out=ConsoleOutput(io.StringIO(), show_progress=False))
        work()
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(admin, drop_only=True)
    say("\nSummary")
    for line in SUMMARY:
        say(line)
    return 0
