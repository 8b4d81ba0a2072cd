"""Who may do what with organisations (django-rules).

Managing the list of partners is the backbone team's job; anyone may read a public,
active organisation.
"""

from typing import Any

from collectif.accounts.permissions import is_backbone_staff
from collectif.core.permissions import RulePredicate, predicate
from collectif.ecosystem.models import Organisation


@predicate
def is_listed_publicly(user: Any, organisation: Organisation | None) -> bool:
    return bool(
        organisation is not None and organisation.is_public and organisation.archived_at is None
    )


@predicate
def anyone(user: Any) -> bool:
    """Relationships are read by everyone: the selectors hide the private organisations'."""
    return True


PERMISSIONS: dict[str, RulePredicate] = {
    "ecosystem.view_relationships": anyone,
    "ecosystem.manage_relationships": is_backbone_staff,
    "ecosystem.manage_relationship_types": is_backbone_staff,
    "ecosystem.view_organisation": is_listed_publicly | is_backbone_staff,
    "ecosystem.list_organisations": is_backbone_staff,
    "ecosystem.add_organisation": is_backbone_staff,
    "ecosystem.change_organisation": is_backbone_staff,
    "ecosystem.archive_organisation": is_backbone_staff,
    "ecosystem.delete_organisation": is_backbone_staff,
    "ecosystem.export_organisations": is_backbone_staff,
    # The gap matrix and its targets: the backbone's view of where the ecosystem is thin.
    "ecosystem.view_gaps": is_backbone_staff,
    "ecosystem.manage_gap_targets": is_backbone_staff,
    "ecosystem.compute_network": is_backbone_staff,
    # Contacts and their consent are personal information: the backbone's only.
    "ecosystem.view_contacts": is_backbone_staff,
    "ecosystem.manage_contacts": is_backbone_staff,
    "ecosystem.import_organisations": is_backbone_staff,
    # The pipeline is the backbone's working list: who it approaches, and how it goes.
    "ecosystem.view_pipeline": is_backbone_staff,
    "ecosystem.manage_pipeline": is_backbone_staff,
}
