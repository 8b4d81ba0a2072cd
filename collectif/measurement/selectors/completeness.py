"""Who has reported, who is late, and when they were last reminded.

The completeness page reads one period at a time: for that period every assigned
organisation × dataset is in one of four states, late first, computed and sorted in the
database so that a page of rows costs the same few queries however many partners there
are. The organisation page reads the same states for one organisation's current periods.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from collectif.core.models import Job
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.results import FREQUENCY_KINDS
from collectif.measurement.models import Dataset, Period, Submission
from collectif.measurement.selectors.results import REMINDER_JOB, _open_periods

LATE = "late"
DUE = "due"
WAITING = "submitted"
APPROVED = "approved"
# The order staff work in: chase the late, then the due, then review, then nothing.
STATES = (LATE, DUE, WAITING, APPROVED)
STATE_LABELS: dict[str, str | Promise] = {
    LATE: _("Late"),
    DUE: _("Not reported yet"),
    WAITING: _("Waiting for approval"),
    APPROVED: _("Approved"),
}
# How many of the latest reminder jobs of a period are read for "last reminded".
REMINDER_JOBS_READ = 50


def state_of(status: str | None, period: Period, *, today: date | None = None) -> str:
    """Where a report stands: a draft or a returned report still counts as not reported."""
    if status == Submission.Status.APPROVED:
        return APPROVED
    if status == Submission.Status.SUBMITTED:
        return WAITING
    today = today or timezone.localdate()
    return LATE if period.deadline is not None and period.deadline < today else DUE


def _frequencies(period: Period) -> list[str]:
    return [frequency for frequency, kinds in FREQUENCY_KINDS.items() if period.kind in kinds]


def _assignments() -> QuerySet[Any]:
    through: type[Model] = Dataset.organisations.through
    return through._default_manager.all()


def _sort_name() -> Any:
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    other = "en" if language == "fr" else "fr"
    text: CharField[str, str] = CharField()
    return Lower(
        Coalesce(
            NullIf(F(f"organisation__name_{language}"), Value(""), output_field=text),
            F(f"organisation__name_{other}"),
            output_field=text,
        )
    )


def completeness_rows(period: Period, dataset: Dataset | None = None) -> QuerySet[Any]:
    """Each active organisation × active dataset that reports for this period, with its
    state, the late first, then by name. Rows carry `organisation`, `dataset`,
    `submission_id`, `submission_status` and `state`; filter on `state` to narrow."""
    late = state_of(None, period) == LATE
    rows = _assignments().filter(
        organisation__archived_at__isnull=True,
        dataset__is_active=True,
        dataset__frequency__in=_frequencies(period),
    )
    if dataset is not None:
        rows = rows.filter(dataset_id=dataset.pk)
    # One LEFT JOIN (at most one submission per organisation, dataset and period), not a
    # subquery per row: the counts read every row, and must stay cheap at 15,000 partners.
    current = FilteredRelation(
        "organisation__submissions",
        condition=Q(
            organisation__submissions__period_id=period.pk,
            organisation__submissions__dataset_id=F("dataset_id"),
        ),
    )
    annotated: QuerySet[Any] = (
        rows.select_related("organisation", "dataset")
        .annotate(current=current)
        .annotate(submission_id=F("current__id"), submission_status=F("current__status"))
        .annotate(
            state=Case(
                When(submission_status=Submission.Status.APPROVED, then=Value(APPROVED)),
                When(submission_status=Submission.Status.SUBMITTED, then=Value(WAITING)),
                default=Value(LATE if late else DUE),
                output_field=CharField(),
            ),
            sort_name=_sort_name(),
        )
        .annotate(
            rank=Case(
                *[When(state=state, then=Value(index)) for index, state in enumerate(STATES)],
                output_field=IntegerField(),
            ),
        )
        .order_by("rank", "sort_name", "dataset__code", "pk")
    )
    return annotated


def completeness_summary(
    period: Period, dataset: Dataset | None = None
) -> tuple[dict[str, int], int]:
    """How many rows are in each state (every state present), and how many organisations
    still owe at least one report: one scan of the rows, in one query, which the view
    keeps under the results version."""
    found = (
        completeness_rows(period, dataset)
        .order_by()
        .aggregate(
            **{state: Count("pk", filter=Q(state=state)) for state in STATES},
            missing=Count("organisation_id", distinct=True, filter=Q(state__in=(LATE, DUE))),
        )
    )
    return {state: found[state] or 0 for state in STATES}, found["missing"] or 0


def completeness_page_ids(
    period: Period, dataset: Dataset | None, *, state: str, offset: int, limit: int
) -> list[int]:
    """The rows of one page, in the page's order, by their assignment's id: the sort
    reads every row of the period, so the view keeps this under the results version."""
    rows = completeness_rows(period, dataset)
    if state:
        rows = rows.filter(state=state)
    return list(rows.values_list("pk", flat=True)[offset : offset + limit])


def completeness_rows_by_id(period: Period, dataset: Dataset | None, ids: list[int]) -> list[Any]:
    """The rows of `ids`, in that order, read afresh (one query of a page's size)."""
    found = {row.pk: row for row in completeness_rows(period, dataset).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def last_reminded(period: Period, organisation_ids: Iterable[int]) -> dict[int, datetime]:
    """When each organisation was last sent a reminder for the period (one query).

    Each finished reminder job keeps the organisations it wrote to; the newest job that
    names an organisation gives its date.
    """
    wanted = set(organisation_ids)
    jobs = Job.objects.filter(
        kind=REMINDER_JOB,
        status=Job.Status.SUCCEEDED,
        params__period=period.code,
        finished_at__isnull=False,
    ).order_by("-finished_at")[:REMINDER_JOBS_READ]
    found: dict[int, datetime] = {}
    for finished_at, result in jobs.values_list("finished_at", "result"):
        for organisation_id in (result or {}).get("organisations", []):
            if organisation_id in wanted and finished_at is not None:
                found.setdefault(organisation_id, finished_at)
    return found


# ---- One organisation ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingRow:
    """Where one of an organisation's current reports stands."""

    dataset: Dataset
    period: Period
    submission: Submission | None
    state: str

    @property
    def state_label(self) -> str | Promise:
        return STATE_LABELS[self.state]


def organisation_reporting(organisation: Organisation) -> list[ReportingRow]:
    """Each active dataset the organisation reports, for its newest open period (three
    queries: its datasets, the open periods, its submissions for them)."""
    datasets = list(Dataset.objects.filter(is_active=True, organisations=organisation))
    if not datasets:
        return []
    open_periods = _open_periods(d.frequency for d in datasets)
    current = [(d, open_periods[d.frequency][0]) for d in datasets if open_periods[d.frequency]]
    submissions = {
        (s.dataset_id, s.period_id): s
        for s in Submission.objects.filter(
            organisation=organisation, period_id__in={p.pk for _d, p in current}
        )
    }
    today = timezone.localdate()
    rows = []
    for dataset, period in current:
        submission = submissions.get((dataset.pk, period.pk))
        state = state_of(submission.status if submission else None, period, today=today)
        rows.append(ReportingRow(dataset, period, submission, state))
    rows.sort(key=lambda r: (STATES.index(r.state), r.dataset.code))
    return rows


# ---- The public home's figure -----------------------------------------------------------

RECENT_DAYS = 365


def organisations_reporting_recently(*, today: date | None = None) -> int:
    """Partners listed on the public site with approved data for a period that ended in
    the past year: a subset of the home's partner count, so the two figures agree."""
    today = today or timezone.localdate()
    return (
        Submission.objects.filter(
            status=Submission.Status.APPROVED,
            period__end__gt=today - timedelta(days=RECENT_DAYS),
            period__end__lte=today,
            organisation__is_public=True,
            organisation__archived_at__isnull=True,
        )
        .values("organisation_id")
        .distinct()
        .count()
    )
