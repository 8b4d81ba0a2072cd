"""Template helpers for bilingual e-mails rendered by allauth."""

from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from collectif.accounts.emails import languages_first

register = template.Library()


@register.simple_tag
def email_languages() -> list[str]:
    """The site's languages, the one the person is using first."""
    return languages_first((translation.get_language() or "en")[:2])


@register.filter
def in_language(url: str, language: str) -> str:
    """The same page's address in another language (/en/… becomes /fr/…).

    The address is resolved in its own language, which need not be the active one.
    """
    prefix = urlsplit(url).path.strip("/").split("/")[0]
    own = prefix if prefix in dict(settings.LANGUAGES) else translation.get_language()
    with translation.override(own):
        return translate_url(url, language)
