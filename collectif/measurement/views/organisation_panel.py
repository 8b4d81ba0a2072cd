"""Measurement's section of an organisation's page: where its reports stand, what it sent.

Ecosystem owns the page and names the extension point; the manifest fills it with
`ORGANISATION_PANELS_PART`, so ecosystem never imports measurement.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest

from collectif.core.manifest import HomePanel
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.organisation_page import OrganisationPanels
from collectif.measurement.selectors import completeness
from collectif.measurement.selectors import submissions as selectors

HISTORY_SIZE = 10
HISTORY_PAGE = "submissions"


def reporting_panel(request: HttpRequest, organisation: Organisation) -> HomePanel | None:
    """For the backbone staff who follow reporting: the current periods and the history."""
    if not request.user.has_perm("measurement.view_completeness"):
        return None
    history = selectors.submission_list(user=request.user, organisation=organisation)
    page = Paginator(history, HISTORY_SIZE).get_page(request.GET.get(HISTORY_PAGE))
    return HomePanel(
        template="measurement/organisation_panel.html",
        context={
            "organisation": organisation,
            "current": completeness.organisation_reporting(organisation),
            "history": page,
            "history_param": HISTORY_PAGE,
        },
    )


ORGANISATION_PANELS_PART = OrganisationPanels(panels=(reporting_panel,))
