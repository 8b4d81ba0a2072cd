"""Reads of the submission workflow, scoped to what the person may see.

Stewards see their own organisations' submissions only; backbone staff see all. Anyone
else sees none: unapproved data never leaves the organisation and the backbone.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.accounts.permissions import is_backbone_staff, organisations_acting_for
from collectif.ecosystem.models import Organisation
from collectif.measurement.models import Dataset, Indicator, Period, Submission, Value

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


def submission_list(
    *,
    user: Any,
    organisation: Organisation | None = None,
    dataset: Dataset | None = None,
    period: Period | None = None,
    status: str | None = None,
) -> QuerySet[Submission]:
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
    return (
        Value.objects.filter(submission=submission)
        .select_related("indicator")
        .order_by("indicator__position", "indicator__code", "breakdown")
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
    obligations.sort(
        key=lambda o: (
            STATUS_URGENCY[o.status],
            o.deadline or date.max,
            o.period.start,
            str(o.organisation),
            o.dataset.code,
        )
    )
    return obligations


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
    indicators = Indicator.objects.prefetch_related("dimensions")
    if published_only:
        indicators = indicators.filter(is_published=True)
    return indicators.order_by("position", "code")


def indicator_get(*, code: str, published_only: bool = True) -> Indicator:
    indicator = indicator_list(published_only=published_only).filter(code=code).first()
    if indicator is None:
        raise Http404
    return indicator


def dataset_list(*, active_only: bool = True) -> QuerySet[Dataset]:
    datasets = Dataset.objects.prefetch_related("items__indicator")
    if active_only:
        datasets = datasets.filter(is_active=True)
    return datasets.order_by("code")


def dataset_get(*, code: str) -> Dataset:
    dataset = dataset_list(active_only=False).filter(code=code).first()
    if dataset is None:
        raise Http404
    return dataset


def organisation_for_report(*, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation
