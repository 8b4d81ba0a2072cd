from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "collectif.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem")

    def ready(self) -> None:
        from collectif.accounts.permissions import is_backbone_staff
        from collectif.core.registry import (
            NavEntry,
            register_attention,
            register_figures,
            register_nav,
        )
        from collectif.ecosystem import permissions  # noqa: F401
        from collectif.ecosystem.registry import attention, figures

        register_nav(
            NavEntry(
                group="ecosystem",
                label=_("Organisations"),
                url_name="ecosystem:organisation_list",
                allowed=is_backbone_staff,
                order=10,
            )
        )
        register_attention(attention)
        register_figures(figures)
