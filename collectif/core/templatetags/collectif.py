"""Template helpers every page uses: numbers, money and bilingual content with fallback."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from collectif.core.formatting import format_money, format_number, long_date

register = template.Library()


def _as_number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter(name="long_date")
def long_date_filter(value: Any) -> str:
    """`{{ day|long_date }}`: December 1, 2026; 1er décembre 2026 in French."""
    return long_date(value) if value else ""


@register.filter
def long_datetime(value: Any) -> str:
    """`{{ moment|long_datetime }}`: the date in words and the time (1er décembre 2026, 9 h 05)."""
    return long_date(value, with_time=True) if value else ""


@register.filter
def number(value: Any, decimals: int | None = None) -> str:
    """`{{ 1234.5|number:1 }}`: 1,234.5 in English, 1 234,5 in French."""
    parsed = _as_number(value)
    if parsed is None:
        return "" if value is None else str(value)
    return format_number(parsed, decimals)


@register.filter
def percent(value: Any, decimals: int | None = None) -> str:
    """`{{ 12.5|percent:1 }}`: 12.5% in English, 12,5 % (no-break space) in French."""
    parsed = _as_number(value)
    if parsed is None:
        return "" if value is None else str(value)
    sign = "\u00a0%" if (get_language() or "en").startswith("fr") else "%"
    return format_number(parsed, decimals) + sign


@register.filter
def money(value: Any) -> str:
    """`{{ 1234.5|money }}`: $1,234.50 in English, 1 234,50 $ in French."""
    parsed = _as_number(value)
    if parsed is None:
        return "" if value is None else str(value)
    return format_money(parsed)


@register.simple_tag
def translated(obj: Any, field: str) -> SafeString:
    """Show a bilingual field; when the reader's language is missing, say so visibly."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    own = getattr(obj, f"{field}_{language}", None)
    if own:
        return format_html("{}", own)
    for other, _name in settings.LANGUAGES:
        value = getattr(obj, f"{field}_{other}", None)
        if other != language and value:
            note = _("in English only") if other == "en" else _("in French only")
            return format_html(
                '<span lang="{}">{}</span> <span class="fallback-note">({})</span>',
                other,
                value,
                note,
            )
    return format_html("")


@register.simple_tag
def initiative_name() -> str:
    language = (get_language() or "en")[:2].upper()
    return str(settings.COLLECTIF[f"INITIATIVE_NAME_{language}"])
