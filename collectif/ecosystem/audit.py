"""Ecosystem's audit vocabulary: one action per service that writes, named after it."""

from django.utils.translation import gettext_lazy as _

from collectif.core.audit import AuditAction


class EcosystemAction(AuditAction):
    ORGANISATION_CREATE = "ecosystem.organisation_create", _("%(actor)s added %(object)s")
    ORGANISATION_UPDATE = "ecosystem.organisation_update", _("%(actor)s changed %(object)s")
    ORGANISATION_ARCHIVE = "ecosystem.organisation_archive", _("%(actor)s archived %(object)s")
    ORGANISATION_RESTORE = "ecosystem.organisation_restore", _("%(actor)s restored %(object)s")
    ORGANISATION_DELETE = "ecosystem.organisation_delete", _("%(actor)s deleted %(object)s")
    ORGANISATION_EXPORT_START = (
        "ecosystem.organisation_export_start",
        _("%(actor)s exported the organisations"),
    )
