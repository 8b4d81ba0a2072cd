"""Who may do what with organisations (django-rules).

Managing the list of partners is the backbone team's job; anyone may read a public,
active organisation.
"""

from typing import Any

import rules
from rules.predicates import Predicate

from collectif.accounts.permissions import is_backbone_staff


@rules.predicate
def is_listed_publicly(user: Any, organisation: Any) -> bool:
    return bool(
        organisation is not None and organisation.is_public and organisation.archived_at is None
    )


PERMISSIONS: dict[str, Predicate] = {
    "ecosystem.view_organisation": is_listed_publicly | is_backbone_staff,
    "ecosystem.list_organisations": is_backbone_staff,
    "ecosystem.add_organisation": is_backbone_staff,
    "ecosystem.change_organisation": is_backbone_staff,
    "ecosystem.archive_organisation": is_backbone_staff,
    "ecosystem.delete_organisation": is_backbone_staff,
    "ecosystem.export_organisations": is_backbone_staff,
}
