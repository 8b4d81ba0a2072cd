"""Reads about people: tokens, memberships, invitations."""

import hashlib
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from collectif.accounts.models import ApiToken, Invitation, Membership, User


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


def membership_list(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def invitation_get_by_secret(*, secret: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
