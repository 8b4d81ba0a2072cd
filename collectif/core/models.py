"""Reference data, the audit trail and background job records shared by every app."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Why a job failed when its worker stopped (killed, out of memory, machine restarted).
WORKER_LOST = "worker_lost"


class BaseModel(models.Model):
    """Timestamps every domain row carries, so lists can sort by recency."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Province(models.Model):
    """A province or territory, with the 2021 Census population used to weight results."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    sgc_code = models.PositiveSmallIntegerField(_("SGC code"), unique=True)
    name = models.CharField(_("name"), max_length=60)
    population_2021 = models.PositiveIntegerField(_("population (2021 Census)"))
    is_territory = models.BooleanField(_("territory"), default=False)

    class Meta:
        ordering = ["sgc_code"]
        verbose_name = _("province or territory")
        verbose_name_plural = _("provinces and territories")

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One change made through a service: who, what, to which object, and when."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class Job(models.Model):
    """A piece of background work a person started and may want to follow.

    The task framework's own result row says whether the worker ran it; this row says
    what a person needs: how far along it is, and what came out.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    params: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    result: models.JSONField[dict[str, Any]] = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    # A running job's worker refreshes this; a job silent for longer than the lease
    # (COLLECTIF["JOB_LEASE_SECONDS"]) lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # What to run again to retry: the task's import path, its arguments after the job id,
    # and the task framework's row for this attempt.
    task_path = models.CharField(_("task"), max_length=200, blank=True)
    task_args: models.JSONField[list[Any]] = models.JSONField(default=list, blank=True)
    task_result_id = models.UUIDField(null=True, blank=True, db_index=True)
    retry_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
        verbose_name=_("retry of"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def last_sign_of_life(self) -> datetime | None:
        return self.heartbeat_at or (
            self.started_at if self.status == self.Status.RUNNING else None
        )

    @property
    def is_stalled(self) -> bool:
        """A worker took the job but has not been heard from for longer than the lease."""
        seen = self.last_sign_of_life
        return not self.is_finished and seen is not None and seen < timezone.now() - job_lease()

    @property
    def worker_lost(self) -> bool:
        return self.status == self.Status.FAILED and self.result.get("failure") == WORKER_LOST

    @property
    def is_following(self) -> bool:
        """Whether the page should keep watching: the work is still expected to move."""
        return not self.is_finished and not self.is_stalled

    @property
    def can_retry(self) -> bool:
        return bool(self.task_path) and (self.status == self.Status.FAILED or self.is_stalled)


def job_lease() -> timedelta:
    """How long a running job may stay silent before its worker is taken for dead."""
    return timedelta(seconds=settings.COLLECTIF.get("JOB_LEASE_SECONDS", 120))


class ResultsVersion(models.Model):
    """The one row whose number changes in the same transaction as anything the results
    pages show, so that pages cached under it are never served once stale (decision 0027)."""

    number = models.BigIntegerField(_("number"))

    class Meta:
        verbose_name = _("results version")
        verbose_name_plural = _("results versions")

    def __str__(self) -> str:
        return str(self.number)
