"""Reading files as partners really save them, and refusing the ones that cannot be read."""

import codecs
import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, cast

import openpyxl
import pytest
from django.test import override_settings
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectif.core.files import reader as parsing
from collectif.core.files.reader import FileProblem, parse_number, read_table

DATA = Path(__file__).parent / "data"


def table_of(content: bytes, filename: str = "data.csv", **kwargs):
    table = read_table(io.BytesIO(content), filename, **kwargs)
    return table.headers, list(table.rows), table


def xlsx_bytes(rows, *, title="Data", extra_sheets=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, extra_rows in extra_sheets:
        other = book.create_sheet(name)
        for row in extra_rows:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_values(content: bytes, cached: bytes) -> bytes:
    """Write the value Excel would have cached for a formula: openpyxl cannot."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v />", cached, 1)
            target.writestr(info, data)
    return out.getvalue()


# --- parse_number --------------------------------------------------------------------


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
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("cp1252", b""), ("utf-16", b"")],
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
    table = read_table(io.BytesIO(content), "big.csv", progress=seen.append)
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

    table = read_table(cast(BinaryIO, Pipe(b"code,value\na,1\n")), "pipe.csv")
    assert list(table.rows) == [(2, ["a", "1"])]


# --- Files refused -----------------------------------------------------------------------


def problem_of(content: bytes, filename: str = "data.csv", **kwargs) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        table = read_table(io.BytesIO(content), filename, **kwargs)
        list(table.rows)
    return caught.value


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
        "Code;Valeur\r\na;1\r\n".encode("utf-16-le"),
        "Code;Valeur\r\na;1\r\n".encode("utf-32"),
        bytes(range(256)) * 40,
        "Код;Значение\r\nмолодежь;12\r\n".encode("cp1251") * 5,
    ],
    ids=["utf-16 without BOM", "utf-32", "binary", "cyrillic cp1251"],
)
def test_a_file_in_an_unknown_encoding_is_refused(content):
    problem = problem_of(content)
    assert problem.code == "unknown_encoding"
    assert "CSV UTF-8" in str(problem.message)


def test_an_old_excel_file_is_refused_with_what_to_do():
    problem = problem_of(parsing.OLE_MAGIC + b"\x00" * 600, "report.xls")
    assert problem.code == "old_excel"
    assert ".xlsx" in str(problem.message)


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused():
    assert problem_of(b"code,value\na,1\n", "report.xlsx").code == "not_xlsx"
    assert problem_of(b"PK\x03\x04 not really a zip", "report.xlsx").code == "not_xlsx"


# --- XLSX --------------------------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.parametrize("streaming", [False, True], ids=["calamine", "openpyxl"])
def test_a_workbook_gives_the_values_its_formulas_computed(monkeypatch, streaming):
    if streaming:
        monkeypatch.setattr(parsing, "CALAMINE_MAX_SHEET_BYTES", 0)
    content = xlsx_bytes(
        [
            ["Indicator code", "Value"],
            ["young_people_served", 42],
            ["active_mentors", "=B2*2"],
            [None, None],
            ["caring_adult_share", 87.5],
            ["new_matches", "1 234,5"],
        ]
    )
    headers, rows, table = table_of(with_cached_values(content, b"<v>84</v>"), "data.xlsx")
    assert table.format == "xlsx"
    assert headers == ["Indicator code", "Value"]
    assert rows == [
        (2, ["young_people_served", "42"]),
        (3, ["active_mentors", "84"]),
        (5, ["caring_adult_share", "87.5"]),
        (6, ["new_matches", "1 234,5"]),
    ]


def test_the_data_sheet_is_found_after_another_sheet():
    content = xlsx_bytes(
        [["Read me first"], ["This workbook holds our report."]],
        title="Notes",
        extra_sheets=[("Rapport", [["Code de l’indicateur", "Valeur"], ["a", 3]])],
    )
    _headers, rows, table = table_of(content, "data.xlsx")
    assert table.sheet == "Rapport"
    assert rows == [(2, ["a", "3"])]


def test_a_sheet_can_be_chosen_by_name():
    content = xlsx_bytes(
        [["Code", "Value"], ["a", 1]], extra_sheets=[("Q2", [["Code", "Value"], ["b", 2]])]
    )
    _headers, rows, _table = table_of(content, "data.xlsx", sheet="Q2")
    assert rows == [(2, ["b", "2"])]


@pytest.mark.smoke
def test_a_missing_sheet_is_refused_listing_the_sheets():
    content = xlsx_bytes([["Code", "Value"], ["a", 1]], extra_sheets=[("Notes", [["x"]])])
    problem = problem_of(content, "data.xlsx", sheet="Données")
    assert problem.code == "wrong_sheet"
    assert "“Données”" in str(problem.message)
    assert "“Data”, “Notes”" in str(problem.message)


def test_a_workbook_without_the_template_headers_is_refused_listing_the_sheets():
    content = xlsx_bytes([["Budget", "2026"], ["Salaries", 1000]], extra_sheets=[("Other", [])])
    problem = problem_of(content, "data.xlsx")
    assert problem.code == "wrong_sheet"
    assert "“Data”, “Other”" in str(problem.message)


def test_a_workbook_with_headers_only_is_refused():
    assert problem_of(xlsx_bytes([["Code", "Value"]]), "data.xlsx").code == "no_data"


def zip_bomb(*, declared_size: int | None = None) -> bytes:
    """A workbook whose sheet inflates to 300 MB of zeros (about 300 KB compressed)."""
    legit = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Code", "Value"], ["a", 1]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in legit.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, legit.read(info.filename))
        with bomb.open("xl/worksheets/sheet1.xml", "w") as member:
            zeros = b"0" * (1024 * 1024)
            for _ in range(300):
                member.write(zeros)
    content = out.getvalue()
    if declared_size is not None:
        content = _lie_about_size(content, "xl/worksheets/sheet1.xml", declared_size)
    return content


def _lie_about_size(content: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for one member (headers and directory)."""
    data = bytearray(content)
    encoded = name.encode()
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo(name)
    local = info.header_offset
    data[local + 22 : local + 26] = size.to_bytes(4, "little")
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            data[position + 24 : position + 28] = size.to_bytes(4, "little")
        position += 4
    return bytes(data)


def test_a_zip_bomb_is_refused_before_it_is_opened():
    content = zip_bomb()
    assert len(content) < 2 * 1024 * 1024
    problem = problem_of(content, "data.xlsx")
    assert problem.code == "zip_bomb"
    assert "200 MB" in str(problem.message)


def test_a_zip_bomb_that_lies_about_its_size_is_refused_too():
    content = zip_bomb(declared_size=2000)
    assert problem_of(content, "data.xlsx").code == "not_xlsx"
