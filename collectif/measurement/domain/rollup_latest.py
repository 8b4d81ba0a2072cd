"""A rollup's "latest value", kept up to date by approvals and reopens without a rebuild.

The latest value of a cell is that of the organisation reviewed most recently (the
highest organisation id on a tie), as the full rebuild ranks them. Each row remembers
whose value it holds and when that was reviewed, so one organisation's change is
decided by comparison: an approval newer than the holder takes the cell; only when the
holder leaves a cell (a reopen) is the next latest looked up, for those cells alone.
"""

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from collectif.measurement.models import CANADA, Rollup, Submission, Value

Candidate = tuple[datetime, int, Decimal]  # review time, organisation id, value
Cell = tuple[str, str]  # (region, member key)

# What a value without a review time ranks as (approvals always set one).
NEVER = datetime.min.replace(tzinfo=UTC)


def take_latest(row: Rollup, organisation_id: int, candidate: Candidate | None) -> bool:
    """Apply one organisation's new contribution (None: it left the cell) to a row whose
    counts are already updated. False when the next latest must be looked up."""
    holder = row.latest_organisation_id
    if holder is None:
        # Nobody recorded (a new cell, or rows written before holders were kept): the
        # candidate holds only a cell that is its alone.
        if candidate is not None and row.organisations == 1:
            row.latest_reviewed_at, row.latest_organisation_id, row.latest = candidate
            return True
        return False
    if candidate is not None and candidate[:2] >= (row.latest_reviewed_at or NEVER, holder):
        row.latest_reviewed_at, row.latest_organisation_id, row.latest = candidate
        return True
    return holder != organisation_id


def find_latest(period_id: int, rows: list[Rollup]) -> None:
    """Set the latest value of these rows from the approved values of their cells alone."""
    by_indicator: dict[int, list[Rollup]] = defaultdict(list)
    for row in rows:
        by_indicator[row.indicator_id].append(row)
    for indicator_id, cells in by_indicator.items():
        best = _best(indicator_id, period_id, {(r.region, r.member) for r in cells})
        for row in cells:
            found = best.get((row.region, row.member))
            row.latest_reviewed_at, row.latest_organisation_id, row.latest = found or (
                None,
                None,
                None,
            )


def _best(indicator_id: int, period_id: int, wanted: set[Cell]) -> dict[Cell, Candidate]:
    """The newest contribution to each wanted cell, by the rules of `organisation_cells`."""
    approved = Value.objects.filter(
        indicator_id=indicator_id,
        period_id=period_id,
        submission__status=Submission.Status.APPROVED,
    )
    rows = approved.filter(member__in={m for _r, m in wanted}, crosstab=False).values_list(
        "organisation_id",
        "organisation__head_office_province_id",
        "province",
        "member",
        "value",
        "submission__reviewed_at",
    )
    national: dict[int, dict[str, Candidate]] = defaultdict(dict)
    parts: dict[int, dict[Cell, Candidate]] = defaultdict(dict)
    head_office: dict[int, str] = {}
    for organisation_id, head, province, member, value, reviewed_at in rows:
        head_office[organisation_id] = head
        candidate = (reviewed_at or NEVER, organisation_id, value)
        if province:
            parts[organisation_id][(province, member)] = candidate
        else:
            national[organisation_id][member] = candidate
    regions = {region for region, _m in wanted}
    at_home = {o for o in national if head_office[o] in regions and o not in parts}
    # Whether those report by province depends on all their values in the slice.
    by_province = set(parts) | set(
        approved.filter(organisation_id__in=at_home)
        .exclude(province="")
        .values_list("organisation_id", flat=True)
        .distinct()
        if at_home
        else ()
    )
    best: dict[Cell, Candidate] = {}

    def offer(cell: Cell, candidate: Candidate) -> None:
        if cell in wanted and (cell not in best or candidate[:2] > best[cell][:2]):
            best[cell] = candidate

    for organisation_id in national.keys() | parts.keys():
        own = national.get(organisation_id, {})
        summed: dict[str, Candidate] = {}
        for (province, member), candidate in parts.get(organisation_id, {}).items():
            offer((province, member), candidate)
            if member in summed:
                time, _o, total = summed[member]
                candidate = (max(time, candidate[0]), organisation_id, total + candidate[2])
            summed[member] = candidate
        for member, candidate in (summed | own).items():
            offer((CANADA, member), candidate)
            if member in own and organisation_id not in by_province:
                offer((head_office[organisation_id], member), candidate)
    return best
