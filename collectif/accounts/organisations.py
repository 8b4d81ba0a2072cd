"""What accounts knows of organisations, in one place, without importing ecosystem.

A membership and an invitation point to an organisation, a model ecosystem owns and
ecosystem builds on accounts, never the reverse. Accounts reaches the model through its
own foreign key and relies on four things only: the primary key (roles are held per
organisation), `name` (lists, e-mails, choices), `slug` (its address, in `/api/v1/me`)
and `archived_at` (nobody joins an archived organisation).
"""

from typing import cast

from django.db.models import Model, QuerySet

from collectif.accounts.models import Membership


def organisation_model() -> type[Model]:
    """The model memberships and invitations point to (ecosystem's Organisation)."""
    return cast(type[Model], Membership._meta.get_field("organisation").related_model)


def open_organisations() -> QuerySet[Model]:
    """Organisations someone can still be invited to, by name: archived ones are closed."""
    organisations = organisation_model()._default_manager.filter(archived_at__isnull=True)
    return organisations.order_by("name")


def is_archived(organisation: Model) -> bool:
    return getattr(organisation, "archived_at", None) is not None


def organisation_slug(organisation: Model) -> str:
    return str(getattr(organisation, "slug", ""))


def organisation_names(organisation: Model) -> dict[str, str]:
    """The organisation's name in each language, empty when missing."""
    return {
        language: str(getattr(organisation, f"name_{language}", "") or "")
        for language in ("en", "fr")
    }
