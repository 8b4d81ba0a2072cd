"""The organisations of the movement and the sectors they come from."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel, Province
from collectif.ecosystem.models.reach import EquityIdentity, PopulationGroup


class Sector(models.Model):
    """A sector of the ecosystem; the list is data so each initiative can adapt it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class SizeBand(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer-run")
    SMALL = "1-9", _("1 to 9 staff")
    MEDIUM = "10-49", _("10 to 49 staff")
    LARGE = "50-249", _("50 to 249 staff")
    VERY_LARGE = "250+", _("250 staff or more")


class Organisation(BaseModel):
    """A partner of the movement: a program, funder, government, business, and so on."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("sector")
    )
    head_office_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="head_offices",
        verbose_name=_("head office province or territory"),
    )
    provinces_served = models.ManyToManyField(
        Province,
        related_name="organisations_serving",
        blank=True,
        verbose_name=_("provinces and territories served"),
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    size_band = models.CharField(_("size"), max_length=12, choices=SizeBand.choices, blank=True)
    is_public = models.BooleanField(
        _("listed publicly"),
        default=True,
        help_text=_("Public organisations appear on the public site and in the open API."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, db_index=True)
    populations_served: "models.ManyToManyField[PopulationGroup, models.Model]" = (
        models.ManyToManyField(
            PopulationGroup,
            related_name="organisations",
            blank=True,
            verbose_name=_("population groups served"),
        )
    )
    equity_identities: "models.ManyToManyField[EquityIdentity, models.Model]" = (
        models.ManyToManyField(
            EquityIdentity,
            related_name="organisations",
            blank=True,
            verbose_name=_("identifies as"),
            help_text=_("How the organisation identifies itself; it says so, staff record it."),
        )
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name_en"),
                "head_office_province",
                condition=~models.Q(name_en=""),
                name="unique_organisation_name_en_per_province",
            ),
            models.UniqueConstraint(
                Lower("name_fr"),
                "head_office_province",
                condition=~models.Q(name_fr=""),
                name="unique_organisation_name_fr_per_province",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ecosystem:organisation_detail", kwargs={"slug": self.slug})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
