import csv
import io

import pytest
from django.core.files.storage import default_storage

from collectif.accounts.tests.factories import UserFactory
from collectif.core.models import AuditEvent, Job
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _read(job: Job) -> tuple[bytes, list[list[str]]]:
    """The file as a spreadsheet reads it: semicolons in French (as French Excel expects)."""
    with default_storage.open(job.result_file.name, "rb") as handle:
        raw = handle.read()
    delimiter = ";" if job.params.get("language") == "fr" else ","
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.django_db
def test_the_export_runs_in_the_background_and_gives_a_spreadsheet_safe_csv(
    client, django_capture_on_commit_callbacks
) -> None:
    staff = user_with_role("staff")
    assert staff is not None
    staff.preferred_language = "fr"
    staff.save()
    client.force_login(staff)
    OrganisationFactory.create(name_en='=HYPERLINK("http://evil")', name_fr="Cercle")
    OrganisationFactory.create(name_en="Other", is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/ecosystem/organisations/export/", {"q": ""})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/fr/jobs/{job.pk}/"
    assert job.status == Job.Status.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (3, 3)
    raw, rows = _read(job)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0][:3] == ["Nom court", "Nom (anglais)", "Nom (français)"]
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    assert "Other" in names
    evil = next(row for row in rows[1:] if row[2] == "Cercle")
    assert evil[5] == "Organisme à but non lucratif"
    assert evil[10] == "Oui"
    assert AuditEvent.objects.filter(action=EcosystemAction.ORGANISATION_EXPORT_START).exists()
    page = client.get(f"/fr/jobs/{job.pk}/").content.decode()
    assert "Télécharger" in page


@pytest.mark.django_db
def test_the_export_keeps_the_filters_and_an_english_header(
    client, django_capture_on_commit_callbacks
) -> None:
    client.force_login(UserFactory.create(is_superuser=True))
    OrganisationFactory.create(name_en="Harbour Mentors")
    OrganisationFactory.create(name_en="Prairie Mentors")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/ecosystem/organisations/export/", {"q": "harbour"})
    _raw, rows = _read(Job.objects.get())
    assert rows[0][:3] == ["Short name", "Name (English)", "Name (French)"]
    assert [row[1] for row in rows[1:]] == ["Harbour Mentors"]
