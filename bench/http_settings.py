"""Production settings for the HTTP benchmark, with the collected static files in a temp folder.

Everything else is config.settings as a deployment reads it from the environment (DEBUG off,
manifest static files, secure cookies behind a TLS proxy); only STATIC_ROOT moves, so that a
benchmark run never writes into the checkout's var/ folder.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
