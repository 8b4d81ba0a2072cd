"""Who may do what: role predicates shared by every app (django-rules).

A person's roles come from their memberships. They are read once per request and
kept on the user object, so checking several rules on one page costs one query.
"""

import hashlib
from typing import Any, cast

from django.db import connection
from django.db.models import Model

from collectif.accounts.models import ApiToken, Membership, Role
from collectif.core.permissions import RulePredicate, predicate


def _memberships(user: Any) -> list[tuple[str, int]]:
    """The person's (role, organisation) pairs, read once per request and kept on the user."""
    held = getattr(user, "_collectif_memberships", None)
    if held is None:
        # Every signed-in page asks: plain SQL, as the ORM's query building costs more
        # than the query.
        table = Membership._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT role, organisation_id FROM {table} WHERE user_id = %s",  # noqa: S608
                [user.pk],
            )
            held = sorted((str(role), int(organisation)) for role, organisation in cursor)
        user._collectif_memberships = held
    return cast(list[tuple[str, int]], held)


def user_roles(user: Any) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = {role for role, _organisation in _memberships(user)}
    if user.is_superuser:
        roles.add(Role.STAFF)
    return frozenset(roles)


def viewer_fingerprint(user: Any) -> str:
    """Everything a page's frame shows about the person (account, name, roles and the
    organisations they hold them for), as a short digest: cached pages are kept per
    fingerprint, so a new role or name shows on the next request.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return "public"
    seen = (user.pk, user.is_superuser, user.is_staff, user.get_username(), user.get_short_name())
    return hashlib.sha256(repr((seen, _memberships(user))).encode()).hexdigest()[:24]


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
