from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "collectif.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from collectif.core import checks  # noqa: F401  (registers the system checks)
        from collectif.core.manifest import register_permissions

        register_permissions()
