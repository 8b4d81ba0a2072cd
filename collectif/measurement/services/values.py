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
COPY_BATCH = 10_000
# COPY's text format: a backslash, a tab or a line break in a value is written escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


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
    and a hundred INSERTs that Django prepares field by field. The rows are sent as
    COPY's own text, a batch of lines at a time: psycopg's row-by-row writer would cost
    more than the database spends storing them, and no list of rows is held in memory.
    """
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(Value._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(column) for column in VALUE_COLUMNS),
    )
    start = f"{submission.pk}\t"
    end = f"\t{submission.organisation_id}\t{submission.period_id}\t"
    # Each indicator's and each breakdown's part of a line, escaped once per file.
    heads = {code: f"{start}{pk}{end}" for code, pk in indicators.items()}
    keys: dict[str, str] = {}
    rows = iter(cells)
    with connection.cursor() as wrapper, wrapper.cursor.copy(statement) as copy:
        while batch := list(islice(rows, COPY_BATCH)):
            lines = []
            for cell in batch:
                key = keys.get(cell.breakdown)
                if key is None:
                    key = keys[cell.breakdown] = cell.breakdown.translate(_COPY_ESCAPES)
                lines.append(f"{heads[cell.indicator_code]}{key}\t{cell.value}\n")
            copy.write("".join(lines))


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
