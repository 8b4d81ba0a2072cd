"""What the apps above ecosystem add to an organisation's page, without ecosystem importing them.

An organisation is ecosystem's; what it reports, plans or runs belongs to the apps that
build on ecosystem. Such an app describes its part in its manifest, under the extension
point `ORGANISATION_PANELS`: a function that, given the request and the organisation,
returns a section of the page, or None when the reader may not see it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from collectif.core.manifest import HomePanel, extensions
from collectif.ecosystem.models import Organisation


@dataclass(frozen=True)
class OrganisationPanels:
    """One app's sections of the organisation page, in the order given."""

    panels: tuple[Callable[[HttpRequest, Organisation], HomePanel | None], ...]


ORGANISATION_PANELS = "ecosystem.organisation_panels"


def organisation_panels(request: HttpRequest, organisation: Organisation) -> list[HomePanel]:
    """Every app's sections for this reader, in the apps' dependency order."""
    found = []
    for part in extensions(ORGANISATION_PANELS, OrganisationPanels):
        for build in part.panels:
            panel = build(request, organisation)
            if panel is not None:
                found.append(panel)
    return found
