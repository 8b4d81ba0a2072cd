"""What the ecosystem shows on the staff home and the public home."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collectif.core.formatting import format_number
from collectif.core.registry import AttentionItem, Figure
from collectif.ecosystem import selectors


def attention(user: Any) -> list[AttentionItem]:
    """Program organisations nobody reports for: their results are missing from the whole."""
    return [
        AttentionItem(
            label=_("Program organisations with no data steward"),
            count=selectors.organisation_without_steward_count(user=user),
            url=reverse("ecosystem:organisation_list") + "?steward=none",
        )
    ]


def figures() -> list[Figure]:
    counts = selectors.organisation_figures()
    if not counts["organisations"]:
        return []
    return [
        Figure(
            value=format_number(counts["organisations"]),
            label=ngettext(
                "partner organisation", "partner organisations", counts["organisations"]
            ),
        ),
        Figure(
            value=format_number(counts["provinces"]),
            label=ngettext(
                "province or territory reached",
                "provinces and territories reached",
                counts["provinces"],
            ),
        ),
    ]
