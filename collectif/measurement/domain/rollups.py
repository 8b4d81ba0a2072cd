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

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from django.db import connection, models, transaction

from collectif.ecosystem.models import Organisation
from collectif.measurement.domain import rollup_sql
from collectif.measurement.domain.breakdowns import PROVINCE, make_key, parse_key
from collectif.measurement.domain.rollup_latest import NEVER, Candidate, find_latest, take_latest
from collectif.measurement.models import CANADA, Indicator, Rollup, Submission, Value

Cell = tuple[str, str]  # (region, member key)
T = TypeVar("T")


def organisation_cells(values: dict[str, Decimal], head_office: str) -> dict[Cell, Decimal]:
    """One organisation's contribution to each (region, member) cell of a slice."""
    return _cells(values, head_office, operator.add)


def _newest(first: datetime, second: datetime) -> datetime:
    return max(first, second)


def cell_times(times: dict[str, datetime], head_office: str) -> dict[Cell, datetime]:
    """When each of an organisation's cells was reviewed: that of the values making it."""
    return _cells(times, head_office, _newest)


def _cells(values: Mapping[str, T], head_office: str, add: Callable[[T, T], T]) -> dict[Cell, T]:
    """The cell rules, for values or for anything else the values carry (`add` combines
    the province parts that make a Canada cell)."""
    parsed = [(parse_key(key), value) for key, value in values.items()]
    by_province = any(PROVINCE in members for members, _ in parsed)
    cells: dict[Cell, T] = {}
    national: dict[str, T] = {}
    from_provinces: dict[str, T] = {}
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
            earlier = from_provinces.get(member)
            from_provinces[member] = value if earlier is None else add(earlier, value)
    for member, value in (from_provinces | national).items():
        cells[(CANADA, member)] = value
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
# organisation gives: one INSERT … SELECT … GROUP BY per aggregation kind (`rollup_sql`).


def _tables() -> dict[str, str]:
    return {
        "value": Value._meta.db_table,
        "indicator": Indicator._meta.db_table,
        "submission": Submission._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "rollup": Rollup._meta.db_table,
        "canada": CANADA,
    }


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
    if slice_ is None:
        ids = list(Indicator.objects.filter(aggregation=aggregation).values_list("pk", flat=True))
    else:
        ids = [slice_[0]]
    if not ids:
        return 0
    one_period = slice_ is not None
    sql = rollup_sql.insert_sql(
        aggregation, connection.vendor, _tables(), indicators=len(ids), one_period=one_period
    )
    per_raw: list[str | int] = [str(Submission.Status.APPROVED), *ids]
    if slice_ is not None:
        per_raw.append(slice_[1])
    copies = 2 if aggregation == Indicator.Aggregation.WEIGHTED_MEAN else 1
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not one_period:
            # Room to hash a rebuild's cells in memory rather than sort them on disk, for
            # this transaction only.
            cursor.execute("SET LOCAL work_mem = '256MB'")
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


Stamped = dict[int, dict[str, tuple[Decimal, datetime]]]  # indicator → key → value, review


def _organisation_values(
    submission: Submission, indicator_ids: set[int], *, include_submission: bool
) -> Stamped:
    """The organisation's approved values for these indicators in the submission's period,
    with or without the submission's own values, each with its review time."""
    approved = Value.objects.filter(
        organisation_id=submission.organisation_id,
        period_id=submission.period_id,
        indicator_id__in=indicator_ids,
        submission__status=Submission.Status.APPROVED,
    ).exclude(submission_id=submission.pk)
    rows = list(
        approved.values_list("indicator_id", "breakdown", "value", "submission__reviewed_at")
    )
    if include_submission:
        rows += [
            (*row, submission.reviewed_at)
            for row in Value.objects.filter(
                submission_id=submission.pk, indicator_id__in=indicator_ids
            ).values_list("indicator_id", "breakdown", "value")
        ]
    grouped: Stamped = defaultdict(dict)
    for indicator_id, breakdown, value, reviewed_at in rows:
        grouped[indicator_id][breakdown] = (value, reviewed_at or NEVER)
    return grouped


def _values(state: Stamped, indicator_id: int) -> dict[str, Decimal]:
    return {key: value for key, (value, _reviewed) in state.get(indicator_id, {}).items()}


@transaction.atomic
def apply_submission(submission: Submission, *, counted_before: bool) -> None:
    """Bring the rollups up to date after a submission entered or left the shared figures.

    Only the submission's organisation changes, so its contribution before and after is
    computed and the difference applied to the cells it touches, under row locks: the
    cost does not grow with the number of other organisations or values. A "latest
    value" cell compares the organisation's review time with its holder's, and looks up
    the next latest only when its holder leaves it (`rollup_latest`).
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
    changes: dict[tuple[int, str, str], _Change] = {}
    for indicator in indicators:
        weight_id = _weight_indicator_id(indicator)
        old, new = (
            contributions(
                indicator,
                _values(state, indicator.pk),
                weights=_values(state, weight_id) if weight_id else None,
                head_office=head_office,
            )
            for state in (before, after)
        )
        latest = indicator.aggregation == Indicator.Aggregation.LATEST
        times = (
            cell_times({k: t for k, (_v, t) in after.get(indicator.pk, {}).items()}, head_office)
            if latest
            else {}
        )
        for cell in old.keys() | new.keys():
            change = _Change(latest=latest)
            if latest and cell in new:
                change.candidate = (times[cell], submission.organisation_id, new[cell].value)
            for part, sign in ((old.get(cell), -1), (new.get(cell), 1)):
                if part is not None:
                    weighted, weight = _weighted(part)
                    change.total += sign * part.value
                    change.count += sign
                    change.weighted_total += sign * weighted
                    change.weight += sign * weight
            changes[(indicator.pk, *cell)] = change
    _apply_changes(submission.period_id, submission.organisation_id, changes)


@dataclass
class _Change:
    """How one cell moves when one organisation's contribution changes."""

    total: Decimal = Decimal(0)
    count: int = 0
    weighted_total: Decimal = Decimal(0)
    weight: Decimal = Decimal(0)
    latest: bool = False  # a "latest value" cell
    candidate: Candidate | None = None  # the organisation's new contribution to it


def _apply_changes(
    period_id: int, organisation_id: int, changes: dict[tuple[int, str, str], _Change]
) -> None:
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
    unknown: list[Rollup] = []  # "latest" cells whose holder left
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
        latest_unknown = change.latest and row.organisations > 0
        if latest_unknown and not take_latest(row, organisation_id, change.candidate):
            unknown.append(row)
    find_latest(period_id, unknown)
    fields = ["total", "count", "organisations", "weighted_total", "weight"]
    if any(change.latest for change in changes.values()):
        fields += ["latest", "latest_organisation", "latest_reviewed_at"]
    Rollup.objects.bulk_update(updated, fields, batch_size=1000)
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
