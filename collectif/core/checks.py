"""System checks for configuration mistakes an operator can make."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_languages(**kwargs: Any) -> list[CheckMessage]:
    codes = [code for code, _name in settings.LANGUAGES]
    if sorted(codes) != ["en", "fr"]:
        return [
            Error(
                "Collectif is bilingual: LANGUAGES must be English and French.", id="collectif.E001"
            )
        ]
    return []


@register(deploy=True)
def check_shared_cache(**kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if "locmem" in backend.lower() and not settings.DEBUG:
        return [
            Warning(
                "Rate limits need a cache shared by every worker; set CACHE_URL to Redis.",
                id="collectif.W001",
            )
        ]
    return []
