"""A measurement template's columns, recognised as people type them, and the workbook
sheet that holds them. The reader itself (encodings, numbers, hostile files) is
tested with it in `collectif/core/files/tests`."""

import io

import pytest

from collectif.core.files import FileProblem, read_table
from collectif.core.files.tests.workbooks import xlsx_bytes
from collectif.measurement.files.columns import column_role, has_recognisable_header


def table_of(content: bytes, **kwargs):
    table = read_table(
        io.BytesIO(content),
        filename="data.xlsx",
        recognise_header=has_recognisable_header,
        **kwargs,
    )
    return table.headers, list(table.rows), table


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Indicator code", "indicator_code"),
        ("CODE DE L’INDICATEUR", "indicator_code"),
        ("Code d'indicateur", "indicator_code"),
        ("Nom de l'indicateur", "indicator_name"),
        ("Indicator", "indicator_name"),
        ("Unité", "unit"),
        ("Valeur", "value"),
        ("Amount", "value"),
        ("Groupe d'âge", None),
    ],
)
def test_template_columns_are_recognised_in_either_language(header, role):
    assert column_role(header) == role


def test_a_template_header_names_a_value_and_an_indicator():
    assert has_recognisable_header(["Code de l’indicateur", "Groupe d'âge", "Valeur"])
    assert has_recognisable_header(["Indicator", "Value"])
    assert not has_recognisable_header(["Indicator code", "Unit"])
    assert not has_recognisable_header(["Budget", "2026"])


def test_the_data_sheet_is_found_after_another_sheet():
    content = xlsx_bytes(
        [["Read me first"], ["This workbook holds our report."]],
        title="Notes",
        extra_sheets=[("Rapport", [["Code de l’indicateur", "Valeur"], ["a", 3]])],
    )
    _headers, rows, table = table_of(content)
    assert table.sheet == "Rapport"
    assert rows == [(2, ["a", "3"])]


def test_a_workbook_without_the_template_headers_is_refused_listing_the_sheets():
    content = xlsx_bytes([["Budget", "2026"], ["Salaries", 1000]], extra_sheets=[("Other", [])])
    with pytest.raises(FileProblem) as caught:
        table_of(content)
    assert caught.value.code == "wrong_sheet"
    assert "“Data”, “Other”" in str(caught.value.message)
