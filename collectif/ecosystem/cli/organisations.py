"""`collectif ecosystem import-organisations FILE`: organisations from a CSV or XLSX file.

The operator's import. It says how many organisations the file creates, updates and
leaves as they are, and every invalid row (row, column, what to do) in English or
French; when any row is invalid nothing is written. `--dry-run` only reports.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from collectif.core.actors import SYSTEM
from collectif.core.formatting import format_number
from collectif.ecosystem.cli import CliAction
from collectif.ecosystem.services.organisation_imports import (
    CREATE,
    UPDATE,
    ImportReport,
    organisation_import,
    organisation_import_plan,
)


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "file", help="CSV or XLSX file: name_en, name_fr, sector, province, and more"
    )
    parser.add_argument(
        "--language", choices=("en", "fr"), default="en", help="language of the report"
    )
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")


def report_lines(report: ImportReport) -> list[str]:
    """The report in words: the counts, each organisation changed, each invalid row."""
    counts = {key: format_number(value) for key, value in report.counts().items()}
    lines = [
        _(
            "Rows read: %(rows)s. To create: %(created)s; to update: %(updated)s; "
            "unchanged: %(unchanged)s; invalid: %(invalid)s."
        )
        % counts
    ]
    for planned in report.planned:
        if planned.action == CREATE:
            lines.append("  " + _("Row %(row)s: new, %(name)s") % vars(planned))
        elif planned.action == UPDATE:
            lines.append(
                "  "
                + _("Row %(row)s: update %(name)s (%(fields)s)")
                % {"row": planned.row, "name": planned.name, "fields": planned.change_labels()}
            )
    lines.extend(f"  {problem}" for problem in report.problems)
    return lines


def run(command: BaseCommand, *, file: str, language: str, dry_run: bool, **options: Any) -> None:
    with translation.override(language):
        path = Path(file)
        try:
            with path.open("rb") as data:
                if dry_run:
                    report = organisation_import_plan(actor=SYSTEM, data=data, filename=path.name)
                else:
                    report = organisation_import(actor=SYSTEM, data=data, filename=path.name)
        except OSError as error:
            raise CommandError(
                _("Cannot open %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        for line in report_lines(report):
            command.stdout.write(line)
        if not report.valid:
            raise CommandError(
                _("Nothing was written. Correct the rows above and run the import again.")
            )
        if report.written:
            command.stdout.write(
                _("Done. Organisations created: %(created)s; updated: %(updated)s.")
                % {key: format_number(value) for key, value in report.counts().items()}
            )
        else:
            command.stdout.write(_("Dry run: nothing was written."))


ACTION = CliAction(
    name="import-organisations",
    help="Import organisations from a CSV or XLSX file (English or French headers).",
    add_arguments=add_arguments,
    run=run,
)
