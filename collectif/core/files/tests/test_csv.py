"""CSV files as partners save them, and the files the reader refuses, saying what to do."""

import codecs
import csv
import io
from pathlib import Path
from typing import BinaryIO, cast

import pytest
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectif.core.files import FileProblem, read_table, reader

DATA = Path(__file__).parent / "data"


def table_of(content: bytes, filename: str = "data.csv", **kwargs):
    table = read_table(io.BytesIO(content), filename=filename, **kwargs)
    return table.headers, list(table.rows), table


def problem_of(content: bytes, filename: str = "data.csv", **kwargs) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        table = read_table(io.BytesIO(content), filename=filename, **kwargs)
        list(table.rows)
    return caught.value


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.smoke
def test_a_french_excel_csv_is_read_with_its_accents_and_row_numbers():
    headers, rows, table = table_of((DATA / "french_excel.csv").read_bytes(), "données.csv")
    assert headers[2] == "Groupe d'âge"
    assert headers[4] == "Unité"
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.decimal_comma is True
    assert rows[0] == (2, ["young_people_served", "Jeunes servis", "", "", "Nombre", "1\u00a0234"])
    assert rows[2][1][2] == "12 à 17 ans"
    # Row 9 is empty and skipped; numbering keeps following the file.
    assert [number for number, _cells in rows][-2:] == [8, 10]
    assert rows[-1][1][-1] == "87,5"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("cp1252", b""),
        ("utf-16", b""),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32", b""),
        ("utf-32-le", b""),
        ("utf-32-be", b""),
    ],
)
def test_text_encodings_partners_use_are_detected(encoding, bom):
    text = "Code;Valeur;Unité\r\nyoung_people_served;12,5;Pourcentage élevé\r\n"
    headers, rows, _table = table_of(bom + text.encode(encoding))
    assert headers == ["Code", "Valeur", "Unité"]
    assert rows == [(2, ["young_people_served", "12,5", "Pourcentage élevé"])]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_separators_are_detected_from_the_header(delimiter):
    content = delimiter.join(["Indicator code", "Value"]) + "\n"
    content += delimiter.join(["a", '"1,5"' if delimiter == "," else "1,5"]) + "\n"
    headers, rows, table = table_of(content.encode())
    assert table.delimiter == delimiter
    assert headers == ["Indicator code", "Value"]
    assert rows == [(2, ["a", "1,5"])]


def test_quoted_fields_keep_separators_and_line_breaks():
    content = b'code,name,value\r\na,"Jeunes; servis\r\nen ligne",3\r\nb,"Say ""hi""",4\r\n'
    _headers, rows, _table = table_of(content)
    assert rows == [(2, ["a", "Jeunes; servis\r\nen ligne", "3"]), (3, ["b", 'Say "hi"', "4"])]


def test_the_file_may_start_with_blank_lines():
    _headers, rows, _table = table_of(b"\r\n\r\ncode,value\r\na,1\r\n")
    assert rows == [(4, ["a", "1"])]


cp1252_words = st.sampled_from(
    [
        "Jeunes",
        "servis",
        "âgés",
        "de",
        "12",
        "à",
        "17",
        "ans",
        "Québec",
        "Montréal",
        "Œuvre",
        "élève",
        "garçons",
        "filles",
        "1 234,5",
        "12,5 %",
        "naïve",
        "hôpital",
        "€",
        "façade",
    ]
)
cells = st.lists(cp1252_words, min_size=1, max_size=4).map(" ".join)
header_names = st.sampled_from(
    ["Code", "Valeur", "Unité", "Nom", "Groupe d'âge", "Genre", "Province", "Value"]
)


any_text = (
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def tables(draw):
    """A header, rows and an encoding; cp1252 files hold text French Excel could write."""
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    headers = draw(st.lists(header_names, min_size=2, max_size=5, unique=True))
    text = cells if encoding == "cp1252" else st.one_of(cells, any_text)
    row = st.lists(text, min_size=len(headers), max_size=len(headers))
    return headers, draw(st.lists(row, min_size=1, max_size=8)), encoding


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(table=tables(), delimiter=st.sampled_from([";", ",", "\t"]))
def test_csv_round_trip(table, delimiter):
    headers, rows, encoding = table
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    read_headers, read_rows, read = table_of(out.getvalue().encode(encoding))
    assert read.delimiter == delimiter
    assert read_headers == headers
    assert read_rows == [(number, row) for number, row in enumerate(rows, start=2)]


def test_rows_are_read_lazily_as_they_are_consumed():
    content = b"code,value\n" + b"a,1\n" * 200_000
    seen: list[int] = []
    table = read_table(io.BytesIO(content), filename="big.csv", progress=seen.append)
    next(table.rows)
    assert seen[-1] < len(content)
    assert sum(1 for _ in table.rows) == 199_999
    assert seen[-1] == len(content)


def test_an_unseekable_stream_is_read_too():
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    table = read_table(cast(BinaryIO, Pipe(b"code,value\na,1\n")), filename="pipe.csv")
    assert list(table.rows) == [(2, ["a", "1"])]


# --- Files refused -----------------------------------------------------------------------


@pytest.mark.smoke
def test_an_empty_file_is_refused():
    problem = problem_of(b"")
    assert problem.code == "empty"
    assert "empty" in str(problem.message)
    assert problem_of(b"\r\n;;\r\n\r\n").code == "empty"


def test_a_file_with_headers_only_is_refused():
    problem = problem_of(b"Code;Valeur\r\n;\r\n")
    assert problem.code == "no_data"
    assert "no data rows" in str(problem.message)


@override_settings(COLLECTIF={"UPLOAD_MAX_BYTES": 2 * 1024 * 1024})
def test_a_file_over_the_size_limit_is_refused_with_the_limit_in_megabytes():
    problem = problem_of(b"code,value\n" + b"a,1\n" * 600_000)
    assert problem.code == "too_big"
    assert "2.0 MB" in str(problem.message)
    with translation.override("fr"):
        assert "2,0" in str(problem.message)


def test_the_size_limit_can_be_given_by_the_caller():
    assert problem_of(b"code,value\na,1\n", max_bytes=5).code == "too_big"


@pytest.mark.parametrize(
    "content",
    [
        "コード;値\r\n若者;12\r\n".encode("shift_jis") * 5,
        "Code;Unité;Valeur\r\nécoles;élèves;12\r\n".encode("mac_roman"),
        bytes(range(256)) * 40,
        "Код;Значение\r\nмолодежь;12\r\n".encode("cp1251") * 5,
    ],
    ids=["shift-jis", "macroman", "binary", "cyrillic cp1251"],
)
def test_a_file_in_an_unknown_encoding_is_refused(content):
    problem = problem_of(content)
    assert problem.code == "unknown_encoding"
    assert "CSV UTF-8" in str(problem.message)


def test_an_old_excel_file_is_refused_with_what_to_do():
    problem = problem_of(reader.OLE_MAGIC + b"\x00" * 600, "report.xls")
    assert problem.code == "old_excel"
    assert ".xlsx" in str(problem.message)


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused():
    assert problem_of(b"code,value\na,1\n", "report.xlsx").code == "not_xlsx"
    assert problem_of(b"PK\x03\x04 not really a zip", "report.xlsx").code == "truncated"


# --- Files that would be misread: said in words, with the line --------------------------


def test_a_header_and_rows_with_different_separators_are_refused_saying_which():
    problem = problem_of(b"Code,Age,Value\r\na;6-11;3\r\nb;;4\r\n")
    assert problem.code == "mixed_delimiters"
    assert "The header row uses commas (,) but the data rows use semicolons (;)" in str(
        problem.message
    )
    with translation.override("fr"):
        assert "des virgules (,)" in str(problem.message)


def test_a_comma_file_whose_text_holds_semicolons_is_read():
    _headers, rows, _table = table_of(b"Code,Name,Value\r\na,x;y,3\r\nb,z;w,4\r\n")
    assert rows == [(2, ["a", "x;y", "3"]), (3, ["b", "z;w", "4"])]


def test_an_unclosed_quotation_mark_is_refused_naming_its_line():
    problem = problem_of(b'Code,Value\r\na,1\r\nb,"2\r\nc,3\r\n')
    assert problem.code == "unbalanced_quote"
    assert "A quotation mark opened on line 3 is never closed" in str(problem.message)


def test_a_cell_over_the_field_limit_is_refused_naming_its_line():
    problem = problem_of(b"Code,Value\r\na,1\r\nb," + b"9" * 200_000 + b"\r\n")
    assert problem.code == "cell_too_long"
    assert "A cell on line 3 holds more than 131,072 characters" in str(problem.message)
    with translation.override("fr"):
        assert "131\u202f072" in str(problem.message) or "131\u00a0072" in str(problem.message)


def test_nul_bytes_in_a_text_file_are_refused_as_such():
    assert problem_of(b"Code,Value\r\na,1\x00\r\n").code == "nul_bytes"


def test_a_file_half_utf8_half_cp1252_is_refused_as_mixed():
    content = "Code;Unité\r\n".encode() + "a;été\r\n".encode("cp1252")
    problem = problem_of(content)
    assert problem.code == "mixed_encoding"
    assert "Part of the file is saved as UTF-8" in str(problem.message)
