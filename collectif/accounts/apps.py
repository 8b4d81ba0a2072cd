from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Everything the app plugs into is declared in `registry.py`, its manifest."""

    name = "collectif.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
