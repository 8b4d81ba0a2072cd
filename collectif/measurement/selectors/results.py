"""What the movement's results look like: the database reads behind every results channel.

Every figure on a dashboard comes from the Rollup table, which approval keeps current,
so a page costs the same few queries whether partners reported a thousand values or
ten million. (The partner page and completeness read one organisation's own values or
submissions, which stay small.)

What the rows mean (a cell's value, computed ratios, status against the plan, which
cells the public may not see) is decided in `domain.results` and `domain.disclosure`,
so the pages, the CSV, the API and the charts agree; this module only chooses what to
read, in a number of queries that does not grow with the data (for the public, whole
slices in the same one query: whether a cell may be shown depends on its neighbours).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.accounts.models import Membership, Role
from collectif.core.models import Job, Province
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain import rollups
from collectif.measurement.domain.breakdowns import make_key
from collectif.measurement.domain.results import (
    FREQUENCY_KINDS,
    Cell,
    Figure,
    Hidden,
    PlanTargets,
    Rollups,
    ScorecardRow,
    cell_value,
    figure_for,
    input_ids,
    partner_share,
    scorecard_row,
    series_from,
    series_periods,
)
from collectif.measurement.domain.rollups import organisation_cells
from collectif.measurement.models import (
    CANADA,
    Baseline,
    Dataset,
    Dimension,
    DimensionMember,
    Indicator,
    Period,
    Rollup,
    Submission,
    Target,
    Value,
)
from collectif.measurement.selectors.disclosure import public_readings

REMINDER_JOB = "measurement.completeness_reminders"


def _rollups(
    indicator_ids: Iterable[int],
    *,
    regions: Iterable[str] | None = None,
    members: Iterable[str] | None = None,
    period_ids: Iterable[int] | None = None,
) -> Rollups:
    queryset = Rollup.objects.filter(indicator_id__in=set(indicator_ids)).select_related("period")
    if regions is not None:
        queryset = queryset.filter(region__in=set(regions))
    if members is not None:
        queryset = queryset.filter(member__in=set(members))
    if period_ids is not None:
        queryset = queryset.filter(period_id__in=set(period_ids))
    return {(r.indicator_id, r.period_id, r.region, r.member): r for r in queryset}


def _readings(
    indicators: list[Indicator],
    *,
    suppress: bool,
    regions: Iterable[str],
    members: Iterable[str],
    period_ids: Iterable[int] | None = None,
) -> tuple[Rollups, Hidden | None]:
    """The rollups behind these cells and, for the public, the cells it may not see.

    Staff read only the cells asked for; the public's one query takes whole slices, so
    that every channel hides the same cells (decision 0022).
    """
    if suppress:
        cells = {(region, member) for region in regions for member in members}
        return public_readings(indicators, cells=cells, period_ids=period_ids)
    ids = input_ids(indicators)
    return _rollups(ids, regions=regions, members=members, period_ids=period_ids), None


# ---- Indicators and their standing ----------------------------------------------------


def indicators_for(*, published_only: bool) -> QuerySet[Indicator]:
    queryset = Indicator.objects.select_related("numerator", "denominator")
    return queryset.filter(is_published=True) if published_only else queryset


def indicator_get(*, code: str, published_only: bool) -> Indicator | None:
    """An indicator with its inputs; an unpublished one only for those who see everything."""
    return indicators_for(published_only=published_only).filter(code=code).first()


def indicator_breakdowns(indicator: Indicator) -> list[Dimension]:
    """The dimensions other than provinces an indicator is broken down by, members loaded."""
    return list(indicator.dimensions.filter(is_province=False).prefetch_related("members"))


def _baselines(indicator_ids: Iterable[int]) -> dict[int, Baseline]:
    baselines = Baseline.objects.filter(
        indicator_id__in=set(indicator_ids), region=CANADA
    ).select_related("period")
    return {b.indicator_id: b for b in baselines}


def _targets_by_indicator(indicator_ids: Iterable[int]) -> dict[int, PlanTargets]:
    """Each indicator's Canada-wide targets of the current and the original plan."""
    result: dict[int, PlanTargets] = defaultdict(PlanTargets)
    targets = (
        Target.objects.filter(indicator_id__in=set(indicator_ids), region=CANADA)
        .filter(Q(plan_version__is_current=True) | Q(plan_version__is_original=True))
        .select_related("plan_version", "period")
        .order_by("period__start")
    )
    for target in targets:
        if target.plan_version.is_current:
            result[target.indicator_id].current_all.append(target)
        if target.plan_version.is_original:
            result[target.indicator_id].original_all.append(target)
    return result


def scorecard(*, published_only: bool, suppress: bool = False) -> list[ScorecardRow]:
    """Every indicator's Canada-wide standing; four queries whatever the data volume."""
    indicators = list(indicators_for(published_only=published_only))
    ids = [i.pk for i in indicators]
    rollups, hidden = _readings(indicators, suppress=suppress, regions=[CANADA], members=[""])
    baselines = _baselines(ids)
    targets = _targets_by_indicator(ids)
    return [
        scorecard_row(
            indicator,
            series_from(indicator, rollups, region=CANADA, member="", hidden=hidden),
            baseline=baselines.get(indicator.pk),
            targets=targets[indicator.pk],
        )
        for indicator in indicators
    ]


def indicator_overview(
    indicator: Indicator, *, suppress: bool = False
) -> tuple[ScorecardRow, PlanTargets]:
    """One indicator's scorecard row, and every target of both plans for its chart."""
    rollups, hidden = _readings([indicator], suppress=suppress, regions=[CANADA], members=[""])
    targets = _targets_by_indicator([indicator.pk])[indicator.pk]
    series = series_from(indicator, rollups, region=CANADA, member="", hidden=hidden)
    row = scorecard_row(
        indicator, series, baseline=_baselines([indicator.pk]).get(indicator.pk), targets=targets
    )
    return row, targets


def indicator_series(
    indicator: Indicator, *, region: str = CANADA, member: str = "", suppress: bool = False
) -> list[Figure]:
    """The indicator's values period by period, oldest first (one query)."""
    rollups, hidden = _readings([indicator], suppress=suppress, regions=[region], members=[member])
    return series_from(indicator, rollups, region=region, member=member, hidden=hidden)


def breakdown_by_province(
    indicator: Indicator, period: Period, *, suppress: bool = False
) -> list[tuple[Province, Figure]]:
    """Each province and territory's figure for one period (those without data included)."""
    provinces = list(Province.objects.all())
    rollups, hidden = _readings(
        [indicator],
        suppress=suppress,
        regions=[p.code for p in provinces],
        members=[""],
        period_ids=[period.pk],
    )
    return [
        (p, figure_for(indicator, Cell(period, p.code), rollups, hidden=hidden)) for p in provinces
    ]


def breakdown_by_dimension(
    indicator: Indicator,
    period: Period,
    dimension: Dimension,
    *,
    region: str = CANADA,
    suppress: bool = False,
) -> list[tuple[DimensionMember, Figure]]:
    """Each member's figure for one period; `dimension` comes with its members loaded."""
    members = list(dimension.members.all())
    keys = {m.pk: make_key({dimension.code: m.code}) for m in members}
    rollups, hidden = _readings(
        [indicator],
        suppress=suppress,
        regions=[region],
        members=keys.values(),
        period_ids=[period.pk],
    )
    return [
        (m, figure_for(indicator, Cell(period, region, keys[m.pk]), rollups, hidden=hidden))
        for m in members
    ]


# ---- Aggregate query (API) ------------------------------------------------------------


def province_codes() -> list[str]:
    return list(Province.objects.values_list("code", flat=True))


def dimension_get(*, code: str) -> Dimension | None:
    """A dimension with its members, for a breakdown by each of them."""
    return Dimension.objects.filter(code=code).prefetch_related("members").first()


def aggregate(
    indicator: Indicator,
    *,
    regions: list[str],
    members: list[str],
    start: date | None = None,
    end: date | None = None,
    suppress: bool = False,
) -> list[Figure]:
    """Figures for every period of the indicator's series × region × member (one query)."""
    rollups, hidden = _readings([indicator], suppress=suppress, regions=regions, members=members)
    periods = [
        p
        for p in series_periods(indicator, rollups)
        if (start is None or p.start >= start) and (end is None or p.end <= end)
    ]
    return [
        figure_for(indicator, Cell(period, region, member), rollups, hidden=hidden)
        for period in periods
        for region in regions
        for member in members
    ]


# ---- One partner's part -----------------------------------------------------------------


def partner_get(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


@dataclass(frozen=True)
class PartnerContribution:
    indicator: Indicator
    period: Period
    value: Decimal
    movement: Decimal | None
    share: Decimal | None
    organisations: int | None
    reason: str | Promise = ""  # why the movement's figure is hidden from this reader


def partner_contribution(
    organisation: Organisation, *, suppress: bool = False
) -> list[PartnerContribution]:
    """What an organisation reported (approved values) and its share of the movement's totals.

    Its Canada-wide contribution follows the rollup rules (its total, else the sum of its
    province parts), read by the same function the rollup engine adds up with. Three
    queries, whatever the number of values. With `suppress` (all but staff), a movement
    figure the public may not see is hidden with its share and count: a partner who
    knows its own part would otherwise learn the others'.
    """
    rows = approved_values().filter(organisation=organisation)
    grouped: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for indicator_id, period_id, breakdown, value in rows.values_list(
        "indicator_id", "period_id", "breakdown", "value"
    ).iterator(chunk_size=2000):
        grouped[(indicator_id, period_id)][breakdown] = value
    if not grouped:
        return []
    indicators = Indicator.objects.in_bulk({k[0] for k in grouped})
    rollups, hidden = _readings(
        list(indicators.values()),
        suppress=suppress,
        regions=[CANADA],
        members=[""],
        period_ids={k[1] for k in grouped},
    )
    head_office = organisation.head_office_province_id
    result: list[PartnerContribution] = []
    for (indicator_id, period_id), values in grouped.items():
        own = organisation_cells(values, head_office).get((CANADA, ""))
        rollup = rollups.get((indicator_id, period_id, CANADA, ""))
        if own is None or rollup is None:
            continue
        indicator = indicators[indicator_id]
        reason = (hidden or {}).get((indicator_id, period_id, CANADA, ""), "")
        movement = None if reason else cell_value(rollup, indicator)
        result.append(
            PartnerContribution(
                indicator=indicator,
                period=rollup.period,
                value=own,
                movement=movement,
                share=partner_share(indicator, own, movement) if movement is not None else None,
                organisations=None if reason else rollup.organisations,
                reason=reason,
            )
        )
    result.sort(key=lambda c: (-c.period.start.toordinal(), c.indicator.position, c.indicator.code))
    return result


# ---- Approved values (exports) ----------------------------------------------------------


def approved_values() -> QuerySet[Value]:
    """Only approved data leaves the platform or counts in a partner's figures."""
    return Value.objects.filter(submission__status=Submission.Status.APPROVED)


def approved_value_count() -> int:
    return approved_values().count()


# ---- Completeness ---------------------------------------------------------------------

REPORTED = {Submission.Status.SUBMITTED, Submission.Status.APPROVED}


@dataclass(frozen=True)
class CompletenessRow:
    organisation: Organisation
    dataset: Dataset
    period: Period
    submission: Submission | None

    @property
    def reported(self) -> bool:
        return self.submission is not None and self.submission.status in REPORTED

    @property
    def status_label(self) -> str | Promise:
        if self.submission is None:
            return _("Not reported")
        return self.submission.get_status_display()

    @property
    def is_late(self) -> bool:
        deadline = self.period.deadline
        return not self.reported and deadline is not None and deadline < timezone.localdate()


def _open_periods(frequencies: Iterable[str]) -> dict[str, list[Period]]:
    """The periods open for reporting at each frequency, newest first (one query).

    A period is open from its window's opening, or from its end when it has no window.
    """
    today = timezone.localdate()
    kinds = {frequency: FREQUENCY_KINDS.get(frequency, set()) for frequency in set(frequencies)}
    periods = sorted(
        Period.objects.filter(kind__in=set().union(*kinds.values())).filter(
            Q(opens_on__lte=today) | Q(opens_on__isnull=True, end__lte=today)
        ),
        key=lambda p: p.start,
        reverse=True,
    )
    return {
        frequency: [p for p in periods if p.kind in wanted] for frequency, wanted in kinds.items()
    }


def active_datasets() -> list[Dataset]:
    return list(Dataset.objects.filter(is_active=True))


def completeness_periods() -> list[Period]:
    """Periods that at least one active dataset asks for and that are open, newest first."""
    frequencies = Dataset.objects.filter(is_active=True).values_list("frequency", flat=True)
    periods: dict[int, Period] = {}
    for open_now in _open_periods(frequencies).values():
        periods.update({p.pk: p for p in open_now})
    return sorted(periods.values(), key=lambda p: (p.start, p.kind), reverse=True)


def completeness(
    period: Period | None = None, dataset: Dataset | None = None
) -> list[CompletenessRow]:
    """For each assigned organisation × dataset × open period: its submission, or none.

    Four queries, whatever the number of datasets, organisations or periods.
    """
    active = Organisation.objects.filter(archived_at__isnull=True)
    queryset = Dataset.objects.filter(is_active=True).prefetch_related(
        Prefetch("organisations", queryset=active)
    )
    if dataset is not None:
        queryset = queryset.filter(pk=dataset.pk)
    datasets = list(queryset)
    open_periods = _open_periods(d.frequency for d in datasets)
    plan = [
        (item, p)
        for item in datasets
        for p in open_periods[item.frequency]
        if period is None or p.pk == period.pk
    ]
    if not plan:
        return []
    submissions = {
        (s.organisation_id, s.dataset_id, s.period_id): s
        for s in Submission.objects.filter(
            dataset_id__in={d.pk for d, _p in plan}, period_id__in={p.pk for _d, p in plan}
        )
    }
    rows = [
        CompletenessRow(
            organisation=organisation,
            dataset=item,
            period=p,
            submission=submissions.get((organisation.pk, item.pk, p.pk)),
        )
        for item, p in plan
        for organisation in item.organisations.all()
    ]
    rows.sort(key=lambda r: (-r.period.start.toordinal(), r.dataset.code, r.organisation.name))
    return rows


def late_organisations(period: Period, dataset: Dataset | None = None) -> list[Organisation]:
    """Organisations that still owe data for a period (nothing submitted or approved)."""
    seen: dict[int, Organisation] = {}
    for row in completeness(period, dataset):
        if not row.reported:
            seen.setdefault(row.organisation.pk, row.organisation)
    return sorted(seen.values(), key=lambda o: o.name)


def latest_late_period() -> Period | None:
    """The most recent period whose deadline has passed: the one worth chasing."""
    today = timezone.localdate()
    return Period.objects.filter(deadline__lt=today).order_by("-deadline", "-start").first()


def late_count() -> int:
    """How many organisations are past the deadline of the latest period that had one."""
    period = latest_late_period()
    if period is None:
        return 0
    return len({r.organisation.pk for r in completeness(period) if r.is_late})


# ---- Reminders ---------------------------------------------------------------------------


def reminder_job_get(*, job_id: UUID) -> Job | None:
    """A reminder job, for the page that follows its progress."""
    return Job.objects.filter(pk=job_id, kind=REMINDER_JOB).first()


def reminder_scope(*, period_id: int, dataset_id: int | None) -> tuple[Period, Dataset | None]:
    """The period and dataset a queued reminder job was asked for."""
    period = Period.objects.get(pk=period_id)
    dataset = Dataset.objects.filter(pk=dataset_id).first() if dataset_id else None
    return period, dataset


def steward_contacts(organisation_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Each organisation's active data stewards, as (e-mail, preferred language)."""
    contacts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for organisation_id, email, language in Membership.objects.filter(
        organisation_id__in=set(organisation_ids), role=Role.STEWARD, user__is_active=True
    ).values_list("organisation_id", "user__email", "user__preferred_language"):
        contacts[organisation_id].append((email, language))
    return dict(contacts)


def rollup_slice_count() -> int:
    """How many indicator × period slices a full rebuild will recompute (its progress)."""
    return len(rollups.approved_slices())
