"""Signing in with Django's and allauth's backends, reading the person in one round trip.

Every signed-in page needs three things before it can answer from the cache: the
account, the person's roles (what the page's frame shows), and the results version (what
the cached page is keyed by). Read one by one they are three round trips to the
database, each costing about as much as a whole `/health` request (issue 10). Here the
account query brings the other two along as sub-selects, so a signed-in results page
costs one query, like a public one.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connection

from collectif.accounts.models import Membership, User
from collectif.core.models import ResultsVersion
from collectif.core.results_version import ROW, VERSION_READ_WITH_USER

_MEMBERSHIPS_ON_USER = "_collectif_memberships"


def _pairs_sql() -> str:
    """The person's (role, organisation) pairs as one text: the databases spell it apart."""
    pair = "m.role || ':' || m.organisation_id"
    if connection.vendor == "postgresql":
        return f"string_agg({pair}::text, ',')"
    return f"group_concat({pair}, ',')"


def _query() -> str:
    users = User._meta.db_table
    memberships = Membership._meta.db_table
    versions = ResultsVersion._meta.db_table
    return (
        f"SELECT u.*, "  # noqa: S608 - table names from the models, the id a parameter
        f"(SELECT v.number FROM {versions} v WHERE v.id = {ROW}) AS collectif_results_version, "
        f"(SELECT {_pairs_sql()} FROM {memberships} m WHERE m.user_id = u.id) "
        f"AS collectif_memberships "
        f"FROM {users} u WHERE u.id = %s"
    )


def _parse_pairs(text: str | None) -> list[tuple[str, int]]:
    if not text:
        return []
    pairs = []
    for item in text.split(","):
        role, _sep, organisation = item.rpartition(":")
        pairs.append((role, int(organisation)))
    return sorted(pairs)


class _OneTrip:
    """`get_user` for both backends: the account, its memberships and the version."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = list(User.objects.raw(_query(), [pk]))
        if not found:
            return None
        user = found[0]
        # `_memberships()` in accounts.permissions reads this before asking the database.
        setattr(user, _MEMBERSHIPS_ON_USER, _parse_pairs(user.collectif_memberships))  # type: ignore[attr-defined]
        version = user.collectif_results_version  # type: ignore[attr-defined]
        if version is not None:
            setattr(user, VERSION_READ_WITH_USER, int(version))
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_OneTrip, DjangoModelBackend):
    """Django's password backend (the admin, the test client's `force_login`)."""


class AuthenticationBackend(_OneTrip, AllauthBackend):  # type: ignore[misc]
    """allauth's backend (the product's sign-in)."""
