"""Large partner files are checked and imported by a background job (issue 10): the
upload page and the API queue the work, the person follows its progress, then sees what
the request would have shown; small files keep the in-request path.

The threshold is lowered to a few bytes, and the jobs' tasks run inline (the immediate
task backend, on commit).
"""

import html
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from collectif.accounts.services import api_token_create
from collectif.core.files.tests.corpus import cases
from collectif.core.models import AuditEvent, Job
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.files import pending
from collectif.measurement.models import Value
from collectif.measurement.services.imports import IMPORT_JOB_KIND
from collectif.measurement.tests.factories import PeriodFactory
from collectif.measurement.tests.test_validation import mentoring_dataset

FILE = b"Indicator code,Age group,Value\r\nactive_mentors,,12\r\nyoung_people_served,,30\r\n"
NEW_FILE = b"Indicator code,Value\r\nactive_mentors,15\r\nyoung_people_served,40\r\n"
WRONG_FILE = b"Indicator code,Value\r\nactive_mentors,lots\r\n"
# A hostile file from the shared corpus, refused whatever the channel.
HOSTILE = next(case for case in cases() if case.name == "an unclosed quotation mark")
API = "/api/v1/measurement/imports"


@pytest.fixture
def setup(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_BACKGROUND_BYTES = 10
    organisation = OrganisationFactory.create()
    return {
        "organisation": organisation,
        "dataset": mentoring_dataset(organisations=[organisation]),
        "period": PeriodFactory(code="2026Q1"),
        "steward": user_with_role("steward", organisation),
    }


def stored(setup) -> dict[tuple[str, str], Decimal]:
    values = Value.objects.filter(submission__organisation=setup["organisation"])
    return {
        (code, breakdown): value
        for code, breakdown, value in values.values_list("indicator__code", "breakdown", "value")
    }


def kept_files() -> list[str]:
    try:
        return default_storage.listdir(pending.FOLDER)[1]
    except FileNotFoundError:
        return []


def upload(client, setup, capture, content: bytes, language: str = "en"):
    """Post the upload form; the job it queues runs when `capture` runs the on-commit work."""
    with translation.override(language):
        url = reverse("measurement:upload", args=[setup["organisation"].slug])
    data = {
        "dataset": setup["dataset"].code,
        "period": setup["period"].code,
        "file": SimpleUploadedFile("big.csv", content),
    }
    if capture is None:
        return client.post(url, data)
    with capture(execute=True):
        return client.post(url, data)


def confirm(client, setup, capture, action: str = "replace"):
    job = Job.objects.filter(kind=IMPORT_JOB_KIND).order_by("-created_at").first()
    assert job is not None
    token = pending.token_for(client.session, job.params["path"])
    url = reverse("measurement:upload_confirm", args=[setup["organisation"].slug])
    with capture(execute=True):  # as the confirmation form posts it
        return client.post(url, {"token": token, "action": action, "job": str(job.pk)})


def job_page(client, response):
    assert response.status_code == 302
    assert "/upload/jobs/" in response["Location"]
    return client.get(response["Location"])


# --- The upload page ------------------------------------------------------------------


def test_a_large_file_is_imported_by_a_job_whose_page_shows_progress_then_the_result(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    response = upload(client, setup, django_capture_on_commit_callbacks, FILE)
    job = Job.objects.get(kind=IMPORT_JOB_KIND)
    assert job.status == Job.Status.SUCCEEDED
    assert job.progress_done == job.progress_total == 2  # rows
    page = job_page(client, response).content.decode()
    assert "Your file is imported: 2 values from 2 rows." in page
    assert reverse("measurement:submission_detail", args=[job.result["submission"]]) in page
    assert stored(setup) == {
        ("active_mentors", ""): Decimal(12),
        ("young_people_served", ""): Decimal(30),
    }
    assert kept_files() == []


def test_the_job_page_follows_a_waiting_job_with_the_progress_bar(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    # The queued work is captured, not run: the page shows the bar and its script.
    with django_capture_on_commit_callbacks(execute=False):
        response = upload(client, setup, None, FILE)
    page = job_page(client, response).content.decode()
    job = Job.objects.get(kind=IMPORT_JOB_KIND)
    assert job.status == Job.Status.QUEUED
    assert "<progress" in page and "job-progress.js" in page
    assert reverse("core:job_status", args=[job.pk]) in page
    assert stored(setup) == {}


def test_a_small_file_keeps_the_in_request_path(client, setup, settings):
    settings.IMPORT_BACKGROUND_BYTES = 10_000
    client.force_login(setup["steward"])
    url = reverse("measurement:upload", args=[setup["organisation"].slug])
    response = client.post(
        url,
        {
            "dataset": setup["dataset"].code,
            "period": setup["period"].code,
            "file": SimpleUploadedFile("small.csv", FILE),
        },
    )
    assert response.status_code == 302
    assert "/submissions/" in response["Location"]
    assert not Job.objects.exists()
    assert stored(setup)[("active_mentors", "")] == Decimal(12)


def test_a_large_file_over_saved_values_is_confirmed_then_imported_by_a_second_job(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    job_page(client, upload(client, setup, django_capture_on_commit_callbacks, FILE))
    response = upload(client, setup, django_capture_on_commit_callbacks, NEW_FILE)
    confirm_page = job_page(client, response)
    page = confirm_page.content.decode()
    assert "Replace the saved values?" in page
    assert "Active mentors, total" in page and "15" in page
    assert stored(setup)[("active_mentors", "")] == Decimal(12)
    assert len(kept_files()) == 1
    result = job_page(client, confirm(client, setup, django_capture_on_commit_callbacks))
    page = result.content.decode()
    assert "Your file is imported: 2 values from 2 rows." in page
    assert "The 2 values it replaced are kept in the history" in page
    assert stored(setup) == {
        ("active_mentors", ""): Decimal(15),
        ("young_people_served", ""): Decimal(40),
    }
    assert kept_files() == []
    assert Job.objects.filter(kind=IMPORT_JOB_KIND).count() == 3


def test_the_job_page_writes_nothing_not_even_the_session(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    job_page(client, upload(client, setup, django_capture_on_commit_callbacks, FILE))
    response = upload(client, setup, django_capture_on_commit_callbacks, NEW_FILE)
    before = dict(client.session.items())
    for _ in range(2):
        page = client.get(response["Location"])
        assert "Replace the saved values?" in page.content.decode()
        assert not page.wsgi_request.session.modified
    assert dict(client.session.items()) == before


def test_values_saved_after_the_jobs_check_are_shown_again_before_anything_is_replaced(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    job_page(client, upload(client, setup, django_capture_on_commit_callbacks, FILE))
    job_page(client, upload(client, setup, django_capture_on_commit_callbacks, NEW_FILE))
    Value.objects.filter(indicator__code="active_mentors").update(value=Decimal(13))

    result = job_page(client, confirm(client, setup, django_capture_on_commit_callbacks))

    assert "Replace the saved values?" in result.content.decode()
    assert stored(setup)[("active_mentors", "")] == Decimal(13)


def test_cancelling_a_large_replacement_keeps_the_saved_values(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    job_page(client, upload(client, setup, django_capture_on_commit_callbacks, FILE))
    job_page(client, upload(client, setup, django_capture_on_commit_callbacks, NEW_FILE))
    response = confirm(client, setup, django_capture_on_commit_callbacks, action="cancel")
    assert response.status_code == 302
    assert stored(setup)[("active_mentors", "")] == Decimal(12)
    assert kept_files() == []


def test_a_hostile_file_in_a_job_writes_nothing_and_is_refused_in_the_persons_language(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    job_page(client, upload(client, setup, django_capture_on_commit_callbacks, FILE))
    events = AuditEvent.objects.count()
    messages = {}
    for language in ("en", "fr"):
        response = upload(
            client, setup, django_capture_on_commit_callbacks, HOSTILE.content, language
        )
        page = job_page(client, response)
        assert page.status_code == 422
        job = Job.objects.filter(kind=IMPORT_JOB_KIND).order_by("-created_at").first()
        assert job is not None and job.result["outcome"] == "invalid"
        messages[language] = html.escape(job.result["problems"][0]["message"])
        assert messages[language] in page.content.decode()
        assert "Traceback" not in page.content.decode()
    assert messages["en"] != messages["fr"]
    assert stored(setup)[("active_mentors", "")] == Decimal(12)
    assert AuditEvent.objects.count() == events
    assert kept_files() == []


def test_a_file_with_wrong_values_lists_its_problems_on_the_upload_page(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    response = upload(client, setup, django_capture_on_commit_callbacks, WRONG_FILE)
    page = job_page(client, response)
    assert page.status_code == 422
    assert "Row 2" in page.content.decode()
    assert stored(setup) == {}


def test_only_the_organisations_stewards_and_staff_see_an_import_job(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    response = upload(client, setup, django_capture_on_commit_callbacks, FILE)
    url = response["Location"]
    colleague = user_with_role("steward", setup["organisation"])
    outsider = user_with_role("steward", OrganisationFactory.create())
    staff = user_with_role("staff")
    for person, allowed in ((colleague, True), (staff, True), (outsider, False)):
        client.force_login(person)
        assert (client.get(url).status_code == 200) is allowed


# --- The API --------------------------------------------------------------------------


def bearer(user) -> dict[str, str]:
    _token, secret = api_token_create(actor=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def api_import(client, setup, capture, content: bytes, headers=None, **fields):
    data = {
        "organisation": setup["organisation"].slug,
        "dataset": setup["dataset"].code,
        "period": setup["period"].code,
        "file": SimpleUploadedFile("big.csv", content),
        **fields,
    }
    with capture(execute=True):
        return client.post(API, data, headers=headers or bearer(setup["steward"]))


def status_of(client, setup, response, headers=None) -> dict[str, Any]:
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status_url"].endswith(f"{API}/{body['id']}")
    answer = client.get(body["status_url"], headers=headers or bearer(setup["steward"]))
    assert answer.status_code == 200
    return dict(answer.json())


def test_the_api_answers_202_then_its_status_gives_progress_and_the_import(
    client, setup, django_capture_on_commit_callbacks
):
    response = api_import(client, setup, django_capture_on_commit_callbacks, FILE)
    status = status_of(client, setup, response)
    assert status["state"] == "succeeded"
    assert status["progress"] == {"done": 2, "total": 2}
    assert status["status_code"] == 201
    result = status["result"]
    assert (result["outcome"], result["rows"], result["values"]) == ("imported", 2, 2)
    assert client.get(result["submission_url"], headers=bearer(setup["steward"])).json()["values"]
    assert stored(setup)[("young_people_served", "")] == Decimal(30)
    assert kept_files() == []


def test_the_status_gives_the_same_answer_as_the_import_at_once(
    client, setup, settings, django_capture_on_commit_callbacks
):
    later = status_of(
        client, setup, api_import(client, setup, django_capture_on_commit_callbacks, WRONG_FILE)
    )
    settings.IMPORT_BACKGROUND_BYTES = 10_000
    at_once = api_import(client, setup, django_capture_on_commit_callbacks, WRONG_FILE)
    assert (later["status_code"], later["result"]) == (at_once.status_code, at_once.json())


def test_the_api_keeps_saved_values_unless_asked_to_replace_them(
    client, setup, django_capture_on_commit_callbacks
):
    status_of(client, setup, api_import(client, setup, django_capture_on_commit_callbacks, FILE))
    kept = status_of(
        client, setup, api_import(client, setup, django_capture_on_commit_callbacks, NEW_FILE)
    )
    assert kept["status_code"] == 409
    assert kept["result"]["error"]["code"] == "replace_needed"
    assert stored(setup)[("active_mentors", "")] == Decimal(12)
    replaced = status_of(
        client,
        setup,
        api_import(client, setup, django_capture_on_commit_callbacks, NEW_FILE, replace=True),
    )
    assert (replaced["status_code"], replaced["result"]["replaced"]) == (201, 2)
    assert stored(setup)[("active_mentors", "")] == Decimal(15)
    assert kept_files() == []


def test_a_hostile_file_sent_to_the_api_is_refused_in_the_clients_language(
    client, setup, django_capture_on_commit_callbacks
):
    messages = {}
    for language in ("en", "fr"):
        headers = {**bearer(setup["steward"]), "Accept-Language": language}
        response = api_import(
            client, setup, django_capture_on_commit_callbacks, HOSTILE.content, headers=headers
        )
        status = status_of(client, setup, response, headers=headers)
        assert status["status_code"] == 422
        assert status["result"]["error"]["code"] == "invalid"
        messages[language] = status["result"]["error"]["details"][0]["message"]
    assert messages["en"] != messages["fr"]
    assert stored(setup) == {}
    assert not AuditEvent.objects.filter(action__startswith="measurement.submission_import")


def test_small_files_are_imported_at_once_by_the_api(client, setup, settings):
    settings.IMPORT_BACKGROUND_BYTES = 10_000
    headers = bearer(setup["steward"])
    data = {
        "organisation": setup["organisation"].slug,
        "dataset": setup["dataset"].code,
        "period": setup["period"].code,
    }
    wrong = client.post(
        API, {**data, "file": SimpleUploadedFile("w.csv", WRONG_FILE)}, headers=headers
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["details"]
    done = client.post(API, {**data, "file": SimpleUploadedFile("f.csv", FILE)}, headers=headers)
    assert done.status_code == 201 and done.json()["values"] == 2
    again = client.post(
        API, {**data, "file": SimpleUploadedFile("n.csv", NEW_FILE)}, headers=headers
    )
    assert again.status_code == 409
    assert not Job.objects.exists()


def test_only_the_organisations_stewards_and_staff_read_an_import_job(
    client, setup, django_capture_on_commit_callbacks
):
    response = api_import(client, setup, django_capture_on_commit_callbacks, FILE)
    url = response.json()["status_url"]
    colleague = user_with_role("steward", setup["organisation"])
    outsider = user_with_role("steward", OrganisationFactory.create())
    staff = user_with_role("staff")
    assert client.get(url, headers=bearer(colleague)).status_code == 200
    assert client.get(url, headers=bearer(staff)).status_code == 200
    assert client.get(url, headers=bearer(outsider)).status_code == 404
    assert client.get(url).status_code == 401


def test_an_outsider_cannot_start_an_import_job(client, setup, django_capture_on_commit_callbacks):
    outsider = user_with_role("steward", OrganisationFactory.create())
    response = api_import(
        client, setup, django_capture_on_commit_callbacks, FILE, headers=bearer(outsider)
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
    assert kept_files() == []


def test_a_job_that_fails_says_nothing_was_changed(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["steward"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(client, setup, None, FILE)
    job = Job.objects.get(kind=IMPORT_JOB_KIND)
    default_storage.delete(job.params["path"])  # lost before the worker reads it
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    page = job_page(client, response).content.decode()
    assert "Nothing was changed: upload it again" in page
    assert stored(setup) == {}
