"""Background work a person follows: who may see it, how far along it is, what came out."""

import re
from pathlib import Path
from typing import cast

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import FileResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from collectif.accounts.models import User
from collectif.accounts.tests.factories import UserFactory
from collectif.core.actors import SYSTEM
from collectif.core.models import Job
from collectif.core.services import job_advance, job_create, job_fail, job_start, job_succeed
from collectif.ecosystem.testing import user_with_role


def _person(role: str) -> User:
    person = user_with_role(role)
    assert person is not None
    return person


@pytest.fixture
def owner() -> User:
    return UserFactory.create()


@pytest.fixture
def job(owner: User) -> Job:
    return job_create(kind="report.export", actor=owner, params={"year": 2026})


def _detail(job: Job) -> str:
    return f"/en/jobs/{job.pk}/"


def _status(job: Job) -> str:
    return f"/en/jobs/{job.pk}/status.json"


@pytest.mark.smoke
@pytest.mark.django_db
def test_the_person_who_started_a_job_and_staff_can_follow_it(
    client: Client, owner: User, job: Job
) -> None:
    for person in (owner, _person("staff")):
        client.force_login(person)
        assert client.get(_detail(job)).status_code == 200
        assert client.get(_status(job)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["no_role", "steward", "governance", "researcher"])
def test_anyone_else_is_told_the_job_does_not_exist(client: Client, job: Job, role: str) -> None:
    client.force_login(_person(role))
    assert client.get(_detail(job)).status_code == 404
    assert client.get(_status(job)).status_code == 404


@pytest.mark.django_db
def test_signed_out_visitors_are_asked_to_sign_in(client: Client, job: Job) -> None:
    response = client.get(_detail(job))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_the_status_follows_the_work(client: Client, owner: User, job: Job) -> None:
    client.force_login(owner)
    queued = client.get(_status(job)).json()
    assert queued["status"] == "queued"
    assert queued["percent"] == 0
    assert queued["finished"] is False

    job_start(job_id=job.pk, total=1200)
    job_advance(job_id=job.pk, by=300, message="Reading rows")
    running = client.get(_status(job)).json()
    assert running["status"] == "running"
    assert running["status_label"] == "In progress"
    assert (running["done"], running["total"], running["percent"]) == (300, 1200, 25)
    assert running["count_label"] == "300 of 1,200"
    assert running["message"] == "Reading rows"
    assert "no-cache" in client.get(_status(job))["Cache-Control"]

    french = client.get(f"/fr/jobs/{job.pk}/status.json").json()
    assert french["status_label"] == "En cours"
    assert french["count_label"] == "300 sur 1\u00a0200"

    job_succeed(job_id=job.pk, result={"rows": 1200})
    done = client.get(_status(job)).json()
    assert (done["status"], done["percent"], done["done"], done["finished"]) == (
        "succeeded",
        100,
        1200,
        True,
    )


@pytest.mark.django_db
def test_the_page_shows_progress_without_javascript(client: Client, owner: User, job: Job) -> None:
    job_start(job_id=job.pk, total=4)
    job_advance(job_id=job.pk)
    client.force_login(owner)
    html = client.get(f"/fr/jobs/{job.pk}/").content.decode()
    assert '<progress id="progress-' in html
    assert 'value="25"' in html
    assert "1 sur 4" in html
    assert "Actualisez pour voir où en est le travail" in html


@pytest.mark.django_db
def test_a_finished_job_offers_its_result_for_download(
    client: Client, owner: User, job: Job
) -> None:
    job_start(job_id=job.pk, total=1)
    job_succeed(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(result_file="jobs/2026/11/report.xlsx")
    client.force_login(owner)
    html = client.get(_detail(job)).content.decode()
    assert f'href="/en/jobs/{job.pk}/download/"' in html
    assert "Download the result" in html
    assert "Refresh to see the latest progress" not in html


@pytest.mark.django_db
def test_a_running_job_offers_no_download_yet(client: Client, owner: User, job: Job) -> None:
    job_start(job_id=job.pk, total=2)
    Job.objects.filter(pk=job.pk).update(result_file="jobs/2026/11/partial.xlsx")
    client.force_login(owner)
    assert "Download the result" not in client.get(_detail(job)).content.decode()


@pytest.mark.django_db
def test_a_failed_job_says_nothing_was_changed(client: Client, owner: User, job: Job) -> None:
    job_start(job_id=job.pk, total=10)
    job_fail(job_id=job.pk, error="Traceback: boom")
    job.refresh_from_db()
    assert job.is_finished
    assert job.error == "Traceback: boom"
    client.force_login(owner)
    html = client.get(_detail(job)).content.decode()
    assert "This work failed. Nothing was changed." in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_advancing_is_one_atomic_update_so_concurrent_workers_lose_no_step(job: Job) -> None:
    """Read-modify-write would let two workers overwrite each other's count."""
    job_start(job_id=job.pk, total=10)
    stale = Job.objects.get(pk=job.pk)
    with CaptureQueriesContext(connection) as queries:
        job_advance(job_id=stale.pk, by=3)
    [query] = queries.captured_queries
    assert re.search(r'"progress_done" = \(?"core_job"\."progress_done" \+ ', query["sql"])
    job_advance(job_id=stale.pk, by=4)
    stale.refresh_from_db()
    assert stale.progress_done == 7
    assert stale.percent == 70


@pytest.mark.django_db
def test_progress_never_shows_more_than_complete(job: Job) -> None:
    job_start(job_id=job.pk, total=2)
    job_advance(job_id=job.pk, by=5)
    job.refresh_from_db()
    assert job.percent == 100
    assert job.status == Job.Status.RUNNING


@pytest.mark.django_db
def test_a_job_started_by_the_system_has_no_owner() -> None:
    job = job_create(kind="digest.send", actor=SYSTEM)
    assert job.created_by is None
    assert job.params == {}


@pytest.mark.django_db
def test_only_people_who_may_see_the_job_can_download_its_result(
    client: Client, owner: User, job: Job, tmp_path: Path
) -> None:
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        _download_checks(client, owner, job)


def _download_checks(client: Client, owner: User, job: Job) -> None:
    job_start(job_id=job.pk, total=1)
    job_succeed(job_id=job.pk)
    job.refresh_from_db()
    job.result_file.save("organisations.csv", ContentFile(b"slug,name\nprivate-org,Private\n"))
    url = f"/en/jobs/{job.pk}/download/"
    client.force_login(_person("steward"))
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert cast(FileResponse, response).getvalue() == b"slug,name\nprivate-org,Private\n"
    assert "attachment" in response["Content-Disposition"]
