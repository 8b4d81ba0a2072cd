"""`collectif measurement approve` and `collectif measurement rebuild-rollups`."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from collectif.ecosystem.models import Organisation
from collectif.measurement.domain import rollups
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.models import Rollup, Submission
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
    if not Organisation.objects.filter(slug=options["organisation"]).exists():
        raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
    submission = (
        Submission.objects.select_related("organisation", "dataset", "period")
        .filter(
            organisation__slug=options["organisation"],
            dataset__code=options["dataset"],
            period__code=period_code,
        )
        .first()
    )
    if submission is None:
        raise CommandError(
            f"No submission of {options['dataset']} for {period_code} "
            f"from {options['organisation']}."
        )
    try:
        services.submission_approve(actor=None, submission=submission)
    except ValidationError as error:
        raise CommandError(
            f"{submission} is {submission.status}: " + " ".join(error.messages)
        ) from None
    rows = Rollup.objects.filter(period=submission.period).count()
    command.stdout.write(
        f"Approved {submission} (version {submission.version}); "
        f"{rows} rollup rows for {period_code} are up to date."
    )


def rebuild_rollups(command: BaseCommand, **options: Any) -> None:
    """Recompute every rollup from the raw approved values."""
    started = time.perf_counter()
    with tqdm(total=len(rollups.approved_slices()), unit=" slices", disable=None) as bar:
        written = rollups.rebuild_all(progress=bar.update)
    elapsed = time.perf_counter() - started
    command.stdout.write(f"Rebuilt the rollups: {written} rows written in {elapsed:.2f} s.")
