"""`collectif ecosystem import-relationships FILE`: ties from a Kumu-style CSV or XLSX file.

The operator's import: it reports what the file would create, change and leave as it
is, and every row it cannot use (row, column, what to do), in English or French. When
any row is wrong nothing is written, unless `--skip-unmatched` says to write the usable
rows and only list the others.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from collectif.core.actors import SYSTEM
from collectif.core.files import FileProblem
from collectif.core.formatting import format_number
from collectif.ecosystem.cli import CliAction
from collectif.ecosystem.files.relationships import RelationshipPlan, read_relationships
from collectif.ecosystem.services.relationships import relationship_import


def add_arguments(parser: Any) -> None:
    parser.add_argument("file", help="CSV or XLSX file with From, To and Type columns")
    parser.add_argument(
        "--language", choices=("en", "fr"), default="en", help="language of the report"
    )
    parser.add_argument(
        "--skip-unmatched",
        action="store_true",
        help="write the rows that can be used and list the others, instead of writing nothing",
    )


def report_lines(plan: RelationshipPlan) -> list[str]:
    """The plan in words: the counts, then each row that cannot be used."""
    counts = {key: format_number(value) for key, value in plan.counts().items()}
    lines = [
        _(
            "%(rows)s rows read: %(created)s to create, %(updated)s to update, "
            "%(unchanged)s unchanged, %(unmatched)s with an organisation not found, "
            "%(invalid)s invalid."
        )
        % counts
    ]
    for problem in plan.problems:
        if problem.column:
            where = _("Row %(row)s, column “%(column)s”") % {
                "row": format_number(problem.row),
                "column": problem.column,
            }
        else:
            where = _("Row %(row)s") % {"row": format_number(problem.row)}
        colon = pgettext("between a field name and its value", ":")
        lines.append(f"  {where}{colon} {problem.message}")
    return lines


def run(
    command: BaseCommand, *, file: str, language: str, skip_unmatched: bool, **options: Any
) -> None:
    with translation.override(language):
        path = Path(file)
        try:
            with path.open("rb") as data:
                plan = read_relationships(data, filename=path.name)
        except FileProblem as problem:
            raise CommandError(str(problem)) from problem
        except OSError as error:
            raise CommandError(
                _("Cannot open %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from error
        for line in report_lines(plan):
            command.stdout.write(line)
        if not plan.is_clean and not skip_unmatched:
            raise CommandError(
                _(
                    "Nothing was written. Correct the rows above and run the import again, "
                    "or add --skip-unmatched to import the other rows only."
                )
            )
        counts = relationship_import(
            actor=SYSTEM, creates=plan.creates, updates=plan.updates, filename=path.name
        )
        command.stdout.write(
            _("Done: %(created)s relationships created, %(updated)s updated.")
            % {key: format_number(value) for key, value in counts.items()}
        )


ACTION = CliAction(
    name="import-relationships",
    help="Import relationships from a Kumu-style CSV or XLSX file (From, To, Type).",
    add_arguments=add_arguments,
    run=run,
)
