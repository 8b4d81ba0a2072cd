"""Who sees the results pages, and how they appear in navigation and the staff home."""

from typing import Any

import rules
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from collectif.accounts.permissions import is_backbone_staff, is_member, is_steward_of
from collectif.core.registry import (
    AttentionItem,
    NavEntry,
    register_attention,
    register_home_panel,
    register_nav,
)
from collectif.measurement.home import steward_panel


@rules.predicate
def can_see_partner_results(user: Any, organisation: Any) -> bool:
    return bool(is_backbone_staff(user) or is_steward_of(user, organisation))


rules.add_perm("measurement.view_results", is_member)
rules.add_perm("measurement.view_partner_results", can_see_partner_results)
rules.add_perm("measurement.export", is_backbone_staff)


def late_attention(user: Any) -> list[AttentionItem]:
    """Partners past the deadline of the latest period that had one, for staff to chase."""
    from collectif.measurement import results

    if not is_backbone_staff(user):
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


def register() -> None:
    register_home_panel(steward_panel)
    for order, label, url_name, allowed in (
        (5, gettext_lazy("Scorecard"), "measurement:scorecard", is_member),
        (30, gettext_lazy("Completeness"), "measurement:completeness", is_backbone_staff),
        (80, gettext_lazy("Export"), "measurement:export", is_backbone_staff),
    ):
        register_nav(
            NavEntry(
                group="measurement", label=label, url_name=url_name, allowed=allowed, order=order
            )
        )
    register_attention(late_attention)
