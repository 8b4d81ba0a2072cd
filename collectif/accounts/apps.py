from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "collectif.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from collectif.accounts.attention import invitation_attention
        from collectif.accounts.permissions import is_backbone_staff
        from collectif.core.registry import NavEntry, register_attention, register_nav

        for order, label, url_name in (
            (10, _("Staff home"), "core:staff_home"),
            (20, _("Invitations"), "accounts:invitation_list"),
            (30, _("People"), "accounts:people_list"),
            (90, _("Audit log"), "core:audit_list"),
        ):
            register_nav(
                NavEntry(
                    group="backbone",
                    label=label,
                    url_name=url_name,
                    allowed=is_backbone_staff,
                    order=order,
                )
            )
        register_attention(invitation_attention)
