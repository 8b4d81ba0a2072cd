"""`collectif measurement template` and `collectif measurement import`.

Imports from the command line are operator actions: they run as the system
(`SYSTEM`, recorded as "system" in the audit log), for an organisation named by
its slug, with the same checks as an upload: every problem is printed with its row
and column, and nothing is written unless the whole file is correct. Saved values are
replaced only with `--replace`; without it the command prints what the file would
change and stops. Every line is in the language of `--lang`.
"""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from collectif.core.actors import SYSTEM
from collectif.core.files import MEGABYTE
from collectif.core.formatting import format_number
from collectif.measurement.domain.changes import Change, ValueChanges
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.domain.validation import describe_problem
from collectif.measurement.files.templates import FORMATS, LANGUAGES, write_template
from collectif.measurement.models import Dataset, Period
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services
from collectif.measurement.services.files import ImportResult, ReplaceNeeded, submission_import

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
        "--replace",
        action="store_true",
        help="Replace values already saved (they stay in the submission's history).",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="Language of every message."
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
        raise CommandError(
            _("No dataset with the code “%(code)s”. Known datasets: %(known)s.")
            % {"code": code, "known": known or "-"}
        )
    return dataset


def template(command: BaseCommand, **options: Any) -> None:
    """Write a dataset's blank template."""
    with translation.override(options.get("lang") or "en"):
        _template(command, **options)


def _template(command: BaseCommand, **options: Any) -> None:
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
    command.stdout.write(
        _("Wrote the %(format)s template to %(path)s.")
        % {"format": options["format"].upper(), "path": path}
    )


def _period(raw: str) -> Period:
    try:
        code = parse_period(raw).code
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    period = selectors.period_find(code=code)
    if period is None:
        raise CommandError(
            _(
                "The period %(period)s does not exist yet. Backbone staff create the "
                "reporting periods before partners report for them."
            )
            % {"period": code}
        )
    return period


def import_file(command: BaseCommand, **options: Any) -> None:
    """Import a filled-in template for an organisation, as the system."""
    with translation.override(options.get("lang") or "en"):
        _import(command, **options)


def _count(text: str, count: int) -> str:
    """An ngettext text with its count written the Canadian way."""
    return text % {"count": format_number(count)}


def change_lines(changes: ValueChanges) -> list[str]:
    """What replacing the saved values would change, one line per value."""
    lines = [
        _(
            "The file would change the saved values: %(added)s added, %(changed)s changed, "
            "%(removed)s removed, %(unchanged)s unchanged."
        )
        % {
            "added": format_number(changes.added_count),
            "changed": format_number(changes.changed_count),
            "removed": format_number(changes.removed_count),
            "unchanged": format_number(changes.unchanged_count),
        }
    ]
    kinds: list[tuple[list[Change], str]] = [
        (changes.added, _("Added: %(cell)s: %(new)s")),
        (changes.changed, _("Changed: %(cell)s: %(old)s → %(new)s")),
        (changes.removed, _("Removed: %(cell)s: %(old)s")),
    ]
    for listed, line in kinds:
        lines.extend(line % {"cell": c.cell, "old": c.old, "new": c.new} for c in listed)
    shown = len(changes.added) + len(changes.changed) + len(changes.removed)
    hidden = changes.added_count + changes.changed_count + changes.removed_count - shown
    if hidden > 0:
        lines.append(
            _count(
                ngettext("…and %(count)s more change.", "…and %(count)s more changes.", hidden),
                hidden,
            )
        )
    return lines


def _summary(result: ImportResult) -> str:
    assert result.submission is not None
    return _("Imported %(values)s from %(rows)s into %(submission)s (%(status)s).") % {
        "values": _count(
            ngettext("%(count)s value", "%(count)s values", result.cells), result.cells
        ),
        "rows": _count(ngettext("%(count)s row", "%(count)s rows", result.rows), result.rows),
        "submission": result.submission,
        "status": result.submission.get_status_display(),
    }


def _import(command: BaseCommand, **options: Any) -> None:
    period = _period(options["period"])
    organisation = selectors.organisation_find(slug=options["organisation"])
    if organisation is None:
        raise CommandError(
            _("No organisation with the slug “%(slug)s”.") % {"slug": options["organisation"]}
        )
    dataset = _dataset(options["dataset"])
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(_("No file at %(path)s.") % {"path": path})
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

        def progress(done: int, total: int) -> None:
            bar.update(size * done // max(total, 1) - bar.n)

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
                replace=bool(options.get("replace")),
            )
        except services.SubmissionInvalid as error:
            bar.close()
            _refused(command, error, path)
        except ReplaceNeeded as needed:
            bar.close()
            for line in change_lines(needed.preview.changes):
                command.stdout.write(line)
            raise CommandError(
                _count(
                    ngettext(
                        "%(count)s value is already saved for this period. Nothing was "
                        "replaced: run the command again with --replace to replace it (the "
                        "saved value stays in the submission's history).",
                        "%(count)s values are already saved for this period. Nothing was "
                        "replaced: run the command again with --replace to replace them (the "
                        "saved values stay in the submission's history).",
                        needed.preview.saved,
                    ),
                    needed.preview.saved,
                )
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
    for warning in result.warnings:
        command.stdout.write(describe_problem(warning))
    command.stdout.write(_summary(result))
    if result.replaced:
        command.stdout.write(
            _count(
                ngettext(
                    "The %(count)s value replaced is kept in the submission's history.",
                    "The %(count)s values replaced are kept in the submission's history.",
                    result.replaced,
                ),
                result.replaced,
            )
        )


def _refused(command: BaseCommand, error: services.SubmissionInvalid, path: Path) -> NoReturn:
    errors = [p for p in error.problems if p.severity == "error"]
    for problem in error.problems:
        command.stderr.write(describe_problem(problem))
    raise CommandError(
        ngettext(
            "%(count)s error in %(file)s: nothing was imported.",
            "%(count)s errors in %(file)s: nothing was imported.",
            len(errors),
        )
        % {"count": format_number(len(errors)), "file": path.name}
    ) from None
