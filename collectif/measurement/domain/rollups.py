"""Rollups: the movement's aggregates, rebuilt slice by slice from approved values.

A *slice* is one indicator in one period. A full rebuild adds up every organisation's
contribution to each cell. Approving or reopening a submission applies the difference
in one organisation's contribution, in the same transaction, computed by the same
`contributions` function: the two cannot drift apart (a property test checks it), and
an approval costs the same whatever the number of values already approved.

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
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import models, transaction

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


@dataclass
class _Accumulator:
    total: Decimal = Decimal(0)
    count: int = 0
    weighted_total: Decimal = Decimal(0)
    weight: Decimal = Decimal(0)
    latest: Decimal | None = None
    latest_at: datetime | None = None
    organisations: set[int] = field(default_factory=set)


def _approved_values(
    indicator_id: int, period_id: int
) -> dict[int, tuple[dict[str, Decimal], datetime | None, str]]:
    """Approved values of a slice, grouped by organisation (with review time, head office)."""
    rows = Value.objects.filter(
        indicator_id=indicator_id,
        period_id=period_id,
        submission__status=Submission.Status.APPROVED,
    ).values_list(
        "organisation_id",
        "breakdown",
        "value",
        "submission__reviewed_at",
        "organisation__head_office_province_id",
    )
    grouped: dict[int, tuple[dict[str, Decimal], datetime | None, str]] = {}
    for organisation_id, breakdown, value, reviewed_at, head_office in rows.iterator(
        chunk_size=5000
    ):
        entry = grouped.setdefault(organisation_id, ({}, reviewed_at, head_office))
        entry[0][breakdown] = value
    return grouped


def compute_slice(indicator: Indicator, period_id: int) -> list[Rollup]:
    """The rollup rows of one slice, computed from approved values (not saved)."""
    accumulators: dict[Cell, _Accumulator] = defaultdict(_Accumulator)
    weight_id = _weight_indicator_id(indicator)
    weights = (
        {o: values for o, (values, _, _) in _approved_values(weight_id, period_id).items()}
        if weight_id
        else {}
    )
    is_latest = indicator.aggregation == Indicator.Aggregation.LATEST
    for organisation_id, (values, reviewed_at, head_office) in sorted(
        _approved_values(indicator.pk, period_id).items()
    ):
        own_weights = weights.get(organisation_id, {}) if weight_id else None
        for cell, part in contributions(
            indicator, values, weights=own_weights, head_office=head_office
        ).items():
            acc = accumulators[cell]
            acc.total += part.value
            acc.count += 1
            acc.organisations.add(organisation_id)
            weighted, weight = _weighted(part)
            acc.weighted_total += weighted
            acc.weight += weight
            if is_latest and (
                reviewed_at is None or acc.latest_at is None or reviewed_at >= acc.latest_at
            ):
                acc.latest, acc.latest_at = part.value, reviewed_at
    return [
        Rollup(
            indicator_id=indicator.pk,
            period_id=period_id,
            region=region,
            member=member,
            total=acc.total,
            count=acc.count,
            weighted_total=acc.weighted_total,
            weight=acc.weight,
            latest=acc.latest,
            organisations=len(acc.organisations),
        )
        for (region, member), acc in sorted(accumulators.items())
    ]


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
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={s[0] for s in slices})}
    for indicator_id, period_id in slices:
        Rollup.objects.filter(indicator_id=indicator_id, period_id=period_id).delete()
        rows = compute_slice(indicators[indicator_id], period_id)
        Rollup.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
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
    "latest value" indicators, which cannot be updated by difference, are rebuilt.
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
    """Recompute every rollup from raw approved values (`collectif measurement rebuild-rollups`)."""
    Rollup.objects.all().delete()
    return rebuild_slices(approved_slices(), progress)
