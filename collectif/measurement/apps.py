from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    """Everything the app plugs into is declared in `registry.py`, its manifest."""

    name = "collectif.measurement"
    label = "measurement"
    verbose_name = _("Shared measurement")
