"""Reads shared by every app: provinces, the audit trail and jobs."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from collectif.core.models import AuditEvent, Job, Province


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("sgc_code")


def canada_population() -> int:
    return sum(p.population_2021 for p in province_list())


def audit_event_list(
    *,
    action: str = "",
    actor_email: str = "",
    object_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "content_type")
    if action:
        events = events.filter(action__startswith=action)
    if actor_email:
        events = events.filter(actor_label__icontains=actor_email)
    if object_type:
        events = events.filter(content_type__model=object_type)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def job_get_for(*, job_id: Any, user: Any) -> Job | None:
    """A job is visible to the person who started it, and to backbone staff."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return None
    if job.created_by_id == getattr(user, "pk", None) or user.has_perm("core.view_any_job"):
        return job
    return None
