"""The full rollup rebuild, timed."""

from bench.common import (
    Stopwatch,
    figure,
    human,
    verdict,
)
from bench.dashboards import raw_aggregation


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
