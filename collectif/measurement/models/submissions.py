"""What partners report: a submission per organisation, dataset and period, its frozen
versions, its values, and the keys that make API writes idempotent."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Concat, Replace, StrIndex, Substr
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


# A breakdown key read by the database itself, so every write path (form, file, API,
# COPY) stores the parts the rollup rebuild groups by, and the rebuild parses nothing.
# Keys are canonical, "age:6-11|province:QC": the province part is found after a "|"
# prepended to the key, and province codes have two letters.
_PIPED = Concat(models.Value("|"), "breakdown", output_field=models.CharField())
_AT = StrIndex(_PIPED, models.Value("|province:"))
_PROVINCE = models.Case(
    models.When(models.lookups.Exact(_AT, 0), then=models.Value("")),
    default=Substr(_PIPED, _AT + 10, 2),
    output_field=models.CharField(),
)
_MEMBER = Substr(
    Replace(
        _PIPED,
        # Any expression does; the stubs only know a literal.
        Concat(  # type: ignore[arg-type]
            models.Value("|province:"), _PROVINCE, output_field=models.CharField()
        ),
        models.Value(""),
    ),
    2,
)


class Value(models.Model):
    """One reported number. Kept lean: there may be tens of millions of these rows."""

    # No single-column indexes: every lookup is served by a composite index below, and
    # each index an import must maintain costs as much as the COPY of its rows.
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Organisation and period repeat the submission's own (constrained) keys so that
    # aggregation needs no join; the database does not check them a second time on
    # every row of an import (decision 0015).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    breakdown = models.CharField(max_length=200, blank=True, default="")
    value = models.DecimalField(max_digits=20, decimal_places=6)
    # The breakdown's province code ("" without one), the rest of the key (the member a
    # rollup row is about), and whether that rest crosses two dimensions (not rolled up).
    province = models.GeneratedField(
        expression=_PROVINCE, output_field=models.CharField(max_length=2), db_persist=True
    )
    member = models.GeneratedField(
        expression=_MEMBER, output_field=models.CharField(max_length=200), db_persist=True
    )
    crosstab = models.GeneratedField(
        expression=models.lookups.GreaterThan(StrIndex(_MEMBER, models.Value("|")), 0),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator", "breakdown"], name="unique_value_cell"
            )
        ]
        # The member leads after the slice, so the cells an approval touches are found
        # without reading the whole slice.
        # The unique cell serves "a submission's values"; the slice index serves an
        # indicator's values and the rollups; the last serves "an organisation's values".
        indexes = [
            models.Index(fields=["indicator", "period", "member"], name="value_slice_member"),
            models.Index(fields=["organisation", "period"], name="value_organisation_period"),
        ]

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
