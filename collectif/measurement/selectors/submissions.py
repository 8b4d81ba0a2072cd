"""Reads of the submission workflow, scoped to what the person may see.

Stewards see their own organisations' submissions only; backbone staff see all. Anyone
else sees none: unapproved data never leaves the organisation and the backbone.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.accounts.permissions import is_backbone_staff, organisations_acting_for
from collectif.ecosystem.models import Organisation
from collectif.measurement.models import (
    Dataset,
    DatasetIndicator,
    Indicator,
    Period,
    Rollup,
    Submission,
    SubmissionVersion,
    Value,
)

NOT_STARTED = "not_started"
STATUS_LABELS: dict[str, Promise] = {
    NOT_STARTED: _("Not started"),
    **{status.value: status.label for status in Submission.Status},
}
# What a steward must act on first: sent back to them, then not yet sent, then waiting.
STATUS_URGENCY = {
    Submission.Status.RETURNED: 0,
    NOT_STARTED: 1,
    Submission.Status.DRAFT: 1,
    Submission.Status.SUBMITTED: 2,
    Submission.Status.APPROVED: 3,
}
PERIOD_KINDS: dict[str, list[str]] = {
    Indicator.Frequency.YEAR: [Period.Kind.YEAR, Period.Kind.FISCAL_YEAR],
    Indicator.Frequency.QUARTER: [Period.Kind.QUARTER],
    Indicator.Frequency.MONTH: [Period.Kind.MONTH],
}


def _ordered_values() -> QuerySet[Value]:
    return Value.objects.select_related("indicator").order_by(
        "indicator__position", "indicator__code", "breakdown"
    )


def submission_list(
    *,
    user: Any,
    organisation: Organisation | None = None,
    dataset: Dataset | None = None,
    period: Period | None = None,
    status: str | None = None,
) -> QuerySet[Submission]:
    """The submissions this person may see."""
    submissions = Submission.objects.select_related(
        "organisation", "dataset", "period", "submitted_by", "reviewed_by"
    )
    if not is_backbone_staff(user):
        submissions = submissions.filter(organisation_id__in=organisations_acting_for(user))
    if organisation is not None:
        submissions = submissions.filter(organisation=organisation)
    if dataset is not None:
        submissions = submissions.filter(dataset=dataset)
    if period is not None:
        submissions = submissions.filter(period=period)
    if status:
        submissions = submissions.filter(status=status)
    return submissions.order_by("-period__start", "organisation__slug", "dataset__code")


def submission_get(*, user: Any, pk: int) -> Submission:
    """The submission if this person may see it; 404 otherwise, so its existence stays
    private too."""
    submission = submission_list(user=user).filter(pk=pk).first()
    if submission is None:
        raise Http404
    return submission


def submission_values(*, submission: Submission) -> QuerySet[Value]:
    return _ordered_values().filter(submission=submission)


def submission_value_list(*, submission: Submission) -> list[Value]:
    return list(submission_values(submission=submission))


def submission_versions(*, submission: Submission) -> QuerySet[SubmissionVersion]:
    return SubmissionVersion.objects.filter(submission=submission).select_related("created_by")


def submission_find(
    *, organisation_slug: str, dataset_code: str, period_code: str
) -> Submission | None:
    """An organisation's submission of a dataset for a period, by their codes (the CLI)."""
    return (
        Submission.objects.select_related("organisation", "dataset", "period")
        .filter(
            organisation__slug=organisation_slug,
            dataset__code=dataset_code,
            period__code=period_code,
        )
        .first()
    )


def review_queue() -> QuerySet[Submission]:
    """Submissions waiting for approval, the longest-waiting first."""
    return (
        Submission.objects.filter(status=Submission.Status.SUBMITTED)
        .select_related("organisation", "dataset", "period", "submitted_by")
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class Obligation:
    """One report an organisation owes: a dataset for a period, and where it stands."""

    organisation: Organisation
    dataset: Dataset
    period: Period
    submission: Submission | None
    status: str
    deadline: date | None
    today: date

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]

    @property
    def is_done(self) -> bool:
        return self.status in {Submission.Status.SUBMITTED, Submission.Status.APPROVED}

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.deadline is not None and self.deadline < self.today

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.today).days


def _opens_on(period: Period) -> date:
    return period.opens_on or period.end + timedelta(days=1)


def steward_obligations(*, user: Any, today: date | None = None) -> list[Obligation]:
    """What the person's organisations owe: each assigned active dataset for each period
    whose window is open, plus past periods still not sent; the most urgent first."""
    today = today or timezone.localdate()
    organisation_ids = organisations_acting_for(user)
    if not organisation_ids:
        return []
    organisations = Organisation.objects.filter(pk__in=organisation_ids)
    assigned: dict[int, list[Dataset]] = {}
    active = Dataset.objects.filter(is_active=True, organisations__in=organisation_ids)
    datasets = {d.pk: d for d in active.distinct()}
    for dataset_id, organisation_id in active.values_list("pk", "organisations"):
        assigned.setdefault(organisation_id, []).append(datasets[dataset_id])
    periods = [
        period
        for period in Period.objects.filter(
            Q(opens_on__lte=today) | Q(opens_on__isnull=True, end__lt=today)
        )
        if _opens_on(period) <= today
    ]
    submissions = {
        (s.organisation_id, s.dataset_id, s.period_id): s
        for s in Submission.objects.filter(organisation_id__in=organisation_ids)
    }
    obligations = []
    for organisation in organisations:
        for dataset in assigned.get(organisation.pk, []):
            kinds = PERIOD_KINDS.get(dataset.frequency, [])
            for period in periods:
                if period.kind not in kinds:
                    continue
                submission = submissions.get((organisation.pk, dataset.pk, period.pk))
                status = submission.status if submission else NOT_STARTED
                closed = period.deadline is not None and period.deadline < today
                if closed and status == Submission.Status.APPROVED:
                    continue
                obligations.append(
                    Obligation(
                        organisation=organisation,
                        dataset=dataset,
                        period=period,
                        submission=submission,
                        status=status,
                        deadline=period.deadline,
                        today=today,
                    )
                )
    current = _current_periods(periods)
    obligations.sort(
        key=lambda o: (
            _standing(o, current),
            STATUS_URGENCY[o.status],
            o.deadline or date.max,
            o.period.start,
            str(o.organisation),
            o.dataset.code,
        )
    )
    return obligations


def _current_periods(periods: list[Period]) -> set[int]:
    """Of each kind, the period whose reporting window opened last: what "now" asks for."""
    latest: dict[str, Period] = {}
    for period in periods:
        seen = latest.get(period.kind)
        if seen is None or _opens_on(period) > _opens_on(seen):
            latest[period.kind] = period
    return {period.pk for period in latest.values()}


def _standing(obligation: Obligation, current: set[int]) -> int:
    """The current period's late reports first, then its other ones, then older ones
    still owed (a report returned years ago never jumps ahead of this quarter's), then
    those already sent."""
    if obligation.is_done:
        return 3
    if obligation.period.pk in current:
        return 0 if obligation.is_overdue else 1
    return 2


def recent_submissions(*, user: Any, limit: int = 10) -> list[Submission]:
    """What the person's organisations sent lately, for the steward's home."""
    return list(
        submission_list(user=user)
        .exclude(status=Submission.Status.DRAFT)
        .order_by("-submitted_at")[:limit]
    )


def period_list(*, kind: str | None = None) -> QuerySet[Period]:
    periods = Period.objects.all()
    if kind:
        periods = periods.filter(kind=kind)
    return periods.order_by("start", "kind")


def period_get(*, code: str) -> Period:
    period = Period.objects.filter(code=code.strip().upper()).first()
    if period is None:
        raise Http404
    return period


def indicator_list(*, published_only: bool = True) -> QuerySet[Indicator]:
    """Indicators with what describing each needs: the indicators it is computed from
    or weighted by, and its dimensions, read with the list."""
    indicators = Indicator.objects.select_related(
        "numerator", "denominator", "weight_indicator"
    ).prefetch_related("dimensions")
    if published_only:
        indicators = indicators.filter(is_published=True)
    return indicators.order_by("position", "code")


def indicator_get(*, code: str, published_only: bool = True) -> Indicator:
    indicator = indicator_list(published_only=published_only).filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def _dataset_items() -> QuerySet[DatasetIndicator]:
    return DatasetIndicator.objects.select_related("indicator").prefetch_related(
        "indicator__dimensions"
    )


def dataset_list(*, active_only: bool = True) -> QuerySet[Dataset]:
    """Datasets with their items, each item's indicator and its dimensions, read with
    the list: `dataset.items.all()` costs no query."""
    datasets = Dataset.objects.all().prefetch_related(Prefetch("items", queryset=_dataset_items()))
    if active_only:
        datasets = datasets.filter(is_active=True)
    return datasets.order_by("code")


def dataset_get(*, code: str) -> Dataset:
    dataset = dataset_list(active_only=False).filter(code=code).first()
    if dataset is None:
        raise Http404
    return dataset


def dataset_find(*, code: str) -> Dataset | None:
    return Dataset.objects.filter(code=code).first()


def dataset_codes() -> list[str]:
    return list(Dataset.objects.order_by("code").values_list("code", flat=True))


def dataset_reported_by_any(*, dataset: Dataset, organisation_ids: set[int]) -> bool:
    """Whether one of these organisations is asked to report the dataset."""
    return dataset.organisations.filter(pk__in=organisation_ids).exists()


def datasets_reported_by(*, organisation: Organisation) -> QuerySet[Dataset]:
    """The active datasets an organisation reports, for its upload form."""
    return Dataset.objects.filter(organisations=organisation, is_active=True).order_by("code")


def period_choices(*, kinds: set[str], today: date, limit: int) -> QuerySet[Period]:
    """The `limit` latest periods of these kinds that have started, latest first."""
    latest = (
        Period.objects.filter(kind__in=kinds, start__lte=today)
        .order_by("-start")
        .values_list("pk", flat=True)[:limit]
    )
    return Period.objects.filter(pk__in=list(latest)).order_by("-start")


def period_find(*, code: str) -> Period | None:
    return Period.objects.filter(code=code).first()


def rollup_count(*, period: Period) -> int:
    """How many rollup rows a period has: what an approval brought up to date."""
    return Rollup.objects.filter(period=period).count()


def organisation_for_report(*, slug: str) -> Organisation:
    organisation = organisation_find(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def organisation_find(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def provinces_served(*, organisation: Organisation) -> frozenset[str]:
    """The codes of the provinces and territories an organisation serves; its head
    office's when it has not said: the rows its web form shows first."""
    served = frozenset(organisation.provinces_served.values_list("code", flat=True))
    return served or frozenset({organisation.head_office_province_id})


def organisations_reporting(*, user: Any) -> QuerySet[Organisation]:
    """The organisations this person reports data for."""
    return Organisation.objects.filter(pk__in=organisations_acting_for(user)).order_by("slug")


def sent_submissions(*, user: Any) -> QuerySet[Submission]:
    """Everything the person's organisations sent, the latest first, for a paged list."""
    return (
        submission_list(user=user)
        .exclude(status=Submission.Status.DRAFT)
        .order_by("-submitted_at", "-pk")
    )


def submission_summary_list(
    *,
    user: Any,
    organisation: str = "",
    dataset: str = "",
    period: str = "",
    status: str = "",
) -> QuerySet[Submission]:
    """The submissions this person may see, filtered by codes, each with `value_count`:
    what a list of submissions shows, without reading a single value.

    The count is a subquery rather than a join: PostgreSQL runs it for the page's rows
    only, and counting the list needs no GROUP BY.
    """
    counts = (
        Value.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(count=Count("pk"))
        .values("count")
    )
    submissions = submission_list(user=user, status=status).annotate(
        value_count=Coalesce(Subquery(counts), 0)
    )
    if organisation:
        submissions = submissions.filter(organisation__slug=organisation)
    if dataset:
        submissions = submissions.filter(dataset__code=dataset)
    if period:
        submissions = submissions.filter(period__code=period.strip().upper())
    return submissions
