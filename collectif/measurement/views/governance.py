"""The governance member's home panel: where the scorecard stands and what is new.

Until governance has its own app, a member of a governance table finds here what they
prepare a meeting with: the scorecard's status counts, the indicators off track or at
risk, a link to the report card, and what changed since their previous sign-in.
"""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from collectif.core.manifest import HomePanel
from collectif.measurement.selectors import governance, results

# How far back a first visit looks, when there is no previous sign-in to compare with.
FIRST_VISIT_DAYS = 30


def _since(user: Any) -> tuple[datetime, bool]:
    """The previous sign-in, or FIRST_VISIT_DAYS ago; and whether it is the former."""
    previous = getattr(user, "previous_login", None)
    if previous is not None:
        return previous, True
    return timezone.now() - timedelta(days=FIRST_VISIT_DAYS), False


def governance_panel(user: Any) -> list[HomePanel]:
    if not user.has_perm("measurement.follow_results"):
        return []
    rows = results.scorecard(published_only=True, suppress=True)
    since, is_previous_visit = _since(user)
    return [
        HomePanel(
            template="measurement/governance_panel.html",
            context={
                "summary": governance.scorecard_summary(rows),
                "changes": governance.changes_since(since),
                "is_previous_visit": is_previous_visit,
                "days": FIRST_VISIT_DAYS,
            },
        )
    ]
