"""`collectif ecosystem <action>`: one module per topic, each exporting its `ACTION`."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CliAction:
    name: str  # e.g. "import-relationships"
    help: str
    add_arguments: Callable[[Any], None]  # receives the action's argparse sub-parser
    run: Callable[..., None]  # run(command, **options)
