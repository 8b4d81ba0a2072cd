"""Importing a partner's file into its submission: all of it, or nothing.

The file is read and checked completely before anything is written, so a person sees
every problem of the file at once, each with its row and column, and fixes them in one
go. Only a correct file reaches `services.submission_save_values`, which replaces the
submission's values in one transaction (and validates the cells once more, for the
rules that need the whole set: parts and totals, rules between indicators).

The command line runs imports as the system (`SYSTEM`), which the audit log records
as "system".
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collectif.core.actors import Actor, require
from collectif.core.files import FileProblem, RowProgress, Table, read_table
from collectif.core.formatting import format_number
from collectif.core.services import audit_record
from collectif.ecosystem.models import Organisation
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain.changes import ValueChanges, compare_cells
from collectif.measurement.domain.validation import CellValue, Problem
from collectif.measurement.files.columns import column_role, has_recognisable_header
from collectif.measurement.files.rows import rows_to_cells
from collectif.measurement.models import Dataset, Period, Submission
from collectif.measurement.services import submissions as services

# How many sheet names a notice lists.
SHOWN_SHEETS = 5


@dataclass
class ImportResult:
    rows: int
    cells: int
    warnings: list[Problem] = field(default_factory=list)
    submission: Submission | None = None
    # How many saved values the file replaced (kept in the submission's history).
    replaced: int = 0


@dataclass
class ImportPreview:
    """What a correct file would change in a submission that already has saved values."""

    rows: int
    cells: int
    saved: int
    changes: ValueChanges
    submission: Submission
    warnings: list[Problem] = field(default_factory=list)
    # The saved values compared, so that a confirmation replaces exactly those.
    fingerprint: str = ""


class ReplaceNeeded(ValidationError):  # noqa: N818  (like SubmissionInvalid)
    """The file is correct but would replace saved values: nothing was written.

    `.preview` says what would change; the import runs again with `replace=True` once
    the person has confirmed.
    """

    def __init__(self, preview: ImportPreview) -> None:
        self.preview = preview
        super().__init__(
            ngettext(
                "%(count)s value is already saved for this period: the file would replace "
                "it. Confirm to replace the saved values.",
                "%(count)s values are already saved for this period: the file would replace "
                "them. Confirm to replace the saved values.",
                preview.saved,
            )
            % {"count": format_number(preview.saved)},
            code="replace_needed",
        )


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
    progress: RowProgress | None,
) -> tuple[Table, _Counted, list[CellValue], list[Problem]]:
    try:
        table = read_table(
            data, filename=filename, sheet=sheet, recognise_header=has_recognisable_header
        )
        counted = _Counted(table)
        table.rows = iter(counted)
        cells, problems = rows_to_cells(table, dataset, progress=progress)
    except FileProblem as exc:
        raise services.SubmissionInvalid([Problem(message=str(exc), code=exc.code)]) from exc
    notice = _sheet_notice(table)
    return table, counted, cells, problems if notice is None else [notice, *problems]


def _sheet_names(names: list[str]) -> str:
    shown = ", ".join(f"“{name}”" for name in names[:SHOWN_SHEETS])
    return shown + ("…" if len(names) > SHOWN_SHEETS else "")


def _sheet_notice(table: Table) -> Problem | None:
    """Which sheet of a workbook with several was read, so no sheet is read silently."""
    others = [name for name in table.sheet_names if name != table.sheet]
    if not table.sheet or not others:
        return None
    message = ngettext(
        "The workbook has %(count)s sheets: the values were read from the sheet "
        "“%(sheet)s” only, not from the other sheet (%(others)s).",
        "The workbook has %(count)s sheets: the values were read from the sheet "
        "“%(sheet)s” only, not from the other sheets (%(others)s).",
        len(others),
    ) % {
        "count": format_number(len(table.sheet_names)),
        "sheet": table.sheet,
        "others": _sheet_names(others),
    }
    hidden: list[str] = list(getattr(table, "hidden_sheets", None) or [])
    if hidden:
        message += " " + _("Hidden sheets are never read: %(sheets)s.") % {
            "sheets": _sheet_names(hidden)
        }
    return Problem(message=message, severity="warning", code="sheet")


def _preview(
    submission: Submission,
    cells: list[CellValue],
    *,
    saved: list[CellValue],
    submit: bool,
    value_header: str | None,
) -> ImportPreview:
    """What the file would change in the saved values, once its cells are all correct."""
    problems = services.submission_check_values(submission=submission, cells=cells, submit=submit)
    if any(problem.severity == "error" for problem in problems):
        raise services.SubmissionInvalid(_locate(problems, value_header))
    return ImportPreview(
        rows=0,
        cells=len(cells),
        saved=len(saved),
        changes=compare_cells(saved, cells, submission.dataset),
        submission=submission,
        warnings=_locate(problems, value_header),
        fingerprint=cells_fingerprint(saved),
    )


def cells_fingerprint(cells: list[CellValue]) -> str:
    """A short digest of a set of values (12 and 12.0 alike), to notice a change."""
    lines = sorted(f"{c.indicator_code}\t{c.breakdown}\t{c.value.normalize()}" for c in cells)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


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
    progress: RowProgress | None = None,
    replace: bool = False,
    replacing: str = "",
) -> ImportResult:
    """Read, check and save a file of values; raise SubmissionInvalid listing every problem.

    With `submit`, the submission is also sent for approval (checked as complete).
    `sheet` names the workbook sheet to read (default: the first with our headers).
    Saved values are replaced only with `replace`: otherwise ReplaceNeeded says what the
    file would change, and nothing is written. `replacing` is the fingerprint of the
    values the person saw replaced: if they changed since, ReplaceNeeded again. The
    values replaced stay in the history. `progress` hears (rows done, rows expected)
    every few thousand rows checked, and once more when the values are saved.
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
        saved = services.saved_cells(submission)
        replaced = len(saved)
        if saved and (not replace or (replacing and replacing != cells_fingerprint(saved))):
            preview = _preview(
                submission, cells, saved=saved, submit=submit, value_header=value_header
            )
            if preview.changes.any:
                preview.rows = counted.count
                preview.warnings = _locate([*problems, *preview.warnings], value_header)
                raise ReplaceNeeded(preview)
        try:
            warnings = services.submission_save_values(
                actor=actor,
                submission=submission,
                cells=cells,
                channel=Submission.Channel.FILE,
                submit=submit,
                keep_previous=True,
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
                "replaced": replaced,
                "submitted": submit,
            },
        )
    if progress is not None:
        progress(counted.count, counted.count)
    return ImportResult(
        rows=counted.count,
        cells=len(cells),
        warnings=_locate([*problems, *warnings], value_header),
        submission=submission,
        replaced=replaced,
    )
