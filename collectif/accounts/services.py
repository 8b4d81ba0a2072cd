"""Writes about people: API tokens (invitations and memberships are added beside)."""

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from collectif.accounts.models import ApiToken, User
from collectif.accounts.selectors import hash_secret
from collectif.core.services import audit_record

TOKEN_PREFIX = "clf_"  # noqa: S105 (a label, not a secret)


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored or shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip()[:100], prefix=secret[:12], key_hash=hash_secret(secret)
    )
    audit_record(actor=actor, action="api_token.create", target=token, changes={"name": name})
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token)
    return token
