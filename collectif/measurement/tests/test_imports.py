"""Importing files: a correct file is saved whole, a wrong one writes nothing and says why."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from collectif.core.files.tests.workbooks import xlsx_bytes, zip_bomb
from collectif.core.models import AuditEvent
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Submission, SubmissionVersion, Value
from collectif.measurement.services.files import ReplaceNeeded, submission_import
from collectif.measurement.services.submissions import SubmissionInvalid
from collectif.measurement.tests.factories import PeriodFactory
from collectif.measurement.tests.test_validation import mentoring_dataset

DATA = Path(__file__).parent / "data"
HEADER = "Code de l'indicateur;Groupe d'âge;Valeur\r\n"


@pytest.fixture
def setup(db):
    organisation = OrganisationFactory.create()
    return {
        "organisation": organisation,
        "dataset": mentoring_dataset(organisations=[organisation]),
        "period": PeriodFactory(code="2026Q1"),
        "steward": user_with_role("steward", organisation),
    }


def run(setup, content: bytes, filename: str = "data.csv", **kwargs):
    return submission_import(
        actor=kwargs.pop("actor", setup["steward"]),
        organisation=setup["organisation"],
        dataset=setup["dataset"],
        period=setup["period"],
        data=io.BytesIO(content),
        filename=filename,
        **kwargs,
    )


def refused(setup, content: bytes, filename: str = "data.csv", **kwargs):
    """The problems of a refused import, after checking that nothing was written."""
    values, submissions = Value.objects.count(), Submission.objects.count()
    with pytest.raises(SubmissionInvalid) as caught:
        run(setup, content, filename, **kwargs)
    assert Value.objects.count() == values
    assert Submission.objects.count() == submissions
    return caught.value.problems


@pytest.mark.smoke
def test_a_french_excel_csv_is_imported_end_to_end(setup):
    result = run(setup, (DATA / "french_excel.csv").read_bytes(), "Rapport T1.csv")
    assert (result.rows, result.cells) == (8, 7)
    submission = Submission.objects.get()
    assert submission == result.submission
    assert submission.channel == Submission.Channel.FILE
    assert submission.status == Submission.Status.DRAFT
    stored = {
        (code, breakdown): value
        for code, breakdown, value in Value.objects.values_list(
            "indicator__code", "breakdown", "value"
        )
    }
    assert stored == {
        ("young_people_served", ""): Decimal(1234),
        ("young_people_served", "age:6-11"): Decimal(400),
        ("young_people_served", "age:12-17"): Decimal(534),
        ("young_people_served", "age:18-24"): Decimal(300),
        ("young_people_served", "gender:women"): Decimal(700),
        ("active_mentors", ""): Decimal(1010),
        ("caring_adult_share", ""): Decimal("87.5"),
    }
    event = AuditEvent.objects.get(action="measurement.submission_import")
    assert event.changes["filename"] == "Rapport T1.csv"
    assert event.changes["encoding"] == "cp1252"


def test_importing_with_submit_sends_it_for_approval(setup):
    run(setup, (DATA / "french_excel.csv").read_bytes(), submit=True)
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.version == 1


def test_a_new_file_replaces_the_previous_values_only_when_asked(setup):
    run(setup, (DATA / "french_excel.csv").read_bytes())
    with pytest.raises(ReplaceNeeded) as needed:
        run(setup, f"{HEADER}active_mentors;;12\r\n".encode())
    assert needed.value.preview.saved == 7
    assert Value.objects.count() == 7
    result = run(setup, f"{HEADER}active_mentors;;12\r\n".encode(), replace=True)
    assert result.replaced == 7
    assert list(Value.objects.values_list("indicator__code", "value")) == [
        ("active_mentors", Decimal(12))
    ]
    assert SubmissionVersion.objects.get().kind == SubmissionVersion.Kind.REPLACED


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (b"", "empty", "The file is empty"),
        (HEADER.encode(), "no_data", "no data rows"),
        (
            f"{HEADER}young_people_servd;;3\r\n".encode(),
            "unknown_indicator",
            "no indicator with the code “young_people_servd”",
        ),
        (
            f"{HEADER}active_mentors;;-3\r\n".encode(),
            "negative",
            "a count cannot be",
        ),
        (
            f"{HEADER}active_mentors;;douze\r\n".encode(),
            "not_a_number",
            "“douze” is not a number",
        ),
    ],
    ids=["empty", "headers only", "unknown code", "negative", "text"],
)
def test_bad_files_write_nothing_and_say_why(setup, content, code, words):
    problem = refused(setup, content)[0]
    assert problem.code == code
    assert words in problem.message


def test_every_problem_is_reported_at_once(setup):
    problems = refused(
        setup,
        f"{HEADER}active_mentors;;-3\r\nactive_mentors;;4\r\nyoung_people_served;6 à 11 ans;x\r\n"
        "young_people_served;6 à 11 ans;4\r\nyoung_people_served;6 à 11 ans;5\r\n".encode(),
    )
    assert [(p.row, p.column, p.code) for p in problems] == [
        (2, "Valeur", "negative"),
        (4, "Valeur", "not_a_number"),
        (6, "Code de l'indicateur", "duplicate"),
    ]
    assert "Rows 5 and 6" in problems[2].message


def test_duplicate_rows_name_both_rows(setup):
    problems = refused(setup, f"{HEADER}active_mentors;;4\r\nactive_mentors;;4\r\n".encode())
    assert problems[0].code == "duplicate"
    assert "Rows 2 and 3" in problems[0].message


def test_problems_found_on_the_whole_set_point_at_the_file_row(setup):
    problems = refused(
        setup,
        f"{HEADER}young_people_served;;31\r\nyoung_people_served;6 à 11 ans;10\r\n"
        "young_people_served;12 à 17 ans;10\r\nyoung_people_served;18 à 24 ans;10\r\n".encode(),
    )
    assert [(p.row, p.column, p.code) for p in problems] == [(2, "Valeur", "parts_total")]


@override_settings(COLLECTIF={"UPLOAD_MAX_BYTES": 1024 * 1024})
def test_a_file_over_the_size_limit_writes_nothing(setup):
    content = HEADER.encode() + b"active_mentors;;\r\n" * 70_000
    problem = refused(setup, content)[0]
    assert problem.code == "too_big"
    assert "1.0 MB" in problem.message


def test_an_xlsx_zip_bomb_writes_nothing(setup):
    assert refused(setup, zip_bomb(), "data.xlsx")[0].code == "zip_bomb"


def test_a_wrong_sheet_writes_nothing(setup):
    content = xlsx_bytes([["Indicator code", "Value"], ["active_mentors", 3]])
    problem = refused(setup, content, "data.xlsx", sheet="Q1")[0]
    assert problem.code == "wrong_sheet"
    assert "“Data”" in problem.message


def test_an_xlsx_file_is_imported(setup):
    content = xlsx_bytes([["Indicator code", "Value"], ["active_mentors", 3]])
    assert run(setup, content, "data.xlsx").cells == 1
    assert Value.objects.get().value == Decimal(3)


def test_a_steward_of_another_organisation_cannot_import(setup):
    intruder = user_with_role("steward", OrganisationFactory.create())
    with pytest.raises(PermissionDenied):
        run(setup, (DATA / "french_excel.csv").read_bytes(), actor=intruder)
    assert not Submission.objects.exists()


def test_a_dataset_not_assigned_to_the_organisation_writes_nothing(setup):
    setup["dataset"].organisations.clear()
    with pytest.raises(ValidationError):
        run(setup, (DATA / "french_excel.csv").read_bytes())
    assert not Submission.objects.exists()


def test_messages_are_in_french_for_a_french_speaker(setup):
    with translation.override("fr"):
        problems = refused(setup, f"{HEADER}active_mentors;;douze\r\n".encode())
        assert "«\u202fdouze\u202f» n’est pas un nombre" in problems[0].message
        assert "ne contient aucune ligne de données" in refused(setup, HEADER.encode())[0].message


# --- The upload page ------------------------------------------------------------------


def upload_url(setup, language: str = "en") -> str:
    with translation.override(language):
        return reverse("measurement:upload", args=[setup["organisation"].slug])


def post(client, setup, content: bytes, name: str = "data.csv", language: str = "en"):
    return client.post(
        upload_url(setup, language),
        {
            "dataset": setup["dataset"].code,
            "period": setup["period"].code,
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_only_the_organisation_stewards_and_staff_can_upload(client, setup):
    assert_role_access(
        client, upload_url(setup), allowed={"staff", "steward"}, organisation=setup["organisation"]
    )


@pytest.mark.smoke
def test_the_upload_page_offers_the_templates_and_the_form(client, setup):
    client.force_login(setup["steward"])
    response = client.get(upload_url(setup))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Upload data for" in page
    assert reverse("measurement:template_download", args=[setup["dataset"].code, "xlsx"]) in page
    assert 'enctype="multipart/form-data"' in page


def test_an_organisation_without_datasets_is_told_what_happens_next(client, setup):
    setup["dataset"].organisations.clear()
    client.force_login(setup["steward"])
    page = client.get(upload_url(setup)).content.decode()
    assert "has no dataset to report yet" in page


def test_a_good_upload_goes_to_the_submission(client, setup):
    client.force_login(setup["steward"])
    response = post(client, setup, (DATA / "french_excel.csv").read_bytes())
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "measurement:submission_detail", kwargs={"pk": submission.pk}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Your file is imported: 7 values from 8 rows." in page


def test_a_bad_upload_lists_every_problem_and_saves_nothing(client, setup):
    client.force_login(setup["steward"])
    response = post(
        client,
        setup,
        f"{HEADER}active_mentors;;-3\r\nyoung_people_served;6 à 11 ans;x\r\n".encode(),
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "There are 2 problems in the file. Nothing was saved." in page
    assert "Row 2, column “Valeur”:" in page
    assert "Row 3, column “Valeur”: “x” is not a number" in page
    assert 'href="#id_file"' in page
    assert not Submission.objects.exists()
    assert not Value.objects.exists()


def test_a_bad_upload_is_explained_in_french(client, setup):
    client.force_login(setup["steward"])
    response = post(client, setup, f"{HEADER}active_mentors;;douze\r\n".encode(), language="fr")
    page = response.content.decode()
    assert (
        "Ligne 2, colonne «\u202fValeur\u202f»\u00a0: «\u202fdouze\u202f» n’est pas un nombre"
        in page
    )


def test_a_period_the_dataset_is_not_reported_for_is_refused_beside_the_field(client, setup):
    client.force_login(setup["steward"])
    setup["period"] = PeriodFactory(code="2025")
    response = post(client, setup, (DATA / "french_excel.csv").read_bytes())
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_period_error"' in page
    assert not Submission.objects.exists()
