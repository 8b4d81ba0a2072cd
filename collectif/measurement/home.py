"""The steward's part of their home page: what they owe, what they sent, how it counts."""

from typing import Any

from collectif.accounts.permissions import is_data_steward, organisations_acting_for
from collectif.core.registry import HomePanel
from collectif.ecosystem.models import Organisation
from collectif.measurement import selectors

SHOWN = 5


def steward_panel(user: Any) -> list[HomePanel]:
    if not is_data_steward(user):
        return []
    owed = [o for o in selectors.steward_obligations(user=user) if not o.is_done]
    return [
        HomePanel(
            template="measurement/home_panel.html",
            context={
                "owed": owed[:SHOWN],
                "more": max(0, len(owed) - SHOWN),
                "recent": selectors.recent_submissions(user=user, limit=3),
                "organisations": Organisation.objects.filter(
                    pk__in=organisations_acting_for(user)
                ).order_by("slug"),
            },
        )
    ]
