"""Who may see and change measurement data: the app's permission rules.

Stewards act only for their own organisations; unapproved data is visible to its
organisation's stewards and to backbone staff, never to anyone else. The manifest
declares `PERMISSIONS`; views, API, CLI and services all ask these names.
"""

from typing import Any

from collectif.accounts.permissions import (
    is_backbone_staff,
    is_data_steward,
    is_governance_member,
    is_member,
    is_researcher,
    is_steward_of,
)
from collectif.core.permissions import RulePredicate, predicate

# The rule every setup page and service asks.
MANAGE = "measurement.manage"


@predicate
def can_submit_for(user: Any, organisation: Any) -> bool:
    """Report data for an organisation: its stewards (staff may help in its place)."""
    return bool(is_steward_of(user, organisation) or is_backbone_staff(user))


@predicate
def can_see_submission(user: Any, submission: Any) -> bool:
    if submission is None:
        return False
    return bool(is_backbone_staff(user) or is_steward_of(user, submission.organisation))


@predicate
def can_see_partner_results(user: Any, organisation: Any) -> bool:
    return bool(is_backbone_staff(user) or is_steward_of(user, organisation))


PERMISSIONS: dict[str, RulePredicate] = {
    "measurement.report_data": is_data_steward,
    "measurement.submit_for": can_submit_for,
    "measurement.view_submission": can_see_submission,
    "measurement.review": is_backbone_staff,
    MANAGE: is_backbone_staff,
    "measurement.view_results": is_member,
    "measurement.view_partner_results": can_see_partner_results,
    "measurement.view_completeness": is_backbone_staff,
    "measurement.export": is_backbone_staff,
    # Aggregated figures with the public's disclosure rules (decision 0026).
    "measurement.export_figures": is_researcher | is_backbone_staff,
    # The governance home's scorecard summary and what changed since the last visit.
    "measurement.follow_results": is_governance_member,
}
