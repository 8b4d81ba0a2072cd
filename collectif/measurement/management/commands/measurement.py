"""`collectif measurement <action>`: the shared measurement system from the command line.

Actions: template, import, approve, export, rebuild-rollups. Each lives in the module
that owns its domain; this command only dispatches.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from collectif.measurement.cli import files as cli_files
from collectif.measurement.cli import results as cli_results
from collectif.measurement.cli import submissions as cli_submissions

ACTIONS = {
    "template": cli_files.template,
    "import": cli_files.import_file,
    "approve": cli_submissions.approve,
    "rebuild-rollups": cli_results.rebuild_rollups,
    "export": cli_results.export,
}


class Command(BaseCommand):
    help = "Shared measurement: file templates, imports, approvals, exports and rollups."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        cli_files.add_template_arguments(actions.add_parser("template", help="Write a template."))
        cli_files.add_import_arguments(actions.add_parser("import", help="Import a file."))
        cli_submissions.add_approve_arguments(
            actions.add_parser("approve", help="Approve a submission.")
        )
        actions.add_parser("rebuild-rollups", help="Recompute every rollup from raw values.")
        cli_results.add_export_arguments(
            actions.add_parser("export", help="Export approved values.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = ACTIONS.get(options["action"])
        if action is None:
            raise CommandError(f"Unknown action {options['action']}")
        action(self, **options)
