"""The completeness page with 100 and then 15,000 partners: it must cost about the same.

The page's counts and its order need every partner (how many are late, waiting,
approved); they are kept under the results version, which every submission, approval and
change of who reports what moves, so a warm page reads only its own rows. The first
request after a change pays the count and the sort: printed beside the warm figure. The page's warm
median is printed at both sizes with their ratio (target: flat, at most 1.5×), beside the
cheapest way to get the same counts, one indexed GROUP BY, timed at both sizes too.

Part of `bench/measurement.py`, or alone: `python bench/completeness.py` builds its own
throw-away database (BENCH_DATABASE, default collectif_bench) and loads the demo first.
"""

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    ROUNDS,
    WARMUP,
    figure,
    ms,
    raw_connection,
    run_alone,
    say,
    verdict,
)

SIZES = (100, 15_000)
# Far from the slugs the value generator gives its partners (bench-org-0, 1, ...).
FIRST_PARTNER = 5_000_000
FLAT = 1.5

COUNTS = """
SELECT coalesce(s.status, 'none'), count(*)
FROM measurement_dataset_organisations a
JOIN ecosystem_organisation o ON o.id = a.organisation_id AND o.archived_at IS NULL
LEFT JOIN measurement_submission s
  ON s.organisation_id = a.organisation_id AND s.dataset_id = a.dataset_id
  AND s.period_id = %s
WHERE a.dataset_id = ANY(%s)
GROUP BY 1
"""


def _period_and_datasets() -> tuple[Any, list[int]]:
    """The period the page opens on, and the active datasets that report for it."""
    from collectif.measurement.selectors import completeness, results

    period = results.completeness_periods()[0]
    rows = completeness.completeness_rows(period).values_list("dataset_id", flat=True)
    return period, sorted(set(rows.distinct()))


def add_partners(count: int, first: int, period: Any, datasets: list[int]) -> None:
    """`count` new partners assigned to the period's datasets; of every three, one has
    not reported, one waits for approval and one is approved."""
    from bench.loading import create_organisations
    from collectif.measurement.models import Dataset, Submission

    partners = create_organisations(count, first)
    through: Any = Dataset.organisations.through
    through.objects.bulk_create(
        [
            through(dataset_id=dataset, organisation_id=pk)
            for pk, _home, _other in partners
            for dataset in datasets
        ],
        batch_size=5000,
    )
    statuses = [None, Submission.Status.SUBMITTED, Submission.Status.APPROVED]
    Submission.objects.bulk_create(
        [
            Submission(organisation_id=pk, dataset_id=dataset, period=period, status=status)
            for n, (pk, _home, _other) in enumerate(partners)
            for dataset in datasets
            if (status := statuses[n % 3]) is not None
        ],
        batch_size=5000,
    )
    conn = raw_connection()
    for table in ("ecosystem_organisation", "measurement_submission"):
        conn.execute(f"ANALYZE {table}")
    conn.execute("ANALYZE measurement_dataset_organisations")
    conn.close()


def _moved() -> None:
    """What a submission or an assignment does: the page's counts and order are rebuilt."""
    from django.db import transaction

    from collectif.core.results_version import results_version_bump

    with transaction.atomic():
        results_version_bump()


def time_page(url: str) -> tuple[float, float, int]:
    """The page's warm median and its median just after a change (whole response, as
    staff), and its size in rows."""
    from django.test import Client

    from collectif.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="staff@example.org"))  # the demo's staff
    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    warm, cold = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - start)
        _moved()
        start = time.perf_counter()
        client.get(url)
        cold.append(time.perf_counter() - start)
    return statistics.median(warm), statistics.median(cold), response.content.count(b"<tr")


def time_counts(period_id: int, datasets: list[int]) -> float:
    conn = raw_connection()
    for _ in range(WARMUP):
        conn.execute(COUNTS, [period_id, datasets]).fetchall()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        conn.execute(COUNTS, [period_id, datasets]).fetchall()
        samples.append(time.perf_counter() - start)
    conn.close()
    return statistics.median(samples)


def assigned(period: Any) -> int:
    from collectif.measurement.selectors.completeness import completeness_rows

    return completeness_rows(period).count()


def completeness_benchmarks() -> None:
    """Time the page at each size of SIZES, partners added on top of those already there."""
    period, datasets = _period_and_datasets()
    url = f"/en/measurement/completeness/?period={period.code}"
    say(f"\nCompleteness page ({url}), {ROUNDS} warm requests, median")
    added = 0
    timings: list[tuple[int, float, float, float]] = []
    for size in SIZES:
        add_partners(size - added, FIRST_PARTNER + added, period, datasets)
        _moved()
        added = size
        page, cold, rows = time_page(url)
        counts = time_counts(period.pk, datasets)
        total = assigned(period)
        timings.append((total, page, cold, counts))
        figure(
            f"completeness page, {total:,} partner reports",
            ms(page),
            baseline=f"GROUP BY of the counts {ms(counts)}",
            ratio=f"{page / counts:,.1f}×",
            note=f"{rows} table rows on the page; first request after a change {ms(cold)}",
        )
    (small, first, cold_first, base_first) = timings[0]
    (large, last, cold_last, base_last) = timings[-1]
    figure(
        f"completeness page: {small:,} → {large:,} reports",
        f"{last / first:,.2f}×",
        baseline=f"GROUP BY {base_last / base_first:,.2f}×",
        target=verdict(last / first <= FLAT, f"flat (≤ {FLAT}×)"),
        note=f"first request after a change: {cold_last / cold_first:,.2f}×",
    )


def main() -> int:
    return run_alone("completeness", completeness_benchmarks)


if __name__ == "__main__":
    sys.exit(main())
