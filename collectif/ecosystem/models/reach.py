"""Who an organisation serves and who leads it: the equity lens on the ecosystem.

Both lists are data (loaded by `reference.py`, adaptable by each initiative), so the gap
matrix and the equity summary group by rows rather than by hard-coded columns.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PopulationGroup(models.Model):
    """A group of young people an organisation serves (the gap matrix's second axis)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("population group")
        verbose_name_plural = _("population groups")

    def __str__(self) -> str:
        return self.name


class EquityIdentity(models.Model):
    """How an organisation identifies itself: Indigenous-led, youth-led, rural, and so on."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("equity identity")
        verbose_name_plural = _("equity identities")

    def __str__(self) -> str:
        return self.name
