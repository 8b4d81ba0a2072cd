"""`collectif measurement template` and `collectif measurement import`.

Imports from the command line are operator actions: they run as the system
(`SYSTEM`, recorded as "system" in the audit log), for an organisation named by
its slug, with the same checks as an upload: every problem is printed with its row
and column, and nothing is written unless the whole file is correct.
"""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from collectif.core.actors import SYSTEM
from collectif.core.files import MEGABYTE
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.domain.validation import describe_problem
from collectif.measurement.files.templates import FORMATS, LANGUAGES, write_template
from collectif.measurement.models import Dataset, Period
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services
from collectif.measurement.services.files import submission_import

# Files smaller than this import in a blink: no progress bar.
PROGRESS_FROM_BYTES = MEGABYTE


def add_template_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--dataset", required=True, help="The dataset's code.")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="Template language.")
    parser.add_argument("--format", choices=FORMATS, default="xlsx", help="csv or xlsx.")
    parser.add_argument("--output", required=True, help="File to write ('-' for stdout).")


def add_import_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("file", help="The CSV or XLSX file to import.")
    parser.add_argument("--organisation", required=True, help="The organisation's slug.")
    parser.add_argument("--dataset", required=True, help="The dataset's code.")
    parser.add_argument("--period", required=True, help="The period: 2026, FY2026, 2026Q1...")
    parser.add_argument(
        "--submit", action="store_true", help="Send the data for approval once imported."
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="Language of the error messages."
    )
    parser.add_argument(
        "--sheet",
        default=None,
        help="Workbook sheet to read (default: the first with the template's headers).",
    )


def _dataset(code: str) -> Dataset:
    dataset = selectors.dataset_find(code=code)
    if dataset is None:
        known = ", ".join(selectors.dataset_codes())
        raise CommandError(f"No dataset with the code {code!r}. Known datasets: {known or '-'}.")
    return dataset


def template(command: BaseCommand, **options: Any) -> None:
    """Write a dataset's blank template."""
    dataset = _dataset(options["dataset"])
    output = options["output"]
    if output == "-":
        write_template(
            dataset, language=options["lang"], fmt=options["format"], out=sys.stdout.buffer
        )
        return
    path = Path(output)
    with path.open("wb") as out:
        write_template(dataset, language=options["lang"], fmt=options["format"], out=out)
    command.stdout.write(f"Wrote the {options['lang']} {options['format']} template to {path}.")


def _period(raw: str) -> Period:
    try:
        code = parse_period(raw).code
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    period = selectors.period_find(code=code)
    if period is None:
        raise CommandError(
            f"The period {code} does not exist yet. Backbone staff create the reporting "
            "periods before partners report for them."
        )
    return period


def import_file(command: BaseCommand, **options: Any) -> None:
    """Import a filled-in template for an organisation, as the system."""
    with translation.override(options.get("lang") or "en"):
        _import(command, **options)


def _import(command: BaseCommand, **options: Any) -> None:
    period = _period(options["period"])
    organisation = selectors.organisation_find(slug=options["organisation"])
    if organisation is None:
        raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
    dataset = _dataset(options["dataset"])
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No file at {path}.")
    size = path.stat().st_size
    with (
        path.open("rb") as data,
        tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc=path.name,
            disable=size < PROGRESS_FROM_BYTES,
        ) as bar,
    ):

        def progress(done: int) -> None:
            bar.update(done - bar.n)

        try:
            result = submission_import(
                actor=SYSTEM,
                organisation=organisation,
                dataset=dataset,
                period=period,
                data=data,
                filename=path.name,
                submit=options["submit"],
                sheet=options.get("sheet"),
                progress=progress,
            )
        except services.SubmissionInvalid as error:
            bar.close()
            errors = [p for p in error.problems if p.severity == "error"]
            for problem in error.problems:
                command.stderr.write(describe_problem(problem))
            raise CommandError(
                f"{len(errors)} error(s) in {path.name}: nothing was imported."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
    for warning in result.warnings:
        command.stdout.write(describe_problem(warning))
    assert result.submission is not None
    command.stdout.write(
        f"Imported {result.cells} values from {result.rows} rows into {result.submission} "
        f"({result.submission.get_status_display()})."
    )
