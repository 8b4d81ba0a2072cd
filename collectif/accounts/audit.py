"""Accounts' audit vocabulary: one action per service that writes, named after it."""

from django.utils.translation import gettext_lazy as _

from collectif.core.audit import AuditAction

# Changes recorded under a name that is no field of the target, read on the audit log.
CHANGE_LABELS = (_("account created"),)


class AccountsAction(AuditAction):
    API_TOKEN_CREATE = "accounts.api_token_create", _("%(actor)s created the API token %(object)s")
    API_TOKEN_REVOKE = "accounts.api_token_revoke", _("%(actor)s revoked the API token %(object)s")
    INVITATION_CREATE = "accounts.invitation_create", _("%(actor)s sent the invitation %(object)s")
    INVITATION_RESEND = (
        "accounts.invitation_resend",
        _("%(actor)s sent the invitation %(object)s again"),
    )
    INVITATION_REVOKE = (
        "accounts.invitation_revoke",
        _("%(actor)s withdrew the invitation %(object)s"),
    )
    INVITATION_ACCEPT = (
        "accounts.invitation_accept",
        _("%(actor)s accepted the invitation %(object)s"),
    )
    MEMBERSHIP_REMOVE = "accounts.membership_remove", _("%(actor)s removed the role %(object)s")
