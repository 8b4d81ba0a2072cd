"""A file never silently loses or misreads data: files that give no values, ambiguous
columns, columns the template does not know, numbers no column can hold, and workbooks
with several sheets (issue 8, part 1, the importer's side)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from collectif.accounts.services import api_token_create
from collectif.core.files.tests.workbooks import xlsx_bytes
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue, number_text
from collectif.measurement.models import Submission, Value
from collectif.measurement.services import submissions as services
from collectif.measurement.services.files import submission_import
from collectif.measurement.tests.factories import PeriodFactory
from collectif.measurement.tests.test_imports import DATA, refused, run, upload_url
from collectif.measurement.tests.test_validation import mentoring_dataset

HEADER = "Indicator code;Age group;Value\r\n"


@pytest.fixture
def setup(db):
    organisation = OrganisationFactory.create()
    return {
        "organisation": organisation,
        "dataset": mentoring_dataset(organisations=[organisation]),
        "period": PeriodFactory(code="2026Q1"),
        "steward": user_with_role("steward", organisation),
    }


def saved(setup) -> dict[tuple[str, str], Decimal]:
    return {
        (code, breakdown): value
        for code, breakdown, value in Value.objects.filter(
            submission__organisation=setup["organisation"]
        ).values_list("indicator__code", "breakdown", "value")
    }


# --- No values at all -----------------------------------------------------------------


def test_a_file_whose_value_column_is_empty_everywhere_is_refused(setup):
    rows = "".join("active_mentors;;\r\nyoung_people_served;6-11;\r\n" for _ in range(51))
    problems = refused(setup, (HEADER + rows).encode())
    assert [p.code for p in problems] == ["no_values"]
    assert (
        "The file has 102 rows but the column “Value” is empty on every one of them"
        in problems[0].message
    )


def test_no_values_is_explained_in_french_with_canadian_numbers(setup):
    rows = "active_mentors;;\r\n" * 1200
    with translation.override("fr"):
        problems = refused(setup, (HEADER + rows).encode())
    assert problems[0].code == "no_values"
    assert "1\u00a0200 lignes" in problems[0].message
    assert "«\u202fValue\u202f»" in problems[0].message


def test_comma_header_and_semicolon_rows_never_replace_a_saved_draft(setup):
    """H1's reader refuses it as mixed delimiters; "no_values" is the safety net."""
    run(setup, f"{HEADER}active_mentors;;12\r\nyoung_people_served;;30\r\n".encode())
    before = saved(setup)
    content = "Indicator code,Age group,Value\r\n" + "active_mentors;;99\r\n" * 102
    problems = refused(setup, content.encode())
    assert problems[0].code in {"mixed_delimiters", "no_values"}
    assert saved(setup) == before
    problems = refused(setup, content.encode(), replace=True)
    assert problems[0].code in {"mixed_delimiters", "no_values"}
    assert saved(setup) == before


# --- Columns --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("Indicator code;Value;Valeur", ["B (“Value”)", "C (“Valeur”)", "the value"]),
        ("Code;Indicator code;Value", ["A (“Code”)", "B (“Indicator code”)", "indicator code"]),
        (
            "Indicator code;Age group;Groupe d'âge;Value",
            ["B (“Age group”)", "C (“Groupe d'âge”)", "breakdown"],
        ),
    ],
    ids=["two value columns", "two code columns", "one dimension twice"],
)
def test_two_columns_with_one_role_are_refused_naming_both(setup, header, named):
    problems = refused(setup, f"{header}\r\nactive_mentors;3;4;5\r\n".encode())
    assert [p.code for p in problems] == ["duplicate_column"]
    for words in named:
        assert words in problems[0].message


def test_columns_the_template_does_not_know_are_reported_but_do_not_block(setup):
    extra = ";".join(f"Extra {n}" for n in range(8))
    filled = ";".join("x" for _ in range(8))
    content = f"Indicator code;Value;Notes;Empty;{extra}\r\nactive_mentors;3;hello;;{filled}\r\n"
    result = run(setup, content.encode())
    assert result.cells == 1
    (warning,) = [w for w in result.warnings if w.code == "unknown_column"]
    assert warning.severity == "warning"
    assert "C (“Notes”)" in warning.message
    assert "“Empty”" not in warning.message
    assert "and 4 more columns" in warning.message


def test_values_past_the_last_header_are_reported(setup):
    result = run(setup, b"Indicator code;Value\r\nactive_mentors;3;7\r\n")
    assert [w.code for w in result.warnings] == ["unknown_column"]
    assert "The column C is not part of the template" in result.warnings[0].message


# --- Numbers no column can hold -------------------------------------------------------


@pytest.mark.parametrize("text", ["1" * 30, "123456789012345678901234567890.5", "1e308"])
def test_huge_numbers_in_a_csv_are_clear_errors(setup, text):
    problems = refused(setup, f"Indicator code;Value\r\nactive_mentors;{text}\r\n".encode())
    assert problems[0].code in {"too_large", "not_a_number"}


@pytest.mark.parametrize("number", [1e308, 10.0**29, float(10**30)])
def test_huge_numbers_in_a_workbook_are_clear_errors(setup, number):
    content = xlsx_bytes([["Indicator code", "Value"], ["active_mentors", number]])
    (problem,) = refused(setup, content, "data.xlsx")
    assert problem.code == "too_large"
    assert "too large" in problem.message
    assert "99,999,999,999,999" in problem.message


@pytest.mark.parametrize(
    "value", ["1" * 30, "1e308", "NaN", "Infinity", "-Infinity", "sNaN", "1e-30"]
)
def test_saving_any_decimal_gives_a_clear_message_and_no_crash(setup, value):
    submission = services.submission_open(
        actor=setup["steward"],
        organisation=setup["organisation"],
        dataset=setup["dataset"],
        period=setup["period"],
    )
    cells = [
        CellValue("active_mentors", "", Decimal(value)),
        CellValue("young_people_served", "", Decimal(value)),
        CellValue("young_people_served", "age:6-11", Decimal(3)),
    ]
    with pytest.raises(services.SubmissionInvalid) as caught:
        services.submission_save_values(
            actor=setup["steward"], submission=submission, cells=cells, channel="api"
        )
    codes = {p.code for p in caught.value.problems}
    assert codes <= {"too_large", "not_finite", "too_precise"}
    assert not Value.objects.exists()


@settings(max_examples=60, deadline=None)
@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_any_decimal_can_be_written_in_both_languages(value):
    for language in ("en", "fr"):
        with translation.override(language):
            assert number_text(value)


def test_a_huge_number_through_the_web_upload_is_a_422_not_a_500(client, setup):
    client.force_login(setup["steward"])
    content = xlsx_bytes([["Indicator code", "Value"], ["active_mentors", 1e308]])
    response = client.post(
        upload_url(setup, "fr"),
        {
            "dataset": setup["dataset"].code,
            "period": setup["period"].code,
            "file": SimpleUploadedFile("data.xlsx", content),
        },
    )
    assert response.status_code == 422
    assert "1 × 10³⁰⁸ est trop grand" in response.content.decode()
    assert not Submission.objects.exists()


# --- Workbooks with several sheets ----------------------------------------------------


def test_the_sheet_read_is_named_when_a_workbook_has_several(setup):
    content = xlsx_bytes(
        [["Indicator code", "Value"], ["active_mentors", 3]],
        extra_sheets=[("Notes", [["anything"]]), ("Old", [["Indicator code", "Value"]])],
    )
    result = submission_import(
        actor=setup["steward"],
        organisation=setup["organisation"],
        dataset=setup["dataset"],
        period=setup["period"],
        data=io.BytesIO(content),
        filename="data.xlsx",
    )
    (notice,) = [w for w in result.warnings if w.code == "sheet"]
    assert "The workbook has 3 sheets: the values were read from the sheet “Data”" in (
        notice.message
    )
    assert "“Notes”, “Old”" in notice.message


def test_a_workbook_with_one_sheet_gets_no_sheet_notice(setup):
    content = xlsx_bytes([["Indicator code", "Value"], ["active_mentors", 3]])
    assert not [w for w in run(setup, content, "data.xlsx").warnings if w.code == "sheet"]


# --- The API path validates cells the same way ------------------------------------------


@pytest.mark.parametrize(
    "raw", ["1e308", '"1' + "0" * 29 + '"', '"NaN"', '"Infinity"', "123456789012345678901234567890"]
)
def test_huge_or_non_finite_numbers_through_the_api_are_a_422(client, setup, raw):
    _token, secret = api_token_create(actor=setup["steward"], name="test")
    organisation, dataset = setup["organisation"].slug, setup["dataset"].code
    body = (
        f'{{"organisation": "{organisation}", "dataset": "{dataset}", "period": "2026Q1", '
        f'"values": [{{"indicator": "active_mentors", "value": {raw}}}]}}'
    )
    response = client.post(
        "/api/v1/measurement/submissions",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422, response.content
    assert not Value.objects.exists()
    assert response.json()["error"]["details"]


def test_a_filled_in_template_has_no_unknown_column(setup):
    content = (DATA / "french_excel.csv").read_bytes()
    assert not [w for w in run(setup, content).warnings if w.code == "unknown_column"]
