"""A reusable check of who may use a page or an API endpoint, role by role.

    assert_role_access(client, url, allowed={"staff"})
    assert_role_access(client, url, allowed={"staff", "steward"}, organisation=org)
    assert_role_access(client, url, allowed={"anonymous", ...}, api=True, method="post", data={})

Every role in ROLES is tried with a fresh person: "anonymous" (signed out),
"no_role" (signed in, no membership), and one per Role. The steward acts for
`organisation` when one is given, else for an unrelated organisation. For the API the
person authenticates with a real personal token. A role is "allowed" when the answer
is not 401/403/404 and not a redirect to the sign-in page.
"""

import secrets
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.test import Client

from collectif.accounts.models import ApiToken, Membership, Role, User
from collectif.accounts.selectors import hash_secret
from collectif.accounts.services import TOKEN_PREFIX
from collectif.ecosystem.models import Organisation

ROLES = ("anonymous", "no_role", *[role.value for role in Role])
DENIED_STATUSES = {401, 403, 404}


def user_with_role(role: str, organisation: Organisation | None = None) -> User | None:
    """A new person holding `role` (None for anonymous)."""
    from collectif.accounts.tests.factories import UserFactory
    from collectif.ecosystem.tests.factories import OrganisationFactory

    if role == "anonymous":
        return None
    user = UserFactory.create()
    if role != "no_role":
        Membership.objects.create(
            user=user,
            organisation=(
                organisation if organisation is not None else OrganisationFactory.create()
            ),
            role=role,
        )
    return user


def bearer_secret(user: User) -> str:
    """A personal token's secret for anyone, even someone the token page would refuse
    (a person with no role), so that the API's own refusal is what a check sees."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name="role check", prefix=secret[:12], key_hash=hash_secret(secret)
    )
    return secret


def _is_denied(response: HttpResponse) -> bool:
    if response.status_code in DENIED_STATUSES:
        return True
    location = response.headers.get("Location", "") if response.status_code in (301, 302) else ""
    return "/accounts/login/" in location


def assert_role_access(
    client: Client,
    url: str,
    *,
    allowed: Iterable[str],
    method: str = "get",
    data: Any = None,
    organisation: Organisation | None = None,
    api: bool = False,
) -> None:
    allowed = set(allowed)
    unknown = allowed - set(ROLES)
    assert not unknown, f"unknown roles: {unknown}"
    wrong: list[str] = []
    for role in ROLES:
        client.logout()
        user = user_with_role(role, organisation)
        headers: dict[str, str] = {}
        if user is not None:
            if api:
                headers["Authorization"] = f"Bearer {bearer_secret(user)}"
            else:
                client.force_login(user)
        kwargs: dict[str, Any] = {"headers": headers}
        if data is not None:
            kwargs["data"] = data
            if api:
                kwargs["content_type"] = "application/json"
        response = getattr(client, method.lower())(url, **kwargs)
        denied = _is_denied(response)
        if (role in allowed) == denied:
            expected = "allowed" if role in allowed else "denied"
            wrong.append(f"{role}: expected {expected}, got HTTP {response.status_code}")
    client.logout()
    assert not wrong, f"{method.upper()} {url}: " + "; ".join(wrong)
