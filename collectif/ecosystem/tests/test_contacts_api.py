"""The contacts API: staff only, paged and filtered, consent recorded and withdrawn."""

from datetime import date

import pytest
from django.test import Client

from collectif.accounts.services import api_token_create
from collectif.core.models import AuditEvent
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.models import Contact
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import (
    ConsentFactory,
    ContactFactory,
    OrganisationFactory,
)


def _headers() -> dict[str, str]:
    staff = user_with_role("staff")
    assert staff is not None
    _token, secret = api_token_create(actor=staff, name="test")
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.django_db
def test_only_staff_reach_the_contacts(client: Client) -> None:
    contact = ContactFactory.create()
    assert_role_access(client, "/api/v1/contacts", allowed={"staff"}, api=True)
    assert_role_access(client, f"/api/v1/contacts/{contact.pk}", allowed={"staff"}, api=True)


@pytest.mark.django_db
def test_the_list_is_paged_and_filtered_by_standing(client: Client) -> None:
    headers = _headers()
    for number in range(3):
        ConsentFactory.create(contact=ContactFactory.create(name=f"Yes {number}"))
    ContactFactory.create(name="No consent")
    body = client.get("/api/v1/contacts?status=may_email&page_size=2", headers=headers).json()
    assert (body["count"], body["pages"]) == (3, 2)
    first = body["results"][0]
    assert first["name"] == "Yes 0" and first["consent_status"] == "may_email"
    assert first["consents"][0]["kind"] == "express"
    assert first["consent_summary"].startswith("Express consent since May 3, 2026")
    none = client.get("/api/v1/contacts?status=none", headers=headers).json()
    assert [c["name"] for c in none["results"]] == ["No consent"]


@pytest.mark.django_db
def test_create_change_consent_and_withdraw_through_the_api(client: Client) -> None:
    headers = _headers()
    organisation = OrganisationFactory.create()
    created = client.post(
        "/api/v1/contacts",
        {
            "organisation": organisation.slug,
            "name": "Nadia Ouellet",
            "role_title_fr": "Coordonnatrice",
            "preferred_language": "fr",
            "email": "nadia@example.org",
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    contact_id = created.json()["id"]
    assert created.json()["consent_status"] == "none"
    changed = client.patch(
        f"/api/v1/contacts/{contact_id}",
        {"phone": "514-555-0199"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.json()["phone"] == "514-555-0199"
    consent = client.post(
        f"/api/v1/contacts/{contact_id}/consents",
        {
            "kind": "implied",
            "basis": "business_relationship",
            "given_on": "2026-01-15",
            "source": "signed the partnership agreement",
        },
        content_type="application/json",
        headers=headers,
    )
    assert consent.status_code == 201, consent.content
    assert consent.json()["consents"][0]["expires_on"] == "2028-01-15"
    withdrawn = client.post(
        f"/api/v1/contacts/{contact_id}/withdrawal",
        {"withdrawn_on": "2026-02-01", "source": "unsubscribe link"},
        content_type="application/json",
        headers=headers,
    )
    assert withdrawn.json()["consent_status"] == "withdrawn"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        EcosystemAction.CONTACT_CREATE,
        EcosystemAction.CONTACT_UPDATE,
        EcosystemAction.CONSENT_RECORD,
        EcosystemAction.CONSENT_WITHDRAW,
    } <= actions


@pytest.mark.django_db
def test_wrong_input_is_refused_field_by_field(client: Client) -> None:
    headers = _headers()
    response = client.post(
        "/api/v1/contacts",
        {"organisation": "nowhere", "name": "X"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert not Contact.objects.exists()
    contact = ContactFactory.create()
    response = client.post(
        f"/api/v1/contacts/{contact.pk}/consents",
        {"kind": "express", "basis": "inquiry", "given_on": str(date(2026, 1, 1)), "source": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "basis"
