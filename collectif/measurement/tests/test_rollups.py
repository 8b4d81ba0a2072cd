from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collectif.core.actors import SYSTEM
from collectif.core.models import Province
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain import rollups
from collectif.measurement.domain.breakdowns import make_key, parse_key
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Indicator, Rollup, Submission, Value
from collectif.measurement.services import submissions as services
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    SubmissionFactory,
    ValueFactory,
    backbone_staff,
)

D = Decimal
# Breakdown keys of every shape: totals, one dimension, cross-tabulations.
BREAKDOWNS = [
    "",
    "province:ON",
    "province:QC",
    "age:6-11",
    "age:12-17",
    "age:6-11|province:QC",
    "age:12-17|province:ON",
    "age:6-11|gender:women",
    "age:6-11|gender:women|province:ON",
]


def test_national_organisation_with_province_parts_counts_once_in_canada():
    cells = rollups.organisation_cells(
        {"": D(30), "province:QC": D(10), "province:ON": D(20)}, head_office="ON"
    )
    assert cells == {("CA", ""): D(30), ("QC", ""): D(10), ("ON", ""): D(20)}


def test_province_parts_without_a_total_add_up_to_canada():
    cells = rollups.organisation_cells({"province:QC": D(4), "province:NB": D(6)}, "QC")
    assert cells[("CA", "")] == D(10)
    assert cells[("QC", "")] == D(4)
    assert cells[("NB", "")] == D(6)


def test_organisation_without_province_breakdown_counts_in_its_head_office():
    cells = rollups.organisation_cells({"": D(12), "age:12-17": D(5)}, head_office="MB")
    assert cells == {
        ("CA", ""): D(12),
        ("MB", ""): D(12),
        ("CA", "age:12-17"): D(5),
        ("MB", "age:12-17"): D(5),
    }


def test_members_by_province_and_cross_tabulations_are_not_double_counted():
    cells = rollups.organisation_cells(
        {
            "": D(10),
            "age:6-11": D(4),
            "age:6-11|province:QC": D(4),
            "age:6-11|gender:women": D(2),
        },
        head_office="QC",
    )
    assert cells[("CA", "age:6-11")] == D(4)
    assert cells[("QC", "age:6-11")] == D(4)
    assert not any("gender" in member for _region, member in cells)


def approved(indicator, organisation, period, values, reviewed_at=None):
    dataset = DatasetFactory.create(indicators=[indicator])
    submission = SubmissionFactory.create(
        organisation=organisation,
        dataset=dataset,
        period=period,
        status=Submission.Status.APPROVED,
        reviewed_at=reviewed_at or timezone.now(),
    )
    for breakdown, value in values.items():
        ValueFactory.create(
            submission=submission, indicator=indicator, breakdown=breakdown, value=value
        )
    return submission


def slice_rows(indicator, period):
    """The rollup rows of one slice after a full rebuild."""
    rollups.rebuild_all()
    return list(Rollup.objects.filter(indicator=indicator, period=period, member=""))


@pytest.mark.django_db
def test_sum_and_mean_keep_total_and_count_per_region():
    indicator = IndicatorFactory.create(aggregation=Indicator.Aggregation.MEAN)
    period = PeriodFactory.create(code="2025Q1")
    quebec = Province.objects.get(code="QC")
    approved(indicator, OrganisationFactory.create(head_office_province=quebec), period, {"": 10})
    approved(indicator, OrganisationFactory.create(head_office_province=quebec), period, {"": 30})
    approved(indicator, OrganisationFactory.create(), period, {"": 50})
    rows = {r.region: r for r in slice_rows(indicator, period)}
    assert (rows["CA"].total, rows["CA"].count, rows["CA"].organisations) == (D(90), 3, 3)
    assert (rows["QC"].total, rows["QC"].count) == (D(40), 2)
    assert (rows["ON"].total, rows["ON"].count) == (D(50), 1)


@pytest.mark.django_db
def test_weighted_mean_uses_the_weight_indicator_of_each_organisation():
    youth = IndicatorFactory.create()
    share = IndicatorFactory.create(
        unit=Indicator.Unit.PERCENT,
        aggregation=Indicator.Aggregation.WEIGHTED_MEAN,
        weight_indicator=youth,
    )
    period = PeriodFactory.create(code="2025Q2")
    big, small = OrganisationFactory.create(), OrganisationFactory.create()
    approved(youth, big, period, {"": 300})
    approved(youth, small, period, {"": 100})
    approved(share, big, period, {"": 80})
    approved(share, small, period, {"": 40})
    canada = next(r for r in slice_rows(share, period) if r.region == "CA")
    assert canada.weighted_total == D(80 * 300 + 40 * 100)
    assert canada.weight == D(400)
    assert canada.weighted_total / canada.weight == D(70)


@pytest.mark.django_db
def test_latest_is_the_most_recently_approved_value():
    indicator = IndicatorFactory.create(aggregation=Indicator.Aggregation.LATEST)
    period = PeriodFactory.create(code="2025Q3")
    now = timezone.now()
    approved(indicator, OrganisationFactory.create(), period, {"": 5}, reviewed_at=now)
    approved(
        indicator, OrganisationFactory.create(), period, {"": 9}, reviewed_at=now - timedelta(1)
    )
    canada = next(r for r in slice_rows(indicator, period) if r.region == "CA")
    assert canada.latest == D(5)


@pytest.mark.smoke
@pytest.mark.django_db
def test_unapproved_data_never_reaches_rollups():
    indicator = IndicatorFactory.create(code="served")
    period = PeriodFactory.create(code="2025Q4")
    staff = backbone_staff()
    organisations = [OrganisationFactory.create() for _ in range(3)]
    dataset = DatasetFactory.create(indicators=[indicator], organisations=organisations)
    submissions = []
    for number, organisation in enumerate(organisations, start=1):
        submission = services.submission_open(
            actor=SYSTEM, organisation=organisation, dataset=dataset, period=period
        )
        services.submission_save_values(
            actor=SYSTEM,
            submission=submission,
            cells=[CellValue("served", "", D(number * 100))],
            channel=Submission.Channel.API,
            submit=number != 3,
        )
        submissions.append(submission)
    services.submission_approve(actor=staff, submission=submissions[0])
    services.submission_return(actor=staff, submission=submissions[1], comment="Check it.")
    rows = Rollup.objects.filter(indicator=indicator, region="CA", member="")
    assert [(r.total, r.organisations) for r in rows] == [(D(100), 1)]
    rollups.rebuild_all()
    assert Rollup.objects.get(indicator=indicator, region="CA", member="").total == D(100)


@pytest.mark.django_db
def test_the_database_splits_each_breakdown_key_as_the_cell_rules_read_it():
    indicator = IndicatorFactory.create()
    submission = approved(
        indicator,
        OrganisationFactory.create(),
        PeriodFactory.create(code="2025Q1"),
        {key: 1 for key in BREAKDOWNS},
    )
    for breakdown, province, member, crosstab in Value.objects.filter(
        submission=submission
    ).values_list("breakdown", "province", "member", "crosstab"):
        members = parse_key(breakdown)
        rest = {dim: code for dim, code in members.items() if dim != "province"}
        assert (province, member, bool(crosstab)) == (
            members.get("province", ""),
            make_key(rest),
            len(rest) > 1,
        )


@pytest.mark.django_db
def test_reopening_the_latest_value_finds_the_next_latest_without_a_rebuild():
    staff = backbone_staff()
    indicator = IndicatorFactory.create(code="last", aggregation=Indicator.Aggregation.LATEST)
    period = PeriodFactory.create(code="2025Q2")
    organisations = [OrganisationFactory.create() for _ in range(3)]
    dataset = DatasetFactory.create(indicators=[indicator], organisations=organisations)
    clock = Clock()
    submissions = []
    with mock.patch("django.utils.timezone.now", clock):
        for number, organisation in enumerate(organisations, start=1):
            submission = services.submission_open(
                actor=SYSTEM, organisation=organisation, dataset=dataset, period=period
            )
            services.submission_save_values(
                actor=SYSTEM,
                submission=submission,
                cells=[CellValue("last", "", D(number))],
                channel=Submission.Channel.API,
                submit=True,
            )
            clock.tick()
            services.submission_approve(actor=staff, submission=submission)
            submissions.append(submission)
        canada = Rollup.objects.get(indicator=indicator, region="CA", member="")
        assert (canada.latest, canada.latest_organisation) == (D(3), organisations[2])
        # No slice is rebuilt: the next latest is looked up for the cells the holder left.
        with mock.patch.object(rollups, "_insert", side_effect=AssertionError("rebuilt")):
            services.submission_reopen(actor=staff, submission=submissions[2], reason="Fix")
    canada.refresh_from_db()
    assert (canada.latest, canada.latest_organisation, canada.organisations) == (
        D(2),
        organisations[1],
        2,
    )


# The property: whatever happens to submissions, the incrementally maintained rollups
# equal a full rebuild from raw approved values.

HEAD_OFFICES = ["QC", "BC", "QC"]
PROVINCE_PARTS = ["ON", "QC", "NS"]
AGE_PARTS = ["6-11", "12-17"]

cell_values = st.integers(min_value=0, max_value=500)
reports = st.fixed_dictionaries(
    {
        "total": st.none() | cell_values,
        "provinces": st.dictionaries(st.sampled_from(PROVINCE_PARTS), cell_values, max_size=2),
        "ages": st.dictionaries(st.sampled_from(AGE_PARTS), cell_values, max_size=2),
        "share": st.none() | st.integers(min_value=0, max_value=100),
    }
)
# Few organisations and periods, so that sequences often revisit the same submission.
# The review clock only moves on a "tick", so approvals between two ticks are reviewed at
# the same instant: "latest" must then break the tie as the rebuild does.
operations = st.lists(
    st.one_of(
        st.tuples(st.just("save"), st.integers(0, 2), st.integers(0, 1), reports, st.booleans()),
        st.tuples(
            st.sampled_from(["approve", "approve", "return", "reopen"]),
            st.integers(0, 2),
            st.integers(0, 1),
        ),
        st.tuples(st.just("tick"), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=20,
)


def rollup_rows() -> set[tuple[Any, ...]]:
    return set(
        Rollup.objects.values_list(
            "indicator_id",
            "period_id",
            "region",
            "member",
            "total",
            "count",
            "weighted_total",
            "weight",
            "latest",
            "latest_organisation_id",
            "latest_reviewed_at",
            "organisations",
        )
    )


def rebuilt_rows() -> set[tuple[Any, ...]]:
    """The rows a full rebuild would write now, leaving the stored rows as they are."""
    with transaction.atomic():
        rollups.rebuild_all()
        rows = rollup_rows()
        transaction.set_rollback(True)
    return rows


def cells_of(report: dict[str, Any]) -> list[CellValue]:
    cells = []
    if report["total"] is not None:
        cells.append(CellValue("youth", "", D(report["total"])))
    cells += [CellValue("youth", f"province:{p}", D(v)) for p, v in report["provinces"].items()]
    cells += [CellValue("youth", f"age:{a}", D(v)) for a, v in report["ages"].items()]
    if report["share"] is not None:
        cells.append(CellValue("share", "", D(report["share"])))
    # The "latest value" indicator gets the same cells, shifted so values differ from youth.
    cells += [
        CellValue("last", c.breakdown, c.value + 1) for c in cells if c.indicator_code == "youth"
    ]
    return cells


def canada_total(report: dict[str, Any]) -> Decimal | None:
    if report["total"] is not None:
        return D(report["total"])
    if report["provinces"]:
        return D(sum(report["provinces"].values()))
    return None


FULL_REPORT = {"total": 30, "provinces": {"ON": 10, "QC": 20}, "ages": {"6-11": 30}, "share": 80}
OTHER_REPORT = {"total": None, "provinces": {"NS": 7}, "ages": {}, "share": 55}
HOME_REPORT = {"total": 12, "provinces": {}, "ages": {"12-17": 4}, "share": None}


class Clock:
    """The review clock: still until told to move, so that reviews can tie."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(minutes=1)


class IncrementalRollupsAgreeWithRebuild(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    # The sequences that matter most run every time, whatever hypothesis draws.
    @example(
        [
            ("save", 0, 0, FULL_REPORT, True),
            ("approve", 0, 0),
            ("save", 1, 0, OTHER_REPORT, True),
            ("approve", 1, 0),
            ("reopen", 0, 0),
        ]
    )
    @example(
        [
            ("save", 0, 1, FULL_REPORT, True),
            ("approve", 0, 1),
            ("reopen", 0, 1),
            ("save", 0, 1, OTHER_REPORT, True),
            ("approve", 0, 1),
        ]
    )
    # The holder of "latest" leaves (reopen) while older and tied approvals remain.
    @example(
        [
            ("save", 0, 0, FULL_REPORT, True),
            ("save", 1, 0, OTHER_REPORT, True),
            ("save", 2, 0, HOME_REPORT, True),
            ("approve", 2, 0),
            ("tick", 0, 0),
            ("approve", 0, 0),
            ("approve", 1, 0),
            ("reopen", 1, 0),
            ("reopen", 0, 0),
            ("save", 0, 0, HOME_REPORT, True),
            ("approve", 0, 0),
        ]
    )
    def test_incremental_updates_equal_a_full_rebuild(self, ops):
        clock = Clock()
        with mock.patch("django.utils.timezone.now", clock):
            self.check_incremental_equals_rebuild(ops, clock)

    def check_incremental_equals_rebuild(self, ops, clock):
        staff = backbone_staff()
        youth = IndicatorFactory.create(
            code="youth",
            dimensions=["province", "age"],
            consistency=Indicator.Consistency.WARNING,
        )
        share = IndicatorFactory.create(
            code="share",
            unit=Indicator.Unit.PERCENT,
            aggregation=Indicator.Aggregation.WEIGHTED_MEAN,
            weight_indicator=youth,
            consistency=Indicator.Consistency.WARNING,
        )
        last = IndicatorFactory.create(
            code="last",
            dimensions=["province", "age"],
            aggregation=Indicator.Aggregation.LATEST,
            consistency=Indicator.Consistency.WARNING,
        )
        organisations = [
            OrganisationFactory.create(head_office_province=Province.objects.get(code=code))
            for code in HEAD_OFFICES
        ]
        dataset = DatasetFactory.create(
            indicators=[youth, share, last], organisations=organisations
        )
        dataset.items.update(required=False)
        periods = [PeriodFactory.create(code="2024Q1"), PeriodFactory.create(code="2024Q2")]
        # What a person would expect the movement's Canada total to be, per period.
        approved_reports: dict[tuple[int, int], dict[str, Any]] = {}
        saved: dict[tuple[int, int], dict[str, Any]] = {}
        for op in ops:
            kind, org_index, period_index = op[0], op[1], op[2]
            if kind == "tick":
                clock.tick()
                continue
            submission = services.submission_open(
                actor=SYSTEM,
                organisation=organisations[org_index],
                dataset=dataset,
                period=periods[period_index],
            )
            key = (org_index, period_index)
            try:
                if kind == "save":
                    services.submission_save_values(
                        actor=SYSTEM,
                        submission=submission,
                        cells=cells_of(op[3]),
                        channel=Submission.Channel.API,
                        submit=op[4],
                    )
                    saved[key] = op[3]
                elif kind == "approve":
                    services.submission_approve(actor=staff, submission=submission)
                    approved_reports[key] = saved[key]
                elif kind == "return":
                    services.submission_return(actor=staff, submission=submission, comment="Fix")
                else:
                    services.submission_reopen(actor=staff, submission=submission, reason="Fix")
                    approved_reports.pop(key)
            except ValidationError:
                pass  # refused (invalid data, or not possible in this state): nothing changes
            # After every step, not only at the end, where a later step could hide it.
            assert rollup_rows() == rebuilt_rows()
        rollups.rebuild_all()
        for period_index, period in enumerate(periods):
            expected = [
                total
                for (o, p), report in approved_reports.items()
                if p == period_index and (total := canada_total(report)) is not None
            ]
            row = Rollup.objects.filter(
                indicator=youth, period=period, region="CA", member=""
            ).first()
            if expected:
                assert row is not None
                assert (row.total, row.organisations) == (sum(expected), len(expected))
            else:
                assert row is None
        approved_ids = set(
            Submission.objects.filter(status=Submission.Status.APPROVED).values_list(
                "organisation_id", flat=True
            )
        )
        assert all(r.organisations <= len(approved_ids) for r in Rollup.objects.all())


@pytest.mark.django_db
def test_a_full_rebuild_reports_each_slice_done():
    staff = backbone_staff()
    indicator = IndicatorFactory.create(code="youth")
    organisation = OrganisationFactory.create()
    dataset = DatasetFactory.create(indicators=[indicator], organisations=[organisation])
    for code in ("2024Q1", "2024Q2"):
        submission = services.submission_open(
            actor=SYSTEM,
            organisation=organisation,
            dataset=dataset,
            period=PeriodFactory.create(code=code),
        )
        services.submission_save_values(
            actor=SYSTEM,
            submission=submission,
            cells=[CellValue("youth", "", D(12))],
            channel=Submission.Channel.API,
            submit=True,
        )
        services.submission_approve(actor=staff, submission=submission)
    steps: list[int] = []
    rollups.rebuild_all(progress=steps.append)
    assert sum(steps) == 2
    assert len(rollups.approved_slices()) == 2
