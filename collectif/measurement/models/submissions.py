"""What partners report: a submission per organisation, dataset and period, its frozen
versions, its values, and the keys that make API writes idempotent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel
from collectif.ecosystem.models import Organisation
from collectif.measurement.models.setup import Dataset, Indicator, Period


class Submission(BaseModel):
    """One organisation's report of one dataset for one period, and where it stands."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    class Channel(models.TextChoices):
        FORM = "form", _("Web form")
        FILE = "file", _("File upload")
        API = "api", _("API")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="submissions"
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="submissions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    channel = models.CharField(
        _("sent through"), max_length=6, choices=Channel.choices, default=Channel.FORM
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-period__start", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dataset", "period"], name="one_submission_per_period"
            )
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.dataset.code} – {self.period.code}"

    @property
    def is_locked(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.APPROVED}


class SubmissionVersion(models.Model):
    """A frozen copy of what was sent each time a submission was submitted, or of the
    saved values a file (or a restore) replaced, so that they can be restored."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Sent for approval")
        REPLACED = "replaced", _("Replaced values")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.SENT)
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=6, choices=Submission.Channel.choices)
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["submission", "-number", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"],
                condition=models.Q(kind="sent"),
                name="unique_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"


class Value(models.Model):
    """One reported number. Kept lean: there may be tens of millions of these rows."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    # Organisation and period repeat the submission's own (constrained) keys so that
    # aggregation needs no join; the database does not check them a second time on
    # every row of an import (decision 0015).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    breakdown = models.CharField(max_length=200, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=6)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator", "breakdown"], name="unique_value_cell"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="value_indicator_period")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_id} {self.breakdown} = {self.value}"


class IdempotencyKey(models.Model):
    """A client-supplied key so that an API write retried after a timeout applies once."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    request_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key
