"""Who may do what: role predicates shared by every app (django-rules).

A person's roles come from their memberships. They are read once per request and
kept on the user object, so checking several rules on one page costs one query.
"""

from typing import Any

from django.db.models import Model

from collectif.accounts.models import ApiToken, Membership, Role
from collectif.core.permissions import RulePredicate, predicate


def user_roles(user: Any) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_collectif_roles", None)
    if cached is None:
        roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        if user.is_superuser:
            roles.add(Role.STAFF)
        cached = frozenset(roles)
        user._collectif_roles = cached
    return cached


def organisations_acting_for(user: Any, role: str = Role.STEWARD) -> set[int]:
    """The ids of the organisations this person acts for in a role."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(user=user, role=role).values_list("organisation_id", flat=True)
    )


@predicate
def is_backbone_staff(user: Any) -> bool:
    return Role.STAFF in user_roles(user)


@predicate
def is_data_steward(user: Any) -> bool:
    return Role.STEWARD in user_roles(user)


@predicate
def is_governance_member(user: Any) -> bool:
    return Role.GOVERNANCE in user_roles(user)


@predicate
def is_researcher(user: Any) -> bool:
    return Role.RESEARCHER in user_roles(user)


@predicate
def is_member(user: Any) -> bool:
    return bool(user_roles(user))


@predicate
def is_steward_of(user: Any, organisation: Model | None) -> bool:
    if organisation is None:
        return False
    return organisation.pk in organisations_acting_for(user, Role.STEWARD)


@predicate
def owns_token(user: Any, token: ApiToken | None) -> bool:
    """A token is its owner's alone; asked with no token, about having tokens at all."""
    return token is None or token.user_id == getattr(user, "pk", None)


PERMISSIONS: dict[str, RulePredicate] = {
    "accounts.invite": is_backbone_staff,
    "accounts.view_people": is_backbone_staff,
    "accounts.manage_memberships": is_backbone_staff,
    "accounts.manage_tokens": is_member & owns_token,
    # Core's pages ask these names; who holds them depends on roles, which live here.
    "core.view_audit": is_backbone_staff,
    "core.staff_home": is_backbone_staff,
    "core.view_any_job": is_backbone_staff,
}
