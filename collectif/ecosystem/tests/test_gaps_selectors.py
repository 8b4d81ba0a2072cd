"""The gap matrix, its drill-down and the equity summary, against small worlds counted by hand."""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collectif.core.models import Province
from collectif.ecosystem.domain.gaps import CellStatus
from collectif.ecosystem.models import (
    Engagement,
    EquityIdentity,
    GapTarget,
    Organisation,
    PopulationGroup,
    Sector,
    Stage,
)
from collectif.ecosystem.selectors import gaps
from collectif.ecosystem.selectors.gaps import GapFilters
from collectif.ecosystem.tests.factories import OrganisationFactory


def _org(
    slug: str,
    *,
    sector: str = "non-profit",
    head: str = "ON",
    serves: tuple[str, ...] = (),
    stage: str | None = None,
    groups: tuple[str, ...] = (),
    identities: tuple[str, ...] = (),
    archived: bool = False,
) -> Organisation:
    organisation = OrganisationFactory.create(
        slug=slug,
        sector=Sector.objects.get(code=sector),
        head_office_province=Province.objects.get(code=head),
    )
    organisation.provinces_served.set(Province.objects.filter(code__in=serves))
    organisation.populations_served.set(PopulationGroup.objects.filter(code__in=groups))
    organisation.equity_identities.set(EquityIdentity.objects.filter(code__in=identities))
    if stage is not None:
        Engagement.objects.create(
            organisation=organisation, stage=stage, stage_since=date(2026, 1, 5)
        )
    if archived:
        Organisation.objects.filter(pk=organisation.pk).update(archived_at="2026-01-01T00:00Z")
    return organisation


def _cell(matrix: gaps.GapMatrix, sector: str, column: str) -> gaps.Cell:
    row = next(r for r in matrix.rows if r.sector.code == sector)
    return next(c for c in row.cells if c.column.key == column)


def _nonzero(cell: gaps.Cell) -> dict[str, int]:
    return {stage: n for stage, n in cell.counts.items() if n}


@pytest.fixture
def world() -> None:
    """Three programs, a funder and an archived one, in Ontario, Quebec and Nunavut.

    - program-a: head office ON, serves ON and QC, committed, serves Indigenous youth,
      Indigenous-led.
    - program-b: head office ON, serves none (so counts in ON), no pipeline row
      (identified), serves newcomers.
    - program-c: head office QC, serves QC and NU, engaged, serves Indigenous and
      newcomer youth, Indigenous-led and rural.
    - funder: head office ON, declined.
    - gone: archived, committed in ON: never counted.
    """
    _org(
        "program-a",
        serves=("ON", "QC"),
        stage=Stage.COMMITTED,
        groups=("indigenous",),
        identities=("indigenous-led",),
    )
    _org("program-b", groups=("newcomer",))
    _org(
        "program-c",
        head="QC",
        serves=("QC", "NU"),
        stage=Stage.ENGAGED,
        groups=("indigenous", "newcomer"),
        identities=("indigenous-led", "rural-remote"),
    )
    _org("funder", sector="funder", stage=Stage.DECLINED)
    _org("gone", stage=Stage.COMMITTED, serves=("ON",), archived=True)


@pytest.mark.django_db
def test_the_province_matrix_counts_each_province_served_or_the_head_office(world: None) -> None:
    matrix = gaps.gap_matrix(axis="province")
    assert [c.key for c in matrix.columns][:3] == ["NL", "PE", "NS"]
    assert len(matrix.columns) == 13
    assert _nonzero(_cell(matrix, "non-profit", "ON")) == {"committed": 1, "identified": 1}
    assert _nonzero(_cell(matrix, "non-profit", "QC")) == {"committed": 1, "engaged": 1}
    assert _nonzero(_cell(matrix, "non-profit", "NU")) == {"engaged": 1}
    assert _nonzero(_cell(matrix, "funder", "ON")) == {"declined": 1}
    assert _cell(matrix, "non-profit", "BC").total == 0

    assert _cell(matrix, "non-profit", "ON").status == CellStatus.MET
    assert _cell(matrix, "non-profit", "NU").status == CellStatus.WEAK
    assert _cell(matrix, "funder", "ON").status == CellStatus.WEAK
    assert _cell(matrix, "non-profit", "BC").status == CellStatus.EMPTY
    statuses = matrix.status_counts()
    assert statuses == {"met": 2, "weak": 2, "empty": 8 * 13 - 4}


@pytest.mark.django_db
def test_the_population_matrix_counts_each_group_served(world: None) -> None:
    matrix = gaps.gap_matrix(axis="population")
    assert len(matrix.columns) == 12
    assert _nonzero(_cell(matrix, "non-profit", "indigenous")) == {"committed": 1, "engaged": 1}
    assert _nonzero(_cell(matrix, "non-profit", "newcomer")) == {"identified": 1, "engaged": 1}
    assert _cell(matrix, "funder", "newcomer").total == 0
    assert _cell(matrix, "non-profit", "newcomer").status == CellStatus.WEAK


@pytest.mark.django_db
def test_filters_keep_one_equity_identity_or_one_stage(world: None) -> None:
    led = gaps.gap_matrix(axis="province", filters=GapFilters(equity="indigenous-led"))
    assert _nonzero(_cell(led, "non-profit", "ON")) == {"committed": 1}
    assert _nonzero(_cell(led, "non-profit", "QC")) == {"committed": 1, "engaged": 1}
    rural = gaps.gap_matrix(axis="province", filters=GapFilters(equity="rural-remote"))
    assert _nonzero(_cell(rural, "non-profit", "ON")) == {}
    engaged = gaps.gap_matrix(axis="province", filters=GapFilters(stage=Stage.ENGAGED))
    assert sum(c.total for r in engaged.rows for c in r.cells) == 2  # program-c in QC and NU
    identified = gaps.gap_matrix(axis="province", filters=GapFilters(stage=Stage.IDENTIFIED))
    assert _nonzero(_cell(identified, "non-profit", "ON")) == {"identified": 1}


@pytest.mark.django_db
def test_configured_targets_change_the_status_most_specific_first(world: None) -> None:
    non_profit = Sector.objects.get(code="non-profit")
    GapTarget.objects.create(axis="province", minimum_stage=Stage.ENGAGED, minimum_count=1)
    GapTarget.objects.create(
        axis="province",
        sector=non_profit,
        province=Province.objects.get(code="QC"),
        minimum_stage=Stage.COMMITTED,
        minimum_count=2,
    )
    matrix = gaps.gap_matrix(axis="province")
    assert _cell(matrix, "non-profit", "NU").status == CellStatus.MET  # engaged is enough
    assert _cell(matrix, "non-profit", "QC").status == CellStatus.WEAK  # needs 2 committed
    assert _cell(matrix, "non-profit", "QC").reached == 1
    assert [(e.sector, e.column) for e in matrix.legend] == [("Non-profit", "Quebec"), ("", "")]
    population = gaps.gap_matrix(axis="population")
    assert population.legend == []  # a province target says nothing about groups


@pytest.mark.django_db
def test_each_matrix_costs_one_grouped_query_and_the_labels(world: None) -> None:
    for axis in ("province", "population"):
        with CaptureQueriesContext(connection) as captured:
            gaps.gap_matrix(axis=axis, filters=GapFilters(equity="indigenous-led", stage="engaged"))
        grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
        assert len(grouped) == 1, grouped
        assert len(captured.captured_queries) == 4  # sectors, columns, targets, the counts


@pytest.mark.django_db
def test_the_drill_down_lists_the_organisations_the_cell_counts(world: None) -> None:
    cell = gaps.gap_cell(axis="province", sector_code="non-profit", column_key="ON")
    assert cell.total == 2
    found = gaps.gap_cell_organisations(cell=cell, axis="province", filters=GapFilters())
    stages = {o.slug: o.stage_now for o in found}  # type: ignore[attr-defined]
    assert stages == {"program-a": "committed", "program-b": "identified"}
    quebec = gaps.gap_cell(axis="province", sector_code="non-profit", column_key="QC")
    found = gaps.gap_cell_organisations(cell=quebec, axis="province", filters=GapFilters())
    assert sorted(o.slug for o in found) == ["program-a", "program-c"]
    group = gaps.gap_cell(axis="population", sector_code="non-profit", column_key="newcomer")
    filters = GapFilters(equity="indigenous-led")
    found = gaps.gap_cell_organisations(cell=group, axis="population", filters=filters)
    assert [o.slug for o in found] == ["program-c"]


@pytest.mark.django_db
def test_a_cell_that_does_not_exist_is_not_found() -> None:
    with pytest.raises(Http404):
        gaps.gap_cell(axis="province", sector_code="non-profit", column_key="XX")
    with pytest.raises(Http404):
        gaps.gap_cell(axis="nowhere", sector_code="non-profit", column_key="ON")
    with pytest.raises(Http404):
        gaps.gap_cell(axis="population", sector_code="nope", column_key="newcomer")


@pytest.mark.django_db
def test_the_equity_summary_counts_by_identity(world: None) -> None:
    summary = gaps.equity_summary()
    rows = {row.identity.code: row for row in summary.rows if row.identity}
    led = rows["indigenous-led"]
    assert {s: n for s, n in led.counts.items() if n} == {"committed": 1, "engaged": 1}
    assert led.committed == 1
    assert led.provinces == 3  # ON, QC, NU
    assert led.share == pytest.approx(2 / 4)  # four active organisations in all
    assert rows["rural-remote"].provinces == 2 and rows["rural-remote"].committed == 0
    assert rows["black-led"].total == 0 and rows["black-led"].share == 0
    assert summary.whole.total == 4
    assert summary.whole.provinces == 3
    assert {s: n for s, n in summary.whole.counts.items() if n} == {
        "committed": 1,
        "engaged": 1,
        "identified": 1,
        "declined": 1,
    }


@pytest.mark.django_db
def test_the_equity_summary_of_an_empty_ecosystem_is_all_zeros() -> None:
    summary = gaps.equity_summary()
    assert summary.whole.total == 0 and summary.whole.share == 0
    assert all(row.total == 0 and row.share == 0 for row in summary.rows)
    assert len(summary.rows) == 8


# --- The grouped query against a count made one organisation at a time ----------------

PROVINCES = ("ON", "QC", "NU", "BC")
GROUPS = ("indigenous", "newcomer", "rural")
worlds = st.lists(
    st.tuples(
        st.sampled_from(("non-profit", "funder")),  # sector
        st.sampled_from(PROVINCES),  # head office
        st.sets(st.sampled_from(PROVINCES), max_size=3),  # provinces served
        st.sets(st.sampled_from(GROUPS), max_size=2),  # population groups served
        st.one_of(st.none(), st.sampled_from([s.value for s in Stage])),  # stage, or no row
        st.booleans(),  # archived
    ),
    max_size=8,
)


def _expected(
    rows: list[tuple[str, str, set[str], set[str], str | None, bool]], axis: str
) -> Counter[tuple[str, str, str]]:
    """(sector, column, stage) → organisations, counted the slow, obvious way."""
    found: Counter[tuple[str, str, str]] = Counter()
    for sector, head, served, groups, stage, archived in rows:
        if archived:
            continue
        columns = (served or {head}) if axis == "province" else groups
        for column in columns:
            found[(sector, column, stage or Stage.IDENTIFIED.value)] += 1
    return found


class TestTheMatrixAgreesWithAHandCount(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds)
    def test_every_cell(
        self, rows: list[tuple[str, str, set[str], set[str], str | None, bool]]
    ) -> None:
        for n, (sector, head, served, groups, stage, archived) in enumerate(rows):
            _org(
                f"random-{n}",
                sector=sector,
                head=head,
                serves=tuple(served),
                groups=tuple(groups),
                stage=stage,
                archived=archived,
            )
        for axis in ("province", "population"):
            matrix = gaps.gap_matrix(axis=axis)
            counted: Counter[tuple[str, str, str]] = Counter()
            for row in matrix.rows:
                for cell in row.cells:
                    for stage_code, n in cell.counts.items():
                        if n:
                            counted[(row.sector.code, cell.column.key, stage_code)] = n
                    assert (cell.status == CellStatus.EMPTY) == (cell.total == 0)
            assert counted == _expected(rows, axis)
