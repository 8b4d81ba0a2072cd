"""A file checked a batch at a time, column by column, finds exactly what reading it row by
row finds: the same cells, and the same problems (text, row, column, order)."""

import io
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectif.core.files import Row, Table
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.files import batches
from collectif.measurement.files.batches import BatchChecker
from collectif.measurement.files.catalogue import Catalogue
from collectif.measurement.files.rows import _map_columns, _RowReader, rows_to_cells
from collectif.measurement.models import Indicator, Value
from collectif.measurement.services.files import submission_import
from collectif.measurement.tests.factories import IndicatorFactory, PeriodFactory
from collectif.measurement.tests.test_validation import mentoring_dataset

HEADERS = ["Code", "Indicator name", "Age group", "Gender", "Notes", "Value"]

CODES = [
    "young_people_served",
    "YOUNG_PEOPLE_SERVED ",
    "active_mentors",
    "caring_adult_share",
    "budget",
    "matches_rate",
    "outsider",
    "nope",
    "",
]
NAMES = ["", "Active mentors", "Personnes mentores actives", "Nobody at all"]
AGES = ["", "", "6-11", "12-17", "6 to 11 years", "12 À 17 ANS", "ages 6 to 11", "bogus"]
GENDERS = ["", "", "", "women", "Girls and women+", "Filles et femmes+", "martian"]
VALUES = [
    "",
    "12",
    "007",
    "1 234,5",
    "1\u00a0234",
    "1\u202f234,56",
    "0 123",
    "12,5",
    "1,234",
    "1.234,5",
    "-3",
    "\u22124",
    "abc",
    "12 %",
    "150",
    "100",
    "99,999",
    "0,1234567",
    "100000000000000",
    "99999999999999",
    "1e999",
    "1,2E+07",
    "１２",
    "٣",
    "NaN",
]

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(CODES),
        st.sampled_from(NAMES),
        st.sampled_from(AGES),
        st.sampled_from(GENDERS),
        st.sampled_from(["", "", "", "a note"]),
        st.sampled_from(VALUES),
        st.integers(min_value=0, max_value=2),  # cells cut short on the right, or one more
    ),
    max_size=40,
)


@pytest.fixture
def dataset(db: Any) -> Any:
    dataset = mentoring_dataset()
    budget = IndicatorFactory.create(code="budget", unit=Indicator.Unit.DOLLARS)
    rate = IndicatorFactory.create(code="matches_rate", source=Indicator.Source.COMPUTED)
    IndicatorFactory.create(code="outsider")
    for position, indicator in enumerate((budget, rate), start=10):
        dataset.items.create(indicator=indicator, position=position)
    return dataset


def _table(rows: list[tuple[Any, ...]], *, decimal_comma: bool | None) -> Table:
    body: list[Row] = []
    for number, (*cells, shape) in enumerate(rows, start=2):
        if shape == 1:
            cells = cells[:-1] if cells[-1] == "" else cells
        elif shape == 2:
            cells = [*cells, "extra"]
        body.append((number, list(cells)))
    return Table(headers=list(HEADERS), rows=iter(body), format="csv", decimal_comma=decimal_comma)


def _outcome(reader: _RowReader) -> tuple[list[Any], list[Any]]:
    unknown = reader.unknown_columns()
    problems = [*reader.problems, *([unknown] if unknown else [])]
    return (
        [(c.indicator_code, c.breakdown, c.value, str(c.value), c.row) for c in reader.cells],
        [(p.message, p.row, p.column, p.severity, p.code) for p in problems],
    )


def _row_by_row(table: Table, dataset: Any) -> tuple[list[Any], list[Any]]:
    """The reference: every row read alone, cell by cell, as files were before batches."""
    catalogue = Catalogue.load(dataset)
    reader = _RowReader(table, catalogue, _map_columns(table.headers, catalogue))
    for number, cells in table.rows:
        reader.read(number, cells)
    return _outcome(reader)


def _by_batches(table: Table, dataset: Any, size: int) -> tuple[list[Any], list[Any]]:
    catalogue = Catalogue.load(dataset)
    reader = _RowReader(table, catalogue, _map_columns(table.headers, catalogue))
    checker = BatchChecker(reader)
    for batch in table.batches(size):
        checker.check(batch)
    return _outcome(reader)


@given(
    rows=rows_strategy,
    size=st.integers(min_value=1, max_value=7),
    decimal_comma=st.sampled_from([True, None]),
)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_batches_find_exactly_what_rows_read_one_by_one_find(
    dataset: Any, rows: list[tuple[Any, ...]], size: int, decimal_comma: bool | None
) -> None:
    expected = _row_by_row(_table(rows, decimal_comma=decimal_comma), dataset)
    found = _by_batches(_table(rows, decimal_comma=decimal_comma), dataset, size)
    assert found == expected


@pytest.mark.django_db
def test_a_batch_of_every_kind_of_mistake_reports_each_on_its_row(dataset: Any) -> None:
    rows = [
        ("young_people_served", "", "6-11", "", "", "12", 0),
        ("young_people_served", "", "6-11", "", "", "13", 0),  # the same cell again
        ("nope", "", "", "", "", "5", 0),
        ("active_mentors", "", "", "", "", "abc", 0),
        ("caring_adult_share", "", "", "", "", "150", 0),
        ("young_people_served", "", "bogus", "", "", "3", 0),
        ("active_mentors", "", "6-11", "", "", "3", 0),
        ("young_people_served", "", "6-11", "women", "", "3", 0),
        ("matches_rate", "", "", "", "", "3", 0),
        ("active_mentors", "", "", "", "", "-3", 0),
        ("budget", "", "", "", "", "1 234,56", 0),
    ]
    table = _table(rows, decimal_comma=True)
    cells, problems = _by_batches(table, dataset, 4)
    assert [cell[0::4] for cell in cells] == [("young_people_served", 2), ("budget", 12)]
    assert cells[1][2] == Decimal("1234.56")
    assert [(p[1], p[4]) for p in problems] == [
        (3, "duplicate"),
        (4, "unknown_indicator"),
        (5, "not_a_number"),
        (6, "percent_range"),
        (7, "unknown_member"),
        (8, "not_broken_down"),
        (9, "several_members"),
        (10, "computed"),
        (11, "negative"),
    ]
    assert _row_by_row(_table(rows, decimal_comma=True), dataset) == (cells, problems)


@pytest.mark.django_db
def test_progress_hears_rows_done_out_of_the_rows_expected(dataset: Any, monkeypatch) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", 1000)
    monkeypatch.setattr("collectif.measurement.files.rows.BATCH_ROWS", 1000)
    organisation = OrganisationFactory.create()
    dataset.organisations.add(organisation)
    body = "Indicator code,Value\nactive_mentors,7\n" + "young_people_served,\n" * 2500
    steps: list[tuple[int, int]] = []
    result = submission_import(
        actor=_system(),
        organisation=organisation,
        dataset=dataset,
        period=PeriodFactory.create(code="2026Q1"),
        data=io.BytesIO(body.encode()),
        filename="data.csv",
        progress=lambda done, total: steps.append((done, total)),
    )
    assert result.rows == 2501
    assert steps == [(1000, 2501), (2000, 2501), (2501, 2501), (2501, 2501)]
    assert Value.objects.get().value == 7


@pytest.mark.django_db
def test_a_file_s_cells_are_not_range_checked_a_second_time(dataset: Any) -> None:
    table = _table([("active_mentors", "", "", "", "", "12", 0)], decimal_comma=None)
    cells, problems = rows_to_cells(table, dataset)
    assert problems == []
    assert [cell.checked for cell in cells] == [True]


def _system() -> Any:
    from collectif.core.actors import SYSTEM

    return SYSTEM
