"""Demo people: one account per role, a superuser, and a few open invitations.

The rows are seeded directly rather than through the services: demo people accept
nothing and no e-mail may leave for the demo's example.org addresses.
"""

import random
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from collectif.accounts.models import Invitation, Membership, Role, User
from collectif.accounts.selectors import hash_secret
from collectif.core.manifest import DemoOutput
from collectif.ecosystem.demo import BACKBONE_SLUG, DEMO_STEWARD_ORGANISATIONS
from collectif.ecosystem.models import Organisation

DEMO_PASSWORD = "collectif-demo-2026"  # noqa: S105 (published on purpose: it is a demo)

# (role, e-mail, full name, preferred language)
DEMO_ACCOUNTS = [
    (Role.STAFF, "staff@example.org", "Geneviève Tremblay", "fr"),
    (Role.STEWARD, "steward@example.org", "Daniel Okafor", "en"),
    (Role.GOVERNANCE, "governance@example.org", "Marie-Claude Bouchard", "fr"),
    (Role.RESEARCHER, "researcher@example.org", "Priya Raman", "en"),
]
ADMIN_EMAIL = "admin@example.org"

# (e-mail, role, language, days until expiry; negative means already expired)
DEMO_INVITATIONS = [
    ("amelie.gagnon@example.org", Role.STEWARD, "fr", 11),
    ("jordan.lee@example.org", Role.STEWARD, "en", 6),
    ("samira.haddad@example.org", Role.GOVERNANCE, "fr", 2),
    ("tom.mackenzie@example.org", Role.RESEARCHER, "en", -4),
]


def _steward_organisations() -> list[Organisation]:
    return list(Organisation.objects.filter(slug__in=DEMO_STEWARD_ORGANISATIONS))


def load(*, rng: random.Random, out: DemoOutput) -> None:
    backbone = Organisation.objects.get(slug=BACKBONE_SLUG)
    stewarded = _steward_organisations()
    people: dict[str, User] = {}
    for role, email, name, language in out.progress(DEMO_ACCOUNTS, "People"):
        person = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, preferred_language=language
        )
        people[role] = person
        for organisation in stewarded if role == Role.STEWARD else [backbone]:
            Membership.objects.create(user=person, organisation=organisation, role=role)
    User.objects.create_superuser(
        ADMIN_EMAIL, DEMO_PASSWORD, full_name="Alex Administrator", preferred_language="en"
    )
    now = timezone.now()
    choices = stewarded or [backbone]
    for email, role, language, days in DEMO_INVITATIONS:
        organisation = rng.choice(choices) if role == Role.STEWARD else backbone
        sent = now - timedelta(days=settings.COLLECTIF["INVITATION_DAYS"] - days)
        invitation = Invitation.objects.create(
            email=email,
            organisation=organisation,
            role=role,
            language=language,
            invited_by=people[Role.STAFF],
            expires_at=now + timedelta(days=days),
            token_hash=hash_secret(secrets.token_urlsafe(32)),
        )
        Invitation.objects.filter(pk=invitation.pk).update(created_at=sent)
    out.line(
        f"Accounts: {len(DEMO_ACCOUNTS)} demo people, 1 administrator, "
        f"{len(DEMO_INVITATIONS)} invitations."
    )


def is_loaded() -> bool:
    return User.objects.filter(email=DEMO_ACCOUNTS[0][1]).exists()


def summary() -> list[str]:
    """The demo accounts as a small table, so whoever loaded the demo can sign in."""
    if not is_loaded():
        return []
    rows = [(str(Role(role).label), email) for role, email, _name, _lang in DEMO_ACCOUNTS]
    rows.append(("Administrator (Django admin)", ADMIN_EMAIL))
    table = [("Role", "E-mail", "Password")] + [
        (role, email, DEMO_PASSWORD) for role, email in rows
    ]
    widths = [max(len(row[column]) for row in table) for column in range(3)]
    rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"

    def format_row(row: tuple[str, str, str]) -> str:
        cells = (f"{cell:<{width}}" for cell, width in zip(row, widths, strict=True))
        return "| " + " | ".join(cells) + " |"

    return ["Demo accounts:", rule, format_row(table[0]), rule, *map(format_row, table[1:]), rule]
