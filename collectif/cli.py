"""The `collectif` command: Django's management commands under a friendlier name.

`collectif demo --reset`, `collectif migrate`, `collectif worker`: everything
`manage.py` does, plus short aliases, so operators never need to know it is Django.
"""

import os
import sys

ALIASES = {"worker": ["db_worker"]}


def main(argv: list[str] | None = None, prog: str = "collectif") -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line([prog, *args])
    return 0
