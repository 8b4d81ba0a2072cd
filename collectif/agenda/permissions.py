"""Who may change the common agenda: the app's permission rules.

The plan's versions are what every target is measured against, so only the backbone
team writes them. The manifest declares `PERMISSIONS`; views and services ask these names.
"""

from collectif.accounts.permissions import is_backbone_staff
from collectif.core.permissions import RulePredicate

# The rule every plan page and plan service asks.
MANAGE = "agenda.manage_plans"

PERMISSIONS: dict[str, RulePredicate] = {
    MANAGE: is_backbone_staff,
}
