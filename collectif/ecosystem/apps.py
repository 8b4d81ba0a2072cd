from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    """Everything the app plugs into is declared in `registry.py`, its manifest."""

    name = "collectif.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem")
