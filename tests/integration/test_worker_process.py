"""The real worker, as a process: killed mid-job, and started while the database is away.

These start `manage.py worker` subprocesses and always kill them before the test ends.
The tests are transactional, since the worker must see what the test writes (see this
folder's conftest for why they live here).
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from collectif.accounts.tests.factories import UserFactory
from collectif.core.models import Job
from collectif.core.services import job_create, job_enqueue
from collectif.core.tests.tasks import count_slowly

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Workers:
    """Worker processes started by a test, each logging to its own file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *, database_url: str, lease: int = 2) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": database_url,
            "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "JOB_LEASE_SECONDS": str(lease),
            "LOG_LEVEL": "INFO",
        }
        command = ["manage.py", "worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
        with (self.directory / f"worker-{len(self.processes)}.log").open("wb") as log:
            process = subprocess.Popen(  # noqa: S603  (our own interpreter and manage.py)
                [sys.executable, *command],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        return process

    def log(self, process: subprocess.Popen[bytes]) -> str:
        index = self.processes.index(process)
        return (self.directory / f"worker-{index}.log").read_text(errors="replace")

    def kill_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


def _until(condition: Callable[[], Any], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"Still waiting, after {seconds} s, for {what}")


def _this_test_database() -> str:
    """The URL of the database this test runs in, for the worker to use the same."""
    database = connection.settings_dict
    password = database.get("PASSWORD") or ""
    return (
        f"postgres://{database['USER']}:{password}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )


def _job(pk: Any) -> Job:
    return Job.objects.get(pk=pk)


def test_a_job_whose_worker_is_killed_is_failed_by_the_next_worker_and_can_be_retried(
    workers: Workers, client: Client
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("A worker process shares the test database only on PostgreSQL.")
    owner = UserFactory.create()
    with override_settings(TASKS=DATABASE_TASKS):
        job = job_create(kind="test.count", actor=owner, params={"steps": 300})
        job_enqueue(job, count_slowly, 300, 0.1)
    first = workers.start(database_url=_this_test_database())
    _until(lambda: _job(job.pk).progress_done >= 3, seconds=60, what="the first worker to progress")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert _job(job.pk).status == Job.Status.RUNNING

    second = workers.start(database_url=_this_test_database())
    _until(
        lambda: _job(job.pk).status == Job.Status.FAILED,
        seconds=60,
        what="the second worker to fail the dead worker's job",
    )
    job.refresh_from_db()
    assert job.worker_lost
    assert "stopped before it finished" in job.error
    assert job.task_result_id is not None
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == TaskResultStatus.FAILED
    assert "their worker stopped beating" in workers.log(second)

    client.force_login(owner)
    page = client.get(f"/en/jobs/{job.pk}/").text
    assert "The worker running this job stopped before it finished." in page
    assert "job-refresh" not in page  # the script polls only while this is there
    assert client.get(f"/en/jobs/{job.pk}/status.json").json()["finished"] is True

    with override_settings(TASKS=DATABASE_TASKS):
        client.post(f"/en/jobs/{job.pk}/retry/")
    retry = Job.objects.get(retry_of=job)
    _until(
        lambda: _job(retry.pk).progress_done >= 1,
        seconds=60,
        what="the second worker to run the retry",
    )
    assert _job(retry.pk).progress_total == 300
    assert second.poll() is None


def test_a_worker_started_while_the_database_is_away_waits_for_it(workers: Workers) -> None:
    # Nothing listens on port 9 (discard) of this machine: connections are refused.
    worker = workers.start(database_url="postgres://nobody:@127.0.0.1:9/collectif")
    _until(
        lambda: workers.log(worker).count("Waiting for the database") >= 2,
        seconds=25,
        what="the worker to say twice that it waits",
    )
    assert worker.poll() is None, workers.log(worker)
    assert "trying again in" in workers.log(worker)
    worker.terminate()
    assert worker.wait(timeout=10) is not None
