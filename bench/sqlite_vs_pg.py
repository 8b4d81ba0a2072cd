"""The dashboards on SQLite (the embedded default) beside PostgreSQL, timed in-process.

Settings are read once, at django.setup(), so each database and each cache runs in its own
child process (`--child`), which prints its timings as JSON. The same demo is loaded into
both databases by bench/http_load.py before this runs. Two comparisons: with DummyCache,
so that every request reaches the database, and with the local-memory cache a single
SQLite deployment would use. The issue's target: SQLite within 1.5× of PostgreSQL.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
WARMUP = 3
TARGET = 1.5
MEMBER_EMAIL = "staff@example.org"

# (label, path, signed in): the public report card in both languages and a member's
# scorecard and indicator page (youth_served has data in every demo quarter).
PAGES = [
    ("report card (en)", "/en/measurement/report-card/", False),
    ("report card (fr)", "/fr/measurement/report-card/", False),
    ("scorecard", "/en/measurement/scorecard/", True),
    ("indicator page", "/en/measurement/indicators/youth_served/", True),
]
CACHES = {"no cache (DummyCache)": "dummycache://", "local cache (LocMemCache)": "locmemcache://"}


def child() -> None:
    """In a fresh process: warm each page, then time it; print {path: figures} as JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from collectif.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    member, public = Client(), Client()
    member.force_login(User.objects.get(email=MEMBER_EMAIL))
    figures = {}
    for _label, path, signed_in in PAGES:
        client = member if signed_in else public
        for _ in range(WARMUP):
            status = client.get(path, secure=True).status_code
            if status != 200:
                raise SystemExit(f"{path} answered {status}, not 200")
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            client.get(path, secure=True)
            samples.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            client.get(path, secure=True)
        figures[path] = {
            "p50": statistics.median(samples),
            "p95": statistics.quantiles(samples, n=20, method="inclusive")[18],
            "queries": len(queries),
        }
    print(json.dumps(figures))


def measure(env: dict[str, str], cache_url: str) -> dict[str, dict[str, float]]:
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, __file__, "--child"],
        env={**env, "CACHE_URL": cache_url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"timing child failed:\n{result.stderr[-3000:]}")
    figures: dict[str, dict[str, float]] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def compare(sqlite_env: dict[str, str], postgres_env: dict[str, str]) -> list[str]:
    """Print one table per cache setting; return the summary lines."""
    print(
        f"\nSQLite and PostgreSQL, same demo, in-process (Django test client, {WARMUP} warm-up"
        f" then {ROUNDS} timed requests per page; target SQLite ≤ {TARGET}× PostgreSQL)",
        flush=True,
    )
    summary = []
    for caching, cache_url in CACHES.items():
        sqlite = measure(sqlite_env, cache_url)
        postgres = measure(postgres_env, cache_url)
        print(f"\n  {caching}")
        print(
            f"  {'page':20} {'SQLite p50':>11} {'p95':>9} {'PG p50':>9} {'p95':>9}"
            f" {'queries':>8} {'SQLite/PG':>10}  verdict"
        )
        for label, path, _signed_in in PAGES:
            lite, pg = sqlite[path], postgres[path]
            ratio = lite["p50"] / pg["p50"]
            verdict = f"≤ {TARGET}×: target {'met' if ratio <= TARGET else 'missed'}"
            line = (
                f"  {label:20} {lite['p50'] * 1000:8.1f} ms {lite['p95'] * 1000:6.1f} ms"
                f" {pg['p50'] * 1000:6.1f} ms {pg['p95'] * 1000:6.1f} ms"
                f" {int(pg['queries']):8d} {ratio:9.2f}×  {verdict}"
            )
            print(line, flush=True)
            summary.append(f"{caching}: {line.strip()}")
    return summary


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        print("Run by bench/http_load.py, which prepares both databases.")
