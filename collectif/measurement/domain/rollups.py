"""Rollups: the movement's aggregates, rebuilt slice by slice from approved values.

A *slice* is one indicator in one period. A full rebuild adds up every organisation's
contribution to each cell, in the database: one INSERT … SELECT … GROUP BY per
aggregation kind, so it runs at the speed of a GROUP BY over the raw values. Approving
or reopening a submission applies the difference in one organisation's contribution,
in the same transaction, computed by `contributions`: an approval costs the same
whatever the number of values already approved. The SQL restates `contributions`, so
two property tests hold them together: incremental updates equal a full rebuild, and
the full rebuild equals the Python sum of `contributions` it replaced.

How one organisation's values become cells (no double counting):
- Canada total: its own total if reported, else the sum of its province parts.
- Province P: its province-P part if it reports by province; an organisation that does
  not report by province counts entirely in its head-office province.
- One dimension member m (age group, gender...): the same rules, on the cells for m.
Cross-tabulations (age × gender) are stored as reported but not rolled up.

This module writes the rollup rows; how a stored row reads as a figure (a mean, a
weighted mean, a ratio of two indicators) is `domain.results`, the one place every
results channel asks.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction

from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.breakdowns import PROVINCE, make_key, parse_key
from collectif.measurement.models import CANADA, Indicator, Rollup, Submission, Value

Cell = tuple[str, str]  # (region, member key)


def organisation_cells(values: dict[str, Decimal], head_office: str) -> dict[Cell, Decimal]:
    """One organisation's contribution to each (region, member) cell of a slice."""
    parsed = [(parse_key(key), value) for key, value in values.items()]
    by_province = any(PROVINCE in members for members, _ in parsed)
    cells: dict[Cell, Decimal] = {}
    national: dict[str, Decimal] = {}
    from_provinces: dict[str, Decimal] = defaultdict(Decimal)
    for members, value in parsed:
        province = members.get(PROVINCE)
        rest = {dim: code for dim, code in members.items() if dim != PROVINCE}
        if len(rest) > 1:
            continue
        member = make_key(rest)
        if province is None:
            national[member] = value
            if not by_province:
                cells[(head_office, member)] = value
        else:
            cells[(province, member)] = value
            from_provinces[member] += value
    for member in set(national) | set(from_provinces):
        cells[(CANADA, member)] = national.get(member, from_provinces.get(member, Decimal(0)))
    return cells


@dataclass(frozen=True)
class Contribution:
    """What one organisation adds to one cell: its value and, for a weighted mean, its weight."""

    value: Decimal
    weight: Decimal | None


PRECISION = Decimal("0.000001")  # the rollup columns keep six decimal places


def contributions(
    indicator: Indicator,
    own: dict[str, Decimal],
    *,
    weights: dict[str, Decimal] | None,
    head_office: str,
) -> dict[Cell, Contribution]:
    """One organisation's contribution to every cell of a slice.

    The full rebuild adds these up over all organisations; an approval applies the
    difference for one organisation. Both go through this function, so they agree.
    """
    if not own:
        return {}
    weight_cells = organisation_cells(weights, head_office) if weights else {}
    return {
        cell: Contribution(value, weight_cells.get(cell) if weights is not None else None)
        for cell, value in organisation_cells(own, head_office).items()
    }


def _weighted(contribution: Contribution) -> tuple[Decimal, Decimal]:
    if contribution.weight is None:
        return Decimal(0), Decimal(0)
    return (contribution.value * contribution.weight).quantize(PRECISION), contribution.weight


def _weight_indicator_id(indicator: Indicator) -> int | None:
    if indicator.aggregation == Indicator.Aggregation.WEIGHTED_MEAN:
        return indicator.weight_indicator_id
    return None


# ---- Set-based rebuild ------------------------------------------------------------------
#
# A rebuild computes, in the database, exactly what adding up `contributions` over every
# organisation gives: one INSERT … SELECT … GROUP BY per aggregation kind. The SQL below
# is `organisation_cells` restated on rows. A breakdown key is canonical (dimensions
# sorted), so a value's member is its key without the province part, and a key whose
# member still holds "|" is a cross-tabulation, which is not rolled up but still makes
# its organisation one that reports by province. "Latest" takes the value of the most
# recently reviewed organisation (the highest id on a tie), as approvals always set the
# review time.

_RAW = """
    SELECT {indicator} AS indicator_id, {role} AS role, v.period_id, v.organisation_id,
           o.head_office_province_id AS head_office, s.reviewed_at, v.breakdown, v.value,
           {pos}('|' || v.breakdown, '|province:') AS at
    FROM {value} v
    JOIN {indicator_table} i ON {join}
    JOIN {submission} s ON s.id = v.submission_id
    JOIN {organisation} o ON o.id = v.organisation_id
    WHERE s.status = %s AND i.aggregation = %s{where}"""

_CELLS = """
WITH raw AS ({raw}
),
split AS (
    SELECT raw.*, CASE WHEN at = 0 THEN '' ELSE substr('|' || breakdown, at + 10) END AS tail
    FROM raw
),
provinced AS (
    SELECT split.*, substr(tail, 1, {pos}(tail || '|', '|') - 1) AS province FROM split
),
parsed AS (
    SELECT indicator_id, role, period_id, organisation_id, head_office, reviewed_at, value,
           at, province,
           CASE WHEN at = 0 THEN breakdown
                ELSE substr(replace('|' || breakdown, '|province:' || province, ''), 2)
           END AS member
    FROM provinced
),
org_member AS (
    SELECT indicator_id, role, period_id, organisation_id, member,
           max(head_office) AS head_office, max(reviewed_at) AS reviewed_at,
           max(CASE WHEN at = 0 THEN value END) AS national,
           sum(CASE WHEN at > 0 THEN value END) AS from_provinces
    FROM parsed
    GROUP BY indicator_id, role, period_id, organisation_id, member
),
by_province AS (
    SELECT indicator_id, role, period_id, organisation_id
    FROM org_member WHERE from_provinces IS NOT NULL
    GROUP BY indicator_id, role, period_id, organisation_id
),
cells AS (
    SELECT indicator_id, role, period_id, organisation_id, reviewed_at,
           province AS region, member, value
    FROM parsed WHERE at > 0 AND {pos}(member, '|') = 0
    UNION ALL
    SELECT indicator_id, role, period_id, organisation_id, reviewed_at,
           '{canada}', member, coalesce(national, from_provinces)
    FROM org_member WHERE {pos}(member, '|') = 0
    UNION ALL
    SELECT m.indicator_id, m.role, m.period_id, m.organisation_id, m.reviewed_at,
           m.head_office, m.member, m.national
    FROM org_member m
    LEFT JOIN by_province p ON p.indicator_id = m.indicator_id AND p.role = m.role
        AND p.period_id = m.period_id AND p.organisation_id = m.organisation_id
    WHERE p.organisation_id IS NULL AND m.national IS NOT NULL AND {pos}(m.member, '|') = 0
)"""

_COLUMNS = (
    "indicator_id, period_id, region, member, total, count, weighted_total, weight, latest, "
    "organisations"
)

_SELECT: dict[str, str] = {
    Indicator.Aggregation.SUM: """
SELECT indicator_id, period_id, region, member,
       sum(value), count(*), 0, 0, CAST(NULL AS NUMERIC), count(*)
FROM cells GROUP BY indicator_id, period_id, region, member""",
    Indicator.Aggregation.MEAN: """
SELECT indicator_id, period_id, region, member,
       sum(value), count(*), 0, 0, CAST(NULL AS NUMERIC), count(*)
FROM cells GROUP BY indicator_id, period_id, region, member""",
    # Each organisation's value and weight side by side, by grouping rather than by a
    # self-join, which planners estimate badly on a common table expression.
    Indicator.Aggregation.WEIGHTED_MEAN: """
SELECT indicator_id, period_id, region, member, sum(value), count(*),
       coalesce(sum({weighted}), 0), coalesce(sum(weight), 0), CAST(NULL AS NUMERIC), count(*)
FROM (
    SELECT indicator_id, period_id, organisation_id, region, member,
           max(CASE WHEN role = 0 THEN value END) AS value,
           max(CASE WHEN role = 1 THEN value END) AS weight
    FROM cells
    GROUP BY indicator_id, period_id, organisation_id, region, member
) paired
WHERE value IS NOT NULL
GROUP BY indicator_id, period_id, region, member""",
    Indicator.Aggregation.LATEST: """
SELECT indicator_id, period_id, region, member,
       sum(value), count(*), 0, 0, max(CASE WHEN newest = 1 THEN value END), count(*)
FROM (
    SELECT cells.*, row_number() OVER (
        PARTITION BY indicator_id, period_id, region, member
        ORDER BY reviewed_at DESC, organisation_id DESC
    ) AS newest
    FROM cells
) ranked
GROUP BY indicator_id, period_id, region, member""",
}


def _weighted_sql(vendor: str) -> str:
    """A value times its weight, rounded to six decimals as `_weighted` does (half to even).

    SQLite keeps decimals as floating point, so there plain rounding is as close as it gets.
    """
    if vendor != "postgresql":
        return "round(value * weight, 6)"
    scaled = "(value * weight * 1000000)"
    return (
        f"(floor({scaled}) + CASE WHEN {scaled} - floor({scaled}) > 0.5 OR "
        f"({scaled} - floor({scaled}) = 0.5 AND mod(floor({scaled}), 2) <> 0) "
        "THEN 1 ELSE 0 END) * 0.000001"
    )


def _insert_sql(aggregation: str, vendor: str, *, one_slice: bool) -> str:
    """The INSERT … SELECT that writes the rollup rows of every slice of one aggregation kind
    (or of one slice, whose indicator and period are then the last two parameters)."""
    pos = "strpos" if vendor == "postgresql" else "instr"
    where = " AND i.id = %s AND v.period_id = %s" if one_slice else ""
    tables = {
        "value": Value._meta.db_table,
        "indicator_table": Indicator._meta.db_table,
        "submission": Submission._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "pos": pos,
        "where": where,
    }
    raw = _RAW.format(indicator="v.indicator_id", role=0, join="i.id = v.indicator_id", **tables)
    if aggregation == Indicator.Aggregation.WEIGHTED_MEAN:
        raw += "\n    UNION ALL" + _RAW.format(
            indicator="i.id", role=1, join="i.weight_indicator_id = v.indicator_id", **tables
        )
    select = _SELECT[aggregation].replace("{weighted}", _weighted_sql(vendor))
    return (
        f"INSERT INTO {Rollup._meta.db_table} ({_COLUMNS})"
        + _CELLS.format(raw=raw, pos=pos, canada=CANADA)
        + select
    )


def _delete(slice_: tuple[int, int] | None = None) -> None:
    """Delete the rollup rows (of one slice, if given) in one statement.

    Not through the ORM, which would load every row to signal its deletion: the callers
    bump the results version once for the whole change.
    """
    where = " WHERE indicator_id = %s AND period_id = %s" if slice_ else ""
    sql = f"DELETE FROM {Rollup._meta.db_table}{where}"  # noqa: S608 (no outside text)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(slice_ or ()))


def _insert(aggregation: str, slice_: tuple[int, int] | None = None) -> int:
    """Write the rollup rows of one aggregation kind (of one slice only, if given)."""
    sql = _insert_sql(aggregation, connection.vendor, one_slice=slice_ is not None)
    per_raw = [str(Submission.Status.APPROVED), str(aggregation), *(slice_ or ())]
    copies = 2 if aggregation == Indicator.Aggregation.WEIGHTED_MEAN else 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Room to group a rebuild's cells in memory, for this transaction only.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, per_raw * copies)
        return max(int(cursor.rowcount), 0)


def slices_touched(indicator_ids: Iterable[int], period_id: int) -> set[tuple[int, int]]:
    """The slices to refresh when these indicators change: theirs, and those they weight."""
    ids = set(indicator_ids)
    dependants = Indicator.objects.filter(weight_indicator_id__in=ids).values_list("pk", flat=True)
    return {(indicator_id, period_id) for indicator_id in ids | set(dependants)}


@transaction.atomic
def rebuild_slices(
    slices: Iterable[tuple[int, int]], progress: Callable[[int], object] | None = None
) -> int:
    """Replace the rollup rows of these slices; returns how many rows were written.

    `progress` is called with 1 after each slice, so a command can show how far it is.
    """
    written = 0
    slices = sorted(set(slices))
    kinds = dict(
        Indicator.objects.filter(pk__in={s[0] for s in slices}).values_list("pk", "aggregation")
    )
    for indicator_id, period_id in slices:
        _delete((indicator_id, period_id))
        written += _insert(kinds[indicator_id], (indicator_id, period_id))
        if progress is not None:
            progress(1)
    return written


def _organisation_values(
    submission: Submission, indicator_ids: set[int], *, include_submission: bool
) -> dict[int, dict[str, Decimal]]:
    """The organisation's approved values for these indicators in the submission's period,
    with or without the submission's own values."""
    approved = Value.objects.filter(
        organisation_id=submission.organisation_id,
        period_id=submission.period_id,
        indicator_id__in=indicator_ids,
        submission__status=Submission.Status.APPROVED,
    ).exclude(submission_id=submission.pk)
    rows = list(approved.values_list("indicator_id", "breakdown", "value"))
    if include_submission:
        rows += list(
            Value.objects.filter(
                submission_id=submission.pk, indicator_id__in=indicator_ids
            ).values_list("indicator_id", "breakdown", "value")
        )
    grouped: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for indicator_id, breakdown, value in rows:
        grouped[indicator_id][breakdown] = value
    return grouped


@transaction.atomic
def apply_submission(submission: Submission, *, counted_before: bool) -> None:
    """Bring the rollups up to date after a submission entered or left the shared figures.

    Only the submission's organisation changes, so its contribution before and after is
    computed and the difference applied to the cells it touches, under row locks: the
    cost does not grow with the number of other organisations or values. Slices of
    "latest value" indicators, which cannot be updated by difference (the rollup keeps
    no review time to compare with, and a reopen must find the next latest), are
    rebuilt by one SQL statement each.
    """
    counted_now = submission.status == Submission.Status.APPROVED
    if counted_before == counted_now:
        return
    touched = set(
        Value.objects.filter(submission=submission).values_list("indicator_id", flat=True)
    ) | set(submission.dataset.items.values_list("indicator_id", flat=True))
    indicators = list(
        Indicator.objects.filter(
            models.Q(pk__in=touched) | models.Q(weight_indicator_id__in=touched)
        )
    )
    needed = {i.pk for i in indicators} | {
        w for i in indicators if (w := _weight_indicator_id(i)) is not None
    }
    before = _organisation_values(submission, needed, include_submission=counted_before)
    after = _organisation_values(submission, needed, include_submission=counted_now)
    head_office = submission.organisation.head_office_province_id
    latest_slices: set[tuple[int, int]] = set()
    changes: dict[tuple[int, str, str], _Change] = {}
    for indicator in indicators:
        if indicator.aggregation == Indicator.Aggregation.LATEST:
            latest_slices.add((indicator.pk, submission.period_id))
            continue
        weight_id = _weight_indicator_id(indicator)
        old, new = (
            contributions(
                indicator,
                state.get(indicator.pk, {}),
                weights=state.get(weight_id, {}) if weight_id else None,
                head_office=head_office,
            )
            for state in (before, after)
        )
        for cell in old.keys() | new.keys():
            change = _Change()
            for part, sign in ((old.get(cell), -1), (new.get(cell), 1)):
                if part is not None:
                    weighted, weight = _weighted(part)
                    change.total += sign * part.value
                    change.count += sign
                    change.weighted_total += sign * weighted
                    change.weight += sign * weight
            changes[(indicator.pk, *cell)] = change
    _apply_changes(submission.period_id, changes)
    rebuild_slices(latest_slices)


@dataclass
class _Change:
    """How one cell moves when one organisation's contribution changes."""

    total: Decimal = Decimal(0)
    count: int = 0
    weighted_total: Decimal = Decimal(0)
    weight: Decimal = Decimal(0)


def _apply_changes(period_id: int, changes: dict[tuple[int, str, str], _Change]) -> None:
    if not changes:
        return
    Rollup.objects.bulk_create(
        [
            Rollup(indicator_id=indicator_id, period_id=period_id, region=region, member=member)
            for indicator_id, region, member in changes
        ],
        ignore_conflicts=True,
    )
    rows = Rollup.objects.select_for_update().filter(
        period_id=period_id,
        indicator_id__in={key[0] for key in changes},
        region__in={key[1] for key in changes},
        member__in={key[2] for key in changes},
    )
    updated: list[Rollup] = []
    emptied: list[Rollup] = []
    for row in rows:
        change = changes.get((row.indicator_id, row.region, row.member))
        if change is None:
            continue
        row.total += change.total
        row.count += change.count
        row.organisations += change.count
        row.weighted_total += change.weighted_total
        row.weight += change.weight
        (emptied if row.organisations <= 0 else updated).append(row)
    Rollup.objects.bulk_update(
        updated, ["total", "count", "organisations", "weighted_total", "weight"], batch_size=1000
    )
    Rollup.objects.filter(pk__in=[row.pk for row in emptied]).delete()


def approved_slices() -> set[tuple[int, int]]:
    return set(
        Value.objects.filter(submission__status=Submission.Status.APPROVED)
        .values_list("indicator_id", "period_id")
        .distinct()
    )


@transaction.atomic
def rebuild_all(progress: Callable[[int], object] | None = None) -> int:
    """Recompute every rollup from raw approved values (`collectif measurement rebuild-rollups`).

    One statement per aggregation kind; `progress` is called after each with the number of
    slices it wrote.
    """
    _delete()
    written = 0
    for aggregation in Indicator.Aggregation:
        written += _insert(aggregation)
        if progress is not None:
            progress(
                Rollup.objects.filter(indicator__aggregation=aggregation)
                .values("indicator_id", "period_id")
                .distinct()
                .count()
            )
    return written
