"""Benchmarks for the foundation: what a page costs compared with the cheapest request.

Builds a throw-away database (SQLite in a temp dir, or DATABASE_URL's server with a
`_bench` suffix), loads the demo movement, then times warm requests through Django's
test client. Every figure is printed as a ratio to `/health` (one database round trip
through the whole middleware stack), measured in the same run, so results compare
across machines. No thresholds are asserted: this prints, people judge.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
_tmp = tempfile.mkdtemp(prefix="collectif-bench-")
if "DATABASE_URL" in os.environ and os.environ["DATABASE_URL"].startswith("postgres"):
    os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rstrip("/") + "_bench"
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "60"))


def timings(client: Client, url: str, **headers: str) -> tuple[list[float], int]:
    for _ in range(5):  # warm caches and connections
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(url, headers=headers)
        samples.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers=headers)
    return samples, len(queries)


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1]


def main() -> None:
    from django.test.utils import setup_test_environment

    setup_test_environment()
    engine = connection.vendor
    if engine == "postgresql":
        from django.db import connections

        connections["default"].creation.create_test_db(verbosity=0, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("demo", "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    reset_queries()
    client = Client()
    cases = [
        ("/health", {}),
        ("/en/", {}),
        ("/fr/ecosystem/partners/", {}),
        ("/en/ecosystem/partners/?q=mentor&province=QC", {}),
        ("/api/v1/organisations?page_size=50", {}),
        ("/api/v1/provinces", {"Accept-Language": "fr"}),
    ]
    staff = Client()
    from collectif.accounts.models import User

    staff.force_login(User.objects.get(email="staff@example.org"))
    print(f"Collectif foundation benchmark ({engine}, {ROUNDS} warm requests each)")
    print(f"{'request':48} {'p50 ms':>8} {'p95 ms':>8} {'x health':>9} {'queries':>8}")
    baseline = None
    for url, headers in cases:
        samples, queries = timings(client, url, **headers)
        median = statistics.median(samples)
        baseline = baseline or median
        print(
            f"{url:48} {median * 1000:8.2f} {p(samples, 95) * 1000:8.2f}"
            f" {median / baseline:9.1f} {queries:8d}"
        )
    dashboards = [
        "/en/measurement/scorecard/",
        "/en/measurement/indicators/youth_served/",
        "/en/measurement/report-card/",
    ]
    for url in [
        "/en/backbone/",
        "/en/ecosystem/organisations/",
        "/en/backbone/audit/",
        *dashboards,
    ]:
        samples, queries = timings(staff, url)
        median = statistics.median(samples)
        print(
            f"{url + ' (staff)':48} {median * 1000:8.2f} {p(samples, 95) * 1000:8.2f}"
            f" {median / (baseline or median):9.1f} {queries:8d}"
        )

    connection_cost(client, baseline or 0.0)


def connection_cost(client: Client, kept: float) -> None:
    """What a new connection per request costs (CONN_MAX_AGE=0), beside a kept one.

    The test client leaves the connection open between requests, as CONN_MAX_AGE does;
    closing it before each request is what every request paid when connections were not
    kept (and, on SQLite, its PRAGMAs ran again each time).
    """
    samples = []
    for _ in range(ROUNDS):
        connection.close()
        start = time.perf_counter()
        client.get("/health")
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples)
    print(
        f"{'/health, new connection per request':48} {median * 1000:8.2f}"
        f" {p(samples, 95) * 1000:8.2f} {median / (kept or median):9.1f}"
        f"  (kept connection: {kept * 1000:.2f} ms)"
    )


if __name__ == "__main__":
    main()
