"""Replacing saved data is visible and reversible (issue 8, part 2): a file over saved
values first shows what changes, replaces nothing until confirmed, and the values it
replaces can be restored exactly from the submission's history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from collectif.core.models import AuditEvent
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.changes import compare_cells
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.files import pending
from collectif.measurement.models import Submission, SubmissionVersion, Value
from collectif.measurement.services import submissions as services
from collectif.measurement.services.history import submission_restore
from collectif.measurement.tests.factories import PeriodFactory
from collectif.measurement.tests.test_imports import run
from collectif.measurement.tests.test_validation import mentoring_dataset

HEADER = "Indicator code;Age group;Value\r\n"
NEW_FILE = (
    f"{HEADER}active_mentors;;1500\r\nyoung_people_served;;30\r\n"
    "young_people_served;12 to 17 years;12\r\n"
).encode()


@pytest.fixture
def setup(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
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


def save_draft(setup) -> Submission:
    """A draft saved in the web form: mentors, a total and one age group with decimals."""
    submission = services.submission_open(
        actor=setup["steward"],
        organisation=setup["organisation"],
        dataset=setup["dataset"],
        period=setup["period"],
    )
    services.submission_save_values(
        actor=setup["steward"],
        submission=submission,
        cells=[
            CellValue("active_mentors", "", Decimal(1010)),
            CellValue("young_people_served", "", Decimal(30)),
            CellValue("young_people_served", "age:6-11", Decimal(10)),
            CellValue("caring_adult_share", "", Decimal("87.50")),
        ],
        channel=Submission.Channel.FORM,
    )
    return submission


def upload(client, setup, content: bytes, language: str = "en", **extra):
    with translation.override(language):
        url = reverse("measurement:upload", args=[setup["organisation"].slug])
    return client.post(
        url,
        {
            "dataset": setup["dataset"].code,
            "period": setup["period"].code,
            "file": SimpleUploadedFile("new.csv", content),
            **extra,
        },
    )


def confirm(client, setup, token: str, action: str = "replace"):
    url = reverse("measurement:upload_confirm", args=[setup["organisation"].slug])
    return client.post(url, {"token": token, "action": action})


def token_of(client) -> str:
    (token,) = client.session[pending.SESSION_KEY]
    return str(token)


# --- The difference -------------------------------------------------------------------


def test_the_difference_names_cells_by_indicator_and_breakdown_in_canadian_numbers(setup):
    saved_cells = [
        CellValue("active_mentors", "", Decimal(1010)),
        CellValue("young_people_served", "age:6-11", Decimal(10)),
        CellValue("caring_adult_share", "", Decimal("87.5")),
    ]
    new_cells = [
        CellValue("active_mentors", "", Decimal(1500)),
        CellValue("young_people_served", "age:12-17", Decimal(12)),
        CellValue("caring_adult_share", "", Decimal("87.50")),
    ]
    with translation.override("fr"):
        changes = compare_cells(saved_cells, new_cells, setup["dataset"])
    assert (changes.added_count, changes.changed_count, changes.removed_count) == (1, 1, 1)
    assert changes.unchanged_count == 1
    assert changes.changed[0].cell == "Personnes mentores actives, total"
    assert (changes.changed[0].old, changes.changed[0].new) == ("1\u00a0010", "1\u00a0500")
    assert "age:" not in changes.added[0].cell
    assert changes.added[0].cell.startswith("Jeunes servis, ")


# --- The web upload -------------------------------------------------------------------


def test_a_first_upload_onto_an_empty_submission_imports_at_once(client, setup):
    client.force_login(setup["steward"])
    response = upload(client, setup, NEW_FILE)
    assert response.status_code == 302
    assert saved(setup)[("active_mentors", "")] == Decimal(1500)
    assert not client.session.get(pending.SESSION_KEY)


def test_a_file_over_a_saved_draft_shows_the_changes_and_replaces_nothing(client, setup):
    save_draft(setup)
    before = saved(setup)
    client.force_login(setup["steward"])
    response = upload(client, setup, NEW_FILE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Replace the saved values?" in page
    assert "1 value added" in page
    assert "1 value changed" in page
    assert "2 values removed" in page
    assert "1 value unchanged" in page
    assert "Active mentors, total" in page
    assert "1,010" in page and "1,500" in page
    assert "age:" not in page
    assert saved(setup) == before
    token = token_of(client)
    stored = client.session[pending.SESSION_KEY][token]["path"]
    assert stored.startswith("private/uploads/")
    assert default_storage.exists(stored)


def test_confirming_replaces_and_keeps_the_previous_values_in_the_history(client, setup):
    submission = save_draft(setup)
    client.force_login(setup["steward"])
    upload(client, setup, NEW_FILE)
    token = token_of(client)
    path = client.session[pending.SESSION_KEY][token]["path"]
    response = confirm(client, setup, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("measurement:submission_detail", args=[submission.pk])
    assert saved(setup) == {
        ("active_mentors", ""): Decimal(1500),
        ("young_people_served", ""): Decimal(30),
        ("young_people_served", "age:12-17"): Decimal(12),
    }
    assert not default_storage.exists(path)
    assert not client.session[pending.SESSION_KEY]
    version = SubmissionVersion.objects.get(submission=submission)
    assert version.kind == SubmissionVersion.Kind.REPLACED
    assert len(version.values) == 4
    assert AuditEvent.objects.filter(action="measurement.submission_import").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "The 4 values it replaced are kept in the history below" in page
    assert reverse("measurement:version_restore", args=[submission.pk, version.pk]) in page


def test_cancelling_deletes_the_kept_file_and_changes_nothing(client, setup):
    save_draft(setup)
    before = saved(setup)
    client.force_login(setup["steward"])
    upload(client, setup, NEW_FILE)
    token = token_of(client)
    path = client.session[pending.SESSION_KEY][token]["path"]
    response = confirm(client, setup, token, action="cancel")
    assert response.status_code == 302
    assert saved(setup) == before
    assert not default_storage.exists(path)
    assert not SubmissionVersion.objects.exists()
    response = confirm(client, setup, token)
    assert response.status_code == 422
    assert "no longer waiting for confirmation" in response.content.decode()
    assert saved(setup) == before


def test_a_token_from_another_session_finds_nothing(client, setup):
    save_draft(setup)
    before = saved(setup)
    client.force_login(setup["steward"])
    upload(client, setup, NEW_FILE)
    token = token_of(client)
    other = type(client)()
    other.force_login(user_with_role("steward", setup["organisation"]))
    with translation.override("fr"):
        url = reverse("measurement:upload_confirm", args=[setup["organisation"].slug])
    response = other.post(url, {"token": token, "action": "replace"})
    assert response.status_code == 422
    assert "n’attend plus de confirmation" in response.content.decode()
    assert saved(setup) == before


def test_confirming_is_post_only(client, setup):
    client.force_login(setup["steward"])
    url = reverse("measurement:upload_confirm", args=[setup["organisation"].slug])
    assert client.get(url).status_code == 405


def test_values_changed_since_the_preview_are_shown_again_before_replacing(client, setup):
    submission = save_draft(setup)
    client.force_login(setup["steward"])
    upload(client, setup, NEW_FILE)
    token = token_of(client)
    services.submission_save_values(
        actor=setup["steward"],
        submission=submission,
        cells=[CellValue("active_mentors", "", Decimal(7))],
        channel=Submission.Channel.FORM,
    )
    response = confirm(client, setup, token)
    assert response.status_code == 200
    assert "Replace the saved values?" in response.content.decode()
    assert saved(setup) == {("active_mentors", ""): Decimal(7)}
    assert confirm(client, setup, token).status_code == 302
    assert saved(setup)[("active_mentors", "")] == Decimal(1500)


def test_a_comma_header_with_semicolon_rows_never_replaces_a_draft_on_the_web(client, setup):
    save_draft(setup)
    before = saved(setup)
    client.force_login(setup["steward"])
    content = b"Indicator code,Age group,Value\r\n" + b"active_mentors;;99\r\n" * 102
    response = upload(client, setup, content)
    assert response.status_code == 422
    assert not client.session.get(pending.SESSION_KEY)
    assert saved(setup) == before


def test_the_preview_page_is_in_french(client, setup):
    save_draft(setup)
    client.force_login(setup["steward"])
    page = upload(client, setup, NEW_FILE, language="fr").content.decode()
    assert "Remplacer les valeurs enregistrées\u202f?" in page
    assert "1\u00a0010" in page
    assert "Personnes mentores actives, total" in page


# --- History and restore --------------------------------------------------------------


def test_restoring_gives_back_exactly_the_values_a_file_replaced(client, setup):
    submission = save_draft(setup)
    before = saved(setup)
    run(setup, NEW_FILE, replace=True)
    assert saved(setup) != before
    version = SubmissionVersion.objects.get(kind=SubmissionVersion.Kind.REPLACED)
    client.force_login(setup["steward"])
    url = reverse("measurement:version_restore", args=[submission.pk, version.pk])
    page = client.get(url).content.decode()
    assert "Restore earlier values" in page
    assert "Active mentors, total" in page
    assert saved(setup) != before
    response = client.post(url)
    assert response.status_code == 302
    assert saved(setup) == before
    assert str(Value.objects.get(indicator__code="caring_adult_share").value) == "87.500000"
    # The file's values went into the history in turn: the restore is reversible too.
    assert SubmissionVersion.objects.filter(kind=SubmissionVersion.Kind.REPLACED).count() == 2
    assert AuditEvent.objects.filter(action="measurement.submission_restore").exists()


def test_a_get_of_the_restore_page_writes_nothing(client, setup):
    submission = save_draft(setup)
    run(setup, NEW_FILE, replace=True)
    version = SubmissionVersion.objects.get()
    events, values = AuditEvent.objects.count(), saved(setup)
    client.force_login(setup["steward"])
    client.get(reverse("measurement:version_restore", args=[submission.pk, version.pk]))
    assert (AuditEvent.objects.count(), saved(setup)) == (events, values)


def test_a_steward_of_another_organisation_cannot_restore(client, setup):
    submission = save_draft(setup)
    run(setup, NEW_FILE, replace=True)
    version = SubmissionVersion.objects.get()
    intruder = user_with_role("steward", OrganisationFactory.create())
    client.force_login(intruder)
    url = reverse("measurement:version_restore", args=[submission.pk, version.pk])
    assert client.post(url).status_code in {403, 404}
    assert saved(setup)[("active_mentors", "")] == Decimal(1500)


def test_a_version_of_another_submission_cannot_be_restored(setup):
    submission = save_draft(setup)
    run(setup, NEW_FILE, replace=True)
    version = SubmissionVersion.objects.get()
    other = services.submission_open(
        actor=setup["steward"],
        organisation=setup["organisation"],
        dataset=setup["dataset"],
        period=PeriodFactory.create(code="2026Q2"),
    )
    with pytest.raises(ValidationError):
        submission_restore(actor=setup["steward"], submission=other, version=version)
    assert submission.values.count() == 3


def test_a_sent_version_does_not_clash_with_kept_values(setup):
    """Kept values share the number of the version they follow; sending still works."""
    save_draft(setup)
    run(setup, NEW_FILE, replace=True)
    run(setup, NEW_FILE + b"caring_adult_share;;80\r\n", replace=True)
    submission = Submission.objects.get()
    services.submission_submit(actor=setup["steward"], submission=submission)
    assert sorted(SubmissionVersion.objects.values_list("number", "kind")) == [
        (0, "replaced"),
        (0, "replaced"),
        (1, "sent"),
    ]
