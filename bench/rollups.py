"""The full rollup rebuild, timed against an independent GROUP BY of the same figures."""

import statistics

from bench.common import (
    BASELINE_RUNS,
    Stopwatch,
    figure,
    human,
    verdict,
)
from bench.dashboards import raw_aggregation


def rebuild_rollups(label: str) -> None:
    """As many rebuilds as baseline runs, medians on both sides, so neither is the cold one."""
    from collectif.measurement.domain import rollups

    samples = []
    rows = 0
    for _ in range(BASELINE_RUNS):
        with Stopwatch() as sw:
            rows = rollups.rebuild_all()
        samples.append(sw.seconds)
    rebuild = statistics.median(samples)
    baseline, cells, differ = raw_aggregation()
    ratio = rebuild / baseline
    figure(
        f"rollups.rebuild_all() at {label}",
        human(rebuild),
        baseline=f"independent GROUP BY {human(baseline)}",
        ratio=f"{ratio:,.1f}×",
        target=verdict(ratio <= 2 and not differ, "≤ 2×, numbers equal"),
        note=f"medians of {BASELINE_RUNS} runs; {rows:,} rollup rows; the GROUP BY computes "
        f"Canada and provinces of every indicator, period and member: {cells:,} cells, "
        f"{differ:,} differ (total or count)",
    )
