"""The gap matrix with 5,000 organisations: one grouped query, close to bare SQL.

Issue 11 asks for the matrix "at 5,000 organisations in one grouped query (query count
pinned)". This builds a throw-away PostgreSQL database (BENCH_DATABASE, default
collectif_bench_gaps, on DATABASE_URL's server), bulk-creates 5,000 organisations in the
demo's shape (sectors, head offices, provinces and population groups served, equity
identities, a pipeline stage, one in ten without a pipeline row yet), then times, warm,
in the same run:

- `gap_matrix()` for each axis: everything the page needs (sectors, columns, targets,
  the counts, the statuses), as the page calls it;
- the bare indexed GROUP BY over the same joins, written in SQL on a raw connection.

It prints the medians, their ratio, and the queries the selector makes (all of them, and
how many are grouped). No threshold is asserted: this prints, people judge.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collectif \
        .venv/bin/python bench/ecosystem_gaps.py
"""

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("BENCH_DATABASE", "collectif_bench_gaps")

from bench.common import (
    ROUNDS,
    WARMUP,
    figure,
    ms,
    raw_connection,
    run_alone,
    say,
)

ORGANISATIONS = int(os.environ.get("BENCH_GAP_ORGANISATIONS", "5000"))
SEED = 11

# The same counts as the selector's grouped query, with the same joins and filters.
BARE = {
    "province": """
SELECT o.sector_id, coalesce(ps.province_id, o.head_office_province_id),
       coalesce(e.stage, 'identified'), count(*)
FROM ecosystem_organisation o
LEFT JOIN ecosystem_engagement e ON e.organisation_id = o.id
LEFT JOIN ecosystem_organisation_provinces_served ps ON ps.organisation_id = o.id
WHERE o.archived_at IS NULL
GROUP BY 1, 2, 3
""",
    "population": """
SELECT o.sector_id, g.code, coalesce(e.stage, 'identified'), count(*)
FROM ecosystem_organisation o
LEFT JOIN ecosystem_engagement e ON e.organisation_id = o.id
JOIN ecosystem_organisation_populations_served pg ON pg.organisation_id = o.id
JOIN ecosystem_populationgroup g ON g.id = pg.populationgroup_id
WHERE o.archived_at IS NULL
GROUP BY 1, 2, 3
""",
}


def _pick(rng: random.Random, items: list[Any], most: int) -> list[Any]:
    return rng.sample(items, rng.randint(0, most))


def create_world(count: int) -> None:
    """`count` organisations and their links, in bulk, from a fixed seed."""
    from datetime import date

    from collectif.core.models import Province
    from collectif.ecosystem.models import (
        Engagement,
        EquityIdentity,
        Organisation,
        PopulationGroup,
        Sector,
        Stage,
    )

    rng = random.Random(SEED)
    sectors = list(Sector.objects.values_list("pk", flat=True))
    provinces = list(Province.objects.values_list("code", flat=True))
    groups = list(PopulationGroup.objects.values_list("pk", flat=True))
    identities = list(EquityIdentity.objects.values_list("pk", flat=True))
    stages = [s.value for s in Stage]
    weights = [30, 20, 15, 12, 10, 8, 5]
    created = Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"gap-bench-{n}",
                name=f"Gap bench organisation {n}",
                name_en=f"Gap bench organisation {n}",
                name_fr=f"Organisme d’essai {n}",
                sector_id=rng.choice(sectors),
                head_office_province_id=rng.choice(provinces),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    served: Any = Organisation.provinces_served.through
    populations: Any = Organisation.populations_served.through
    equity: Any = Organisation.equity_identities.through
    links: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    engagements = []
    for organisation in created:
        pk = organisation.pk
        # Three in ten list no province served: they count at their head office.
        if rng.random() >= 0.3:
            for code in _pick(rng, provinces, 4) or [organisation.head_office_province_id]:
                links[0].append(served(organisation_id=pk, province_id=code))
        links[1].extend(
            populations(organisation_id=pk, populationgroup_id=g) for g in _pick(rng, groups, 3)
        )
        links[2].extend(
            equity(organisation_id=pk, equityidentity_id=i) for i in _pick(rng, identities, 2)
        )
        if rng.random() >= 0.1:
            engagements.append(
                Engagement(
                    organisation_id=pk,
                    stage=rng.choices(stages, weights)[0],
                    stage_since=date(2026, 1, 5),
                )
            )
    for model, rows in zip((served, populations, equity), links, strict=True):
        model.objects.bulk_create(rows, batch_size=5000)
    Engagement.objects.bulk_create(engagements, batch_size=5000)
    conn = raw_connection()
    for table in (
        "ecosystem_organisation",
        "ecosystem_engagement",
        "ecosystem_organisation_provinces_served",
        "ecosystem_organisation_populations_served",
        "ecosystem_organisation_equity_identities",
    ):
        conn.execute(f"ANALYZE {table}")
    conn.close()
    say(
        f"{count:,} organisations, {len(links[0]):,} provinces served, "
        f"{len(links[1]):,} population groups served, {len(engagements):,} pipeline rows"
    )


def paired_medians(
    first: Callable[[], object], second: Callable[[], object]
) -> tuple[float, float]:
    """Both medians, their calls alternating, so a busy machine slows both alike."""
    for _ in range(WARMUP):
        first()
        second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(ROUNDS):
        for work, found in ((first, samples[0]), (second, samples[1])):
            start = time.perf_counter()
            work()
            found.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def gap_benchmarks() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from collectif.ecosystem.selectors.gaps import gap_matrix

    create_world(ORGANISATIONS)
    conn = raw_connection()
    say(f"\nGap matrix, {ROUNDS} warm calls, median")
    for axis, sql in BARE.items():
        with CaptureQueriesContext(connection) as captured:
            matrix = gap_matrix(axis=axis)
        grouped = sum("GROUP BY" in q["sql"] for q in captured.captured_queries)
        cells = sum(c.total for row in matrix.rows for c in row.cells)
        bare_rows = conn.execute(sql).fetchall()
        assert cells == sum(r[3] for r in bare_rows if r[1] in {c.key for c in matrix.columns})
        selector, bare = paired_medians(
            lambda axis=axis: gap_matrix(axis=axis),
            lambda sql=sql: conn.execute(sql).fetchall(),
        )
        figure(
            f"gap matrix by {axis}, {ORGANISATIONS:,} organisations",
            ms(selector),
            baseline=f"bare GROUP BY {ms(bare)}",
            ratio=f"{selector / bare:,.1f}×",
            note=f"{len(captured.captured_queries)} queries, {grouped} grouped",
        )
    conn.close()


def main() -> int:
    return run_alone("gap matrix", gap_benchmarks, with_demo=False)


if __name__ == "__main__":
    sys.exit(main())
