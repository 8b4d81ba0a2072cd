"""Writes shared by every app: the audit trail, background job bookkeeping, and the
way update services change a row (only what differs, recorded for the audit)."""

import uuid
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from collectif.core.actors import SYSTEM, Actor, actor_may
from collectif.core.audit import AuditAction, CoreAction
from collectif.core.models import WORKER_LOST, AuditEvent, Job, job_lease


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _person(actor: Actor) -> AbstractBaseUser | None:
    """The person behind an actor; the system is nobody's account."""
    return actor if isinstance(actor, AbstractBaseUser) else None


def _actor_label(actor: Actor) -> str:
    """Who acted, as kept on the row even after the person's account is gone."""
    if isinstance(actor, AbstractBaseUser):
        return str(getattr(actor, actor.get_email_field_name(), "") or "")
    return SYSTEM.label


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one change; every service that writes calls this in its transaction."""
    person = _person(actor)
    return AuditEvent.objects.create(
        # By key: core knows the user model only as Django's abstract base.
        actor_id=person.pk if person is not None else None,
        actor_label=_actor_label(actor),
        action=str(action),
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:300] if target is not None else "",
        changes=_jsonable(changes or {}),
    )


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value changed, as {field: [old, new]}, for audit summaries."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def job_create(*, kind: str, actor: Actor, params: dict[str, Any] | None = None) -> Job:
    person = _person(actor)
    return Job.objects.create(
        kind=kind, created_by_id=person.pk if person is not None else None, params=params or {}
    )


def _database_row_id(task_result_id: str) -> uuid.UUID | None:
    """The id of the task's database row; other backends (immediate, in tests) keep none."""
    try:
        return uuid.UUID(task_result_id)
    except ValueError:
        return None


def job_enqueue(job: Job, task: Task[..., Any], *args: Any) -> None:
    """Queue the task doing a job's work, called as `task(job_id, *args)`, on commit.

    The job keeps the task's path and arguments, so that it can be started again if its
    worker dies (`job_retry`), and the task framework's row, so that a dead worker's row
    is closed with the job (`jobs_fail_stalled`).
    """
    job.task_path = task.module_path
    job.task_args = _jsonable(list(args))
    Job.objects.filter(pk=job.pk).update(task_path=job.task_path, task_args=job.task_args)

    def send() -> None:
        result = task.enqueue(str(job.pk), *args)
        Job.objects.filter(pk=job.pk).update(task_result_id=_database_row_id(result.id))

    transaction.on_commit(send)


def job_start(*, job_id: Any, total: int) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress_total=total,
        progress_done=0,
    )


def job_advance(*, job_id: Any, by: int = 1, message: str = "") -> None:
    """Move a job's progress forward; F() keeps concurrent workers from losing steps."""
    update: dict[str, Any] = {
        "progress_done": F("progress_done") + by,
        "heartbeat_at": timezone.now(),
    }
    if message:
        update["message"] = message[:500]
    Job.objects.filter(pk=job_id).update(**update)


def job_heartbeat(*, task_result_id: Any) -> int:
    """The worker's sign of life for the job its task is doing (0 if it has none)."""
    return Job.objects.filter(
        task_result_id=task_result_id, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).update(heartbeat_at=timezone.now())


def job_succeed(*, job_id: Any, result: dict[str, Any] | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        progress_done=F("progress_total"),
        result=result or {},
    )


def job_fail(*, job_id: Any, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), error=error[:5000]
    )


class WorkerLostError(Exception):
    """Recorded on the task framework's row of a task whose worker stopped mid-way."""


# For operators reading the error column; people read the translated sentence on the page.
WORKER_LOST_ERROR = (
    "The worker running this job stopped before it finished "
    "(no sign of life for longer than the lease)."
)


def _stalled_jobs(now: datetime) -> QuerySet[Job]:
    """Unfinished jobs a worker took but stopped beating for: silent past the lease, or
    taken by a worker that died before its first beat."""
    cutoff = now - job_lease()
    claimed_long_ago = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).values("id")
    return Job.objects.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING)).filter(
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, status=Job.Status.RUNNING, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, task_result_id__in=claimed_long_ago)
    )


def _fail_lost(jobs: list[Job], now: datetime) -> None:
    for job in jobs:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=now,
            error=WORKER_LOST_ERROR,
            result={**job.result, "failure": WORKER_LOST},
        )
        audit_record(actor=SYSTEM, action=CoreAction.JOB_FAIL_STALLED, target=job)
    _close_task_rows(
        DBTaskResult.objects.filter(
            pk__in=[job.task_result_id for job in jobs if job.task_result_id],
            status=TaskResultStatus.RUNNING,
        ),
        now,
    )


def _close_task_rows(rows: QuerySet[DBTaskResult[..., Any]], now: datetime) -> int:
    return rows.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}",
        traceback=WORKER_LOST_ERROR,
    )


@transaction.atomic
def jobs_fail_stalled(*, now: datetime | None = None) -> int:
    """Mark failed every job whose worker died, and its task row; say how many jobs.

    Workers run this when they start and while they run, so work lost with a killed
    worker never stays "in progress". Tasks without a job (an e-mail) have no beat:
    their row is closed only once it has run ten leases, far beyond any of them.
    """
    now = now or timezone.now()
    jobs = list(_stalled_jobs(now).select_for_update(skip_locked=True))
    _fail_lost(jobs, now)
    with_job = Job.objects.filter(task_result_id__isnull=False).values("task_result_id")
    _close_task_rows(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - 10 * job_lease()
        ).exclude(pk__in=with_job),
        now,
    )
    return len(jobs)


@transaction.atomic
def job_retry(*, actor: Actor, job: Job) -> Job:
    """Start a failed or stalled job's task again, as a new job with the same parameters.

    The person who started the job or backbone staff may; a job already retried returns
    its retry, so a second click starts nothing more.
    """
    person = _person(actor)
    owner = person is not None and job.created_by_id == person.pk
    if not owner and not actor_may(actor, "core.view_any_job"):
        raise PermissionDenied
    job = Job.objects.select_for_update().get(pk=job.pk)
    earlier = job.retries.order_by("-created_at").first()
    if earlier is not None:
        return earlier
    if not job.can_retry:
        raise ValidationError(
            _("This work cannot be started again: it is still running or it finished."),
            code="not_retryable",
        )
    task = import_string(job.task_path)
    if not isinstance(task, Task):
        raise ValidationError(_("This work cannot be started again."), code="not_retryable")
    if not job.is_finished:
        _fail_lost([job], timezone.now())
    retry = Job.objects.create(
        kind=job.kind, created_by_id=job.created_by_id, params=job.params, retry_of=job
    )
    audit_record(
        actor=actor, action=CoreAction.JOB_RETRY, target=retry, changes={"retry_of": str(job.pk)}
    )
    job_enqueue(retry, task, *job.task_args)
    return retry


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue a task once the current transaction commits, so it never sees half a write."""
    transaction.on_commit(lambda: task.enqueue(*args))


def field_values(data: Any) -> dict[str, Any]:
    """A dataclass's fields by name, values as they are (`asdict` would copy the rows)."""
    return {field.name: getattr(data, field.name) for field in fields(data)}


def assign(instance: models.Model, values: Mapping[str, Any]) -> dict[str, Any]:
    """Set `values` on the instance; return the changes, {field: [stored, new]}, which are
    both the audit's summary and the columns to write.

    The stored row is read (and locked) rather than the instance trusted: a form may
    already have changed the object in memory. Callers run in a transaction."""
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    changes = diff_fields({name: getattr(stored, name) for name in values}, dict(values))
    for name, value in values.items():
        setattr(instance, name, value)
    return changes


def save_changed(instance: models.Model, changed: Mapping[str, Any]) -> None:
    """Write only the changed columns, plus `updated_at` where the model keeps one."""
    if not changed:
        return
    columns = list(changed)
    if any(field.name == "updated_at" for field in instance._meta.concrete_fields):
        columns.append("updated_at")
    instance.save(update_fields=columns)
