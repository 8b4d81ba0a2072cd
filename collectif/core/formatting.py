"""Numbers, money and dates the Canadian way in each language (1 234,50 $ / $1,234.50)."""

from datetime import date, datetime
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

Number = int | float | Decimal


def babel_locale(language: str | None = None) -> str:
    return "fr_CA" if (language or get_language() or "en").startswith("fr") else "en_CA"


# A number people read takes the true minus sign (−68), as in print, not the hyphen (-68)
# that spreadsheets and parsers use (`csv_number`); every parser here reads both.
MINUS = "\u2212"


def format_number(value: Number, decimals: int | None = None, language: str | None = None) -> str:
    if decimals is None:
        text = format_decimal(value, locale=babel_locale(language))
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        text = format_decimal(value, format=pattern, locale=babel_locale(language))
    return text.replace("-", MINUS, 1)


def format_money(value: Number, language: str | None = None, currency: str = "CAD") -> str:
    return format_currency(value, currency, locale=babel_locale(language)).replace("-", MINUS, 1)


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


def long_date(value: date | datetime, *, with_time: bool = False) -> str:
    """A date in words: "December 1, 2026"; in French "1er décembre 2026".

    French writes the first day of a month as an ordinal (1er), which no date format
    character gives, so the day is put right here.
    """
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = str(date_format(value, "DATETIME_FORMAT" if with_time else "DATE_FORMAT"))
    if value.day == 1 and babel_locale() == "fr_CA" and text.startswith("1 "):
        return "1er " + text[2:]
    return text
