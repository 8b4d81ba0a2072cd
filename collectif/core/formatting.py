"""Numbers and money the Canadian way in each language (1 234,50 $ / $1,234.50)."""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language

Number = int | float | Decimal


def babel_locale(language: str | None = None) -> str:
    return "fr_CA" if (language or get_language() or "en").startswith("fr") else "en_CA"


def format_number(value: Number, decimals: int | None = None, language: str | None = None) -> str:
    if decimals is None:
        return format_decimal(value, locale=babel_locale(language))
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=babel_locale(language))


def format_money(value: Number, language: str | None = None, currency: str = "CAD") -> str:
    return format_currency(value, currency, locale=babel_locale(language))
