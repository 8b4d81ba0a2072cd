"""Importing a partner's file into its submission: all of it, or nothing.

The file is read and checked completely before anything is written, so a person sees
every problem of the file at once, each with its row and column, and fixes them in one
go. Only a correct file reaches `services.submission_save_values`, which replaces the
submission's values in one transaction (and validates the cells once more, for the
rules that need the whole set: parts and totals, rules between indicators).

The command line runs imports as the system (`SYSTEM`), which the audit log records
as "system".
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction

from collectif.core.actors import Actor, require
from collectif.core.files import FileProblem, Progress, Table, read_table
from collectif.core.services import audit_record
from collectif.ecosystem.models import Organisation
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain.validation import CellValue, Problem
from collectif.measurement.files.columns import column_role, has_recognisable_header
from collectif.measurement.files.rows import rows_to_cells
from collectif.measurement.models import Dataset, Period, Submission
from collectif.measurement.services import submissions as services


@dataclass
class ImportResult:
    rows: int
    cells: int
    warnings: list[Problem] = field(default_factory=list)
    submission: Submission | None = None


class _Counted:
    """Counts the data rows of a table as they are read."""

    def __init__(self, table: Table) -> None:
        self.count = 0
        self._rows = table.rows

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for row in self._rows:
            self.count += 1
            yield row


def _value_header(table: Table) -> str | None:
    return next((h for h in table.headers if column_role(h) == "value"), None)


def _locate(problems: list[Problem], value_header: str | None) -> list[Problem]:
    """Name the file's value column on problems found on a file row by cell checks."""
    for problem in problems:
        if problem.row is not None and problem.column and "/" in problem.column:
            problem.column = value_header
    return problems


def _read(
    data: BinaryIO,
    *,
    filename: str,
    dataset: Dataset,
    sheet: str | None,
    progress: Progress | None,
) -> tuple[Table, _Counted, list[CellValue], list[Problem]]:
    try:
        table = read_table(
            data,
            filename=filename,
            sheet=sheet,
            progress=progress,
            recognise_header=has_recognisable_header,
        )
        counted = _Counted(table)
        table.rows = iter(counted)
        cells, problems = rows_to_cells(table, dataset)
    except FileProblem as exc:
        raise services.SubmissionInvalid([Problem(message=str(exc), code=exc.code)]) from exc
    return table, counted, cells, problems


def submission_import(
    *,
    actor: Actor,
    organisation: Organisation,
    dataset: Dataset,
    period: Period,
    data: BinaryIO,
    filename: str,
    submit: bool = False,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, check and save a file of values; raise SubmissionInvalid listing every problem.

    With `submit`, the submission is also sent for approval (checked as complete).
    `sheet` names the workbook sheet to read (default: the first with our headers).
    """
    require(actor, "measurement.submit_for", organisation)
    table, counted, cells, problems = _read(
        data, filename=filename, dataset=dataset, sheet=sheet, progress=progress
    )
    if any(problem.severity == "error" for problem in problems):
        raise services.SubmissionInvalid(problems)
    value_header = _value_header(table)
    with transaction.atomic():
        submission = services.submission_open(
            actor=actor, organisation=organisation, dataset=dataset, period=period
        )
        try:
            warnings = services.submission_save_values(
                actor=actor,
                submission=submission,
                cells=cells,
                channel=Submission.Channel.FILE,
                submit=submit,
            )
        except services.SubmissionInvalid as exc:
            _locate(exc.problems, value_header)
            raise
        audit_record(
            actor=actor,
            action=MeasurementAction.SUBMISSION_IMPORT,
            target=submission,
            changes={
                "filename": filename[:200],
                "format": table.format,
                "encoding": table.encoding,
                "rows": counted.count,
                "values": len(cells),
                "submitted": submit,
            },
        )
    return ImportResult(
        rows=counted.count,
        cells=len(cells),
        warnings=_locate([*problems, *warnings], value_header),
        submission=submission,
    )
