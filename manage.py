#!/usr/bin/env python
"""Django's command-line utility; `collectif` is the friendlier front door."""

import sys

from collectif.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], prog="manage.py"))
