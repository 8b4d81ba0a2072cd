from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language

from collectif.core.manifest import NAV_GROUPS, nav_entries


def _navigation(user: Any) -> list[dict[str, Any]]:
    groups = []
    allowed = [e for e in nav_entries() if user.has_perm(e.perm)]
    for key, label in NAV_GROUPS:
        entries = sorted(
            (e for e in allowed if e.group == key),
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
    """The initiative's name, logo, land acknowledgement and the reader's navigation.

    The roles shown in the header come from accounts' own context processor.
    """
    language = (get_language() or "en")[:2].upper()
    config = settings.COLLECTIF
    user = getattr(request, "user", None)
    try:
        signed_in = user is not None and user.is_authenticated
        navigation = _navigation(user) if signed_in else []
    except DatabaseError:
        # The 500 page must still render when the database is what failed.
        navigation = []
    return {
        "initiative": {
            "name": config[f"INITIATIVE_NAME_{language}"],
            "logo_url": config["LOGO_URL"],
            "contact_email": config["CONTACT_EMAIL"],
            "land_acknowledgement": config[f"LAND_ACKNOWLEDGEMENT_{language}"],
        },
        "navigation": navigation,
    }
