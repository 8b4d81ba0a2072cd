"""Typed, directional ties between organisations: the network the map draws."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel
from collectif.ecosystem.models.organisations import Organisation


class RelationshipType(models.Model):
    """A kind of tie ("funds", "refers young people to"); data, so staff can add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_directed = models.BooleanField(
        _("directional"),
        default=True,
        help_text=_("“Funds” goes one way; “partners with” goes both."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("relationship type")
        verbose_name_plural = _("relationship types")

    def __str__(self) -> str:
        return self.name


class Strength(models.IntegerChoices):
    WEAK = 1, _("Weak")
    MODERATE = 2, _("Moderate")
    STRONG = 3, _("Strong")


class Relationship(BaseModel):
    source = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="relationships_out",
        verbose_name=_("from"),
    )
    target = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="relationships_in",
        verbose_name=_("to"),
    )
    type = models.ForeignKey(
        RelationshipType,
        on_delete=models.PROTECT,
        related_name="relationships",
        verbose_name=_("type"),
    )
    strength = models.PositiveSmallIntegerField(
        _("strength"), choices=Strength.choices, default=Strength.MODERATE
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["source__name", "target__name", "type__position"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "type"], name="one_relationship_per_type"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relationship_not_to_itself"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(ended_on__isnull=True)
                    | models.Q(started_on__isnull=True)
                    | models.Q(ended_on__gte=models.F("started_on"))
                ),
                name="relationship_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.type})"
