"""Who may see and change measurement data.

Stewards act only for their own organisations; unapproved data is visible to its
organisation's stewards and to backbone staff, never to anyone else.
"""

from typing import Any

import rules

from collectif.accounts.permissions import is_backbone_staff, is_steward_of


@rules.predicate
def can_submit_for(user: Any, organisation: Any) -> bool:
    """Report data for an organisation: its stewards (staff may help in its place)."""
    return bool(is_steward_of(user, organisation) or is_backbone_staff(user))


@rules.predicate
def can_see_submission(user: Any, submission: Any) -> bool:
    if submission is None:
        return False
    return bool(is_backbone_staff(user) or is_steward_of(user, submission.organisation))


rules.add_perm("measurement.submit_for", can_submit_for)
rules.add_perm("measurement.view_submission", can_see_submission)
rules.add_perm("measurement.review", is_backbone_staff)
rules.add_perm("measurement.manage", is_backbone_staff)
