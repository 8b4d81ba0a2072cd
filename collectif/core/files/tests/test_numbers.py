"""Numbers written the French, English or spreadsheet way, read exactly."""

from decimal import Decimal

import pytest
from hypothesis import example, given
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
        ("1 200", "1200"),
        ("1,200", "1200"),
        ("1.200", "1.200"),
        ("1200,5", "1200.5"),
        ("１２００", "1200"),
        ("１ ２００,５", "1200.5"),
        ("1.2E+07", "12000000"),
        ("1,2E+07", "12000000"),
        ("-1.5E-05", "-0.000015"),
        ("1,23E+16", "12300000000000000"),
        ("1E+30", "1" + "0" * 30),
    ],
)
def test_parse_number_reads_french_and_english_numbers(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "12 34",
        "(5)",
        "12 €",
        "1.5.3,2",
        "--3",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "inf",
        "1e308",
        "1E+31",
        "1e-31",
        "1e999999999",
        "1 200E+03",
        "E+03",
    ],
)
@pytest.mark.parametrize("decimal_comma", [None, True])
def test_parse_number_refuses_what_is_not_one_bounded_number(text, decimal_comma):
    with pytest.raises(ValueError):
        parse_number(text, decimal_comma=decimal_comma)


@pytest.mark.parametrize("text", ["-0", "−0", "-0,0", "-0.00", "+0", "-0E+05"])
@pytest.mark.parametrize("decimal_comma", [None, True])
def test_minus_zero_reads_as_zero(text, decimal_comma):
    number = parse_number(text, decimal_comma=decimal_comma)
    assert number == 0
    assert not number.is_signed()


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


@given(
    value=st.decimals(min_value=Decimal("-1e25"), max_value=Decimal("1e25"), places=4),
    french_comma=st.booleans(),
)
def test_parse_number_reads_scientific_notation_as_excel_writes_it(value, french_comma):
    text = f"{value:.6E}"
    if french_comma:
        text = text.replace(".", ",")
    expected = Decimal(f"{value:.6E}")
    number = parse_number(text, decimal_comma=french_comma or None)
    assert number == expected
    assert number.is_finite()
    assert isinstance(exponent := number.as_tuple().exponent, int)
    assert exponent >= -40


fullwidth = str.maketrans("0123456789", "０１２３４５６７８９")


@given(value=st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_number_reads_fullwidth_digits(value):
    assert parse_number(str(value).translate(fullwidth)) == value


@given(text=st.text(max_size=30))
@example(text="%")
@example(text="$ %")
def test_parse_number_gives_a_finite_number_or_refuses(text):
    try:
        number = parse_number(text)
    except ValueError:
        return
    assert number.is_finite()
    assert abs(number) < Decimal("1e31")
