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

import csv
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
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


# ---- Generator: millions of approved raw values through COPY --------------------------


@dataclass(frozen=True)
class Shape:
    """What one synthetic partner reports each quarter: the demo dataset's cells."""

    indicators: list[tuple[int, str, tuple[str, ...]]]  # id, unit, dimension codes
    ages: list[str]
    genders: list[str]
    quarters: list[tuple[int, datetime]]  # period id, when approved
    dataset_id: int
    provinces: list[str]

    @property
    def values_per_submission(self) -> int:
        count = 0
        for _id, _unit, dimensions in self.indicators:
            count += 1
            count += 2 if "province" in dimensions else 0
            count += len(self.ages) if "age" in dimensions else 0
            count += len(self.genders) if "gender" in dimensions else 0
        return count


def demo_shape() -> Shape:
    from collectif.core.models import Province
    from collectif.measurement.demo import DATASET_CODE
    from collectif.measurement.models import Dataset, DimensionMember, Period

    dataset = Dataset.objects.get(code=DATASET_CODE)
    indicators = [
        (
            item.indicator.pk,
            item.indicator.unit,
            tuple(sorted(d.code for d in item.indicator.dimensions.all())),
        )
        for item in dataset.items.select_related("indicator").prefetch_related(
            "indicator__dimensions"
        )
    ]
    quarters = [
        (p.pk, datetime(p.end.year, p.end.month, p.end.day, 15, tzinfo=UTC) + timedelta(days=20))
        for p in Period.objects.filter(kind="quarter", code__lte=LATEST_PERIOD).order_by("start")
    ]
    members = DimensionMember.objects.select_related("dimension").order_by("position")
    return Shape(
        indicators=indicators,
        ages=[m.code for m in members if m.dimension.code == "age"],
        genders=[m.code for m in members if m.dimension.code == "gender"],
        quarters=quarters,
        dataset_id=dataset.pk,
        provinces=list(Province.objects.values_list("code", flat=True)),
    )


def create_organisations(count: int, first: int) -> list[tuple[int, str, str]]:
    """Synthetic partners, in bulk: (id, head-office province, second province served)."""
    from collectif.core.models import Province
    from collectif.ecosystem.models import Organisation, Sector

    provinces = list(Province.objects.values_list("code", flat=True))
    sector = Sector.objects.get(code="non-profit")
    created = Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"bench-org-{n}",
                name=f"Bench program {n}",
                name_en=f"Bench program {n}",
                name_fr=f"Programme d'essai {n}",
                sector=sector,
                head_office_province_id=provinces[n % len(provinces)],
            )
            for n in range(first, first + count)
        ],
        batch_size=5000,
    )
    partners = []
    for n, organisation in zip(range(first, first + count), created, strict=True):
        home = provinces[n % len(provinces)]
        other = provinces[(n + 1 + n // len(provinces)) % len(provinces)]
        if other == home:
            other = provinces[(n + 1) % len(provinces)]
        partners.append((organisation.pk, home, other))
    return partners


def _split(total: int, shares: list[int]) -> list[int]:
    """Integer parts of a total in the given proportions (per mille), adding up exactly."""
    parts = [total * share // 1000 for share in shares]
    parts[0] += total - sum(parts)
    return parts


AGE_SHARES = [300, 500, 200]
GENDER_SHARES = [520, 420, 40, 20]


def _submission_values(
    shape: Shape, rng: random.Random, levels: list[float], provinces: tuple[str, str]
) -> Iterator[tuple[int, str, str]]:
    """(indicator id, breakdown key, value) for one partner's quarter; parts add up."""
    for (indicator_id, unit, dimensions), level in zip(shape.indicators, levels, strict=True):
        if unit == "percent":
            yield indicator_id, "", f"{min(level, 99.0):.1f}"
            continue
        total = int(level * rng.uniform(0.95, 1.05))
        yield indicator_id, "", str(total)
        if "age" in dimensions:
            for code, part in zip(shape.ages, _split(total, AGE_SHARES), strict=True):
                yield indicator_id, f"age:{code}", str(part)
        if "gender" in dimensions:
            for code, part in zip(shape.genders, _split(total, GENDER_SHARES), strict=True):
                yield indicator_id, f"gender:{code}", str(part)
        if "province" in dimensions:
            first = total * 6 // 10
            yield indicator_id, f"province:{provinces[0]}", str(first)
            yield indicator_id, f"province:{provinces[1]}", str(total - first)


def _max_id(conn: Any, table: str) -> int:
    return int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])


def _detach_indexes(conn: Any, table: str) -> list[str]:
    """Drop a table's secondary indexes and constraints; return the DDL that restores them."""
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC",
        [table],
    ).fetchall()
    owned = {name for name, _definition, _kind in constraints}
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')",
        [table],
    ).fetchall()
    restore = [definition for name, definition in indexes if name not in owned]
    restore += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for name, definition, _kind in constraints
    ]
    for name, _definition, _kind in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        if name not in owned:
            conn.execute(f'DROP INDEX "{name}"')
    return restore


def load_values(shape: Shape, target: int, first_org: int) -> tuple[int, int]:
    """Load about `target` approved raw values for new synthetic partners with COPY.

    Secondary indexes and foreign keys of measurement_value are dropped during the COPY
    and rebuilt after it (the usual way to bulk-load PostgreSQL); the table is then
    vacuumed and analysed, as autovacuum would do, so later queries see a steady state.
    Returns (values written, partners created).
    """
    from django.utils import timezone

    per_partner = shape.values_per_submission * len(shape.quarters)
    partners_needed = -(-target // per_partner)
    rng = random.Random(first_org)
    timings: dict[str, float] = {}
    with Stopwatch() as sw:
        partners = create_organisations(partners_needed, first_org)
    timings["partners"] = sw.seconds
    conn = raw_connection()
    submission_id = _max_id(conn, "measurement_submission")
    value_id = _max_id(conn, "measurement_value")
    first_submission = submission_id + 1
    now = timezone.now().isoformat()
    with (
        Stopwatch() as sw,
        conn.cursor() as cur,
        cur.copy(
            "COPY measurement_submission (id, created_at, updated_at, organisation_id, "
            "dataset_id, period_id, status, version, channel, submitted_at, reviewed_at, "
            "review_comment) FROM STDIN"
        ) as copy,
    ):
        lines = []
        sid = submission_id
        for organisation_id, _home, _other in partners:
            for period_id, approved in shape.quarters:
                sid += 1
                when = approved.isoformat()
                lines.append(
                    f"{sid}\t{now}\t{now}\t{organisation_id}\t{shape.dataset_id}\t"
                    f"{period_id}\tapproved\t1\tfile\t{when}\t{when}\t\n"
                )
        copy.write("".join(lines).encode())
    timings["submissions"] = sw.seconds
    with Stopwatch() as sw:
        restore = _detach_indexes(conn, "measurement_value")
    timings["drop indexes"] = sw.seconds
    written = 0
    with (
        Stopwatch() as sw,
        conn.cursor() as cur,
        cur.copy(
            "COPY measurement_value (id, submission_id, indicator_id, organisation_id, "
            "period_id, breakdown, value) FROM STDIN"
        ) as copy,
    ):
        sid = first_submission - 1
        buffer: list[str] = []
        for organisation_id, home, other in partners:
            levels = [
                float(rng.randint(40, 260)) if unit != "percent" else rng.uniform(62, 80)
                for _id, unit, _dims in shape.indicators
            ]
            for period_id, _approved in shape.quarters:
                sid += 1
                levels = [level * rng.uniform(1.0, 1.03) for level in levels]
                prefix = f"\t{sid}\t"
                middle = f"\t{organisation_id}\t{period_id}\t"
                for indicator_id, key, value in _submission_values(
                    shape, rng, levels, (home, other)
                ):
                    value_id += 1
                    buffer.append(f"{value_id}{prefix}{indicator_id}{middle}{key}\t{value}\n")
                if len(buffer) > 50_000:
                    written += len(buffer)
                    copy.write("".join(buffer).encode())
                    buffer = []
        written += len(buffer)
        copy.write("".join(buffer).encode())
    timings["COPY values"] = sw.seconds
    with Stopwatch() as sw:
        for statement in restore:
            conn.execute(statement)
    timings["rebuild indexes"] = sw.seconds
    with Stopwatch() as sw:
        for table in ("measurement_submission", "measurement_value"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.execute("VACUUM (ANALYZE) measurement_value")
        conn.execute("VACUUM (ANALYZE) measurement_submission")
        conn.execute("ANALYZE ecosystem_organisation")
    timings["vacuum+analyze"] = sw.seconds
    conn.close()
    total = sum(timings.values())
    detail = ", ".join(f"{name} {human(seconds)}" for name, seconds in timings.items())
    say(
        f"  loaded {written:,} values ({len(partners):,} partners × {len(shape.quarters)} "
        f"quarters × {shape.values_per_submission} cells) in {human(total)}: {detail}"
    )
    figure(
        f"generator: {written:,} values loaded",
        human(total),
        note=f"{written / total:,.0f} values/s",
    )
    return written, len(partners)


def approved_values() -> int:
    from collectif.measurement.models import Submission, Value

    return Value.objects.filter(submission__status=Submission.Status.APPROVED).count()


def rebuild_rollups(label: str) -> None:
    from collectif.measurement.domain import rollups

    with Stopwatch() as sw:
        rows = rollups.rebuild_all()
    baseline, cells, differ = raw_aggregation()
    ratio = sw.seconds / baseline
    figure(
        f"rollups.rebuild_all() at {label}",
        human(sw.seconds),
        baseline=f"independent GROUP BY {human(baseline)}",
        ratio=f"{ratio:,.1f}×",
        target=verdict(ratio <= 2, "≤ 2×"),
        note=f"{rows:,} rollup rows; the GROUP BY does Canada/provinces of published indicators; "
        f"{cells:,} sum cells checked, {differ:,} differ",
    )


# ---- Dashboards -----------------------------------------------------------------------


class DatabaseTimer:
    """Sums the time spent in the database (connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


@dataclass
class PageTiming:
    p50: float
    p95: float
    db_p50: float
    db_share: float


def time_page(client: Any, url: str) -> PageTiming:
    from django.db import connection

    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    totals: list[float] = []
    database: list[float] = []
    for _ in range(ROUNDS):
        timer = DatabaseTimer()
        with connection.execute_wrapper(timer):
            start = time.perf_counter()
            response = client.get(url)
            _body = b"".join(response) if response.streaming else response.content
            totals.append(time.perf_counter() - start)
        database.append(timer.seconds)
    return PageTiming(
        p50=statistics.median(totals),
        p95=percentile(totals, 95),
        db_p50=statistics.median(database),
        db_share=sum(database) / sum(totals),
    )


RAW_AGGREGATION = """
WITH raw AS (
    SELECT v.indicator_id, v.period_id, v.organisation_id,
           o.head_office_province_id AS head_office, v.breakdown, v.value
    FROM measurement_value v
    JOIN measurement_submission s ON s.id = v.submission_id
    JOIN measurement_indicator i ON i.id = v.indicator_id
    JOIN ecosystem_organisation o ON o.id = v.organisation_id
    WHERE s.status = 'approved' AND i.is_published
      AND (v.breakdown = '' OR (v.breakdown LIKE 'province:%%' AND strpos(v.breakdown, '|') = 0))
),
per_partner AS (
    SELECT indicator_id, period_id, organisation_id, head_office,
           max(value) FILTER (WHERE breakdown = '') AS own_total,
           sum(value) FILTER (WHERE breakdown <> '') AS province_sum,
           bool_or(breakdown <> '') AS by_province
    FROM raw GROUP BY indicator_id, period_id, organisation_id, head_office
),
cells AS (
    SELECT indicator_id, period_id, 'CA' AS region, coalesce(own_total, province_sum) AS value
    FROM per_partner
    UNION ALL
    SELECT indicator_id, period_id, head_office, own_total
    FROM per_partner WHERE NOT by_province AND own_total IS NOT NULL
    UNION ALL
    SELECT indicator_id, period_id, substr(breakdown, 10), value FROM raw WHERE breakdown <> ''
)
SELECT indicator_id, period_id, region, sum(value), count(*)
FROM cells GROUP BY indicator_id, period_id, region
"""


def raw_aggregation() -> tuple[float, int, int]:
    """The query the rollups replace: Canada and province totals from every approved value.

    Same rules as the rollups (a partner's own total, else its province parts; a partner
    that does not report by province counts in its head-office province), for every
    published indicator and period. Age and gender breakdowns, which the indicator page
    also shows, are left out, so this baseline is cheaper than the real work it stands
    for. Returns (p50 seconds, cells, cells that differ from the rollups).
    """
    from django.db import connection

    from collectif.measurement.models import Indicator, Rollup

    samples = []
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '64MB'")
        for _ in range(BASELINE_RUNS):
            start = time.perf_counter()
            cursor.execute(RAW_AGGREGATION)
            rows = cursor.fetchall()
            samples.append(time.perf_counter() - start)
        cursor.execute("RESET work_mem")
    sums = set(
        Indicator.objects.filter(aggregation=Indicator.Aggregation.SUM).values_list("pk", flat=True)
    )
    stored = {
        (r.indicator_id, r.period_id, r.region): (r.total, r.count)
        for r in Rollup.objects.filter(member="", indicator_id__in=sums)
    }
    checked = [row for row in rows if row[0] in sums]
    differ = sum(
        1 for i, p, region, *figures in checked if stored.get((i, p, region)) != tuple(figures)
    )
    return statistics.median(samples), len(checked), differ


# What a user could do instead of each page, at its best: an indexed GROUP BY of exactly
# what the page shows (Canada only for the scorecard; one indicator for its page).
PAGE_INDEX = (
    "CREATE INDEX IF NOT EXISTS bench_value_by_indicator ON measurement_value "
    "(indicator_id, period_id) INCLUDE (submission_id, organisation_id, breakdown, value)"
)
CANADA_ONLY = """
WITH per_partner AS (
    SELECT v.indicator_id, v.period_id, v.organisation_id,
           max(v.value) FILTER (WHERE v.breakdown = '') AS own_total,
           sum(v.value) FILTER (WHERE v.breakdown <> '') AS province_sum
    FROM measurement_value v
    JOIN measurement_submission s ON s.id = v.submission_id
    WHERE s.status = 'approved' AND v.indicator_id = ANY(%s)
      AND (v.breakdown = '' OR (v.breakdown LIKE 'province:%%' AND strpos(v.breakdown, '|') = 0))
    GROUP BY v.indicator_id, v.period_id, v.organisation_id
)
SELECT indicator_id, period_id, 'CA', sum(coalesce(own_total, province_sum)), count(*)
FROM per_partner GROUP BY indicator_id, period_id
"""
ONE_INDICATOR = RAW_AGGREGATION.replace(
    "WHERE s.status = 'approved' AND i.is_published",
    "WHERE s.status = 'approved' AND i.is_published AND v.indicator_id = %s",
)


def _timed(sql: str, params: Any) -> tuple[float, list[tuple[Any, ...]]]:
    from django.db import connection

    samples = []
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '64MB'")
        for _ in range(BASELINE_RUNS):
            start = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            samples.append(time.perf_counter() - start)
        cursor.execute("RESET work_mem")
    return statistics.median(samples), rows


def page_baselines() -> dict[str, float]:
    """The fair baselines (indexed, restricted to the page), checked against the rollups."""
    from django.db import connection

    from collectif.measurement.models import Indicator, Rollup

    with connection.cursor() as cursor, Stopwatch() as sw:
        cursor.execute(PAGE_INDEX)
        cursor.execute("ANALYZE measurement_value")
    say(f"  index for the fair baselines built in {human(sw.seconds)} (once, not timed below)")
    published = list(Indicator.objects.filter(is_published=True).values_list("pk", flat=True))
    scorecard, canada = _timed(CANADA_ONLY, [published])
    code = INDICATOR_PAGE.rstrip("/").rsplit("/", 1)[1]
    indicator = Indicator.objects.get(code=code)
    page, _rows = _timed(ONE_INDICATOR, [indicator.pk])
    sums = set(
        Indicator.objects.filter(aggregation=Indicator.Aggregation.SUM).values_list("pk", flat=True)
    )
    stored = {
        (r.indicator_id, r.period_id): (r.total, r.count)
        for r in Rollup.objects.filter(member="", region="CA", indicator_id__in=sums)
    }
    differ = sum(1 for i, p, _ca, *f in canada if i in sums and stored.get((i, p)) != tuple(f))
    say(
        "  fair scorecard baseline: Canada cells of published sum indicators "
        + ("all equal the rollups" if not differ else f"{differ:,} differ from the rollups")
    )
    return {SCORECARD: scorecard, INDICATOR_PAGE: page}


@dataclass
class DashboardRun:
    pages: dict[str, PageTiming]
    baseline: float
    fair: dict[str, float]
    runs: dict[str, list[float]]


def dashboards(label: str) -> DashboardRun:
    from django.test import Client

    from collectif.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="staff@example.org"))
    pages = {url: time_page(client, url) for url in (SCORECARD, INDICATOR_PAGE)}
    # Further runs for the scaling figure, which compares medians of runs, not one run.
    runs = {
        url: [timing.p50, *(time_page(client, url).p50 for _ in range(SCALING_RUNS - 1))]
        for url, timing in pages.items()
    }
    baseline, cells, differ = raw_aggregation()
    say(
        f"  raw aggregation: {cells:,} Canada/province cells of sum indicators; "
        f"{'all equal the rollups' if not differ else f'{differ:,} differ from the rollups'}"
    )
    fair = page_baselines()
    figure(
        f"naive raw aggregation p50 ({label})",
        ms(baseline),
        note=f"{BASELINE_RUNS} runs; every region of every indicator, no suitable index",
    )
    for url, timing in pages.items():
        name = "scorecard" if url == SCORECARD else "indicator page"
        ratio = fair[url] / timing.p50
        figure(
            f"{name} p50 ({label})",
            ms(timing.p50),
            baseline=f"indexed GROUP BY of what it shows {ms(fair[url])}",
            ratio=f"baseline ÷ page {ratio:,.1f}× (naive baseline: {baseline / timing.p50:,.1f}×)",
            target=verdict(ratio >= 1, "faster than the fair baseline"),
        )
        figure(f"{name} p95 ({label})", ms(timing.p95))
        figure(
            f"{name} database time p50 ({label})",
            ms(timing.db_p50),
            note=f"{timing.db_share:.0%} of the response time",
        )
    return DashboardRun(pages=pages, baseline=baseline, fair=fair, runs=runs)


def spread(samples: list[float]) -> str:
    """A median and how far the runs strayed from it, e.g. "41.2 ms (-3% / +8%)"."""
    middle = statistics.median(samples)
    low, high = min(samples) / middle - 1, max(samples) / middle - 1
    return f"{ms(middle)} ({low:+.0%} / {high:+.0%})"


def compare_doubling(before: DashboardRun, after: DashboardRun, sizes: str) -> None:
    """Page time before and after, each the median of SCALING_RUNS runs, with their spread."""
    for url in (SCORECARD, INDICATOR_PAGE):
        name = "scorecard" if url == SCORECARD else "indicator page"
        old, new = statistics.median(before.runs[url]), statistics.median(after.runs[url])
        change = (new - old) / old
        figure(
            f"{name} p50 change, {sizes} (median of {SCALING_RUNS} runs)",
            f"{change:+.1%}",
            baseline=f"{spread(before.runs[url])} → {spread(after.runs[url])}",
            target=verdict(abs(change) < 0.10, "< 10%"),
        )
        fair = (after.fair[url] - before.fair[url]) / before.fair[url]
        figure(
            f"{name} fair baseline change, {sizes}",
            f"{fair:+.1%}",
            baseline=f"{ms(before.fair[url])} → {ms(after.fair[url])}",
        )
    change = (after.baseline - before.baseline) / before.baseline
    figure(
        f"raw aggregation change, {sizes}",
        f"{change:+.1%}",
        baseline=f"{ms(before.baseline)} → {ms(after.baseline)}",
    )


# ---- Approval latency -----------------------------------------------------------------


def approval_latency() -> None:
    """From the approve call until the scorecard shows the new Canada total."""
    from django.test import Client
    from django.utils import translation

    from collectif.accounts.models import User
    from collectif.core.formatting import format_number
    from collectif.ecosystem.demo import DEMO_STEWARD_ORGANISATIONS
    from collectif.ecosystem.models import Organisation
    from collectif.measurement.demo import DATASET_CODE
    from collectif.measurement.domain.validation import CellValue
    from collectif.measurement.models import CANADA, Dataset, Period, Rollup
    from collectif.measurement.services import submissions as services

    staff = User.objects.get(email="staff@example.org")
    steward = User.objects.get(email="steward@example.org")
    organisation = Organisation.objects.get(slug=DEMO_STEWARD_ORGANISATIONS[0])
    dataset = Dataset.objects.get(code=DATASET_CODE)
    period = Period.objects.get(code=LATEST_PERIOD)
    totals = {
        "youth_served": 4321,
        "active_mentors": 300,
        "new_matches": 50,
        "matches_12_months": 100,
        "waitlist": 20,
        "volunteer_inquiries": 30,
        "caring_adult_share": Decimal("75.0"),
    }
    submission = services.submission_open(
        actor=steward, organisation=organisation, dataset=dataset, period=period
    )
    services.submission_save_values(
        actor=steward,
        submission=submission,
        cells=[CellValue(code, "", Decimal(value)) for code, value in totals.items()],
        channel="form",
        submit=True,
    )
    before = Rollup.objects.get(
        indicator__code="youth_served", period=period, region=CANADA, member=""
    ).total
    # The headline figure, or the "so far" line while the period is provisional.
    with translation.override("en"):
        expected = format_number(before + totals["youth_served"], 0)
    client = Client()
    client.force_login(staff)
    for _ in range(WARMUP):
        page = client.get(SCORECARD).content.decode()
    assert expected not in page, "the new total must not be on the page before approval"
    start = time.perf_counter()
    services.submission_approve(actor=staff, submission=submission)
    approved = time.perf_counter() - start
    requests = 0
    while True:
        requests += 1
        page = client.get(SCORECARD).content.decode()
        if expected in page or requests == 50:
            break
    latency = time.perf_counter() - start
    shown = expected in page
    figure(
        "approval: submission_approve()",
        ms(approved),
        note="applies the organisation's change to the rollups",
    )
    figure(
        "approval → scorecard shows the new total",
        ms(latency) if shown else "never shown",
        target=verdict(shown and latency <= 1.0, "≤ 1 s"),
        note=f"then {requests} scorecard request(s): {ms(latency - approved)}",
    )


# ---- Import ---------------------------------------------------------------------------


def import_dataset() -> tuple[Any, list[Any]]:
    """A synthetic dataset big enough for a 100,000-row file.

    400 indicators, each broken down by a "site" dimension of 250 members that add up to
    the total: 400 × (1 total + 250 sites) = 100,400 expected cells. Every fourth
    indicator is in dollars (two decimals, so the file carries decimal commas). The
    indicators are internal (unpublished) and the dataset is assigned to three partners.
    """
    from collectif.ecosystem.models import Organisation
    from collectif.measurement.models import (
        Dataset,
        DatasetIndicator,
        Dimension,
        DimensionMember,
        Indicator,
    )

    site = Dimension.objects.create(code="site", name_en="Site", name_fr="Site", adds_up=True)
    DimensionMember.objects.bulk_create(
        DimensionMember(
            dimension=site,
            code=f"s{n:03d}",
            name_en=f"Site {n}",
            name_fr=f"Site {n}",
            position=n,
        )
        for n in range(1, IMPORT_SITES + 1)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"bench_{n:03d}",
            name_en=f"Bench measure {n}",
            name_fr=f"Mesure d'essai n° {n}",
            kind=Indicator.Kind.PERFORMANCE,
            unit=Indicator.Unit.DOLLARS if n % 4 == 0 else Indicator.Unit.COUNT,
            decimals=2 if n % 4 == 0 else 0,
            is_published=False,
            position=1000 + n,
        )
        for n in range(1, IMPORT_INDICATORS + 1)
    )
    for indicator in indicators:
        indicator.dimensions.add(site)
    dataset = Dataset.objects.create(
        code="bench_sites", name_en="Bench: sites", name_fr="Essai : sites"
    )
    DatasetIndicator.objects.bulk_create(
        DatasetIndicator(dataset=dataset, indicator=indicator, position=n)
        for n, indicator in enumerate(indicators)
    )
    partners = list(Organisation.objects.filter(slug__startswith="bench-org-").order_by("pk")[:3])
    dataset.organisations.set(partners)
    return dataset, partners


def french_number(value: Decimal, decimals: int) -> str:
    """As French Excel saves it: no-break space between thousands, decimal comma."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def write_partner_csv(dataset: Any, path: Path, indicators: int) -> int:
    """Fill the French template as a partner would and save it as French Excel does.

    `;` separator, Windows-1252 encoding (Excel's "CSV (séparateur: point-virgule)"),
    decimal commas and no-break-space thousands. Site values add up to each total.
    """
    from collectif.measurement.files.templates import template_rows

    headers, rows = template_rows(dataset, language="fr")
    per_indicator = 1 + IMPORT_SITES
    rows = rows[: indicators * per_indicator]
    rng = random.Random(indicators)
    with path.open("w", encoding="cp1252", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for start in range(0, len(rows), per_indicator):
            block = rows[start : start + per_indicator]
            dollars = int(block[0][0].rsplit("_", 1)[1]) % 4 == 0
            decimals = 2 if dollars else 0
            parts = [
                Decimal(rng.randint(0, 900_000)) / 100 if dollars else Decimal(rng.randint(0, 400))
                for _ in range(IMPORT_SITES)
            ]
            block[0][-1] = french_number(sum(parts, Decimal(0)), decimals)
            for row, part in zip(block[1:], parts, strict=True):
                row[-1] = french_number(part, decimals)
            writer.writerows(block)
    return len(rows)


def run_import(slug: str, path: Path) -> Any:
    from collectif.core.actors import SYSTEM
    from collectif.ecosystem.models import Organisation
    from collectif.measurement.models import Dataset, Period
    from collectif.measurement.services import files as imports

    with path.open("rb") as data:
        return imports.submission_import(
            actor=SYSTEM,
            organisation=Organisation.objects.get(slug=slug),
            dataset=Dataset.objects.get(code="bench_sites"),
            period=Period.objects.get(code=LATEST_PERIOD),
            data=data,
            filename=path.name,
        )


def proc_status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child_import(slug: str, path: str, warmup: str) -> None:
    """In a fresh process: a tiny import to load code and catalogues, then the real one."""
    setup_django(os.environ["DATABASE_URL"])
    run_import(slug, Path(warmup))
    before = proc_status("VmRSS")
    start = time.perf_counter()
    result = run_import(slug, Path(path))
    print(
        json.dumps(
            {
                "rows": result.rows,
                "seconds": time.perf_counter() - start,
                "rss_before_kb": before,
                "peak_kb": proc_status("VmHWM"),
            }
        )
    )


def run_child(args: list[str]) -> tuple[str, int, float]:
    """Run a command; return its output, its own peak RSS (kB, from wait4) and wall time."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            args, stdout=out, stderr=err, cwd=ROOT, env=os.environ.copy()
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise RuntimeError(f"{args[1:4]} failed: {err.read().decode()[-3000:]}")
        return out.read().decode(), usage.ru_maxrss, seconds


def copy_same_file(path: Path, columns: int) -> float:
    """PostgreSQL COPY of the same file into a scratch table of text columns."""
    conn = raw_connection()
    names = ", ".join(f"c{n} text" for n in range(columns))
    conn.execute(f"CREATE UNLOGGED TABLE bench_scratch ({names})")
    start = time.perf_counter()
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY bench_scratch FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, "
            "ENCODING 'WIN1252')"
        ) as copy,
    ):
        copy.write(path.read_bytes())
    seconds = time.perf_counter() - start
    conn.execute("DROP TABLE bench_scratch")
    conn.close()
    return seconds


def import_benchmarks(workdir: Path) -> None:
    dataset, partners = import_dataset()
    big, half, tiny = workdir / "sites-100k.csv", workdir / "sites-50k.csv", workdir / "tiny.csv"
    rows = write_partner_csv(dataset, big, IMPORT_INDICATORS)
    half_rows = write_partner_csv(dataset, half, IMPORT_INDICATORS // 2)
    write_partner_csv(dataset, tiny, 1)
    say(f"  files: {rows:,} rows ({big.stat().st_size / 1e6:.1f} MB), {half_rows:,} rows")
    run_import(partners[0].slug, tiny)
    with Stopwatch() as sw:
        result = run_import(partners[0].slug, big)
    with open(big, encoding="cp1252") as stream:
        columns = len(stream.readline().split(";"))
    copy_seconds = copy_same_file(big, columns)
    rate = result.rows / sw.seconds
    figure(
        f"import {result.rows:,}-row French CSV",
        f"{rate:,.0f} rows/s",
        target=verdict(rate >= 50_000, "≥ 50,000 rows/s"),
    )
    figure(
        "import time vs COPY of the same file",
        ms(sw.seconds),
        baseline=f"COPY {ms(copy_seconds)}",
        ratio=f"{sw.seconds / copy_seconds:,.1f}× COPY",
        target=verdict(sw.seconds / copy_seconds <= 5, "aim ≤ 5×"),
    )
    growth = {}
    for slug, path in ((partners[1].slug, half), (partners[2].slug, big)):
        output, _peak, _seconds = run_child(
            [sys.executable, __file__, "--child-import", slug, str(path), str(tiny)]
        )
        data = json.loads(output.strip().splitlines()[-1])
        growth[data["rows"]] = data["peak_kb"] - data["rss_before_kb"]
        figure(
            f"import {data['rows']:,} rows: peak RSS growth",
            megabytes(data["peak_kb"] - data["rss_before_kb"]),
            note=f"RSS {megabytes(data['rss_before_kb'])} before, "
            f"peak {megabytes(data['peak_kb'])}",
        )
    small, large = growth[half_rows], growth[rows]
    figure(
        "import memory, 100k rows vs 50k rows",
        f"{large / max(small, 1):.2f}×",
        baseline=f"{megabytes(small)} → {megabytes(large)}",
        target=verdict(large <= small * 1.2 + 10_240, "flat (≤ 1.2× + 10 MB)"),
    )


# ---- Export ---------------------------------------------------------------------------


@dataclass
class Export:
    rows: int
    peak_kb: int
    seconds: float
    megabytes: float


def export(workdir: Path, fmt: str) -> Export:
    """`collectif measurement export` in its own process: rows, peak RSS, wall time."""
    output = workdir / f"export.{fmt}"
    command = Path(sys.executable).parent / "collectif"
    text, peak, seconds = run_child(
        [str(command), "measurement", "export", "--format", fmt, "--output", str(output)]
    )
    rows = int(text.split("Exported ", 1)[1].split()[0])
    size = output.stat().st_size / 1e6
    output.unlink()
    return Export(rows=rows, peak_kb=peak, seconds=seconds, megabytes=size)


COPY_OUT = """
COPY (
    SELECT o.slug, o.name, i.code, i.name, p.code, v.breakdown, v.value
    FROM measurement_value v
    JOIN measurement_submission s ON s.id = v.submission_id
    JOIN ecosystem_organisation o ON o.id = v.organisation_id
    JOIN measurement_indicator i ON i.id = v.indicator_id
    JOIN measurement_period p ON p.id = v.period_id
    WHERE s.status = 'approved' ORDER BY v.id
) TO STDOUT WITH (FORMAT csv, HEADER true)
"""


def copy_out(path: Path) -> float:
    """The best a user could do without the platform: COPY the same rows to a CSV file."""
    conn = raw_connection()
    start = time.perf_counter()
    with conn.cursor() as cur, cur.copy(COPY_OUT) as copy, path.open("wb") as out:
        for chunk in copy:
            out.write(chunk)
    seconds = time.perf_counter() - start
    conn.close()
    path.unlink()
    return seconds


def export_benchmarks(workdir: Path, small: dict[str, Export]) -> None:
    """Compared with the same export of the demo's values: memory must not follow size;
    time is compared with COPY … TO STDOUT of the same rows."""
    copy_seconds = copy_out(workdir / "copy.csv")
    for fmt, before in small.items():
        result = export(workdir, fmt)
        name = fmt.upper()
        figure(
            f"export {result.rows:,} values as {name}: wall time",
            human(result.seconds),
            baseline=f"COPY … TO STDOUT {human(copy_seconds)}",
            ratio=f"{result.seconds / copy_seconds:,.0f}× slower",
            target=verdict(
                result.seconds * 1_000_000 / max(result.rows, 1) < 60, "1M values < 60 s"
            ),
        )
        figure(
            f"export {result.rows:,} values as {name}: peak RSS",
            megabytes(result.peak_kb),
            baseline=f"{megabytes(before.peak_kb)} for {before.rows:,} values",
            target=verdict(result.peak_kb < 300 * 1024, "< 300 MB"),
        )
        figure(
            f"export {name} speed (process wall time)",
            f"{result.rows / result.seconds:,.0f} rows/s",
            note=f"{human(result.seconds)} with start-up, {result.megabytes:,.0f} MB file",
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
