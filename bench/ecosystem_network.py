"""The network map at 5,000 organisations and 50,000 relationships: the job, then the page.

Issue 11 asks for "network metrics for 5,000 organisations and 50,000 relationships
computed as a background job in under 30 s, the map page then served from cache at
least half as fast as a bare view under load". This builds a throw-away PostgreSQL
database (BENCH_DATABASE, default collectif_bench_network, on DATABASE_URL's server),
bulk-creates the organisations (one in ten private) and relationships in the shape of
a real ecosystem (a few hubs many others tie to, every type, some ties both ways), then:

1. runs the metrics task in this process, as the worker does (both analyses: the whole
   network and its public part), and prints its wall time and the process's peak
   memory growth;
2. starts gunicorn (2 sync workers, production settings, Redis as the cache) on that
   database, warms the public map page once, and drives `/health` and the map page with
   wrk at 32 connections for BENCH_HTTP_SECONDS each, alternated twice in the same run,
   printing the ratio of the summed rates.

Nothing is asserted: this prints, people judge. Part of `make bench`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/collectif \
        .venv/bin/python bench/ecosystem_network.py
"""

import itertools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("BENCH_DATABASE", "collectif_bench_network")

import http_load

from bench.common import (
    DEFAULT_URL,
    figure,
    human,
    megabytes,
    ms,
    raw_connection,
    run_alone,
    say,
    server_urls,
    verdict,
)

ORGANISATIONS = int(os.environ.get("BENCH_NETWORK_ORGANISATIONS", "5000"))
RELATIONSHIPS = int(os.environ.get("BENCH_NETWORK_RELATIONSHIPS", "50000"))
MAP = "/en/ecosystem/network/"
SEED = 11


def create_world(organisations: int, relationships: int) -> None:
    """Organisations and ties in bulk from a fixed seed; ends tied by preference to hubs."""
    from collectif.core.models import Province
    from collectif.ecosystem.models import Organisation, Relationship, RelationshipType, Sector

    rng = random.Random(SEED)
    sectors = list(Sector.objects.values_list("pk", flat=True))
    provinces = list(Province.objects.values_list("code", flat=True))
    types = list(RelationshipType.objects.values_list("pk", flat=True))
    created = Organisation.objects.bulk_create(
        [
            Organisation(
                slug=f"network-bench-{n}",
                name=f"Network bench organisation {n}",
                name_en=f"Network bench organisation {n}",
                name_fr=f"Organisme du réseau {n}",
                sector_id=rng.choice(sectors),
                head_office_province_id=rng.choice(provinces),
                is_public=rng.random() >= 0.1,
            )
            for n in range(organisations)
        ],
        batch_size=2000,
    )
    ids = [o.pk for o in created]
    # Preferential ends: the first organisations are hubs (weights fall as 1/rank).
    cumulative = list(itertools.accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(ids))))
    seen: set[tuple[int, int, int]] = set()
    rows = []
    while len(rows) < relationships:
        source = rng.choice(ids)
        target = rng.choices(ids, cum_weights=cumulative)[0]
        kind = rng.choice(types)
        if source == target or (source, target, kind) in seen:
            continue
        seen.add((source, target, kind))
        rows.append(
            Relationship(
                source_id=source, target_id=target, type_id=kind, strength=rng.randint(1, 3)
            )
        )
    Relationship.objects.bulk_create(rows, batch_size=5000)
    conn = raw_connection()
    for table in ("ecosystem_organisation", "ecosystem_relationship"):
        conn.execute(f"ANALYZE {table}")
    conn.close()
    say(f"{organisations:,} organisations, {relationships:,} relationships")


def run_job() -> None:
    from collectif.core.actors import SYSTEM
    from collectif.core.models import Job
    from collectif.core.services import job_create
    from collectif.ecosystem.selectors import network as selectors
    from collectif.ecosystem.tasks import network_analyse

    job = job_create(kind=selectors.ANALYSIS_JOB_KIND, actor=SYSTEM)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    network_analyse.call(str(job.pk))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    whole = selectors.latest_analysis(scope=selectors.SCOPE_ALL)
    assert whole is not None
    figure(
        f"metrics job, {ORGANISATIONS:,} organisations, {RELATIONSHIPS:,} ties",
        human(seconds),
        target=verdict(seconds < 30, "< 30 s"),
        note=f"both analyses; {whole.community_count} communities; "
        f"peak memory +{megabytes(peak - before)} (process {megabytes(peak)})",
    )


def http_benchmark(bench_url: str) -> None:
    with tempfile.TemporaryDirectory() as folder, http_load.redis_for_run() as redis_url:
        static_root = Path(folder) / "static"
        env = http_load.django_env(bench_url, redis_url, static_root)
        collect = [str(http_load.BIN / "collectif"), "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, env=env, cwd=http_load.ROOT, check=True)  # noqa: S603
        say(f"\nHTTP under load: gunicorn (2 sync workers), wrk -c{http_load.CONNECTIONS}")
        loads: dict[str, Any] = {}
        with http_load.gunicorn(env, Path(folder) / "gunicorn.log") as address:
            port = int(address.split(":")[1])
            status, body = http_load.get(port, MAP)
            if status != 200 or 'role="img"' not in body:
                raise RuntimeError(f"the map page answered {status} without its drawing")
            http_load.get(port, MAP)  # the other worker's process warms its own connection
            say(f"  the warm map page weighs {len(body.encode()):,} bytes")
            # Alternated, twice each: a busy machine slows both alike.
            for round_number in (1, 2):
                for label, path in (("/health", "/health"), ("map page (warm)", MAP)):
                    loads[f"{label}, run {round_number}"] = http_load.run_wrk(
                        f"http://{address}{path}", http_load.PROXY
                    )
        health = sum(loads[f"/health, run {r}"].requests_per_second for r in (1, 2))
        page = sum(loads[f"map page (warm), run {r}"].requests_per_second for r in (1, 2))
        ratio = page / health
        for label, load in loads.items():
            figure(
                f"{label} under load",
                f"{load.requests_per_second:,.0f} req/s",
                note=f"p50 {ms(load.p50)}, p99 {ms(load.p99)}, "
                f"{load.failures} failures, {load.socket_errors} socket errors",
            )
        figure(
            "map page vs /health (both runs)",
            f"{ratio:.2f}×",
            target=verdict(ratio >= 0.5, "≥ 0.5×"),
        )


def network_benchmarks() -> None:
    from django.db import connections

    create_world(ORGANISATIONS, RELATIONSHIPS)
    run_job()
    connections.close_all()
    http_benchmark(server_urls(os.environ.get("DATABASE_URL", DEFAULT_URL))[1])


def main() -> int:
    say("(The machine may be shared: compare the ratio, not the absolute figures.)")
    return run_alone("network", network_benchmarks, with_demo=False)


if __name__ == "__main__":
    sys.exit(main())
