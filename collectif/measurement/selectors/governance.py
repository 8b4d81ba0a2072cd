"""What a governance member reads on their home: where the scorecard stands, and what
changed since their last visit.

Governance tables meet every few weeks; between meetings a member wants to know what is
new before they open the scorecard. "New" is read from what the platform already keeps:
submissions' review times (approved reports and the figures they updated) and the audit
trail's plan events (targets, baselines, plan versions). Each is one query.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count

from collectif.agenda.audit import AgendaAction
from collectif.core.audit import event_sentence
from collectif.core.models import AuditEvent
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain.results import ScorecardRow, Status
from collectif.measurement.models import Indicator, Period, Submission

# The audit actions that change what the movement aims for.
PLAN_ACTIONS = (
    AgendaAction.PLAN_VERSION_CREATE,
    AgendaAction.PLAN_VERSION_UPDATE,
    MeasurementAction.TARGET_SET,
    MeasurementAction.TARGET_REMOVE,
    MeasurementAction.BASELINE_SET,
    MeasurementAction.BASELINE_REMOVE,
)
# Statuses a governance table discusses first, the worst first.
NEEDS_ATTENTION = (Status.OFF_TRACK, Status.AT_RISK)
SHOWN = 10


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    icon: str
    tag: str
    count: int


@dataclass(frozen=True)
class ScorecardSummary:
    """How many indicators stand where, and the ones off track or at risk."""

    counts: list[StatusCount]
    attention: list[ScorecardRow]
    total: int


def scorecard_summary(rows: list[ScorecardRow]) -> ScorecardSummary:
    """Counted from the scorecard's own rows, so the home and the scorecard agree."""
    counted = Counter(row.status for row in rows)
    order = (Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.NO_DATA)
    counts = [
        StatusCount(
            status=status,
            label=str(Status.LABELS[status]),
            icon=Status.ICONS[status],
            tag=Status.TAGS[status],
            count=counted[status],
        )
        for status in order
    ]
    attention = sorted(
        (row for row in rows if row.status in NEEDS_ATTENTION),
        key=lambda row: (NEEDS_ATTENTION.index(row.status), row.indicator.code),
    )
    return ScorecardSummary(counts=counts, attention=attention, total=len(rows))


@dataclass(frozen=True)
class PeriodApprovals:
    period: Period
    count: int


@dataclass(frozen=True)
class PlanChange:
    when: datetime
    sentence: str


@dataclass(frozen=True)
class Changes:
    """What changed since a moment; `since` None means "ever" (a first visit)."""

    since: datetime | None
    approved: list[PeriodApprovals] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    plan: list[PlanChange] = field(default_factory=list)

    @property
    def approved_total(self) -> int:
        return sum(item.count for item in self.approved)

    @property
    def is_empty(self) -> bool:
        return not (self.approved or self.indicators or self.plan)


def changes_since(since: datetime, *, published_only: bool = True) -> Changes:
    """Reports approved, indicators with new figures and plan changes after `since`."""
    approved = Submission.objects.filter(status=Submission.Status.APPROVED, reviewed_at__gt=since)
    by_period = list(
        approved.values("period").annotate(count=Count("pk")).order_by("-period__start")
    )
    periods = Period.objects.in_bulk([row["period"] for row in by_period])
    indicators = Indicator.objects.filter(datasets__submissions__in=approved.values("pk"))
    if published_only:
        indicators = indicators.filter(is_published=True)
    events = (
        AuditEvent.objects.filter(
            action__in=[str(action.value) for action in PLAN_ACTIONS], created_at__gt=since
        )
        .select_related("actor")
        .order_by("-created_at")[:SHOWN]
    )
    return Changes(
        since=since,
        approved=[PeriodApprovals(periods[row["period"]], row["count"]) for row in by_period],
        indicators=list(indicators.distinct().order_by("code")[:SHOWN]),
        plan=[PlanChange(event.created_at, event_sentence(event)) for event in events],
    )
