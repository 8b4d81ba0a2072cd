from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementConfig(AppConfig):
    name = "collectif.measurement"
    label = "measurement"
    verbose_name = _("Shared measurement")

    def ready(self) -> None:
        from collectif.accounts.permissions import is_backbone_staff, is_data_steward
        from collectif.core.registry import NavEntry, register_attention, register_nav
        from collectif.measurement import permissions  # noqa: F401  (registers the rules)
        from collectif.measurement.views_submissions import review_attention

        register_nav(
            NavEntry(
                group="measurement",
                label=_("My data"),
                url_name="measurement:steward_home",
                allowed=is_data_steward,
                order=10,
            )
        )
        register_nav(
            NavEntry(
                group="measurement",
                label=_("Review submissions"),
                url_name="measurement:review_queue",
                allowed=is_backbone_staff,
                order=20,
            )
        )
        register_nav(
            NavEntry(
                group="measurement",
                label=_("Setup"),
                url_name="measurement:setup_home",
                allowed=is_backbone_staff,
                order=90,
            )
        )
        register_attention(review_attention)
        from collectif.measurement import results_registry

        results_registry.register()
