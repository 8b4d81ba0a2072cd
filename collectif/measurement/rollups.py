"""Rollups: the movement's aggregates, rebuilt slice by slice from approved values.

A *slice* is one indicator in one period. Approving, returning or reopening a submission
rebuilds exactly the slices it touches, in the same transaction, with the same function
that a full rebuild uses: the two cannot drift apart (a property test checks it).

How one organisation's values become cells (no double counting):
- Canada total: its own total if reported, else the sum of its province parts.
- Province P: its province-P part if it reports by province; an organisation that does
  not report by province counts entirely in its head-office province.
- One dimension member m (age group, gender...): the same rules, on the cells for m.
Cross-tabulations (age × gender) are stored as reported but not rolled up.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from collectif.measurement.breakdowns import PROVINCE, make_key, parse_key
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
    weights: dict[int, dict[Cell, Decimal]] = {}
    if (
        indicator.aggregation == Indicator.Aggregation.WEIGHTED_MEAN
        and indicator.weight_indicator_id
    ):
        weights = {
            organisation_id: organisation_cells(values, head_office)
            for organisation_id, (values, _, head_office) in _approved_values(
                indicator.weight_indicator_id, period_id
            ).items()
        }
    for organisation_id, (values, reviewed_at, head_office) in sorted(
        _approved_values(indicator.pk, period_id).items()
    ):
        for cell, value in organisation_cells(values, head_office).items():
            acc = accumulators[cell]
            acc.total += value
            acc.count += 1
            acc.organisations.add(organisation_id)
            weight = weights.get(organisation_id, {}).get(cell)
            if weight is not None:
                acc.weighted_total += value * weight
                acc.weight += weight
            if reviewed_at is None or acc.latest_at is None or reviewed_at >= acc.latest_at:
                acc.latest, acc.latest_at = value, reviewed_at
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
def rebuild_slices(slices: Iterable[tuple[int, int]]) -> int:
    """Replace the rollup rows of these slices; returns how many rows were written."""
    written = 0
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={s[0] for s in slices})}
    for indicator_id, period_id in sorted(set(slices)):
        Rollup.objects.filter(indicator_id=indicator_id, period_id=period_id).delete()
        rows = compute_slice(indicators[indicator_id], period_id)
        Rollup.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def rebuild_for_submission(submission: Submission) -> int:
    indicator_ids = set(
        Value.objects.filter(submission=submission).values_list("indicator_id", flat=True)
    ) | set(submission.dataset.items.values_list("indicator_id", flat=True))
    return rebuild_slices(slices_touched(indicator_ids, submission.period_id))


@transaction.atomic
def rebuild_all() -> int:
    """Recompute every rollup from raw approved values (`collectif measurement rebuild-rollups`)."""
    Rollup.objects.all().delete()
    slices = set(
        Value.objects.filter(submission__status=Submission.Status.APPROVED)
        .values_list("indicator_id", "period_id")
        .distinct()
    )
    return rebuild_slices(slices)
