"""Numbers written the French, English or spreadsheet way, read exactly (as Decimal)."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Excel writes "1.2E+07" (or "1,2E+07" in French) for numbers too wide for their cell.
# No figure a partner reports needs more than 10^30; bounding the exponent keeps
# "1e999999999" from building a number nothing downstream could hold.
MAX_EXPONENT = 30
_SCIENTIFIC = re.compile(r"(\d+(?:[.,]\d+)?)[eE]([+-]?\d{1,6})")

_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:[ ,.]\d{3})+$")
_NUMBER_CHARS = re.compile(r"[0-9., ]+")
_DIGITS = re.compile(r"\d*")
# French Excel's own way, the bulk of a `;` file: "1 234,56" (no-break spaces) or "12,5".
_FRENCH = re.compile(r"(\d+|[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+)(?:,(\d+))?", re.ASCII)
# A workbook's computed numbers, written plainly: "1448.56".
_DOTTED = re.compile(r"\d+\.\d+", re.ASCII)
_GROUPING = {
    separator: re.compile(rf"[1-9]\d{{0,2}}(?:{re.escape(separator)}\d{{3}})+")
    for separator in " ,."
}


def _check_grouping(digits: str, separator: str) -> str:
    if separator not in digits:
        return digits
    if not _GROUPING[separator].fullmatch(digits):
        raise ValueError(f"badly grouped thousands: {digits!r}")
    return digits.replace(separator, "")


def _strip_signs(text: str) -> tuple[bool, str]:
    """Whether the number is negative, and its body without sign, "%" or "$"."""
    body = text.replace("\u2212", "-")
    if body.endswith("%"):
        body = body[:-1].rstrip()
    negative = False
    if body[:1] in ("+", "-"):
        negative = body[0] == "-"
        body = body[1:].lstrip()
    if body.startswith("$"):
        body = body[1:].lstrip()
    elif body.endswith("$"):
        body = body[:-1].rstrip()
    if body[:1] in ("+", "-") and not negative:
        negative = body[0] == "-"
        body = body[1:]
    return negative, body


def _split(body: str, *, spaced: bool, decimal_comma: bool | None) -> tuple[str, str]:
    """The integer digits and the fraction digits of a number's body."""
    if spaced:
        integer, separator, fraction = body.rpartition("," if "," in body else ".")
        if not separator:
            integer, fraction = body, ""
        return _check_grouping(integer, " "), fraction
    if "," in body and "." in body:
        separator = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if separator == "," else ","
        integer, _sep, fraction = body.rpartition(separator)
        return _check_grouping(integer, thousands), fraction
    if body.count(",") > 1 or body.count(".") > 1:
        thousands = "," if "," in body else "."
        return _check_grouping(body, thousands), ""
    if "," in body:
        integer, _sep, fraction = body.partition(",")
        if decimal_comma is not True and _GROUPED.fullmatch(body):
            return integer + fraction, ""
        return integer, fraction
    integer, _sep, fraction = body.partition(".")
    return integer, fraction


def _scientific(body: str) -> Decimal | None:
    """A number in scientific notation ("1,2E+07"), or None if the body is not one."""
    match = _SCIENTIFIC.fullmatch(body)
    if match is None:
        return None
    mantissa, exponent = match.group(1).replace(",", "."), int(match.group(2))
    if abs(exponent) > MAX_EXPONENT:
        raise ValueError(f"exponent out of range: {body!r}")
    return Decimal(format(Decimal(mantissa).scaleb(exponent), "f"))


def parse_number(text: str, *, decimal_comma: bool | None = None) -> Decimal:
    """Read a number written the French, English or spreadsheet way.

    Accepted: "1234", "-3", "1 234,5" (space, no-break or narrow no-break space between
    thousands), "1,234.5", "1.234,5", "12,5 %" and "$1,234" / "1 234,50 $". A "%" or "$"
    sign is dropped: a percent indicator stores 12.5 for 12.5 %, a dollar indicator
    stores dollars. Thousands must be grouped by three, so "12 34" (two numbers in one
    cell) is refused rather than guessed.

    A lone comma followed by exactly three digits ("1,234") is ambiguous. With
    `decimal_comma=True` (a `;` CSV, as French Excel writes) it is a decimal comma;
    otherwise it separates thousands, as English Excel writes it. Any other lone comma
    ("12,5", "0,125") is a decimal comma.

    Fullwidth digits ("１２００") are read as digits, scientific notation as Excel writes
    it ("1.2E+07", "1,2E+07") up to 10^30, and "-0" as 0. Only finite numbers come out:
    "NaN" and "Infinity" are refused like any other word.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("empty")
    if raw.isascii() and raw.isdigit():
        # Most cells of a large file are plain whole numbers: skip the general path.
        return Decimal(raw)
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw).strip()
    negative, body = _strip_signs(raw)
    number = _scientific(body)
    if number is None:
        number = _plain(body, text=text, decimal_comma=decimal_comma)
    if not number:
        return abs(number)  # "-0" is 0
    return -number if negative else number


def _plain(body: str, *, text: str, decimal_comma: bool | None) -> Decimal:
    """A number's body written with digits and separators only."""
    spaced = bool(_SPACES.search(body))
    body = _SPACES.sub(" ", body)
    if not body or not _NUMBER_CHARS.fullmatch(body):
        raise ValueError(f"not a number: {text!r}")
    integer, fraction = _split(body, spaced=spaced, decimal_comma=decimal_comma)
    if not _DIGITS.fullmatch(integer) or not _DIGITS.fullmatch(fraction):
        raise ValueError(f"not a number: {text!r}")
    if not integer and not fraction:
        raise ValueError(f"not a number: {text!r}")
    literal = (integer or "0") + ("." + fraction if fraction else "")
    try:
        return Decimal(literal)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def parse_numbers(texts: list[str], *, decimal_comma: bool | None = None) -> list[Decimal | None]:
    """A whole column read at once: each text as `parse_number` reads it, or None where
    it refuses it.

    Plain whole numbers, a workbook's "1448.56", and with `decimal_comma` the French
    numbers ("1 234,5") are read without the general path: they are most of a large
    file's cells.
    """
    french = _FRENCH.fullmatch if decimal_comma else None
    numbers: list[Decimal | None] = []
    append = numbers.append
    for text in texts:
        if (text.isdigit() and text.isascii()) or _DOTTED.fullmatch(text):
            append(Decimal(text))
            continue
        match = french(text) if french is not None else None
        if match is not None:
            whole, fraction = match.groups()
            digits = whole.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            append(Decimal(f"{digits}.{fraction}" if fraction else digits))
            continue
        try:
            append(parse_number(text, decimal_comma=decimal_comma))
        except ValueError:
            append(None)
    return numbers
