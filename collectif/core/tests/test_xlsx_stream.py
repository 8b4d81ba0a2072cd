"""The streamed XLSX opens in the readers partners and researchers use, with every
value in its place: text as text, numbers as numbers, empty cells empty."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from collectif.core.xlsx_stream import XlsxStream, number_cell, sheet_name, text_cell


def _written(rows: list[list[str]], name: str = "Valeurs approuvées") -> bytes:
    out = io.BytesIO()
    with XlsxStream(out, name) as sheet:
        for row in rows:
            sheet.row(row)
    return out.getvalue()


def test_openpyxl_and_calamine_read_back_what_was_written() -> None:
    data = _written(
        [
            [text_cell("Organisme"), text_cell("Valeur"), text_cell("Âge")],
            [text_cell("Mentorat <Québec> & Cie"), number_cell(Decimal("1234.5")), EMPTY_CELL],
            [text_cell("'=1+1"), number_cell(Decimal("-3")), text_cell("  espaces  ")],
            [text_cell(""), number_cell(Decimal("1E+3")), text_cell("12-17")],
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["Valeurs approuvées"]
    read = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert read == [
        ["Organisme", "Valeur", "Âge"],
        ["Mentorat <Québec> & Cie", 1234.5, None],
        ["'=1+1", -3, "  espaces  "],
        [None, 1000, "12-17"],
    ]
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.get_sheet_by_index(0).to_python()[1][:2] == ["Mentorat <Québec> & Cie", 1234.5]


EMPTY_CELL = number_cell(None)


def test_characters_xml_cannot_hold_are_dropped_not_written() -> None:
    data = _written([[text_cell("a\x0bb\x01c")]])
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert next(book.worksheets[0].iter_rows(values_only=True)) == ("abc",)


def test_a_sheet_name_is_one_a_spreadsheet_accepts() -> None:
    assert sheet_name("Values: 2024/2025 [draft]?") == "Values  2024 2025  draft"
    assert len(sheet_name("x" * 40)) == 31
    assert sheet_name("***") == "Sheet1"


def test_the_sheet_is_compressed_and_streamed() -> None:
    rows = [[text_cell("Mentorat Québec"), number_cell(n)] for n in range(5000)]
    data = _written(rows)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.compress_type == zipfile.ZIP_DEFLATED
        assert sheet.compress_size < sheet.file_size / 5


@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))),
            st.decimals(allow_nan=False, allow_infinity=False, places=6).filter(
                lambda d: abs(d) < Decimal("1e12")
            ),
        ),
        max_size=20,
    )
)
def test_any_text_and_number_come_back_unchanged(cells: list[tuple[str, Decimal]]) -> None:
    data = _written([[text_cell(text), number_cell(number)] for text, number in cells])
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    read = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert len(read) == len(cells)
    for (text, number), (got_text, got_number) in zip(cells, read, strict=True):
        assert got_text == (text or None)
        assert got_number == pytest.approx(float(number))
