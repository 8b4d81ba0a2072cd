"""Secondary suppression: no hidden cell can be worked out from the cells shown.

The attack is the one a curious reader would try: take a total that is shown, subtract
the parts that are shown, and compare with what is hidden; or combine several such
relations (a province's row and a member's column). Tested on the domain function with
hand-made slices, then through the public path (selectors and the anonymous API) with
random reports.
"""

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.disclosure import (
    SECONDARY_REASON,
    CellFacts,
    Key,
    protect,
    suppression_reason,
    too_small,
)
from collectif.measurement.domain.results import Figure
from collectif.measurement.domain.rollups import organisation_cells
from collectif.measurement.models import CANADA, Indicator
from collectif.measurement.selectors import results
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
)
from collectif.measurement.tests.results_data import approve

D = Decimal
PROVINCES = ["BC", "MB", "NS", "ON", "QC"]
AGES = ["age:6-11", "age:12-17", "age:18-24"]
GENDERS = ["gender:women", "gender:men", "gender:diverse", "gender:not-stated"]


def _slice(indicator: Indicator, cells: Mapping[Key, tuple[int, int]]) -> dict[Key, CellFacts]:
    """Cells as the rollups give them: (value, organisations) → facts with primary reasons."""
    return {
        key: CellFacts(
            mass=D(value),
            organisations=organisations,
            reason=suppression_reason(indicator, D(value), organisations),
        )
        for key, (value, organisations) in cells.items()
    }


@pytest.fixture
def count() -> Indicator:
    return IndicatorFactory.build(unit=Indicator.Unit.COUNT, aggregation=Indicator.Aggregation.SUM)


def test_the_issue_example_hides_a_second_province(count: Indicator) -> None:
    cells = _slice(count, {(CANADA, ""): (450, 4), ("ON", ""): (360, 3), ("QC", ""): (90, 1)})
    hidden = protect(cells, too_small(count))
    assert "fewer than 3 organisations" in str(hidden[("QC", "")])
    assert hidden[("ON", "")] == SECONDARY_REASON
    assert (CANADA, "") not in hidden  # the sum of the two hidden provinces, by design


def test_the_smallest_shown_part_is_hidden_next(count: Indicator) -> None:
    cells = _slice(
        count,
        {
            (CANADA, ""): (1000, 10),
            ("ON", ""): (500, 4),
            ("QC", ""): (90, 1),
            ("BC", ""): (210, 3),
            ("NS", ""): (200, 2),  # hidden too: fewer than 3 organisations
        },
    )
    hidden = protect(cells, too_small(count))
    # QC and NS hide each other: 290 from 3 organisations is not itself a small cell.
    assert set(hidden) == {("QC", ""), ("NS", "")}


def test_two_hidden_cells_from_one_organisation_each_are_not_enough(count: Indicator) -> None:
    """Each of the two partners would learn the other's value by subtracting its own."""
    cells = _slice(
        count,
        {
            (CANADA, ""): (1000, 8),
            ("ON", ""): (500, 4),
            ("QC", ""): (90, 1),
            ("NS", ""): (200, 1),
            ("BC", ""): (210, 2),
        },
    )
    hidden = protect(cells, too_small(count))
    assert {("QC", ""), ("NS", ""), ("BC", "")} <= set(hidden)


def test_a_hidden_zero_does_not_protect_its_neighbour(count: Indicator) -> None:
    cells = _slice(
        count,
        {(CANADA, ""): (590, 7), ("ON", ""): (500, 3), ("QC", ""): (90, 1), ("NS", ""): (0, 3)},
    )
    hidden = protect(cells, too_small(count))
    assert ("NS", "") in hidden and ("ON", "") in hidden  # 0 + 90 would still give 90


def test_a_total_made_of_one_hidden_part_is_hidden(count: Indicator) -> None:
    """Ontario's only age group was hidden; Ontario's total would give it back."""
    cells = _slice(
        count,
        {
            (CANADA, ""): (60, 6),
            ("ON", ""): (20, 3),
            ("QC", ""): (40, 3),
            (CANADA, "age:6-11"): (20, 3),
            ("ON", "age:6-11"): (20, 3),
        },
    )
    assert protect(cells, too_small(count)) == {}
    cells[("ON", "age:6-11")] = CellFacts(mass=D(20), organisations=3, reason="hidden")
    hidden = protect(cells, too_small(count))
    assert {("ON", "age:6-11"), ("ON", "")} <= set(hidden)
    assert not derivable(cells, hidden)


def test_relations_that_do_not_add_up_are_not_protected_needlessly(count: Indicator) -> None:
    """Some partners do not break their total down: Ontario minus its age groups is not a
    group's value, so the shown age groups stay shown."""
    cells = _slice(
        count,
        {
            ("ON", ""): (500, 6),
            ("ON", "age:6-11"): (90, 1),
            ("ON", "age:12-17"): (200, 3),
            (CANADA, ""): (500, 6),
            (CANADA, "age:6-11"): (90, 1),
            (CANADA, "age:12-17"): (200, 3),
        },
    )
    hidden = protect(cells, too_small(count))
    # Canada's age:12-17 equals Ontario's (one province): hiding one hides the other.
    assert set(hidden) == {("ON", "age:6-11"), (CANADA, "age:6-11")}


def test_combining_a_row_and_a_column_gives_nothing_away(count: Indicator) -> None:
    """Each relation alone has two hidden cells, yet Nova Scotia's total follows from
    Canada's total minus Canada's genders (which add up Ontario's and Quebec's hidden
    totals): the exact audit hides one more cell, a gender rather than the total."""
    ages = dict(zip(AGES, (40, 50, 30), strict=True))
    reports = [("ON", {"": 120, **ages, **dict(zip(GENDERS, (60, 50, 5, 5), strict=True))})] * 3
    reports += [
        ("QC", {"": 15, **dict(zip([*AGES, *GENDERS], (10, 2, 3, 4, 4, 4, 3), strict=True))}),
        ("NS", {"": 1, **dict(zip(AGES, (0, 0, 1), strict=True))}),  # no genders
    ]
    cells = _aggregate(count, reports)
    hidden = protect(cells, too_small(count))
    assert {("NS", ""), ("QC", ""), ("ON", "")} <= set(hidden)
    assert hidden[(CANADA, "gender:not-stated")] == SECONDARY_REASON
    assert (CANADA, "") not in hidden
    assert not derivable(cells, hidden)
    assert not differences_reveal(cells, hidden)


def _aggregate(
    indicator: Indicator, reports: list[tuple[str, dict[str, int]]]
) -> dict[Key, CellFacts]:
    """Partners' reports added up into cells by the rollup engine's own rule."""
    totals: dict[Key, tuple[int, int]] = {}
    for head_office, values in reports:
        own = organisation_cells({k: D(v) for k, v in values.items()}, head_office)
        for key, value in own.items():
            before, organisations = totals.get(key, (0, 0))
            totals[key] = (before + int(value), organisations + 1)
    return _slice(indicator, totals)


# ---- An independent attacker ----------------------------------------------------------


def groups(cells: Iterable[Key]) -> list[tuple[Key, list[Key], bool]]:
    """Every (total, parts, along provinces) a reader can subtract along: provinces for
    each member, and the members of each dimension within each region."""
    present = set(cells)
    members = {m for _r, m in present}
    result = [
        ((CANADA, m), [(p, m) for p in PROVINCES if (p, m) in present], True) for m in members
    ]
    for region in [CANADA, *PROVINCES]:
        for dimension in (AGES, GENDERS):
            parts = [(region, m) for m in dimension if (region, m) in present]
            result.append(((region, ""), parts, False))
    return [(total, parts, along) for total, parts, along in result if total in present and parts]


def differences_reveal(cells: Mapping[Key, CellFacts], hidden: Mapping[Key, Any]) -> list[Key]:
    """Hidden cells equal to a shown total minus its shown parts: by value, and by number
    of organisations along provinces (where, each partner being in one, they add up)."""
    revealed = []
    for total, parts, along_provinces in groups(cells):
        hidden_parts = [p for p in parts if p in hidden]
        if total in hidden or not hidden_parts:
            continue
        shown = [cells[p] for p in parts if p not in hidden]
        value = (cells[total].mass or 0) - sum(c.mass or 0 for c in shown)
        revealed += [p for p in hidden_parts if cells[p].mass == value]
        organisations = cells[total].organisations - sum(c.organisations for c in shown)
        if along_provinces:
            revealed += [p for p in hidden_parts if cells[p].organisations == organisations]
    return revealed


def derivable(
    cells: Mapping[Key, CellFacts],
    hidden: Mapping[Key, Any],
    holds: Callable[[Key, list[Key]], bool] | None = None,
) -> list[Key]:
    """Hidden cells fixed by the relations that hold exactly, combined (rational ranks).

    `holds` says which relations hold whatever the values (every partner behind the
    total broke it down); without it, those whose values add up. Values adding up by
    chance (a partner's unbroken total of zero) make no equation a reader could trust.
    """
    unknowns = sorted(hidden)
    rows: list[list[Fraction]] = []
    for total, parts, _along in groups(cells):
        if sum((cells[p].mass or D(0) for p in parts), D(0)) != cells[total].mass:
            continue
        if holds is not None and not holds(total, parts):
            continue
        row = [Fraction(0)] * len(unknowns)
        for key, sign in [(total, 1), *((p, -1) for p in parts)]:
            if key in hidden:
                row[unknowns.index(key)] += sign
        rows.append(row)
    base = _rank(rows)
    fixed = []
    for position, key in enumerate(unknowns):
        unit = [Fraction(int(i == position)) for i in range(len(unknowns))]
        if _rank([*rows, unit]) == base:
            fixed.append(key)
    return fixed


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [list(row) for row in rows]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


# ---- Through the public path -----------------------------------------------------------

values = st.integers(min_value=0, max_value=120)
organisation = st.tuples(
    st.sampled_from(PROVINCES),
    st.one_of(st.none(), st.lists(values, min_size=3, max_size=3)),  # age groups
    st.one_of(st.none(), st.lists(values, min_size=3, max_size=3)),  # genders but "not stated"
    st.booleans(),  # whether "not stated" is reported (else the genders fall short)
    values,  # the total when no age group is given
)


def _report(indicator: Indicator, spec: tuple[Any, ...]) -> dict[tuple[Indicator, str], int]:
    _province, ages, genders, stated, alone = spec
    total = sum(ages) if ages is not None else alone
    report = {(indicator, ""): total}
    if ages is not None:
        report.update({(indicator, key): v for key, v in zip(AGES, ages, strict=True)})
    if genders is not None and sum(genders) <= total:
        report.update({(indicator, key): v for key, v in zip(GENDERS, genders, strict=False)})
        if stated:
            report[(indicator, GENDERS[-1])] = total - sum(genders)
    return report


def broken_down(organisations: list[tuple[Any, ...]]) -> Callable[[Key, list[Key]], bool]:
    """Which relations hold whatever the values, from what each partner reported: a
    province's parts always; a region's members when each of its partners gave them all."""

    def complete(spec: tuple[Any, ...], dimension: list[str]) -> bool:
        _province, ages, genders, stated, _alone = spec
        if dimension is AGES:
            return ages is not None
        total = sum(ages) if ages is not None else spec[4]
        return genders is not None and (sum(genders) == total or (stated and sum(genders) <= total))

    def holds(total: Key, parts: list[Key]) -> bool:
        region, member = total
        if member:
            return True  # Canada and the provinces, for one member
        dimension = AGES if parts[0][1] in AGES else GENDERS
        behind = [o for o in organisations if region == CANADA or o[0] == region]
        return all(complete(o, dimension) for o in behind)

    return holds


def public_table(indicator: Indicator) -> dict[Key, Figure]:
    figures = results.aggregate(
        indicator, regions=[CANADA, *PROVINCES], members=["", *AGES, *GENDERS], suppress=True
    )
    return {(f.region, f.member): f for f in figures if f.value is not None}


class NoHiddenCellCanBeWorkedOut(TestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(organisation, min_size=1, max_size=9),
        st.integers(min_value=2, max_value=4),
        st.integers(min_value=1, max_value=10),
    )
    @example(
        [*[("ON", None, None, False, 120)] * 3, ("QC", None, None, False, 90)],
        3,
        5,
    )
    @example([("BC", None, [0, 0, 0], False, 0), ("MB", None, None, False, 0)], 2, 1)
    @example(
        [("ON", [40, 50, 30], [60, 50, 5], True, 0)] * 3
        + [("QC", [10, 2, 3], [4, 4, 4], True, 0), ("NS", [0, 0, 1], None, False, 0)],
        3,
        5,
    )
    def test_no_hidden_cell_equals_a_total_minus_the_parts_shown(
        self, organisations: list[tuple[Any, ...]], orgs_below: int, count_below: int
    ) -> None:
        indicator = IndicatorFactory.create(code="youth", dimensions=["province", "age", "gender"])
        dataset = DatasetFactory.create(indicators=[indicator])
        period = PeriodFactory.create(code="2025Q1")
        for spec in organisations:
            partner = OrganisationFactory.create(head_office_province_id=spec[0])
            approve(partner, dataset, period, _report(indicator, spec))
        thresholds = {
            "SUPPRESS_ORGANISATIONS_BELOW": orgs_below,
            "SUPPRESS_COUNT_BELOW": count_below,
        }
        with override_settings(COLLECTIF={**django_settings.COLLECTIF, **thresholds}):
            table = public_table(indicator)
            self._agrees_with_the_other_channels(indicator, table)
        cells = {
            key: CellFacts(mass=f.value, organisations=f.organisations, reason=f.reason)
            for key, f in table.items()
        }
        hidden = {key: f.reason for key, f in table.items() if f.suppressed}
        assert all(f.shown is None for key, f in table.items() if key in hidden)
        assert differences_reveal(cells, hidden) == []
        assert derivable(cells, hidden, broken_down(organisations)) == []

    def _agrees_with_the_other_channels(
        self, indicator: Indicator, table: dict[Key, Figure]
    ) -> None:
        period = next(iter(table.values())).period
        by_province = results.breakdown_by_province(indicator, period, suppress=True)
        for province, figure in by_province:
            if figure.value is not None:
                assert figure.suppressed == table[(province.code, "")].suppressed
        (row,) = results.scorecard(published_only=True, suppress=True)
        assert row.latest is not None and row.latest.suppressed == table[(CANADA, "")].suppressed
        api = rows(Client().get("/api/v1/results/aggregate?indicator=youth&dimension=province"))
        for line in api:
            shown = table.get((line["region"], ""))
            if shown is not None:
                assert line["suppressed"] == shown.suppressed
                assert line["organisations"] is None if shown.suppressed else True


# ---- The issue's attack, through the anonymous API ---------------------------------------


@pytest.mark.django_db
def test_quebec_cannot_be_worked_out_from_canada_and_ontario(client: Client) -> None:
    indicator = IndicatorFactory.create(code="served", dimensions=["province"])
    dataset = DatasetFactory.create(indicators=[indicator])
    period = PeriodFactory.create(code="2025Q1")
    for province, value in (("ON", 120), ("ON", 120), ("ON", 120), ("QC", 90)):
        partner = OrganisationFactory.create(head_office_province_id=province)
        approve(partner, dataset, period, {(indicator, ""): value})
    url = "/api/v1/results/aggregate?indicator=served"

    canada = rows(client.get(url))
    provinces = {r["region"]: r for r in rows(client.get(f"{url}&dimension=province"))}

    assert canada[0]["value"] == 450
    assert provinces["QC"]["suppressed"] and provinces["QC"]["value"] is None
    assert provinces["ON"]["suppressed"] and provinces["ON"]["value"] is None
    assert provinces["ON"]["reason"] == "suppressed: would reveal a smaller hidden figure"
    assert provinces["ON"]["organisations"] is None
    shown = sum(r["value"] for r in provinces.values() if r["value"] is not None)
    assert canada[0]["value"] - shown != 90
    client.force_login(backbone_staff())
    staff = rows(client.get(f"{url}&dimension=province"))
    assert {r["region"]: r["value"] for r in staff if r["value"]} == {"ON": 360, "QC": 90}


def rows(response: Any) -> list[dict[str, Any]]:
    """The API's rows, whether the list comes bare or as a page."""
    data = response.json()
    return list(data["results"] if isinstance(data, dict) else data)


@pytest.mark.django_db
def test_a_mean_is_protected_like_a_sum_since_its_count_is_published(client: Client) -> None:
    """Canada's mean × 4 partners − Ontario's mean × 3 would give Quebec's own value."""
    hours = IndicatorFactory.create(
        code="hours",
        unit=Indicator.Unit.DOLLARS,
        aggregation=Indicator.Aggregation.MEAN,
        dimensions=["province"],
    )
    dataset = DatasetFactory.create(indicators=[hours])
    period = PeriodFactory.create(code="2025Q1")
    for province, value in (("ON", 10), ("ON", 12), ("ON", 14), ("QC", 30)):
        partner = OrganisationFactory.create(head_office_province_id=province)
        approve(partner, dataset, period, {(hours, ""): value})

    canada = rows(client.get("/api/v1/results/aggregate?indicator=hours"))
    provinces = {
        r["region"]: r
        for r in rows(client.get("/api/v1/results/aggregate?indicator=hours&dimension=province"))
    }

    assert canada[0]["value"] == 16.5 and canada[0]["organisations"] == 4
    assert provinces["QC"]["suppressed"] and provinces["ON"]["suppressed"]
