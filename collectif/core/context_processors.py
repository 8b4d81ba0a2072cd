from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from collectif.core.registry import NAV_GROUPS, registry


def _navigation(user: Any) -> list[dict[str, Any]]:
    groups = []
    for key, label in NAV_GROUPS:
        entries = sorted(
            (e for e in registry.nav if e.group == key and e.allowed(user)),
            key=lambda e: e.order,
        )
        if entries:
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "entries": [{"label": e.label, "url": reverse(e.url_name)} for e in entries],
                }
            )
    return groups


def initiative(request: HttpRequest) -> dict[str, Any]:
    """The initiative's name, logo, land acknowledgement and the reader's navigation."""
    from collectif.accounts.permissions import user_roles

    language = (get_language() or "en")[:2].upper()
    config = settings.COLLECTIF
    user = getattr(request, "user", None)
    try:
        roles = user_roles(user)
        navigation = _navigation(user) if roles else []
    except DatabaseError:
        # The 500 page must still render when the database is what failed.
        roles, navigation = frozenset(), []
    return {
        "initiative": {
            "name": config[f"INITIATIVE_NAME_{language}"],
            "logo_url": config["LOGO_URL"],
            "contact_email": config["CONTACT_EMAIL"],
            "land_acknowledgement": config[f"LAND_ACKNOWLEDGEMENT_{language}"],
        },
        "roles": roles,
        "navigation": navigation,
    }
