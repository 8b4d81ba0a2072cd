"""The `collectif` command: Django's management commands under a friendlier name.

`collectif demo --reset`, `collectif migrate`, `collectif worker`: everything
`manage.py` does, so operators never need to know it is Django. `collectif worker` is
core's own command: django-tasks-db's worker, which also waits for the database and
fails the jobs of workers that died (`collectif.core.worker`).
"""

import os
import sys


def main(argv: list[str] | None = None, prog: str = "collectif") -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line([prog, *args])
    return 0
