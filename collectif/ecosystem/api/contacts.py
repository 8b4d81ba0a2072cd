"""Contacts and their CASL consent over the API: backbone staff only, as on the pages.

A mailing tool asks `GET /contacts?status=may_email` for whom it may write to today;
every grant and withdrawal goes through the same services as the pages, audited.
"""

from dataclasses import replace
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from collectif.accounts.api_auth import required_auth
from collectif.core.actors import request_actor
from collectif.core.api_errors import responses
from collectif.core.api_pages import Page, PageQuery, paginate
from collectif.ecosystem.domain.consent import ConsentStatus, status_sentence
from collectif.ecosystem.models import Consent, Contact, Language
from collectif.ecosystem.selectors import contacts as selectors
from collectif.ecosystem.services import contacts as services
from collectif.ecosystem.services.contacts import ContactData, contact_data

router = Router(tags=["contacts"], auth=required_auth)


class ConsentOut(Schema):
    id: int
    kind: str = Field(description="express or implied")
    basis: str
    given_on: date
    source: str
    expires_on: date | None
    withdrawn_on: date | None
    withdrawal_source: str


class ContactOut(Schema):
    id: int
    organisation: str = Field(description="The organisation's slug")
    name: str
    role_title_en: str
    role_title_fr: str
    preferred_language: str = Field(description="en or fr")
    email: str
    phone: str
    archived: bool
    consent_status: str = Field(description="may_email, withdrawn, expired or none (today)")
    consent_summary: str = Field(description="The standing in a sentence, in your language")
    consents: list[ConsentOut]


class ContactPage(Page[ContactOut]):
    pass


class ContactFilters(PageQuery):
    q: str = Field("", max_length=200)
    organisation: str = Field("", max_length=80, description="An organisation's slug")
    language: str = Field("", max_length=2, description="en or fr")
    status: str = Field(
        "", max_length=12, description="may_email, withdrawn, expired or none (today)"
    )
    include_archived: bool = False


class ContactIn(Schema):
    organisation: str = Field(description="The organisation's slug")
    name: str
    role_title_en: str = ""
    role_title_fr: str = ""
    preferred_language: str = Language.FRENCH
    email: str = ""
    phone: str = ""
    notes: str = ""


class ContactPatch(Schema):
    organisation: str | None = None
    name: str | None = None
    role_title_en: str | None = None
    role_title_fr: str | None = None
    preferred_language: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None


class ConsentIn(Schema):
    kind: str = Field(description="express or implied")
    basis: str = Field(
        description="express_request (express), or business_relationship, "
        "non_business_relationship, inquiry, published_address, address_given (implied)"
    )
    given_on: date
    source: str = Field(max_length=300)
    expires_on: date | None = Field(None, description="Empty: the legal end for implied consent")


class WithdrawalIn(Schema):
    withdrawn_on: date
    source: str = Field(max_length=300)


def _consent_out(consent: Consent) -> ConsentOut:
    return ConsentOut(
        id=consent.pk,
        kind=consent.kind,
        basis=consent.basis,
        given_on=consent.given_on,
        source=consent.source,
        expires_on=consent.expires_on,
        withdrawn_on=consent.withdrawn_on,
        withdrawal_source=consent.withdrawal_source,
    )


def _out(contact: Contact) -> ContactOut:
    consents = list(contact.consents.all())
    today = timezone.localdate()
    return ContactOut(
        id=contact.pk,
        organisation=contact.organisation.slug,
        name=contact.name,
        role_title_en=getattr(contact, "role_title_en", "") or "",
        role_title_fr=getattr(contact, "role_title_fr", "") or "",
        preferred_language=contact.preferred_language,
        email=contact.email,
        phone=contact.phone,
        archived=contact.archived_at is not None,
        consent_status=getattr(contact, "consent_status", ConsentStatus.NONE),
        consent_summary=status_sentence([selectors.facts(c) for c in consents], on=today),
        consents=[_consent_out(c) for c in consents],
    )


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    if "organisation" in data:
        organisation = selectors.organisation_by_slug(slug=data["organisation"] or "")
        if organisation is None:
            raise ValidationError(
                {"organisation": _("No organisation has this slug; see /api/v1/organisations.")}
            )
        data["organisation"] = organisation
    if "preferred_language" in data and data["preferred_language"] not in Language.values:
        raise ValidationError({"preferred_language": _("Give en or fr.")})
    return data


def _fresh(request: HttpRequest, contact: Contact) -> ContactOut:
    return _out(selectors.contact_get(user=request.user, pk=contact.pk))


@router.get("", response=responses(ContactPage, 403), summary="Search the contacts (staff)")
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> ContactPage:
    _require(request, "ecosystem.view_contacts")
    contacts = selectors.contact_list(
        user=request.user,
        q=filters.q,
        organisation=filters.organisation,
        language=filters.language,
        status=filters.status,
        include_archived=filters.include_archived,
    ).prefetch_related("consents")
    return paginate(request, contacts, filters, out=_out, page=ContactPage)


@router.get("/{contact_id}", response=responses(ContactOut, 403, 404), summary="One contact")
def get_contact(request: HttpRequest, contact_id: int) -> ContactOut:
    _require(request, "ecosystem.view_contacts")
    return _out(selectors.contact_get(user=request.user, pk=contact_id))


@router.post("", response=responses(ContactOut, 403, status=201), summary="Add a contact (staff)")
def create_contact(request: HttpRequest, payload: ContactIn) -> Status[ContactOut]:
    _require(request, "ecosystem.manage_contacts")
    data = _resolve(payload.model_dump())
    contact = services.contact_create(actor=request_actor(request), data=ContactData(**data))
    return Status(201, _fresh(request, contact))


@router.patch("/{contact_id}", response=responses(ContactOut, 403, 404), summary="Change a contact")
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch) -> ContactOut:
    _require(request, "ecosystem.manage_contacts")
    contact = selectors.contact_get(user=request.user, pk=contact_id)
    changes = _resolve(payload.model_dump(exclude_unset=True))
    data = replace(contact_data(contact), **changes)
    services.contact_update(actor=request_actor(request), contact=contact, data=data)
    return _fresh(request, contact)


@router.post(
    "/{contact_id}/consents",
    response=responses(ContactOut, 403, 404, status=201),
    summary="Record a consent to receive e-mail",
)
def record_consent(request: HttpRequest, contact_id: int, payload: ConsentIn) -> Status[ContactOut]:
    _require(request, "ecosystem.manage_contacts")
    contact = selectors.contact_get(user=request.user, pk=contact_id)
    services.consent_record(actor=request_actor(request), contact=contact, **payload.model_dump())
    return Status(201, _fresh(request, contact))


@router.post(
    "/{contact_id}/withdrawal",
    response=responses(ContactOut, 403, 404),
    summary="Record that the person withdrew consent",
)
def withdraw_consent(request: HttpRequest, contact_id: int, payload: WithdrawalIn) -> ContactOut:
    _require(request, "ecosystem.manage_contacts")
    contact = selectors.contact_get(user=request.user, pk=contact_id)
    services.consent_withdraw(
        actor=request_actor(request),
        contact=contact,
        withdrawn_on=payload.withdrawn_on,
        source=payload.source,
    )
    return _fresh(request, contact)
