"""The common agenda's versions: the original plan and its revisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from collectif.core.models import BaseModel


class PlanVersion(BaseModel):
    """A version of the strategic plan; targets belong to one, so progress can be
    compared with the *original* plan as well as the current one."""

    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    adopted_on = models.DateField(_("adopted on"))
    is_original = models.BooleanField(_("original plan"), default=False)
    is_current = models.BooleanField(_("current plan"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_original"],
                condition=models.Q(is_original=True),
                name="one_original_plan",
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_plan",
            ),
        ]

    def __str__(self) -> str:
        return self.name
