"""Benchmarks for the shared measurement system, on PostgreSQL with millions of raw values.

What the issue promises, measured in one run on a throw-away database (`collectif_bench`,
created at the start and dropped at the end; no other database is touched):

1. Dashboards read rollups, so the scorecard and an indicator page (whole HTTP response,
   charts included, warm) must be far cheaper than aggregating every raw value, and must
   not slow down when the raw values double.
2. Approved data reaches the dashboards within a second of approval.
3. A 100,000-row partner CSV imports at >= 50,000 rows/s, compared with PostgreSQL COPY of
   the same file, in memory that does not grow with the file.
4. Exporting a million values stays under 300 MB of memory.

Every figure is printed beside the baseline it is compared to, with the ratio and
"target met" or "target missed". Nothing is asserted: people judge.

Environment: DATABASE_URL (a PostgreSQL server; default postgres://postgres@127.0.0.1:5432/
collectif; only its host and credentials are used), BENCH_VALUES (raw values loaded before
the doubling, default 10,000,000), BENCH_EXPORT_VALUES (values present for the export
benchmark, default 1,000,000), BENCH_ROUNDS (timed requests per page, default 30).
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    DEFAULT_URL,
    EXPORT_VALUES,
    INDICATOR_PAGE,
    ROUNDS,
    SCORECARD,
    SUMMARY,
    VALUES,
    WARMUP,
    Stopwatch,
    human,
    recreate_database,
    say,
    server_urls,
    setup_django,
)
from bench.completeness import completeness_benchmarks
from bench.dashboards import (
    approval_latency,
    compare_doubling,
    dashboards,
)
from bench.exports import (
    export,
    export_benchmarks,
)
from bench.imports import (
    child_import,
    import_benchmarks,
)
from bench.loading import (
    approved_values,
    demo_shape,
    load_values,
)
from bench.rollups import (
    rebuild_rollups,
)

# ---- Main -----------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPU, {memory:.0f} GB RAM, PostgreSQL {version} "
        f"(shared_buffers {buffers}), Python {sys.version.split()[0]}, load average "
        + ", ".join(f"{n:.1f}" for n in os.getloadavg())
    )


def benchmarks(workdir: Path) -> None:
    from django.core.management import call_command
    from django.urls import resolve

    from collectif.core.demo import ConsoleOutput, load_demo

    for url in (SCORECARD, INDICATOR_PAGE):
        resolve(url)  # fail now, not after minutes of loading, if the URLs are broken
    say(f"Collectif measurement benchmark: {machine()}")
    say(f"  {ROUNDS} timed requests per page after {WARMUP} warm-up requests; signed in as staff")
    with Stopwatch() as sw:
        call_command("migrate", verbosity=0)
        load_demo(out=ConsoleOutput(io.StringIO(), show_progress=False))
    say(f"  demo loaded in {human(sw.seconds)}: {approved_values():,} approved values")
    shape = demo_shape()
    small = {fmt: export(workdir, fmt) for fmt in ("csv", "xlsx")}
    doubled = 2 * VALUES
    say(f"\nGenerator: {VALUES:,} values, then doubled to {doubled:,}")
    written, partners = load_values(shape, min(EXPORT_VALUES, VALUES), 0)
    say(f"\nExport ({approved_values():,} approved values)")
    export_benchmarks(workdir, small)
    if written < VALUES:
        more, extra = load_values(shape, VALUES - written, partners)
        written, partners = written + more, partners + extra
    label = f"{approved_values() / 1e6:,.1f}M values"
    rebuild_rollups(label)
    say(f"\nDashboards at {label}")
    first = dashboards(label)
    say(f"\nApproval latency at {label}")
    approval_latency()
    say(f"\nDashboards after doubling the raw values to {doubled:,}")
    more, extra = load_values(shape, doubled - written, partners)
    label2 = f"{approved_values() / 1e6:,.1f}M values"
    rebuild_rollups(label2)
    second = dashboards(label2)
    compare_doubling(first, second, f"{label} → {label2}".replace(" values", ""))
    say(f"\nImport (with {label2} in the database)")
    import_benchmarks(workdir)
    completeness_benchmarks()


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-import":
        child_import(*sys.argv[2:5])
        return 0
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        say("Measurement benchmarks need PostgreSQL (set DATABASE_URL to a postgres:// URL).")
        return 0
    admin, bench = server_urls(url)
    import psycopg

    try:
        recreate_database(admin)
    except psycopg.OperationalError as exc:
        say(f"Measurement benchmarks need PostgreSQL; could not reach it ({exc}).")
        return 0
    started = time.perf_counter()
    try:
        setup_django(bench)
        with tempfile.TemporaryDirectory(prefix="collectif-bench-") as workdir:
            benchmarks(Path(workdir))
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(admin, drop_only=True)
    say("\nSummary")
    for line in SUMMARY:
        say(line)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    say(f"\nTotal run time: {human(time.perf_counter() - started)} (database dropped)")
    say(f"Load average at the end: {load} (other work on the machine skews timings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
