"""What measurement adds to the homes: staff attention items and the steward's panel."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from collectif.core.manifest import AttentionItem, HomePanel
from collectif.measurement.selectors import results
from collectif.measurement.selectors import submissions as selectors

SHOWN = 5


def review_attention(user: Any) -> list[AttentionItem]:
    """The staff home's reminder of submissions waiting for a decision."""
    if not user.has_perm("measurement.review"):
        return []
    return [
        AttentionItem(
            label=_("Submissions waiting for approval"),
            count=selectors.review_queue().count(),
            url=reverse("measurement:review_queue"),
        )
    ]


def late_attention(user: Any) -> list[AttentionItem]:
    """Partners past the deadline of the latest period that had one, for staff to chase."""
    if not user.has_perm("measurement.view_completeness"):
        return []
    period = results.latest_late_period()
    url = reverse("measurement:completeness")
    if period is not None:
        url += "?" + urlencode({"period": period.code})
    return [
        AttentionItem(
            label=_("Organisations late with their data"),
            count=results.late_count(),
            url=url,
            tone="warning",
        )
    ]


def steward_panel(user: Any) -> list[HomePanel]:
    """What a steward owes, what they sent and how it counts."""
    if not user.has_perm("measurement.report_data"):
        return []
    owed = [o for o in selectors.steward_obligations(user=user) if not o.is_done]
    return [
        HomePanel(
            template="measurement/home_panel.html",
            context={
                "owed": owed[:SHOWN],
                "more": max(0, len(owed) - SHOWN),
                "recent": selectors.recent_submissions(user=user, limit=3),
                "organisations": selectors.organisations_reporting(user=user),
            },
        )
    ]
