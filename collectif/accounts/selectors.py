"""Reads about people: tokens, memberships, invitations."""

import hashlib
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from collectif.accounts.models import ApiToken, Invitation, Membership, User
from collectif.accounts.organisations import open_organisations

INVITATION_STATUSES = ("pending", "accepted", "expired", "withdrawn")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_user(*, raw_token: str) -> User | None:
    """The active person behind a raw API token, or None; marks the token as used."""
    if not raw_token or len(raw_token) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(raw_token), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def api_token_get(*, user: Any, token_id: int) -> ApiToken | None:
    """A person's own active token; someone else's is as good as missing."""
    return api_token_list(user=user).filter(pk=token_id).first()


def membership_list(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def membership_get(*, membership_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    )


def invitation_get_by_secret(*, secret: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_secret(secret))
        .first()
    )


def invitation_get(*, invitation_id: int) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )


def _status_filter(status: str) -> Q:
    now = timezone.now()
    unanswered = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    return {
        "pending": unanswered & Q(expires_at__gt=now),
        "expired": unanswered & Q(expires_at__lte=now),
        "accepted": Q(accepted_at__isnull=False),
        "withdrawn": Q(accepted_at__isnull=True, revoked_at__isnull=False),
    }[status]


def invitation_status(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "withdrawn"
    return "pending" if invitation.expires_at > timezone.now() else "expired"


def invitation_list(*, status: str = "", search: str = "") -> QuerySet[Invitation]:
    invitations = Invitation.objects.select_related("organisation", "invited_by")
    if status in INVITATION_STATUSES:
        invitations = invitations.filter(_status_filter(status))
    if search:
        invitations = invitations.filter(email__icontains=search.strip())
    return invitations


def invitation_count(*, status: str) -> int:
    return Invitation.objects.filter(_status_filter(status)).count()


def invitation_pending_exists(*, email: str, organisation: Model, role: str) -> bool:
    return (
        Invitation.objects.filter(email=email, organisation_id=organisation.pk, role=role)
        .filter(_status_filter("pending"))
        .exists()
    )


def user_get_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def membership_exists(*, email: str, organisation: Model, role: str) -> bool:
    return Membership.objects.filter(
        user__email__iexact=email, organisation_id=organisation.pk, role=role
    ).exists()


def person_list(*, search: str = "") -> QuerySet[User]:
    """People with their memberships, for the staff's People page."""
    people = User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )
    if search:
        term = search.strip()
        people = people.filter(Q(email__icontains=term) | Q(full_name__icontains=term))
    return people.order_by("email")


def organisation_choices() -> QuerySet[Model]:
    """Organisations someone can still be invited to: archived ones are closed."""
    return open_organisations()


def organisation_memberships(*, organisation: Model) -> QuerySet[Membership]:
    """Who holds a role for an organisation, with the person, for the organisation's page."""
    return (
        Membership.objects.filter(organisation_id=organisation.pk)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def organisation_pending_invitations(*, organisation: Model) -> QuerySet[Invitation]:
    """Invitations to an organisation still waiting for an answer, the newest first."""
    return (
        Invitation.objects.filter(organisation_id=organisation.pk)
        .filter(_status_filter("pending"))
        .order_by("-created_at")
    )
