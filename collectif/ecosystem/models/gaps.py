"""The targets the gap matrix measures each cell against.

A target says "at least N organisations at stage S or beyond" for a sector (or every
sector) in a province or territory, or for a population group served. The most specific
target wins; with none configured, the default is one committed partner per sector per
province and territory (`domain/gaps.py`).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel, Province
from collectif.ecosystem.models.engagement import Stage
from collectif.ecosystem.models.organisations import Sector
from collectif.ecosystem.models.reach import PopulationGroup


class GapAxis(models.TextChoices):
    PROVINCE = "province", _("Provinces and territories")
    POPULATION = "population", _("Population groups served")


class GapTarget(BaseModel):
    axis = models.CharField(_("matrix"), max_length=12, choices=GapAxis.choices)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
        help_text=_("Leave empty for every sector."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province or territory"),
        help_text=_("Leave empty for every province and territory."),
    )
    population_group = models.ForeignKey(
        PopulationGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("population group"),
        help_text=_("Leave empty for every population group."),
    )
    minimum_stage = models.CharField(
        _("counts from stage"), max_length=20, choices=Stage.choices, default=Stage.COMMITTED
    )
    minimum_count = models.PositiveSmallIntegerField(
        _("at least"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["axis", "sector", "province", "population_group"]
        verbose_name = _("gap target")
        verbose_name_plural = _("gap targets")
        constraints = [
            models.UniqueConstraint(
                fields=["axis", "sector", "province", "population_group"],
                name="one_gap_target_per_cell_pattern",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(axis="province", population_group__isnull=True)
                    | models.Q(axis="population", province__isnull=True)
                ),
                name="gap_target_matches_its_axis",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_axis_display()} · {self.minimum_count} × {self.get_minimum_stage_display()}"
        )
