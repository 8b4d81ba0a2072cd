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


def csv_delimiter(language: str | None = None) -> str:
    """French Excel splits CSV columns on semicolons, since its decimal mark is the comma."""
    return ";" if (language or get_language() or "en").startswith("fr") else ","


def csv_number(value: Number, language: str | None = None) -> str:
    """A number as a spreadsheet in that language reads it: 1234.5, or 1234,5 in French.

    No thousands separators (they would turn the cell into text) and no trailing zeros.
    """
    text = format(Decimal(value).normalize(), "f")
    text = "0" if text in {"-0", ""} else text
    return text.replace(".", ",") if csv_delimiter(language) == ";" else text
