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
    GAP_TARGET_CREATE = (
        "ecosystem.gap_target_create",
        _("%(actor)s added the gap target %(object)s"),
    )
    GAP_TARGET_UPDATE = (
        "ecosystem.gap_target_update",
        _("%(actor)s changed the gap target %(object)s"),
    )
    GAP_TARGET_DELETE = (
        "ecosystem.gap_target_delete",
        _("%(actor)s deleted the gap target %(object)s"),
    )
    ORGANISATION_IMPORT = (
        "ecosystem.organisation_import",
        _("%(actor)s imported organisations from a file"),
    )
    CONTACT_CREATE = "ecosystem.contact_create", _("%(actor)s added the contact %(object)s")
    CONTACT_UPDATE = "ecosystem.contact_update", _("%(actor)s changed the contact %(object)s")
    CONTACT_ARCHIVE = "ecosystem.contact_archive", _("%(actor)s archived the contact %(object)s")
    CONTACT_RESTORE = "ecosystem.contact_restore", _("%(actor)s restored the contact %(object)s")
    CONSENT_RECORD = "ecosystem.consent_record", _("%(actor)s recorded consent for %(object)s")
    CONSENT_WITHDRAW = (
        "ecosystem.consent_withdraw",
        _("%(actor)s recorded a withdrawal of consent for %(object)s"),
    )
    RELATIONSHIP_CREATE = "ecosystem.relationship_create", _("%(actor)s added %(object)s")
    RELATIONSHIP_UPDATE = "ecosystem.relationship_update", _("%(actor)s changed %(object)s")
    RELATIONSHIP_DELETE = "ecosystem.relationship_delete", _("%(actor)s deleted %(object)s")
    RELATIONSHIP_IMPORT = (
        "ecosystem.relationship_import",
        _("%(actor)s imported relationships from a file"),
    )
    RELATIONSHIP_TYPE_CREATE = (
        "ecosystem.relationship_type_create",
        _("%(actor)s added the relationship type %(object)s"),
    )
    RELATIONSHIP_TYPE_UPDATE = (
        "ecosystem.relationship_type_update",
        _("%(actor)s changed the relationship type %(object)s"),
    )
    RELATIONSHIP_TYPE_DELETE = (
        "ecosystem.relationship_type_delete",
        _("%(actor)s deleted the relationship type %(object)s"),
    )
    NETWORK_ANALYSIS_REQUEST = (
        "ecosystem.network_analysis_request",
        _("%(actor)s asked for the network map to be computed again"),
    )
    ENGAGEMENT_RECORD = (
        "ecosystem.engagement_record",
        _("%(actor)s recorded a step in the pipeline: %(object)s"),
    )
    ENGAGEMENT_MOVE = (
        "ecosystem.engagement_move",
        _("%(actor)s moved an organisation on in the pipeline: %(object)s"),
    )
    ENGAGEMENT_ASSIGN = (
        "ecosystem.engagement_assign",
        _("%(actor)s changed who looks after %(object)s"),
    )
