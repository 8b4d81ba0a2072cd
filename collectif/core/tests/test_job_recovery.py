"""Jobs survive their workers: a dead worker's job is failed with a clear message and can
be started again; the page stops waiting for it; the worker waits for the database."""

import logging
from contextlib import nullcontext
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from collectif.accounts.models import User
from collectif.accounts.tests.factories import UserFactory
from collectif.core import worker
from collectif.core.models import AuditEvent, Job
from collectif.core.services import (
    job_advance,
    job_create,
    job_enqueue,
    job_retry,
    job_start,
    jobs_fail_stalled,
)
from collectif.core.tests.tasks import count_slowly
from collectif.ecosystem.testing import user_with_role

LEASE = 120
STOPPED = "The worker running this job stopped before it finished."


def _person(role: str) -> User:
    person = user_with_role(role)
    assert person is not None
    return person


def _silent_for(job: Job, seconds: int) -> None:
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=seconds))


@pytest.fixture
def owner() -> User:
    return UserFactory.create()


@pytest.fixture
def job(owner: User) -> Job:
    """A running job that knows its task, as every job started by a service does."""
    job = job_create(kind="test.count", actor=owner, params={"year": 2026})
    Job.objects.filter(pk=job.pk).update(
        task_path=count_slowly.module_path, task_args=[2, 0.0], status=Job.Status.RUNNING
    )
    job_start(job_id=job.pk, total=10)
    job_advance(job_id=job.pk, by=3, message="Counting")
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_job_remembers_its_task_and_arguments_to_run_again(
    owner: User, django_capture_on_commit_callbacks: Any
) -> None:
    job = job_create(kind="test.count", actor=owner)
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(job, count_slowly, 2, 0.0)
    job.refresh_from_db()
    assert job.task_path == "collectif.core.tests.tasks.count_slowly"
    assert job.task_args == [2, 0.0]
    # The test backend ran it at once, with the job's id first.
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"steps": 2}


@pytest.mark.django_db
def test_progress_is_a_sign_of_life(job: Job) -> None:
    _silent_for(job, LEASE + 60)
    job.refresh_from_db()
    assert job.is_stalled
    job_advance(job_id=job.pk)
    job.refresh_from_db()
    assert not job.is_stalled


@pytest.mark.django_db
def test_a_silent_job_shows_as_stopped_and_the_page_stops_polling(
    client: Client, owner: User, job: Job
) -> None:
    client.force_login(owner)
    assert "job-refresh" in client.get(f"/en/jobs/{job.pk}/").text
    _silent_for(job, LEASE + 1)
    before = (Job.objects.count(), AuditEvent.objects.count())
    html = client.get(f"/en/jobs/{job.pk}/").text
    assert STOPPED in html
    assert "job-refresh" not in html
    assert f'action="/en/jobs/{job.pk}/retry/"' in html
    status = client.get(f"/en/jobs/{job.pk}/status.json").json()
    assert (status["finished"], status["stalled"], status["status_label"]) == (
        True,
        True,
        "Stopped",
    )
    assert status["message"].startswith(STOPPED)
    french = client.get(f"/fr/jobs/{job.pk}/").text
    assert "Le processus qui faisait ce travail s’est arrêté avant la fin." in french
    # Looking changed nothing: the worker, not the page, records the failure.
    assert (Job.objects.count(), AuditEvent.objects.count()) == before
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


@pytest.mark.django_db
def test_the_sweep_fails_silent_jobs_and_their_task_rows_only(owner: User, job: Job) -> None:
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=LEASE + 60),
        args_kwargs={"args": [str(job.pk), 2, 0.0], "kwargs": {}},
        task_path=job.task_path,
        backend_name="default",
        run_after=timezone.now(),
    )
    Job.objects.filter(pk=job.pk).update(task_result_id=row.pk)
    _silent_for(job, LEASE + 60)
    lively = job_create(kind="test.count", actor=owner)
    job_start(job_id=lively.pk, total=5)
    waiting = job_create(kind="test.count", actor=owner)

    assert jobs_fail_stalled() == 1

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.worker_lost
    assert "stopped before it finished" in job.error
    assert job.finished_at is not None
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "collectif.core.services.WorkerLostError"
    assert Job.objects.get(pk=lively.pk).status == Job.Status.RUNNING
    assert Job.objects.get(pk=waiting.pk).status == Job.Status.QUEUED
    event = AuditEvent.objects.get(action="core.jobs_fail_stalled")
    assert event.object_id == str(job.pk)
    assert jobs_fail_stalled() == 0


@pytest.mark.django_db
def test_a_job_whose_worker_died_before_its_first_beat_is_failed_too(owner: User) -> None:
    job = job_create(kind="test.count", actor=owner)
    row = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=LEASE + 60),
        args_kwargs={"args": [str(job.pk)], "kwargs": {}},
        task_path="collectif.core.tests.tasks.count_slowly",
        backend_name="default",
        run_after=timezone.now(),
    )
    Job.objects.filter(pk=job.pk).update(task_result_id=row.pk)
    assert jobs_fail_stalled() == 1
    assert Job.objects.get(pk=job.pk).worker_lost


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_owner_or_staff_start_a_stopped_job_again(
    client: Client, owner: User, job: Job, who: str, django_capture_on_commit_callbacks: Any
) -> None:
    _silent_for(job, LEASE + 1)
    client.force_login(owner if who == "owner" else _person("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/jobs/{job.pk}/retry/")
    retry = Job.objects.get(retry_of=job)
    assert response.status_code == 302
    assert response["Location"] == f"/en/jobs/{retry.pk}/"
    # Same task, same parameters, same owner; the test backend ran it at once.
    assert (retry.kind, retry.params, retry.created_by_id) == (job.kind, job.params, owner.pk)
    assert (retry.task_path, retry.task_args) == (job.task_path, job.task_args)
    assert retry.status == Job.Status.SUCCEEDED
    job.refresh_from_db()
    assert job.worker_lost
    assert AuditEvent.objects.filter(action="core.job_retry", object_id=str(retry.pk)).exists()
    page = client.get(f"/en/jobs/{job.pk}/").text
    assert f'href="/en/jobs/{retry.pk}/"' in page
    assert "retry/" not in page
    # A second click starts nothing more.
    client.post(f"/en/jobs/{job.pk}/retry/")
    assert Job.objects.filter(retry_of=job).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["steward", "no_role"])
def test_nobody_else_can_start_someone_elses_job_again(client: Client, job: Job, role: str) -> None:
    _silent_for(job, LEASE + 1)
    client.force_login(_person(role))
    assert client.post(f"/en/jobs/{job.pk}/retry/").status_code == 404
    with pytest.raises(PermissionDenied):
        job_retry(actor=_person(role), job=job)
    assert not Job.objects.filter(retry_of=job).exists()


@pytest.mark.django_db
def test_work_still_running_cannot_be_started_twice(client: Client, owner: User, job: Job) -> None:
    client.force_login(owner)
    assert "retry/" not in client.get(f"/en/jobs/{job.pk}/").text
    with pytest.raises(ValidationError):
        job_retry(actor=owner, job=job)
    response = client.post(f"/en/jobs/{job.pk}/retry/", follow=True)
    assert "cannot be started again" in response.text
    assert client.get(f"/en/jobs/{job.pk}/retry/").status_code == 405
    assert not Job.objects.filter(retry_of=job).exists()


@pytest.mark.django_db
@override_settings(COLLECTIF={**settings.COLLECTIF, "JOB_LEASE_SECONDS": 5})
def test_the_lease_is_a_setting(job: Job) -> None:
    _silent_for(job, 6)
    job.refresh_from_db()
    assert job.is_stalled


class _Refusing:
    """A database connection that refuses `refusals` times, then answers."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals

    def ensure_connection(self) -> None:
        if self.refusals:
            self.refusals -= 1
            raise OperationalError("connection refused\nIs the server running?")

    def cursor(self) -> Any:
        return nullcontext(SimpleNamespace(execute=lambda _sql: None))

    def close(self) -> None:
        """Nothing to close."""


def test_the_worker_waits_for_the_database_longer_each_time_up_to_a_cap(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(worker, "default_connection", _Refusing(7))
    slept: list[float] = []
    with caplog.at_level(logging.INFO, logger="collectif.worker"):
        assert worker.wait_for_database(sleep=slept.append, max_wait=30) == 7
    assert slept == [1, 2, 4, 8, 16, 30, 30]
    assert "Waiting for the database (attempt 1 failed: connection refused)" in caplog.text
    assert "The database answers again" in caplog.text


def test_a_worker_that_loses_the_database_while_working_waits_and_carries_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[str] = []

    def run_once(self: Worker) -> None:
        runs.append("run")
        if len(runs) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    waits: list[str] = []
    monkeypatch.setattr(Worker, "run", run_once)
    monkeypatch.setattr(worker, "wait_for_database", lambda: waits.append("wait"))
    monkeypatch.setattr(worker.Watch, "start", lambda self: None)
    resilient = worker.ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    resilient.run()
    assert runs == ["run", "run"]
    assert waits == ["wait", "wait"]
