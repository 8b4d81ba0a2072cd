"""Dashboards against an indexed GROUP BY of what each page shows, and approval latency."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bench.common import (
    BASELINE_RUNS,
    INDICATOR_PAGE,
    LATEST_PERIOD,
    ROUNDS,
    SCALING_RUNS,
    SCORECARD,
    WARMUP,
    Stopwatch,
    figure,
    human,
    ms,
    percentile,
    say,
    verdict,
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


# The same figures as the rollup table, by a GROUP BY written independently of the
# rebuild: every approved value of every indicator, Canada and each province, for the
# total and every dimension member, over the value columns the database fills.
ROLLUP_FIGURES = """
WITH approved AS (
    SELECT v.indicator_id, v.period_id, v.organisation_id, v.province, v.member, v.value
    FROM measurement_value v
    JOIN measurement_submission s ON s.id = v.submission_id
    WHERE s.status = 'approved'
),
per_partner AS (
    SELECT indicator_id, period_id, organisation_id, member,
           max(value) FILTER (WHERE province = '') AS own_total,
           sum(value) FILTER (WHERE province <> '') AS province_sum
    FROM approved WHERE strpos(member, '|') = 0
    GROUP BY indicator_id, period_id, organisation_id, member
),
by_province AS (
    SELECT DISTINCT indicator_id, period_id, organisation_id FROM approved WHERE province <> ''
),
cells AS (
    SELECT indicator_id, period_id, 'CA' AS region, member,
           coalesce(own_total, province_sum) AS value
    FROM per_partner
    UNION ALL
    SELECT p.indicator_id, p.period_id, o.head_office_province_id, p.member, p.own_total
    FROM per_partner p JOIN ecosystem_organisation o ON o.id = p.organisation_id
    WHERE p.own_total IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM by_province b WHERE b.indicator_id = p.indicator_id
            AND b.period_id = p.period_id AND b.organisation_id = p.organisation_id)
    UNION ALL
    SELECT indicator_id, period_id, province, member, value
    FROM approved WHERE province <> '' AND strpos(member, '|') = 0
)
SELECT indicator_id, period_id, region, member, sum(value), count(*)
FROM cells GROUP BY indicator_id, period_id, region, member
"""


def raw_aggregation() -> tuple[float, int, int]:
    """What the rollup table holds, by an independent GROUP BY of every approved value.

    Same rules as the rollups (a partner's own total, else its province parts; a partner
    that does not report by province counts in its head-office province), for every
    indicator, period, region and dimension member: the rebuild's own work, not a
    cheaper subset. It gets the rebuild's memory for grouping. Returns (p50 seconds,
    cells, cells whose total or count differ from the rollups, or that only one side has).
    """
    from django.db import connection

    from collectif.measurement.models import Rollup

    samples = []
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
        for _ in range(BASELINE_RUNS):
            start = time.perf_counter()
            cursor.execute(ROLLUP_FIGURES)
            rows = cursor.fetchall()
            samples.append(time.perf_counter() - start)
        cursor.execute("RESET work_mem")
    stored = {
        (r.indicator_id, r.period_id, r.region, r.member): (r.total, r.count)
        for r in Rollup.objects.all()
    }
    computed = {
        (i, p, region, member): (total, count) for i, p, region, member, total, count in rows
    }
    differ = sum(
        1 for cell in stored.keys() | computed.keys() if stored.get(cell) != computed.get(cell)
    )
    return statistics.median(samples), len(computed), differ


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
