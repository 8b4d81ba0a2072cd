"""Who an organisation serves and who leads it: the equity lens on the ecosystem.

Both lists are data (loaded by `reference.py`, adaptable by each initiative), so the gap
matrix and the equity summary group by rows rather than by hard-coded columns.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class _ReferenceList(models.Model):
    """A bilingual list staff may adapt: a stable code, a name, an order, in use or not."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class PopulationGroup(_ReferenceList):
    """A group of young people an organisation serves (the gap matrix's second axis)."""

    class Meta(_ReferenceList.Meta):
        verbose_name = _("population group")
        verbose_name_plural = _("population groups")


class EquityIdentity(_ReferenceList):
    """How an organisation identifies itself: Indigenous-led, youth-led, rural, and so on."""

    class Meta(_ReferenceList.Meta):
        verbose_name = _("equity identity")
        verbose_name_plural = _("equity identities")
