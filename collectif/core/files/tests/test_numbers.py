"""Numbers written the French, English or spreadsheet way, read exactly."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectif.core.files import parse_number


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", "1234"),
        ("-3", "-3"),
        ("1 234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("1\u00a0234", "1234"),
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("12,5 %", "12.5"),
        ("$1,234", "1234"),
        ("1 234,50 $", "1234.50"),
        ("1,234,567", "1234567"),
        ("0,125", "0.125"),
        ("12,5", "12.5"),
        (",5", "0.5"),
        ("\u22124", "-4"),
        ("  42  ", "42"),
    ],
)
def test_parse_number_reads_french_and_english_numbers(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "12 34", "1,23E+16", "(5)", "12 €", "1.5.3,2", "--3"])
def test_parse_number_refuses_what_is_not_one_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_a_lone_comma_before_three_digits_follows_the_file_conventions():
    assert parse_number("1,234") == Decimal(1234)
    assert parse_number("1,234", decimal_comma=True) == Decimal("1.234")


french_amounts = st.decimals(
    min_value=Decimal(-(10**12)), max_value=Decimal(10**12), places=2, allow_nan=False
)


def french(value: Decimal, separator: str) -> str:
    return f"{value:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", separator)


@given(value=french_amounts, separator=st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_parse_number_round_trips_the_french_way(value, separator):
    assert parse_number(french(value, separator)) == value
    assert parse_number(french(value, separator), decimal_comma=True) == value


@given(value=french_amounts, grouped=st.booleans())
def test_parse_number_round_trips_the_english_way(value, grouped):
    text = f"{value:,.2f}" if grouped else f"{value:.2f}"
    assert parse_number(text) == value


@given(value=st.integers(min_value=0, max_value=10**12))
def test_parse_number_round_trips_english_whole_numbers(value):
    assert parse_number(f"{value:,}") == value
