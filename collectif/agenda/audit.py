"""The common agenda's audit vocabulary: one action per service that writes, named after it."""

from django.utils.translation import gettext_lazy as _

from collectif.core.audit import AuditAction


class AgendaAction(AuditAction):
    PLAN_VERSION_CREATE = (
        "agenda.plan_version_create",
        _("%(actor)s added the plan version %(object)s"),
    )
    PLAN_VERSION_UPDATE = (
        "agenda.plan_version_update",
        _("%(actor)s changed the plan version %(object)s"),
    )
