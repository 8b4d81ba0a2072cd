"""The roles of the signed-in person, in words, for the header of every page."""

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest

from collectif.accounts.models import Role
from collectif.accounts.permissions import user_roles


def roles(request: HttpRequest) -> dict[str, Any]:
    """The person's roles as labels in the reader's language, in the order roles are listed."""
    try:
        held = user_roles(getattr(request, "user", None))
    except DatabaseError:
        # The 500 page must still render when the database is what failed.
        held = frozenset()
    return {"roles": [str(role.label) for role in Role if role.value in held]}
