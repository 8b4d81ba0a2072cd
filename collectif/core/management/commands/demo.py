"""`collectif demo [--reset]`: load the fictional national mentoring movement."""

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from collectif.core.demo import (
    DEFAULT_SEED,
    ConsoleOutput,
    demo_loaders,
    load_demo,
    load_reference_data,
)


class Command(BaseCommand):
    help = "Load the demo movement: a fictional, bilingual national mentoring initiative."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Erase all data first.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--no-progress", action="store_true", help="Hide progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        out = ConsoleOutput(self.stdout, show_progress=not options["no_progress"])
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data()
        already = any(loader.is_loaded() for loader in demo_loaders())
        if already:
            self.stdout.write("The demo movement is already loaded (use --reset to reload it).")
        else:
            load_demo(out=out, seed=options["seed"])
            self.stdout.write(self.style.SUCCESS("Demo movement loaded."))
        for loader in demo_loaders():
            if loader.summary is not None:
                for text in loader.summary():
                    self.stdout.write(text)
