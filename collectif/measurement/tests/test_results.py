from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings

from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.results import (
    Figure,
    Status,
    cell_value,
    split_provisional,
    status_for,
)
from collectif.measurement.models import Baseline, Indicator, Period, Rollup, Submission, Target
from collectif.measurement.selectors import results
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
)
from collectif.measurement.tests.results_data import approve, movement

QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]


def _rollup(**kwargs: object) -> Rollup:
    defaults: dict[str, object] = {
        "total": Decimal(30),
        "count": 3,
        "weighted_total": Decimal(500),
        "weight": Decimal(20),
        "latest": Decimal(7),
        "organisations": 3,
    }
    defaults.update(kwargs)
    return Rollup(**defaults)


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        (Indicator.Aggregation.SUM, Decimal(30)),
        (Indicator.Aggregation.MEAN, Decimal(10)),
        (Indicator.Aggregation.WEIGHTED_MEAN, Decimal(25)),
        (Indicator.Aggregation.LATEST, Decimal(7)),
    ],
)
def test_cell_value_follows_the_aggregation(aggregation: str, expected: Decimal) -> None:
    assert cell_value(_rollup(), Indicator(aggregation=aggregation)) == expected


def test_cell_value_of_an_empty_cell_is_none() -> None:
    assert cell_value(None, Indicator()) is None
    assert cell_value(_rollup(count=0), Indicator()) is None
    weighted = Indicator(aggregation=Indicator.Aggregation.WEIGHTED_MEAN)
    assert cell_value(_rollup(weight=Decimal(0)), weighted) is None


def _period(code: str) -> Period:
    start, end = {
        "2022": (date(2022, 1, 1), date(2022, 12, 31)),
        "2024Q4": (date(2024, 10, 1), date(2024, 12, 31)),
        "2026": (date(2026, 1, 1), date(2026, 12, 31)),
    }[code]
    return Period(code=code, kind="year", start=start, end=end)


def _latest(value: int) -> Figure:
    return Figure(
        period=_period("2024Q4"), region="CA", member="", value=Decimal(value), organisations=5
    )


@pytest.mark.parametrize(
    ("polarity", "baseline", "target", "latest", "expected"),
    [
        # Baseline at the end of 2022, target at the end of 2026: at the end of 2024 the
        # straight line expects the midpoint (150 going up, 125 going down).
        (Indicator.Polarity.HIGHER, 100, 200, 160, Status.ON_TRACK),
        (Indicator.Polarity.HIGHER, 100, 200, 120, Status.AT_RISK),
        (Indicator.Polarity.HIGHER, 100, 200, 90, Status.OFF_TRACK),
        (Indicator.Polarity.LOWER, 200, 50, 120, Status.ON_TRACK),
        (Indicator.Polarity.LOWER, 200, 50, 190, Status.AT_RISK),
        (Indicator.Polarity.LOWER, 200, 50, 210, Status.OFF_TRACK),
    ],
)
def test_status_compares_with_the_straight_line_to_the_target(
    polarity: str, baseline: int, target: int, latest: int, expected: str
) -> None:
    status = status_for(
        Indicator(polarity=polarity),
        latest=_latest(latest),
        baseline=Baseline(value=Decimal(baseline), period=_period("2022")),
        target=Target(value=Decimal(target), period=_period("2026")),
    )
    assert status == expected


def test_status_is_no_data_without_a_value_a_baseline_or_a_target() -> None:
    indicator = Indicator()
    baseline = Baseline(value=Decimal(100), period=_period("2022"))
    target = Target(value=Decimal(200), period=_period("2026"))
    assert status_for(indicator, latest=None, baseline=baseline, target=target) == Status.NO_DATA
    assert (
        status_for(indicator, latest=_latest(150), baseline=None, target=target) == Status.NO_DATA
    )
    assert (
        status_for(indicator, latest=_latest(150), baseline=baseline, target=None) == Status.NO_DATA
    )


@pytest.mark.django_db
@pytest.mark.smoke
def test_scorecard_gives_latest_value_baseline_targets_and_change() -> None:
    served = IndicatorFactory.create(code="served")
    _orgs, _dataset, periods = movement([served], QUARTERS, 3, 100)
    Baseline.objects.create(indicator=served, period=periods[0], value=250)
    original = PlanVersionFactory.create(number=1, is_original=True)
    current = PlanVersionFactory.create(number=2, is_current=True)
    year = PeriodFactory.create(code="2026")
    Target.objects.create(plan_version=original, indicator=served, period=year, value=500)
    Target.objects.create(plan_version=current, indicator=served, period=year, value=400)
    hidden = IndicatorFactory.create(code="internal_only", is_published=False)

    rows = results.scorecard(published_only=True)

    assert [row.indicator for row in rows] == [served]
    row = rows[0]
    assert row.latest is not None and row.latest.value == 300
    assert row.latest.period.code == "2024Q4" and row.latest.organisations == 3
    assert [f.period.code for f in row.series] == QUARTERS
    assert row.target is not None and row.target.value == 400
    assert row.original_target is not None and row.original_target.value == 500
    assert row.change == 50 and row.change_percent == 20
    assert row.status in {Status.ON_TRACK, Status.AT_RISK}
    assert hidden in [r.indicator for r in results.scorecard(published_only=False)]


@pytest.mark.django_db
def test_computed_indicator_is_a_ratio_of_the_movements_totals() -> None:
    matches = IndicatorFactory.create(code="lasting")
    all_matches = IndicatorFactory.create(code="matches")
    share = IndicatorFactory.create(
        code="share_lasting",
        unit=Indicator.Unit.PERCENT,
        source=Indicator.Source.COMPUTED,
        numerator=matches,
        denominator=all_matches,
        factor=Decimal(100),
    )
    dataset = DatasetFactory.create(indicators=[matches, all_matches])
    period = PeriodFactory.create(code="2024Q1")
    for part, whole in ((1, 2), (9, 10), (0, 3)):
        approve(
            OrganisationFactory.create(),
            dataset,
            period,
            {(matches, ""): part, (all_matches, ""): whole},
        )

    series = results.indicator_series(share)

    # 10 of 15 matches: 66.7 %, not the mean of the partners' own shares (46.7 %).
    assert len(series) == 1
    assert series[0].value is not None
    assert round(series[0].value, 2) == Decimal("66.67")
    assert not Rollup.objects.filter(indicator=share).exists()


@pytest.mark.django_db
@override_settings(
    COLLECTIF={**settings.COLLECTIF, "SUPPRESS_COUNT_BELOW": 5, "SUPPRESS_ORGANISATIONS_BELOW": 3}
)
def test_small_cells_are_suppressed_for_the_public_with_the_reason() -> None:
    few = IndicatorFactory.create(code="few_partners")
    small = IndicatorFactory.create(code="small_count")
    movement([few], ["2024Q1"], 2, 100)
    movement([small], ["2024Q1"], 3, 1)

    few_public = results.indicator_series(few, suppress=True)[0]
    small_public = results.indicator_series(small, suppress=True)[0]

    assert few_public.suppressed and few_public.shown is None
    assert "fewer than 3 organisations" in str(few_public.reason)
    assert small_public.suppressed and "count under 5" in str(small_public.reason)
    assert results.indicator_series(few)[0].shown == 200  # staff see the figure


@pytest.mark.django_db
def test_province_breakdown_counts_partners_without_provinces_at_their_head_office() -> None:
    served = IndicatorFactory.create(code="served", dimensions=["province"])
    dataset = DatasetFactory.create(indicators=[served])
    period = PeriodFactory.create(code="2024Q1")
    approve(
        OrganisationFactory.create(head_office_province_id="ON"),
        dataset,
        period,
        {(served, ""): 30, (served, "province:QC"): 10, (served, "province:ON"): 20},
    )
    approve(
        OrganisationFactory.create(head_office_province_id="QC"), dataset, period, {(served, ""): 5}
    )

    figures = {p.code: f for p, f in results.breakdown_by_province(served, period)}

    assert len(figures) == 13
    assert figures["QC"].value == 15 and figures["QC"].organisations == 2
    assert figures["ON"].value == 20
    assert figures["NU"].value is None


@pytest.mark.django_db
def test_partner_contribution_gives_its_share_of_the_movement() -> None:
    served = IndicatorFactory.create(code="served")
    orgs, _dataset, _periods = movement([served], ["2024Q1"], 4, 25)
    other = IndicatorFactory.create(code="not_yet_approved")
    dataset = DatasetFactory.create(indicators=[other])
    approve(
        orgs[0],
        dataset,
        PeriodFactory.create(code="2024Q2"),
        {(other, ""): 9},
        status=Submission.Status.SUBMITTED,
    )

    contributions = results.partner_contribution(orgs[0])

    assert len(contributions) == 1
    item = contributions[0]
    assert (item.value, item.movement, item.share, item.organisations) == (
        Decimal(25),
        Decimal(100),
        Decimal(25),
        4,
    )


@pytest.mark.django_db
def test_completeness_lists_who_has_not_reported() -> None:
    served = IndicatorFactory.create(code="served")
    period = PeriodFactory.create(code="2024Q1")
    future = PeriodFactory.create(code="2099Q1")
    done, draft, silent = (OrganisationFactory.create() for _ in range(3))
    dataset = DatasetFactory.create(indicators=[served], organisations=[done, draft, silent])
    approve(done, dataset, period, {(served, ""): 5})
    approve(draft, dataset, period, {(served, ""): 5}, status=Submission.Status.DRAFT)

    rows = {r.organisation: r for r in results.completeness(period)}

    assert rows[done].reported
    assert not rows[draft].reported and str(rows[draft].status_label) == "Draft"
    assert rows[silent].submission is None and str(rows[silent].status_label) == "Not reported"
    assert rows[silent].is_late
    assert future not in results.completeness_periods()
    assert results.late_organisations(period) == sorted([draft, silent], key=lambda o: o.name)


def _figures(coverage: list[int]) -> list[Figure]:
    periods = [
        Period(code=str(2020 + i), kind="year", start=date(2020 + i, 1, 1))
        for i in range(len(coverage))
    ]
    return [
        Figure(period=p, region="CA", member="", value=Decimal(n * 10), organisations=n)
        for p, n in zip(periods, coverage, strict=True)
    ]


@pytest.mark.parametrize(
    ("coverage", "complete"),
    [
        ([50, 52, 51, 53], 4),  # every period well covered
        ([50, 52, 51, 40], 3),  # the newest quarter: 40 of about 52 partners so far
        ([50, 50, 50, 30, 10], 3),  # two quarters still coming in
        ([10, 30, 50, 52], 4),  # a movement that grew: early small periods stay
        ([7], 1),  # one period is all there is
    ],
)
def test_periods_too_few_partners_reported_yet_are_provisional(
    coverage: list[int], complete: int
) -> None:
    series = _figures(coverage)
    shown, provisional = split_provisional(series)
    assert shown == series[:complete]
    assert provisional == series[complete:]
