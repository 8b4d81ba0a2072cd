"""The network's metrics and layout, computed by a background job and kept.

Betweenness and communities cost seconds on thousands of organisations, so a job
computes them once per change of the network (`NetworkAnalysis.relationships_version`)
and the map, the tables and the API read the stored rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel, Job
from collectif.ecosystem.models.organisations import Organisation


class Scope(models.TextChoices):
    """Whose network: staff see every organisation, everyone else the public part."""

    ALL = "all", _("Every organisation")
    PUBLIC = "public", _("Public organisations")


class NetworkAnalysis(BaseModel):
    scope = models.CharField(_("network"), max_length=10, choices=Scope.choices)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    finished_at = models.DateTimeField(_("computed"), null=True, blank=True)
    # The network it describes: the relationship count and the latest change it saw.
    relationships_version = models.CharField(max_length=80, blank=True)
    node_count = models.PositiveIntegerField(default=0)
    edge_count = models.PositiveIntegerField(default=0)
    community_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["scope", "-finished_at"])]
        verbose_name = _("network analysis")
        verbose_name_plural = _("network analyses")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class NodeMetric(models.Model):
    analysis = models.ForeignKey(NetworkAnalysis, on_delete=models.CASCADE, related_name="nodes")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    degree = models.PositiveIntegerField(_("ties"), default=0)
    in_degree = models.PositiveIntegerField(_("ties in"), default=0)
    out_degree = models.PositiveIntegerField(_("ties out"), default=0)
    betweenness = models.FloatField(_("bridging (betweenness)"), default=0.0)
    closeness = models.FloatField(_("closeness"), default=0.0)
    community = models.PositiveIntegerField(_("community"), default=0)
    x = models.FloatField(default=0.0)
    y = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-betweenness", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "organisation"], name="one_metric_per_node_per_analysis"
            )
        ]
        indexes = [models.Index(fields=["analysis", "-betweenness"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.analysis_id}"
