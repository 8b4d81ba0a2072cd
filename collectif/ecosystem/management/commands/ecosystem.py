"""`collectif ecosystem <action>`: the ecosystem map from the command line.

Each action lives in the `cli` module of its topic; this command only dispatches.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from collectif.ecosystem.cli import CliAction
from collectif.ecosystem.cli import network as network_cli
from collectif.ecosystem.cli import organisations as organisations_cli
from collectif.ecosystem.cli import relationships as relationships_cli

ACTIONS: tuple[CliAction, ...] = (
    organisations_cli.ACTION,
    relationships_cli.ACTION,
    network_cli.ACTION,
)


class Command(BaseCommand):
    help = "Ecosystem map: imports of organisations and relationships, network exports."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for action in ACTIONS:
            action.add_arguments(actions.add_parser(action.name, help=action.help))

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = next((a for a in ACTIONS if a.name == options["action"]), None)
        if chosen is None:
            raise CommandError(f"Unknown action {options['action']}")
        chosen.run(self, **options)
