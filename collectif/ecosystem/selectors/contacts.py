"""Every read about contacts, with each one's consent standing worked out in SQL.

The standing follows `domain/consent.py` exactly (a property test compares them): a
consent allows e-mail from `given_on`, until `withdrawn_on`, and, when implied, until
`expires_on`.
"""

from datetime import date
from typing import Any

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from collectif.accounts.permissions import is_backbone_staff
from collectif.ecosystem.domain.consent import EXPRESS, ConsentFacts, ConsentStatus
from collectif.ecosystem.models import Consent, Contact, Organisation

STATUSES = tuple(status.value for status in ConsentStatus)
LANGUAGES = ("en", "fr")


def valid_on(on: date, prefix: str = "") -> Q:
    """The consents that allow e-mail on `on`, as a filter (prefix: the path to Consent)."""

    def field(name: str) -> str:
        return f"{prefix}{name}"

    return (
        Q(**{field("given_on__lte"): on})
        & (Q(**{field("withdrawn_on__isnull"): True}) | Q(**{field("withdrawn_on__gt"): on}))
        & (
            Q(**{field("kind"): EXPRESS})
            | Q(**{field("expires_on__isnull"): True})
            | Q(**{field("expires_on__gt"): on})
        )
    )


def consent_status_expression(on: date) -> Case:
    """A contact's standing on `on`, as a column (the same order of rules as the domain)."""
    mine = Consent.objects.filter(contact=OuterRef("pk"))
    return Case(
        When(Exists(mine.filter(valid_on(on))), then=Value(ConsentStatus.MAY_EMAIL.value)),
        When(
            Exists(mine.filter(withdrawn_on__lte=on)),
            then=Value(ConsentStatus.WITHDRAWN.value),
        ),
        When(Exists(mine.filter(given_on__lte=on)), then=Value(ConsentStatus.EXPIRED.value)),
        default=Value(ConsentStatus.NONE.value),
        output_field=CharField(),
    )


def _staff_only(user: Any) -> None:
    if not is_backbone_staff(user):
        raise Http404


def contact_list(
    *,
    user: Any,
    organisation: str = "",
    language: str = "",
    status: str = "",
    q: str = "",
    include_archived: bool = False,
    on: date | None = None,
) -> QuerySet[Contact]:
    """Contacts with their organisation and `consent_status` annotated: one query a page."""
    _staff_only(user)
    day = on or timezone.localdate()
    contacts = Contact.objects.all()
    if not include_archived:
        contacts = contacts.filter(archived_at__isnull=True)
    if organisation:
        contacts = contacts.filter(organisation__slug=organisation)
    if language in LANGUAGES:
        contacts = contacts.filter(preferred_language=language)
    term = q.strip()
    if term:
        contacts = contacts.filter(
            Q(name__icontains=term)
            | Q(email__icontains=term)
            | Q(role_title_en__icontains=term)
            | Q(role_title_fr__icontains=term)
            | Q(organisation__name_en__icontains=term)
            | Q(organisation__name_fr__icontains=term)
        )
    contacts = contacts.annotate(consent_status=consent_status_expression(day))
    if status in STATUSES:
        contacts = contacts.filter(consent_status=status)
    return contacts.select_related("organisation").order_by("name", "pk")


def contact_get(*, user: Any, pk: int) -> Contact:
    """One contact with its consent history, as if it did not exist for anyone but staff."""
    _staff_only(user)
    contact = (
        Contact.objects.select_related("organisation")
        .prefetch_related("consents__recorded_by")
        .annotate(consent_status=consent_status_expression(timezone.localdate()))
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def organisation_contacts(*, user: Any, organisation: Organisation) -> list[Contact]:
    """The organisation page's panel: its active contacts and their standing (one query)."""
    if not is_backbone_staff(user):
        return []
    return list(contact_list(user=user, organisation=organisation.slug))


def consent_facts(contact: Contact) -> list[ConsentFacts]:
    """A contact's records as the domain rules read them (uses the prefetched consents)."""
    return [facts(consent) for consent in contact.consents.all()]


def facts(consent: Consent) -> ConsentFacts:
    return ConsentFacts(
        kind=consent.kind,
        basis=consent.basis,
        given_on=consent.given_on,
        source=consent.source,
        expires_on=consent.expires_on,
        withdrawn_on=consent.withdrawn_on,
    )


def contacts_who_may_receive_email(*, on: date) -> QuerySet[Contact]:
    """Active contacts with an e-mail address whom the law lets us write to on `on`.

    For the digests (issue 16): a system read, so no person's permission is asked.
    """
    allowed = Consent.objects.filter(contact=OuterRef("pk")).filter(valid_on(on))
    return (
        Contact.objects.filter(archived_at__isnull=True, organisation__archived_at__isnull=True)
        .exclude(email="")
        .filter(Exists(allowed))
        .select_related("organisation")
        .order_by("name", "pk")
    )


def organisation_choices() -> QuerySet[Organisation]:
    """Active organisations, for a contact's form."""
    return Organisation.objects.filter(archived_at__isnull=True).order_by("name", "pk")


def organisation_by_slug(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()
