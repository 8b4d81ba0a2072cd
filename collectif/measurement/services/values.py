"""Writing a submission's values in bulk, the fastest way each database allows.

`services.submissions.submission_save_values` checks the cells and deletes the previous
values first; this module only streams the new rows in, in the caller's transaction.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice

from django.db import connection
from psycopg import sql

from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Submission, Value

VALUE_COLUMNS = (
    "submission_id",
    "indicator_id",
    "organisation_id",
    "period_id",
    "breakdown",
    "value",
)
INSERT_BATCH = 2000


def _value_rows(
    submission: Submission, cells: Iterable[CellValue], indicators: dict[str, int]
) -> Iterator[tuple[int, int, int, int, str, Decimal]]:
    for cell in cells:
        yield (
            submission.pk,
            indicators[cell.indicator_code],
            submission.organisation_id,
            submission.period_id,
            cell.breakdown,
            cell.value,
        )


def copy_values(
    submission: Submission, cells: Iterable[CellValue], indicators: dict[str, int]
) -> None:
    """PostgreSQL: stream the rows with COPY, in the caller's transaction.

    A file of a hundred thousand values would otherwise become as many model instances
    and a hundred INSERTs that Django prepares field by field: COPY writes the same rows
    several times faster, with no list of rows held in memory.
    """
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(Value._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(column) for column in VALUE_COLUMNS),
    )
    with connection.cursor() as wrapper, wrapper.cursor.copy(statement) as copy:
        for row in _value_rows(submission, cells, indicators):
            copy.write_row(row)


def insert_values(
    submission: Submission, cells: Iterable[CellValue], indicators: dict[str, int]
) -> None:
    """Other databases (SQLite in development and tests): bulk_create, batch by batch."""
    rows = _value_rows(submission, cells, indicators)
    while batch := list(islice(rows, INSERT_BATCH)):
        Value.objects.bulk_create(
            [Value(**dict(zip(VALUE_COLUMNS, row, strict=True))) for row in batch]
        )


def write_values(
    submission: Submission, cells: Iterable[CellValue], indicators: dict[str, int]
) -> None:
    """Insert the cells as the submission's values (indicator code → id in `indicators`)."""
    if connection.vendor == "postgresql":
        copy_values(submission, cells, indicators)
    else:
        insert_values(submission, cells, indicators)
