"""What measurement adds to the public home's headline figures."""

from django.utils.translation import ngettext

from collectif.core.formatting import format_number
from collectif.core.manifest import Figure
from collectif.measurement.selectors.completeness import organisations_reporting_recently


def reporting_figures() -> list[Figure]:
    """How many of the listed partners reported data lately, beside ecosystem's count of
    partners, so a reader sees both what is counted and why the numbers differ."""
    reporting = organisations_reporting_recently()
    if not reporting:
        return []
    return [
        Figure(
            value=format_number(reporting),
            label=ngettext(
                "partner organisation reported approved data in the past 12 months",
                "partner organisations reported approved data in the past 12 months",
                reporting,
            ),
        )
    ]
