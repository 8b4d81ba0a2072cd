"""What the staff home says about invitations: who has not answered yet."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from collectif.accounts import selectors
from collectif.accounts.permissions import is_backbone_staff
from collectif.core.manifest import AttentionItem


def invitation_attention(user: Any) -> list[AttentionItem]:
    if not is_backbone_staff(user):
        return []
    base = reverse("accounts:invitation_list")
    return [
        AttentionItem(
            label=_("Invitations waiting for an answer"),
            count=selectors.invitation_count(status="pending"),
            url=f"{base}?{urlencode({'status': 'pending'})}",
            tone="warning",
        ),
        AttentionItem(
            label=_("Invitations that expired without an answer"),
            count=selectors.invitation_count(status="expired"),
            url=f"{base}?{urlencode({'status': 'expired'})}",
            tone="bad",
        ),
    ]
