"""The demo's network map: its metrics computed at once, as the worker would.

The relationships' loader asks for a background computation; a demo opened before a
worker runs would show an empty map, so the loader computes it in place.
"""

import random

from collectif.core.actors import SYSTEM
from collectif.core.formatting import format_number
from collectif.core.manifest import DemoOutput
from collectif.ecosystem.selectors import network as selectors
from collectif.ecosystem.services.network import network_analysis_run


def load(*, rng: random.Random, out: DemoOutput) -> None:
    """Deterministic without `rng`: the metrics draw from their own fixed seed."""
    network_analysis_run(actor=SYSTEM)
    out.line("Network map computed.")


def summary() -> list[str]:
    analysis = selectors.latest_analysis(scope=selectors.SCOPE_ALL)
    if analysis is None:
        return []
    return [
        f"Network map: {format_number(analysis.node_count)} organisations, "
        f"{format_number(analysis.edge_count)} ties, "
        f"{format_number(analysis.community_count)} "
        + ("community" if analysis.community_count == 1 else "communities")
    ]
