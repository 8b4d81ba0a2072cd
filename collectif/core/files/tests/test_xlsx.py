"""Workbooks: the values formulas computed, the sheet that holds the data, and the
hostile ones (zip bombs, built here) refused before they are opened."""

import io

import openpyxl
import pytest
from django.utils import translation

from collectif.core.files import FileProblem, header_role, read_table, xlsx
from collectif.core.files.tests.corpus import patch
from collectif.core.files.tests.workbooks import with_cached_values, xlsx_bytes, zip_bomb


def table_of(content: bytes, filename: str = "data.csv", **kwargs):
    table = read_table(io.BytesIO(content), filename=filename, **kwargs)
    return table.headers, list(table.rows), table


def problem_of(content: bytes, filename: str = "data.csv", **kwargs) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        table = read_table(io.BytesIO(content), filename=filename, **kwargs)
        list(table.rows)
    return caught.value


# --- XLSX --------------------------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.parametrize("streaming", [False, True], ids=["calamine", "openpyxl"])
def test_a_workbook_gives_the_values_its_formulas_computed(monkeypatch, streaming):
    if streaming:
        monkeypatch.setattr(xlsx, "CALAMINE_MAX_SHEET_BYTES", 0)
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


def has_a_value_column(headers: list[str]) -> bool:
    """An importer's recogniser: its header names a value column, in either language."""
    return bool({header_role(h, {"value": ("value", "valeur")}) for h in headers} - {None})


def test_the_data_sheet_is_the_first_the_importer_recognises():
    content = xlsx_bytes(
        [["Read me first"], ["This workbook holds our report."]],
        title="Notes",
        extra_sheets=[("Rapport", [["Code", "VALEUR"], ["a", 3]])],
    )
    _headers, rows, table = table_of(content, "data.xlsx", recognise_header=has_a_value_column)
    assert table.sheet == "Rapport"
    assert rows == [(2, ["a", "3"])]


def test_without_a_recogniser_the_first_sheet_with_rows_is_read():
    content = xlsx_bytes([], title="Empty", extra_sheets=[("Notes", [["Read me"], ["x"]])])
    _headers, rows, table = table_of(content, "data.xlsx")
    assert (table.sheet, table.sheet_names) == ("Notes", ["Empty", "Notes"])
    assert rows == [(2, ["x"])]


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


def test_a_workbook_without_the_expected_headers_is_refused_listing_the_sheets():
    content = xlsx_bytes([["Budget", "2026"], ["Salaries", 1000]], extra_sheets=[("Other", [])])
    problem = problem_of(content, "data.xlsx", recognise_header=has_a_value_column)
    assert problem.code == "wrong_sheet"
    assert "“Data”, “Other”" in str(problem.message)


def test_a_workbook_with_headers_only_is_refused():
    assert problem_of(xlsx_bytes([["Code", "Value"]]), "data.xlsx").code == "no_data"


def test_a_zip_bomb_is_refused_before_it_is_opened():
    content = zip_bomb()
    assert len(content) < 2 * 1024 * 1024
    problem = problem_of(content, "data.xlsx")
    assert problem.code == "zip_bomb"
    assert "200 MB" in str(problem.message)


def test_a_zip_bomb_that_lies_about_its_size_is_refused_too():
    content = zip_bomb(declared_size=2000)
    assert problem_of(content, "data.xlsx").code == "damaged"


# --- What libraries would read as blank, and hidden sheets ---------------------------------


def with_cell(content: bytes, cell: bytes) -> bytes:
    return patch(
        content,
        {
            "xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                b"</sheetData>", b'<row r="7">' + cell + b"</row></sheetData>"
            )
        },
    )


@pytest.mark.parametrize("streaming", [False, True], ids=["calamine", "openpyxl"])
def test_an_excel_error_is_refused_naming_the_cell_and_the_sheet(monkeypatch, streaming):
    if streaming:
        monkeypatch.setattr(xlsx, "CALAMINE_MAX_SHEET_BYTES", 0)
    content = with_cell(
        xlsx_bytes([["Code", "Value"], ["a", 1]]), b'<c r="D7" t="e"><v>#DIV/0!</v></c>'
    )
    problem = problem_of(content, "data.xlsx")
    assert problem.code == "excel_error"
    assert "Cell D7 of the sheet “Data” shows the Excel error #DIV/0!" in str(problem.message)
    with translation.override("fr"):
        assert "La cellule D7 de la feuille «\u202fData\u202f»" in str(problem.message)


def test_a_formula_without_a_saved_result_is_refused_naming_the_cell():
    content = with_cell(xlsx_bytes([["Code", "Value"], ["a", 1]]), b'<c r="B7"><f>B2*2</f></c>')
    problem = problem_of(content, "data.xlsx")
    assert problem.code == "formula_not_saved"
    assert "Cell B7 of the sheet “Data”" in str(problem.message)


def test_a_formula_whose_saved_result_is_an_empty_text_is_read_as_blank():
    content = with_cell(
        xlsx_bytes([["Code", "Value"], ["a", 1]]),
        b'<c r="A7"><v>7</v></c><c r="B7" t="str"><f>IF(A7="","",A7)</f><v></v></c>',
    )
    _headers, rows, _table = table_of(content, "data.xlsx")
    assert rows == [(2, ["a", "1"]), (7, ["7", ""])]


def test_a_hidden_sheet_is_read_only_when_named_and_the_table_says_so():
    book = openpyxl.Workbook()
    old = book.worksheets[0]
    old.title = "Old"
    old.append(["Code", "Value"])
    old.append(["a", 999])
    old.sheet_state = "hidden"
    data = book.create_sheet("Data")
    data.append(["Code", "Value"])
    data.append(["a", 1])
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    _headers, rows, table = table_of(
        out.getvalue(), "data.xlsx", recognise_header=has_a_value_column
    )
    assert (table.sheet, table.hidden_sheets, rows) == ("Data", ["Old"], [(2, ["a", "1"])])
    _headers, rows, table = table_of(out.getvalue(), "data.xlsx", sheet="Old")
    assert (table.sheet, table.hidden_sheets, rows) == ("Old", ["Old"], [(2, ["a", "999"])])
