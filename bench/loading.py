"""The generator: millions of approved raw values through COPY, in the demo's shape."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import (
    LATEST_PERIOD,
    Stopwatch,
    figure,
    human,
    raw_connection,
    say,
)

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
