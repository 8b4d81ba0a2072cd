"""Writes shared by every app: the audit trail, background job bookkeeping, and the
way update services change a row (only what differs, recorded for the audit)."""

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from collectif.core.actors import SYSTEM, Actor
from collectif.core.audit import AuditAction
from collectif.core.models import AuditEvent, Job


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


def job_start(*, job_id: Any, total: int) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        progress_total=total,
        progress_done=0,
    )


def job_advance(*, job_id: Any, by: int = 1, message: str = "") -> None:
    """Move a job's progress forward; F() keeps concurrent workers from losing steps."""
    update: dict[str, Any] = {"progress_done": F("progress_done") + by}
    if message:
        update["message"] = message[:500]
    Job.objects.filter(pk=job_id).update(**update)


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
