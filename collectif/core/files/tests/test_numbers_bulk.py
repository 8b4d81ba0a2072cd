"""A column of numbers read at once reads each one exactly as `parse_number` does."""

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from collectif.core.files import parse_number, parse_numbers

PIECES = ["0", "1", "7", "12", "123", "1 234", "1\u00a0234", "1\u202f234", ",", ".", " ", "-"]
PIECES += ["\u00a0", "%", "$", "E+07", "e", "１", "٣", "²", "abc", "\u2009", "00"]


def _one(text: str, decimal_comma: bool | None) -> Decimal | None:
    try:
        return parse_number(text, decimal_comma=decimal_comma)
    except ValueError:
        return None


@given(
    texts=st.lists(st.lists(st.sampled_from(PIECES), max_size=5).map("".join), max_size=20),
    decimal_comma=st.sampled_from([True, None]),
)
@example(texts=["1 234,56", "0 123", "007,5", "1,234", "12,5", "٣", "0,0"], decimal_comma=True)
@example(texts=["1,234", "1\u202f234,5", "12"], decimal_comma=None)
def test_a_column_is_read_like_each_of_its_cells(texts: list[str], decimal_comma: bool | None):
    expected = [_one(text, decimal_comma) for text in texts]
    found = parse_numbers(texts, decimal_comma=decimal_comma)
    assert [str(n) for n in found] == [str(n) for n in expected]
