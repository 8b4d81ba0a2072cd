"""Extension points so that core shows other apps' pages without importing them.

Apps register navigation entries, "needs attention" items for the staff home,
sections of a member's home and headline figures for the public home in their
AppConfig.ready(); core only reads these lists. That keeps dependencies pointing one
way (apps → core).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    group: str
    label: str | Promise
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100


@dataclass(frozen=True)
class AttentionItem:
    """Something staff should act on today, with the page where they act."""

    label: str | Promise
    count: int
    url: str
    tone: str = "warning"


@dataclass(frozen=True)
class Figure:
    value: str
    label: str | Promise


@dataclass(frozen=True)
class HomePanel:
    """A section another app adds to a signed-in person's home: a template and its data."""

    template: str
    context: dict[str, Any]


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    attention: list[Callable[[Any], list[AttentionItem]]] = field(default_factory=list)
    figures: list[Callable[[], list[Figure]]] = field(default_factory=list)
    home_panels: list[Callable[[Any], list[HomePanel]]] = field(default_factory=list)


registry = Registry()

# The five conditions of collective impact, then the ecosystem and the backbone's tools.
NAV_GROUPS = [
    ("agenda", _("Common agenda")),
    ("measurement", _("Shared measurement")),
    ("activities", _("Action plan")),
    ("governance", _("Governance")),
    ("ecosystem", _("Ecosystem")),
    ("communication", _("Communication")),
    ("research", _("Research")),
    ("backbone", _("Backbone")),
]


def register_nav(entry: NavEntry) -> None:
    if entry not in registry.nav:
        registry.nav.append(entry)


def register_attention(provider: Callable[[Any], list[AttentionItem]]) -> None:
    if provider not in registry.attention:
        registry.attention.append(provider)


def register_figures(provider: Callable[[], list[Figure]]) -> None:
    if provider not in registry.figures:
        registry.figures.append(provider)


def register_home_panel(provider: Callable[[Any], list[HomePanel]]) -> None:
    if provider not in registry.home_panels:
        registry.home_panels.append(provider)
