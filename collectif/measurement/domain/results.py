"""What a figure of the movement is: the read-side arithmetic every channel shares.

The selectors read rollup rows, baselines and targets; everything computed from them
lives here, so the scorecard page, the report card and its CSV, the indicator page, the
API and the charts give the same number, the same status and the same trend. (The
rollup rows themselves are written by `domain.rollups`: how values add up is the
engine's concern, how a stored cell reads is this module's.)

Computed indicators (numerator / denominator × factor) are evaluated from the two
rollup cells at the same aggregate level: a ratio of sums, never a mean of partners'
ratios, and never stored, so they cannot drift from their inputs.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.measurement.domain.disclosure import (
    CellFacts,
    Key,
    Reason,
    primary_rule,
    protect,
    too_small,
)
from collectif.measurement.models import Baseline, Indicator, Period, Rollup, Target

RollupKey = tuple[int, int, str, str]  # indicator, period, region, member
Rollups = dict[RollupKey, Rollup]


class StoredCell(Protocol):
    """What a figure is read from: a rollup row, or the same columns read as plain values
    (`CellRow`) when a whole slice is read only to decide what the public may see."""

    @property
    def total(self) -> Decimal: ...
    @property
    def count(self) -> int: ...
    @property
    def weighted_total(self) -> Decimal: ...
    @property
    def weight(self) -> Decimal: ...
    @property
    def latest(self) -> Decimal | None: ...
    @property
    def organisations(self) -> int: ...


@dataclass(frozen=True, slots=True)
class CellRow:
    total: Decimal
    count: int
    weighted_total: Decimal
    weight: Decimal
    latest: Decimal | None
    organisations: int


CELL_COLUMNS = tuple(column.name for column in fields(CellRow))
# The cells the public may not see, with the reason (readers who see everything get None).
Hidden = dict[RollupKey, Reason]

# Which period kinds make up an indicator's series, by its reporting frequency.
FREQUENCY_KINDS: dict[str, set[str]] = {
    Indicator.Frequency.QUARTER: {Period.Kind.QUARTER},
    Indicator.Frequency.MONTH: {Period.Kind.MONTH},
    Indicator.Frequency.YEAR: {Period.Kind.YEAR, Period.Kind.FISCAL_YEAR},
}

COMPLETE_SHARE = Decimal("0.8")
FORECAST_MIN_POINTS = 4
FORECAST_MAX_POINTS = 8


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


@dataclass
class PlanTargets:
    """An indicator's Canada-wide targets in the current and the original plan, by date:
    the page charts both plans, the status compares with the current one."""

    current_all: list[Target] = field(default_factory=list)
    original_all: list[Target] = field(default_factory=list)


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


def cell_value(rollup: StoredCell | None, indicator: Indicator) -> Decimal | None:
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


def rounded(value: Decimal, indicator: Indicator) -> Decimal:
    """A figure to the indicator's decimals, as the pages print it (half to even, like
    Babel): a ratio or a mean would otherwise carry some twenty-six digits of noise."""
    step = Decimal(1).scaleb(-indicator.decimals)
    return value.quantize(step, rounding=ROUND_HALF_EVEN, context=Context(prec=60))


def input_ids(indicators: Iterable[Indicator]) -> set[int]:
    """The indicators whose rollups these indicators are read from."""
    ids: set[int] = set()
    for indicator in indicators:
        if indicator.is_computed:
            ids.update(i for i in (indicator.numerator_id, indicator.denominator_id) if i)
        else:
            ids.add(indicator.pk)
    return ids


@dataclass(frozen=True)
class Cell:
    """Where a figure is read: a period, a region and a dimension member ("" for all)."""

    period: Period
    region: str
    member: str = ""


def _mass(rollup: StoredCell, indicator: Indicator) -> Decimal | None:
    """The part of a stored cell that adds up across cells (see `disclosure.CellFacts`)."""
    aggregation = indicator.aggregation
    if aggregation == Indicator.Aggregation.WEIGHTED_MEAN:
        return rollup.weighted_total
    if aggregation == Indicator.Aggregation.LATEST:
        return None
    return rollup.total


def hidden_cells(
    rollups: Mapping[RollupKey, StoredCell], indicators: Mapping[int, Indicator]
) -> Hidden:
    """Every stored cell the public may not see, primary and complementary, with its reason.

    `rollups` must hold whole slices (every region and member of each indicator ×
    period read), so that every channel hides the same cells; no query.
    """
    rules = {pk: primary_rule(indicator) for pk, indicator in indicators.items()}
    slices: dict[tuple[int, int], dict[Key, CellFacts]] = defaultdict(dict)
    for (indicator_id, period_id, region, member), rollup in rollups.items():
        indicator = indicators.get(indicator_id)
        value = cell_value(rollup, indicator) if indicator else None
        if indicator is None or value is None:
            continue
        slices[(indicator_id, period_id)][(region, member)] = CellFacts(
            mass=_mass(rollup, indicator),
            organisations=rollup.organisations,
            reason=rules[indicator_id](value, rollup.organisations),
        )
    hidden: Hidden = {}
    smalls = {pk: too_small(indicator) for pk, indicator in indicators.items()}
    for (indicator_id, period_id), cells in slices.items():
        for (region, member), reason in protect(cells, smalls[indicator_id]).items():
            hidden[(indicator_id, period_id, region, member)] = reason
    return hidden


def input_indicators(indicators: Iterable[Indicator]) -> dict[int, Indicator]:
    """The indicators whose rollups these indicators are read from, by id (no query when
    computed indicators come with their numerator and denominator)."""
    result: dict[int, Indicator] = {}
    for indicator in indicators:
        parts = (indicator.numerator, indicator.denominator) if indicator.is_computed else ()
        for part in parts or (indicator,):
            if part is not None:
                result[part.pk] = part
    return result


def figure_for(
    indicator: Indicator, cell: Cell, rollups: Rollups, *, hidden: Hidden | None
) -> Figure:
    """The indicator's figure in one cell, from rollups already read (no query).

    `hidden` is what `hidden_cells` found in the same rollups, or None for readers who
    see everything. A computed figure is hidden when either of its inputs is: the ratio
    and one input would give away the other.
    """
    period, region, member = cell.period, cell.region, cell.member
    if indicator.is_computed:
        keys = [
            (part_id or 0, period.pk, region, member)
            for part_id in (indicator.numerator_id, indicator.denominator_id)
        ]
        numerator, denominator = (rollups.get(key) for key in keys)
        value = computed_value(
            indicator,
            cell_value(numerator, indicator.numerator) if indicator.numerator else None,
            cell_value(denominator, indicator.denominator) if indicator.denominator else None,
        )
        organisations = min(
            numerator.organisations if numerator else 0,
            denominator.organisations if denominator else 0,
        )
    else:
        keys = [(indicator.pk, period.pk, region, member)]
        rollup = rollups.get(keys[0])
        value = cell_value(rollup, indicator)
        organisations = rollup.organisations if rollup else 0
    reason: Reason = ""
    if hidden is not None and value is not None:
        reason = next((hidden[key] for key in keys if key in hidden), "")
    return Figure(
        period=period,
        region=region,
        member=member,
        value=value,
        organisations=organisations,
        suppressed=bool(reason),
        reason=reason,
    )


def series_periods(indicator: Indicator, rollups: Rollups) -> list[Period]:
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


def series_from(
    indicator: Indicator, rollups: Rollups, *, region: str, member: str, hidden: Hidden | None
) -> list[Figure]:
    """The indicator's figures period by period, oldest first; periods without a value left out."""
    figures = [
        figure_for(indicator, Cell(period, region, member), rollups, hidden=hidden)
        for period in series_periods(indicator, rollups)
    ]
    return [f for f in figures if f.value is not None]


def split_provisional(series: list[Figure]) -> tuple[list[Figure], list[Figure]]:
    """Split off the trailing periods that too few partners have reported yet."""
    end = len(series)
    while end > 1:
        usual = max(f.organisations for f in series[max(0, end - 5) : end - 1])
        if series[end - 1].organisations >= usual * COMPLETE_SHARE:
            break
        end -= 1
    return series[:end], series[end:]


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
    *,
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


def scorecard_row(
    indicator: Indicator,
    series: list[Figure],
    *,
    baseline: Baseline | None,
    targets: PlanTargets,
) -> ScorecardRow:
    """An indicator's standing: latest settled value, targets that apply, status, change."""
    series, provisional = split_provisional(series)
    latest = series[-1] if series else None
    when = latest.period.end if latest else None
    target = target_for(targets.current_all, when)
    original = target_for(targets.original_all, when)
    status = status_for(indicator, latest=latest, baseline=baseline, target=target)
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


def partner_share(indicator: Indicator, own: Decimal, movement: Decimal | None) -> Decimal | None:
    """A partner's percentage of the movement's figure, for indicators that add up only:
    a partner's part of a mean or of a latest value has no meaning."""
    if indicator.aggregation != Indicator.Aggregation.SUM or not movement:
        return None
    return own / movement * 100


def forecast(series: Sequence[Figure], until: date) -> list[tuple[date, float]]:
    """The straight-line trend of the last 4 to 8 points, drawn from the last one to `until`.

    The slope is an ordinary least squares fit on (days, value): simple enough to
    explain on the page, and honest about being a projection, not a promise. It starts
    at the last reported value so the two lines meet. Empty with fewer than 4 points.
    """
    points = [(f.period.end, float(f.value)) for f in series if f.shown is not None and f.value]
    points = points[-FORECAST_MAX_POINTS:]
    if len(points) < FORECAST_MIN_POINTS or until <= points[-1][0]:
        return []
    origin = points[0][0]
    xs = [(d - origin).days for d, _v in points]
    ys = [v for _d, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    last, last_value = points[-1]
    return [(last, last_value), (until, last_value + slope * (until - last).days)]
