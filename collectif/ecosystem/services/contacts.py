"""Every write about contacts and their CASL consent: staff only, each one audited.

Consent records are never edited: a grant is recorded, and later withdrawn, so the
history can prove why the movement wrote to someone on a given day.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collectif.accounts.models import User
from collectif.core.actors import Actor, require
from collectif.core.services import audit_record, diff_fields
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.domain.consent import EXPRESS, default_expiry
from collectif.ecosystem.models import Consent, ConsentBasis, ConsentKind, Contact, Organisation

TEXT_FIELDS = ("name", "role_title_en", "role_title_fr", "email", "phone", "notes")


@dataclass(frozen=True, kw_only=True)
class ContactData:
    """What a person edits about a contact, as every channel hands it over."""

    organisation: Organisation
    name: str
    role_title_en: str = ""
    role_title_fr: str = ""
    preferred_language: str = "fr"
    email: str = ""
    phone: str = ""
    notes: str = ""


def contact_data(contact: Contact) -> ContactData:
    """A contact's editable fields as they stand, for a partial change (API PATCH)."""
    return ContactData(
        organisation=contact.organisation,
        **{field: getattr(contact, field) or "" for field in TEXT_FIELDS},
        preferred_language=contact.preferred_language,
    )


def _snapshot(contact: Contact) -> dict[str, Any]:
    return {
        "organisation": contact.organisation.slug if contact.organisation_id else "",
        **{field: getattr(contact, field) or "" for field in TEXT_FIELDS},
        "preferred_language": contact.preferred_language,
    }


def _assign(contact: Contact, data: ContactData) -> None:
    contact.organisation = data.organisation
    for field in TEXT_FIELDS:
        setattr(contact, field, str(getattr(data, field) or "").strip())
    contact.email = contact.email.lower()
    contact.preferred_language = data.preferred_language


def _validate(contact: Contact) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if not contact.name:
        errors["name"] = [ValidationError(_("Enter the person's name."), code="required")]
    try:
        # The untranslated role title mirrors its language columns.
        contact.full_clean(exclude=["role_title", "name"])
    except ValidationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_create(*, actor: Actor, data: ContactData) -> Contact:
    require(actor, "ecosystem.manage_contacts")
    contact = Contact()
    _assign(contact, data)
    _validate(contact)
    contact.save()
    audit_record(
        actor=actor,
        action=EcosystemAction.CONTACT_CREATE,
        target=contact,
        changes=diff_fields({}, _snapshot(contact)),
    )
    return contact


@transaction.atomic
def contact_update(*, actor: Actor, contact: Contact, data: ContactData) -> Contact:
    require(actor, "ecosystem.manage_contacts", contact)
    before = _snapshot(contact)
    _assign(contact, data)
    changes = diff_fields(before, _snapshot(contact))
    if not changes:
        return contact
    _validate(contact)
    contact.save()
    audit_record(
        actor=actor, action=EcosystemAction.CONTACT_UPDATE, target=contact, changes=changes
    )
    return contact


@transaction.atomic
def contact_archive(*, actor: Actor, contact: Contact) -> Contact:
    """Archive rather than delete: the consent history must outlive the contact's use."""
    require(actor, "ecosystem.manage_contacts", contact)
    if contact.archived_at is None:
        contact.archived_at = timezone.now()
        contact.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            action=EcosystemAction.CONTACT_ARCHIVE,
            target=contact,
            changes={"archived": [False, True]},
        )
    return contact


@transaction.atomic
def contact_restore(*, actor: Actor, contact: Contact) -> Contact:
    """Bring an archived contact back to the lists, its consent history untouched."""
    require(actor, "ecosystem.manage_contacts", contact)
    if contact.archived_at is not None:
        contact.archived_at = None
        contact.save(update_fields=["archived_at", "updated_at"])
        audit_record(
            actor=actor,
            action=EcosystemAction.CONTACT_RESTORE,
            target=contact,
            changes={"archived": [True, False]},
        )
    return contact


def _consent_errors(
    *, kind: str, basis: str, given_on: date, source: str, expires_on: date | None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if kind not in ConsentKind.values:
        errors["kind"] = [ValidationError(_("Choose express or implied consent."), code="invalid")]
    if basis not in ConsentBasis.values:
        errors["basis"] = [ValidationError(_("Choose why consent was given."), code="invalid")]
    elif (kind == EXPRESS) != (basis == ConsentBasis.EXPRESS_REQUEST):
        errors["basis"] = [
            ValidationError(
                _(
                    "Express consent is given when the person is asked and agrees; the other "
                    "reasons make consent implied. Change the kind or the reason."
                ),
                code="mismatch",
            )
        ]
    if given_on > timezone.localdate():
        errors["given_on"] = [
            ValidationError(_("Consent cannot be given in the future."), code="future")
        ]
    if not source.strip():
        errors["source"] = [
            ValidationError(
                _("Say where and how it was given, e.g. the webinar registration form."),
                code="required",
            )
        ]
    if expires_on is not None and expires_on <= given_on:
        errors["expires_on"] = [
            ValidationError(_("The end date must come after the date given."), code="order")
        ]
    return errors


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    contact: Contact,
    kind: str,
    basis: str,
    given_on: date,
    source: str,
    expires_on: date | None = None,
) -> Consent:
    """Record a grant; implied consent gets its legal end date unless one is given."""
    require(actor, "ecosystem.manage_contacts", contact)
    errors = _consent_errors(
        kind=kind, basis=basis, given_on=given_on, source=source, expires_on=expires_on
    )
    if errors:
        raise ValidationError(errors)
    if kind == EXPRESS:
        expires_on = None
    elif expires_on is None:
        expires_on = default_expiry(kind=kind, basis=basis, given_on=given_on)
    consent = Consent.objects.create(
        contact=contact,
        kind=kind,
        basis=basis,
        given_on=given_on,
        source=source.strip(),
        expires_on=expires_on,
        recorded_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        actor=actor,
        action=EcosystemAction.CONSENT_RECORD,
        target=contact,
        changes={
            "kind": [None, kind],
            "basis": [None, basis],
            "given_on": [None, given_on.isoformat()],
            "expires_on": [None, expires_on.isoformat() if expires_on else None],
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: Actor, contact: Contact, withdrawn_on: date, source: str
) -> list[Consent]:
    """The person said no: every record still standing ends on that day."""
    require(actor, "ecosystem.manage_contacts", contact)
    errors: dict[str, list[ValidationError]] = {}
    if withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = [
            ValidationError(_("A withdrawal cannot be dated in the future."), code="future")
        ]
    if not source.strip():
        errors["source"] = [
            ValidationError(
                _("Say how it was withdrawn, e.g. an unsubscribe link or a phone call."),
                code="required",
            )
        ]
    standing = list(
        Consent.objects.select_for_update().filter(
            contact=contact, withdrawn_on__isnull=True, given_on__lte=withdrawn_on
        )
    )
    if not standing and not errors:
        errors["withdrawn_on"] = [
            ValidationError(
                _("There is no consent given on or before that date to withdraw."),
                code="nothing",
            )
        ]
    if errors:
        raise ValidationError(errors)
    for consent in standing:
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_source = source.strip()
        consent.save(update_fields=["withdrawn_on", "withdrawal_source", "updated_at"])
    audit_record(
        actor=actor,
        action=EcosystemAction.CONSENT_WITHDRAW,
        target=contact,
        changes={"withdrawn_on": [None, withdrawn_on.isoformat()]},
    )
    return standing
