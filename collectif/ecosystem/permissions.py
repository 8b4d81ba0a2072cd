"""Who may do what with organisations (django-rules).

Managing the list of partners is the backbone team's job; anyone may read a public,
active organisation.
"""

from typing import Any

import rules

from collectif.accounts.permissions import is_backbone_staff


@rules.predicate
def is_listed_publicly(user: Any, organisation: Any) -> bool:
    return bool(
        organisation is not None and organisation.is_public and organisation.archived_at is None
    )


rules.add_perm("ecosystem.view_organisation", is_listed_publicly | is_backbone_staff)
rules.add_perm("ecosystem.list_organisations", is_backbone_staff)
rules.add_perm("ecosystem.add_organisation", is_backbone_staff)
rules.add_perm("ecosystem.change_organisation", is_backbone_staff)
rules.add_perm("ecosystem.archive_organisation", is_backbone_staff)
rules.add_perm("ecosystem.delete_organisation", is_backbone_staff)
rules.add_perm("ecosystem.export_organisations", is_backbone_staff)
