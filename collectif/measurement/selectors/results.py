"""What the movement's results look like: selectors over rollups, never over raw values.

Every figure on a dashboard comes from the Rollup table, which approval keeps current,
so a page costs the same few queries whether partners reported a thousand values or
ten million. (The partner page and completeness read one organisation's own values or
submissions, which stay small.)

Computed indicators (numerator / denominator × factor) are evaluated here, from the
two rollup cells at the same aggregate level: a ratio of sums, never a mean of
partners' ratios, and never stored.

Suppression protects public figures: a cell is hidden when a count indicator's value
is under SUPPRESS_COUNT_BELOW, or when fewer than SUPPRESS_ORGANISATIONS_BELOW
organisations contributed. A computed cell is hidden when either of its inputs would be.

Status against the plan (see `status_for`): the expected value at the latest period is
read on the straight line from the baseline (at the end of its period) to the current
plan's target (at the end of its period). Taking polarity into account:
- on track: the latest value is at or better than that expected value;
- at risk: behind the line, but better than the baseline;
- off track: behind the line and no better than the baseline;
- no data: no value yet, or no baseline or target to compare with.

Provisional periods: partners report over weeks after a period ends, so the newest
period's total first looks like a collapse. A trailing period that fewer than 80 % of the
partners of the four periods before it have reported is *provisional*: it is shown apart
("so far"), never as the latest value, in the trend or in the status.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.core.models import Province
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.breakdowns import make_key
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

RollupKey = tuple[int, int, str, str]  # indicator, period, region, member

# Which period kinds make up an indicator's series, by its reporting frequency.
FREQUENCY_KINDS: dict[str, set[str]] = {
    Indicator.Frequency.QUARTER: {Period.Kind.QUARTER},
    Indicator.Frequency.MONTH: {Period.Kind.MONTH},
    Indicator.Frequency.YEAR: {Period.Kind.YEAR, Period.Kind.FISCAL_YEAR},
}


class Status:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    LABELS = {
        ON_TRACK: _("On track"),
        AT_RISK: _("At risk"),
        OFF_TRACK: _("Off track"),
        NO_DATA: _("No data"),
    }
    # Colour never carries the meaning alone: each status also has an icon and a word.
    ICONS = {ON_TRACK: "✓", AT_RISK: "!", OFF_TRACK: "✗", NO_DATA: "–"}
    TAGS = {ON_TRACK: "tag-ok", AT_RISK: "tag-warning", OFF_TRACK: "tag-bad", NO_DATA: ""}


@dataclass(frozen=True)
class Figure:
    """One aggregate value with what a reader needs to trust it."""

    period: Period
    region: str
    member: str
    value: Decimal | None
    organisations: int
    suppressed: bool = False
    reason: str | Promise = ""

    @property
    def shown(self) -> Decimal | None:
        return None if self.suppressed else self.value


def suppress_count_below() -> int:
    return int(settings.COLLECTIF.get("SUPPRESS_COUNT_BELOW", 5))


def suppress_organisations_below() -> int:
    return int(settings.COLLECTIF.get("SUPPRESS_ORGANISATIONS_BELOW", 3))


def cell_value(rollup: Rollup | None, indicator: Indicator) -> Decimal | None:
    """The value of a stored cell, according to how the indicator combines."""
    if rollup is None or rollup.count == 0:
        return None
    aggregation = indicator.aggregation
    if aggregation == Indicator.Aggregation.MEAN:
        return rollup.total / rollup.count
    if aggregation == Indicator.Aggregation.WEIGHTED_MEAN:
        return rollup.weighted_total / rollup.weight if rollup.weight else None
    if aggregation == Indicator.Aggregation.LATEST:
        return rollup.latest
    return rollup.total


def computed_value(
    indicator: Indicator, numerator: Decimal | None, denominator: Decimal | None
) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    try:
        return numerator / denominator * indicator.factor
    except (InvalidOperation, ZeroDivisionError):
        return None


def suppression_reason(
    indicator: Indicator, value: Decimal | None, organisations: int
) -> str | Promise:
    """Why a public cell is hidden, or "" when it may be shown."""
    if value is None:
        return ""
    minimum = suppress_organisations_below()
    if organisations < minimum:
        return _("suppressed: fewer than %(n)s organisations") % {"n": minimum}
    if indicator.unit == Indicator.Unit.COUNT and value < suppress_count_below():
        return _("suppressed: count under %(n)s") % {"n": suppress_count_below()}
    return ""


def input_ids(indicators: Iterable[Indicator]) -> set[int]:
    """The indicators whose rollups these indicators are read from."""
    ids: set[int] = set()
    for indicator in indicators:
        if indicator.is_computed:
            ids.update(i for i in (indicator.numerator_id, indicator.denominator_id) if i)
        else:
            ids.add(indicator.pk)
    return ids


def _rollups(
    indicator_ids: Iterable[int],
    *,
    regions: Iterable[str] | None = None,
    members: Iterable[str] | None = None,
    period_ids: Iterable[int] | None = None,
) -> dict[RollupKey, Rollup]:
    queryset = Rollup.objects.filter(indicator_id__in=set(indicator_ids)).select_related("period")
    if regions is not None:
        queryset = queryset.filter(region__in=set(regions))
    if members is not None:
        queryset = queryset.filter(member__in=set(members))
    if period_ids is not None:
        queryset = queryset.filter(period_id__in=set(period_ids))
    return {(r.indicator_id, r.period_id, r.region, r.member): r for r in queryset}


def _figure(
    indicator: Indicator,
    period: Period,
    region: str,
    member: str,
    rollups: dict[RollupKey, Rollup],
    *,
    suppress: bool,
) -> Figure:
    if indicator.is_computed:
        numerator = rollups.get((indicator.numerator_id or 0, period.pk, region, member))
        denominator = rollups.get((indicator.denominator_id or 0, period.pk, region, member))
        num_value = cell_value(numerator, indicator.numerator) if indicator.numerator else None
        den_value = (
            cell_value(denominator, indicator.denominator) if indicator.denominator else None
        )
        value = computed_value(indicator, num_value, den_value)
        organisations = min(
            numerator.organisations if numerator else 0,
            denominator.organisations if denominator else 0,
        )
        reason: str | Promise = ""
        if suppress and value is not None:
            for part, part_value in (
                (indicator.numerator, num_value),
                (indicator.denominator, den_value),
            ):
                reason = reason or (
                    suppression_reason(part, part_value, organisations) if part else ""
                )
    else:
        rollup = rollups.get((indicator.pk, period.pk, region, member))
        value = cell_value(rollup, indicator)
        organisations = rollup.organisations if rollup else 0
        reason = suppression_reason(indicator, value, organisations) if suppress else ""
    return Figure(
        period=period,
        region=region,
        member=member,
        value=value,
        organisations=organisations,
        suppressed=bool(reason),
        reason=reason,
    )


def _series_periods(indicator: Indicator, rollups: dict[RollupKey, Rollup]) -> list[Period]:
    """The periods of an indicator's series: those of its reporting frequency.

    When nothing was reported at that frequency, the kind with the most periods is used,
    so a mis-set frequency still shows a curve rather than nothing.
    """
    wanted = input_ids([indicator])
    periods = {r.period_id: r.period for r in rollups.values() if r.indicator_id in wanted}
    kinds = FREQUENCY_KINDS.get(indicator.frequency, set())
    chosen = [p for p in periods.values() if p.kind in kinds]
    if not chosen and periods:
        counts: dict[str, int] = defaultdict(int)
        for period in periods.values():
            counts[period.kind] += 1
        best = max(counts, key=lambda kind: counts[kind])
        chosen = [p for p in periods.values() if p.kind == best]
    return sorted(chosen, key=lambda p: p.start)


def indicator_series(
    indicator: Indicator, region: str = CANADA, member: str = "", *, suppress: bool = False
) -> list[Figure]:
    """The indicator's values period by period, oldest first (one query)."""
    rollups = _rollups(input_ids([indicator]), regions=[region], members=[member])
    return _series_from(indicator, rollups, region, member, suppress=suppress)


def _series_from(
    indicator: Indicator,
    rollups: dict[RollupKey, Rollup],
    region: str,
    member: str,
    *,
    suppress: bool,
) -> list[Figure]:
    figures = [
        _figure(indicator, period, region, member, rollups, suppress=suppress)
        for period in _series_periods(indicator, rollups)
    ]
    return [f for f in figures if f.value is not None]


COMPLETE_SHARE = Decimal("0.8")


def split_provisional(series: list[Figure]) -> tuple[list[Figure], list[Figure]]:
    """Split off the trailing periods that too few partners have reported yet."""
    end = len(series)
    while end > 1:
        usual = max(f.organisations for f in series[max(0, end - 5) : end - 1])
        if series[end - 1].organisations >= usual * COMPLETE_SHARE:
            break
        end -= 1
    return series[:end], series[end:]


def indicators_for(*, published_only: bool) -> QuerySet[Indicator]:
    queryset = Indicator.objects.select_related("numerator", "denominator")
    return queryset.filter(is_published=True) if published_only else queryset


@dataclass
class PlanTargets:
    current: Target | None = None
    original: Target | None = None
    current_all: list[Target] = field(default_factory=list)
    original_all: list[Target] = field(default_factory=list)


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


def target_for(targets: list[Target], when: date | None) -> Target | None:
    """The target that applies at a date: the first one ending on or after it, else the last."""
    if not targets:
        return None
    if when is None:
        return targets[-1]
    for target in targets:
        if target.period.end >= when:
            return target
    return targets[-1]


def status_for(
    indicator: Indicator,
    latest: Figure | None,
    baseline: Baseline | None,
    target: Target | None,
) -> str:
    """On track, at risk, off track or no data: the rule is in this module's docstring."""
    if latest is None or latest.value is None or baseline is None or target is None:
        return Status.NO_DATA
    sign = Decimal(1) if indicator.polarity == Indicator.Polarity.HIGHER else Decimal(-1)
    start, end = baseline.period.end, target.period.end
    now = latest.period.end
    if end <= start or now >= end:
        expected = target.value
    elif now <= start:
        expected = baseline.value
    else:
        share = Decimal((now - start).days) / Decimal((end - start).days)
        expected = baseline.value + (target.value - baseline.value) * share
    if sign * (latest.value - expected) >= 0:
        return Status.ON_TRACK
    if sign * (latest.value - baseline.value) > 0:
        return Status.AT_RISK
    return Status.OFF_TRACK


@dataclass
class ScorecardRow:
    indicator: Indicator
    series: list[Figure]
    latest: Figure | None
    baseline: Baseline | None
    target: Target | None
    original_target: Target | None
    status: str
    change: Decimal | None
    change_percent: Decimal | None
    provisional: Figure | None = None

    @property
    def status_label(self) -> str | Promise:
        return Status.LABELS[self.status]

    @property
    def status_icon(self) -> str:
        return Status.ICONS[self.status]

    @property
    def status_tag(self) -> str:
        return Status.TAGS[self.status]


def _row(
    indicator: Indicator,
    series: list[Figure],
    baseline: Baseline | None,
    targets: PlanTargets,
) -> ScorecardRow:
    series, provisional = split_provisional(series)
    latest = series[-1] if series else None
    when = latest.period.end if latest else None
    target = target_for(targets.current_all, when)
    original = target_for(targets.original_all, when)
    status = status_for(indicator, latest, baseline, target)
    change = change_percent = None
    if latest and latest.value is not None and baseline is not None:
        change = latest.value - baseline.value
        if baseline.value:
            change_percent = change / abs(baseline.value) * 100
    if latest is not None and latest.suppressed:
        # What the public may not see cannot be compared either.
        status, change, change_percent = Status.NO_DATA, None, None
    return ScorecardRow(
        indicator=indicator,
        series=series,
        latest=latest,
        baseline=baseline,
        target=target,
        original_target=original,
        status=status,
        change=change,
        change_percent=change_percent,
        provisional=provisional[-1] if provisional else None,
    )


def scorecard(*, published_only: bool, suppress: bool = False) -> list[ScorecardRow]:
    """Every indicator's Canada-wide standing; four queries whatever the data volume."""
    indicators = list(indicators_for(published_only=published_only))
    ids = [i.pk for i in indicators]
    rollups = _rollups(input_ids(indicators), regions=[CANADA], members=[""])
    baselines = {
        b.indicator_id: b
        for b in Baseline.objects.filter(indicator_id__in=ids, region=CANADA).select_related(
            "period"
        )
    }
    targets = _targets_by_indicator(ids)
    return [
        _row(
            indicator,
            _series_from(indicator, rollups, CANADA, "", suppress=suppress),
            baselines.get(indicator.pk),
            targets[indicator.pk],
        )
        for indicator in indicators
    ]


def indicator_overview(
    indicator: Indicator, *, suppress: bool = False
) -> tuple[ScorecardRow, PlanTargets]:
    """One indicator's scorecard row, and every target of both plans for its chart."""
    rollups = _rollups(input_ids([indicator]), regions=[CANADA], members=[""])
    baseline = (
        Baseline.objects.filter(indicator=indicator, region=CANADA).select_related("period").first()
    )
    targets = _targets_by_indicator([indicator.pk])[indicator.pk]
    series = _series_from(indicator, rollups, CANADA, "", suppress=suppress)
    return _row(indicator, series, baseline, targets), targets


def breakdown_by_province(
    indicator: Indicator, period: Period, *, suppress: bool = False
) -> list[tuple[Province, Figure]]:
    """Each province and territory's figure for one period (those without data included)."""
    provinces = list(Province.objects.all())
    rollups = _rollups(
        input_ids([indicator]),
        regions=[p.code for p in provinces],
        members=[""],
        period_ids=[period.pk],
    )
    return [
        (p, _figure(indicator, period, p.code, "", rollups, suppress=suppress)) for p in provinces
    ]


def breakdown_by_dimension(
    indicator: Indicator,
    period: Period,
    dimension: Dimension,
    *,
    region: str = CANADA,
    suppress: bool = False,
) -> list[tuple[DimensionMember, Figure]]:
    members = list(dimension.members.all())
    keys = {m.pk: make_key({dimension.code: m.code}) for m in members}
    rollups = _rollups(
        input_ids([indicator]), regions=[region], members=keys.values(), period_ids=[period.pk]
    )
    return [
        (m, _figure(indicator, period, region, keys[m.pk], rollups, suppress=suppress))
        for m in members
    ]


@dataclass(frozen=True)
class Contribution:
    indicator: Indicator
    period: Period
    value: Decimal
    movement: Decimal | None
    share: Decimal | None
    organisations: int


def partner_contribution(organisation: Organisation) -> list[Contribution]:
    """What an organisation reported (approved values) and its share of the movement's totals.

    Its Canada-wide contribution follows the rollup rules (its total, else the sum of its
    province parts). A share is given only for indicators that add up (sum): a partner's
    part of a mean or a latest value has no meaning.
    """
    rows = Value.objects.filter(
        organisation=organisation, submission__status=Submission.Status.APPROVED
    ).values_list("indicator_id", "period_id", "breakdown", "value")
    grouped: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for indicator_id, period_id, breakdown, value in rows.iterator(chunk_size=2000):
        grouped[(indicator_id, period_id)][breakdown] = value
    if not grouped:
        return []
    indicators = Indicator.objects.in_bulk({k[0] for k in grouped})
    rollups = _rollups(
        {k[0] for k in grouped},
        regions=[CANADA],
        members=[""],
        period_ids={k[1] for k in grouped},
    )
    head_office = organisation.head_office_province_id
    result: list[Contribution] = []
    for (indicator_id, period_id), values in grouped.items():
        own = organisation_cells(values, head_office).get((CANADA, ""))
        rollup = rollups.get((indicator_id, period_id, CANADA, ""))
        if own is None or rollup is None:
            continue
        indicator = indicators[indicator_id]
        movement = cell_value(rollup, indicator)
        adds_up = indicator.aggregation == Indicator.Aggregation.SUM
        share = own / movement * 100 if adds_up and movement else None
        result.append(
            Contribution(
                indicator=indicator,
                period=rollup.period,
                value=own,
                movement=movement,
                share=share,
                organisations=rollup.organisations,
            )
        )
    result.sort(key=lambda c: (-c.period.start.toordinal(), c.indicator.position, c.indicator.code))
    return result


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


def opening(period: Period) -> date:
    """When a period can be reported: its window's opening, else the day it ends."""
    return period.opens_on or period.end


def open_periods(dataset_frequency: str, *, today: date | None = None) -> list[Period]:
    today = today or timezone.localdate()
    kinds = FREQUENCY_KINDS.get(dataset_frequency, set())
    periods = Period.objects.filter(kind__in=kinds).filter(
        Q(opens_on__lte=today) | Q(opens_on__isnull=True, end__lte=today)
    )
    return sorted(periods, key=lambda p: p.start, reverse=True)


def completeness_periods() -> list[Period]:
    """Periods that at least one active dataset asks for and that are open, newest first."""
    frequencies = set(Dataset.objects.filter(is_active=True).values_list("frequency", flat=True))
    periods: dict[int, Period] = {}
    for frequency in frequencies:
        periods.update({p.pk: p for p in open_periods(frequency)})
    return sorted(periods.values(), key=lambda p: (p.start, p.kind), reverse=True)


def completeness(
    period: Period | None = None, dataset: Dataset | None = None
) -> list[CompletenessRow]:
    """For each assigned organisation × dataset × open period: its submission, or none."""
    datasets = Dataset.objects.filter(is_active=True).prefetch_related("organisations")
    if dataset is not None:
        datasets = datasets.filter(pk=dataset.pk)
    plan: list[tuple[Dataset, Period]] = []
    for item in datasets:
        periods = open_periods(item.frequency)
        if period is not None:
            periods = [p for p in periods if p.pk == period.pk]
        plan.extend((item, p) for p in periods)
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
        if organisation.archived_at is None
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


# ---- Aggregate query (API) ------------------------------------------------------------


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
    rollups = _rollups(input_ids([indicator]), regions=regions, members=members)
    periods = [
        p
        for p in _series_periods(indicator, rollups)
        if (start is None or p.start >= start) and (end is None or p.end <= end)
    ]
    return [
        _figure(indicator, period, region, member, rollups, suppress=suppress)
        for period in periods
        for region in regions
        for member in members
    ]
