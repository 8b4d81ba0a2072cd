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


PERMISSIONS: dict[str, RulePredicate] = {
    "ecosystem.view_organisation": is_listed_publicly | is_backbone_staff,
    "ecosystem.list_organisations": is_backbone_staff,
    "ecosystem.add_organisation": is_backbone_staff,
    "ecosystem.change_organisation": is_backbone_staff,
    "ecosystem.archive_organisation": is_backbone_staff,
    "ecosystem.delete_organisation": is_backbone_staff,
    "ecosystem.export_organisations": is_backbone_staff,
}
