"""The movement's results: rollups of approved data, and baselines and targets to read
them against."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.ecosystem.models import Organisation
from collectif.measurement.models.setup import Indicator, Period

CANADA = "CA"


class Rollup(models.Model):
    """The movement's aggregate for one indicator, period, region and dimension member.

    Maintained when data is approved, so dashboards read this small table whatever the
    number of raw values. `member` is "" for the region's total, else one member key
    such as ``age:12-17``; `region` is a province code or "CA".
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="rollups")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="rollups")
    region = models.CharField(max_length=2)
    member = models.CharField(max_length=82, blank=True, default="")
    total = models.DecimalField(max_digits=24, decimal_places=6, default=Decimal(0))
    count = models.PositiveIntegerField(default=0)
    weighted_total = models.DecimalField(max_digits=30, decimal_places=6, default=Decimal(0))
    weight = models.DecimalField(max_digits=24, decimal_places=6, default=Decimal(0))
    latest = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    # Whose value `latest` is and when it was reviewed, so an approval can tell whether
    # it is newer, and a reopen whether it must look for the next latest, without
    # reading the other organisations' values.
    latest_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latest_reviewed_at = models.DateTimeField(null=True, blank=True)
    organisations = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "region", "member"], name="unique_rollup_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_id} {self.region} {self.member}"


class Baseline(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="baselines")
    region = models.CharField(_("region"), max_length=2, default=CANADA)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region"], name="one_baseline_per_region")
        ]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region} {self.value}"


class Target(models.Model):
    plan_version = models.ForeignKey(
        "agenda.PlanVersion", on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    region = models.CharField(_("region"), max_length=2, default=CANADA)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)

    class Meta:
        ordering = ["period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_version", "indicator", "region", "period"], name="unique_target"
            )
        ]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.plan_version_id} {self.indicator_id} {self.period_id} {self.value}"
