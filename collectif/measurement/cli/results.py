"""`collectif measurement export` (approved values to a CSV or XLSX file) and
`collectif measurement rebuild-rollups`."""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from collectif.core.actors import SYSTEM
from collectif.measurement.files import exports
from collectif.measurement.selectors import results
from collectif.measurement.services import results as services


def add_export_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="export_format")
    parser.add_argument("--output", required=True, help="File to write.")
    parser.add_argument(
        "--lang", choices=["en", "fr"], default="en", help="Language of the headers and names."
    )


def export(command: BaseCommand, **options: Any) -> None:
    """Stream approved values to a file: rows are written as they are read."""
    output = Path(options["output"])
    if not output.parent.is_dir():
        raise CommandError(f"The folder {output.parent} does not exist.")
    language = options.get("lang") or "en"
    # The bar shows on a terminal only (tqdm turns itself off when output is a file or pipe).
    with tqdm(
        total=results.approved_value_count(), unit=" values", disable=None, leave=False
    ) as bar:
        try:
            if options.get("export_format") == "xlsx":
                count = exports.write_xlsx(output, language, progress=bar.update)
            else:
                with output.open("w", encoding="utf-8", newline="") as stream:
                    count = exports.write_csv(stream, language, progress=bar.update)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc}") from exc
    command.stdout.write(f"Exported {count} approved values to {output}")


def rebuild_rollups(command: BaseCommand, **options: Any) -> None:
    """Recompute every rollup from the raw approved values, as the system."""
    started = time.perf_counter()
    with tqdm(total=results.rollup_slice_count(), unit=" slices", disable=None) as bar:
        written = services.rollups_rebuild(actor=SYSTEM, progress=bar.update)
    elapsed = time.perf_counter() - started
    command.stdout.write(f"Rebuilt the rollups: {written} rows written in {elapsed:.2f} s.")
