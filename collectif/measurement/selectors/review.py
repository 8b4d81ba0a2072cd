"""What a reviewer reads before approving: each value in words and in natural order,
last period's approved value, the change, and what deserves a second look.

Everything is read for a whole page of submissions at once (the review queue counts
each one's flags): a fixed number of queries whatever the number of submissions,
datasets or values.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from collectif.measurement.domain.breakdowns import BreakdownWords, MemberPlace
from collectif.measurement.domain.validation import (
    CellValue,
    Checks,
    Problem,
    cell_column,
    validate_cells,
)
from collectif.measurement.models import (
    DatasetIndicator,
    Indicator,
    Period,
    Submission,
    ValidationRule,
    Value,
)

HUNDRED = Decimal(100)


def change_threshold() -> Decimal:
    """The change from last period (in %, either way) beyond which a value is flagged."""
    return Decimal(str(settings.COLLECTIF.get("REVIEW_CHANGE_THRESHOLD_PERCENT", 50)))


@dataclass
class ReviewRow:
    """One reported value, beside last period's approved value for the same cell."""

    indicator: Indicator
    breakdown: str
    words: str
    value: Decimal
    previous: Decimal | None = None
    warnings: list[str] = field(default_factory=list)
    threshold: Decimal = HUNDRED

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.value - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        """None without a previous value, or from zero (no share of nothing)."""
        if self.previous is None or self.previous == 0:
            return None
        return (self.value - self.previous) / self.previous * HUNDRED

    @property
    def is_unusual(self) -> bool:
        percent = self.change_percent
        return percent is not None and abs(percent) > self.threshold

    @property
    def flag_count(self) -> int:
        return len(self.warnings) + int(self.is_unusual)


@dataclass
class Review:
    """A submission as its reviewer sees it: its rows and the problems of no single row."""

    submission: Submission
    previous_period: Period | None
    rows: list[ReviewRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def flag_count(self) -> int:
        return len(self.warnings) + sum(row.flag_count for row in self.rows)

    @property
    def is_clean(self) -> bool:
        return self.flag_count == 0

    @property
    def threshold(self) -> Decimal:
        return change_threshold()


def _previous_periods(periods: Iterable[Period]) -> dict[int, Period]:
    """Each period's previous one of the same kind (2026Q1 for 2026Q2), where it exists."""
    wanted = {period.pk: period for period in periods}
    candidates = Period.objects.filter(kind__in={p.kind for p in wanted.values()}).order_by("start")
    previous: dict[int, Period] = {}
    latest: dict[str, Period] = {}
    for period in candidates:
        if period.pk in wanted and period.kind in latest:
            previous[period.pk] = latest[period.kind]
        latest[period.kind] = period
    return previous


def _setup(dataset_ids: set[int]) -> tuple[dict[int, list[DatasetIndicator]], list[ValidationRule]]:
    """Each dataset's items (indicators, dimensions and members read with them), and the
    active rules: what validation and the words need, read once for every dataset."""
    items: dict[int, list[DatasetIndicator]] = defaultdict(list)
    for item in (
        DatasetIndicator.objects.filter(dataset_id__in=dataset_ids)
        .select_related("indicator")
        .prefetch_related("indicator__dimensions__members")
        .order_by("position", "indicator__position", "indicator__code")
    ):
        items[item.dataset_id].append(item)
    rules = list(ValidationRule.objects.filter(is_active=True).select_related("left", "right"))
    return items, rules


def _words(items: Iterable[DatasetIndicator]) -> BreakdownWords:
    members: dict[tuple[str, str], MemberPlace] = {}
    for item in items:
        for dimension in item.indicator.dimensions.all():
            for member in dimension.members.all():
                members[dimension.code, member.code] = (
                    dimension.position,
                    member.position,
                    member.name,
                )
    return BreakdownWords(members)


def _previous_values(
    submissions: Sequence[Submission], previous: dict[int, Period]
) -> dict[tuple[int, int, int, str], Decimal]:
    """Approved values of the previous periods: (organisation, period, indicator,
    breakdown) → value, whichever dataset they were reported in."""
    if not previous:
        return {}
    rows = Value.objects.filter(
        organisation_id__in={s.organisation_id for s in submissions},
        period_id__in={p.pk for p in previous.values()},
        submission__status=Submission.Status.APPROVED,
    ).values_list("organisation_id", "period_id", "indicator_id", "breakdown", "value")
    return {(org, period, indicator, key): value for org, period, indicator, key, value in rows}


def _review(
    submission: Submission,
    values: list[Value],
    *,
    items: list[DatasetIndicator],
    rules: list[ValidationRule],
    before: dict[tuple[int, int, int, str], Decimal],
    previous: Period | None,
) -> Review:
    words = _words(items)
    threshold = change_threshold()
    indicators = {item.indicator.code: item.indicator for item in items}
    order = {item.indicator_id: index for index, item in enumerate(items)}
    problems: list[Problem] = validate_cells(
        [CellValue(v.indicator.code, v.breakdown, v.value) for v in values],
        submission.dataset,
        require_complete=False,
        checks=Checks(indicators, rules),
    )
    by_cell: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        by_cell[problem.column or ""].append(problem.message)
    review = Review(submission=submission, previous_period=previous)
    for value in sorted(
        values,
        key=lambda v: (order.get(v.indicator_id, len(order)), words.sort_key(v.breakdown)),
    ):
        review.rows.append(
            ReviewRow(
                indicator=value.indicator,
                breakdown=value.breakdown,
                words=words.words(value.breakdown),
                value=value.value,
                previous=None
                if previous is None
                else before.get(
                    (submission.organisation_id, previous.pk, value.indicator_id, value.breakdown)
                ),
                warnings=by_cell.pop(cell_column(value.indicator.code, value.breakdown), []),
                threshold=threshold,
            )
        )
    review.warnings = [message for messages in by_cell.values() for message in messages]
    return review


def submission_reviews(*, submissions: Sequence[Submission]) -> dict[int, Review]:
    """Each submission (with its dataset and period read) as its reviewer sees it."""
    if not submissions:
        return {}
    values: dict[int, list[Value]] = defaultdict(list)
    for value in Value.objects.filter(submission__in=submissions).select_related("indicator"):
        values[value.submission_id].append(value)
    previous = _previous_periods(s.period for s in submissions)
    before = _previous_values(submissions, previous)
    items, rules = _setup({s.dataset_id for s in submissions})
    return {
        s.pk: _review(
            s,
            values[s.pk],
            items=items[s.dataset_id],
            rules=rules,
            before=before,
            previous=previous.get(s.period_id),
        )
        for s in submissions
    }


def submission_review(*, submission: Submission) -> Review:
    return submission_reviews(submissions=[submission])[submission.pk]
