"""What the apps above agenda add to the plan pages, without agenda importing them.

Plan versions are agenda's; what is measured against them (baselines, targets) belongs
to the apps that build on agenda. Such an app describes its part in its manifest, under
the extension point `PLAN_PAGES`: the section of the site the plan pages sit in (the
breadcrumb above them), a figure per plan version (a column of the list), and sections
shown below the list.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from collectif.agenda.models import PlanVersion
from collectif.core.manifest import HomePanel, extensions


@dataclass(frozen=True)
class Crumb:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class PlanFigure:
    """A column of the plan list: one figure per plan version, keyed by its id."""

    label: str | Promise
    values: Callable[[Sequence[PlanVersion]], Mapping[int, int]]


@dataclass(frozen=True)
class PlanPagesPart:
    """One app's part of the plan pages; `parent_url_name` is reversed when shown."""

    parent_label: str | Promise | None = None
    parent_url_name: str | None = None
    figures: Sequence[PlanFigure] = ()
    sections: Sequence[Callable[[], HomePanel]] = ()


PLAN_PAGES = "agenda.plan_pages"


def plan_pages_parts() -> list[PlanPagesPart]:
    return extensions(PLAN_PAGES, PlanPagesPart)
