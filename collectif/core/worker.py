"""The background worker: django-tasks-db's, made to outlive its database and its peers.

Two things the stock worker does not do, and which lose work in production:

- **The database is away** (starting before it, a restart, a failover): the stock worker
  exits at once. This one waits, with a capped backoff and a log line, then carries on.
- **A worker dies mid-task** (`kill -9`, out of memory, a machine restart): its job stays
  "in progress" for ever. This one beats for the job it runs (`job_heartbeat`) and,
  when it starts and then every quarter lease, marks failed the jobs of workers that
  stopped beating (`jobs_fail_stalled`), so pages stop waiting and offer a retry.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.db import connection as default_connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from collectif.core.models import job_lease
from collectif.core.services import job_heartbeat, jobs_fail_stalled

logger = logging.getLogger("collectif.worker")

LOST_DATABASE = (OperationalError, InterfaceError)
MAX_WAIT_SECONDS = 30.0


def wait_for_database(
    *, sleep: Callable[[float], None] = time.sleep, max_wait: float = MAX_WAIT_SECONDS
) -> int:
    """Return once the database answers, waiting 1, 2, 4… (at most `max_wait`) seconds
    between tries; say how many tries failed."""
    failures = 0
    while True:
        try:
            default_connection.ensure_connection()
            with default_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except LOST_DATABASE as error:
            failures += 1
            delay = min(max_wait, 2.0 ** (failures - 1))
            logger.warning(
                "Waiting for the database (attempt %d failed: %s); trying again in %.0f s.",
                failures,
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
                delay,
            )
            _close_quietly()
            sleep(delay)
        else:
            if failures:
                logger.info("The database answers again; the worker carries on.")
            return failures


def _close_quietly() -> None:
    try:
        default_connection.close()
    except DatabaseError:
        logger.debug("The broken connection could not be closed cleanly.", exc_info=True)


class Watch(threading.Thread):
    """Beats for the worker's current task and sweeps other workers' stalled jobs."""

    def __init__(self, worker: "ResilientWorker") -> None:
        super().__init__(name="collectif-worker-watch", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    @staticmethod
    def interval() -> float:
        return max(0.5, job_lease().total_seconds() / 4)

    def tick(self) -> None:
        current = self.worker.current_result_id
        if current is not None:
            job_heartbeat(task_result_id=current)
        failed = jobs_fail_stalled()
        if failed:
            logger.warning("Marked %d job(s) failed: their worker stopped beating.", failed)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.tick()
            except DatabaseError as error:
                logger.warning("Could not check the jobs (the database is away?): %s", error)
                _close_quietly()
            finally:
                close_old_connections()
            self.stopped.wait(self.interval())


class ResilientWorker(Worker):
    """django-tasks-db's worker, which waits for the database and watches its jobs."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.current_result_id: Any = None

    def run(self) -> None:
        watch = Watch(self)
        started = False
        try:
            while True:
                wait_for_database()
                if not started:
                    watch.start()
                    started = True
                try:
                    super().run()
                except LOST_DATABASE as error:
                    if not self.running:
                        raise
                    logger.warning("Lost the database while working (%s); waiting.", error)
                    _close_quietly()
                    continue
                return
        finally:
            watch.stopped.set()

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        self.current_result_id = db_task_result.pk
        try:
            job_heartbeat(task_result_id=db_task_result.pk)
            super().run_task(db_task_result)
        finally:
            self.current_result_id = None
