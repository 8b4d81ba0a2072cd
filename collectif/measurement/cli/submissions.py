"""`collectif measurement approve`."""

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from collectif.core.actors import SYSTEM
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services


def add_approve_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--organisation", required=True, help="The organisation's slug.")
    parser.add_argument("--dataset", required=True, help="The dataset's code.")
    parser.add_argument("--period", required=True, help="The period: 2026, FY2026, 2026Q1...")


def approve(command: BaseCommand, **options: Any) -> None:
    """Approve a submitted report as the system (for scripted pipelines)."""
    try:
        period_code = parse_period(options["period"]).code
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    if selectors.organisation_find(slug=options["organisation"]) is None:
        raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
    submission = selectors.submission_find(
        organisation_slug=options["organisation"],
        dataset_code=options["dataset"],
        period_code=period_code,
    )
    if submission is None:
        raise CommandError(
            f"No submission of {options['dataset']} for {period_code} "
            f"from {options['organisation']}."
        )
    try:
        services.submission_approve(actor=SYSTEM, submission=submission)
    except ValidationError as error:
        raise CommandError(
            f"{submission} is {submission.status}: " + " ".join(error.messages)
        ) from None
    rows = selectors.rollup_count(period=submission.period)
    command.stdout.write(
        f"Approved {submission} (version {submission.version}); "
        f"{rows} rollup rows for {period_code} are up to date."
    )
