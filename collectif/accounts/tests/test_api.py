import pytest
from django.test import Client

from collectif.accounts import services
from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_me_needs_a_person(client: Client):
    assert_role_access(
        client,
        "/api/v1/me",
        allowed={"no_role", "staff", "steward", "governance", "researcher"},
        api=True,
    )


@pytest.mark.smoke
@pytest.mark.django_db
def test_me_describes_the_token_owner(client: Client):
    person = UserFactory.create(
        email="lea@example.org", full_name="Léa Roy", preferred_language="fr"
    )
    organisation = OrganisationFactory.create(
        slug="mentors-regina", name_en="Mentors Regina", name_fr="Mentors de Regina"
    )
    Membership.objects.create(user=person, organisation=organisation, role=Role.STEWARD)
    _token, secret = services.api_token_create(actor=person, name="test")

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "lea@example.org"
    assert body["full_name"] == "Léa Roy"
    assert body["language"] == "fr"
    assert body["roles"] == ["steward"]
    assert body["memberships"] == [
        {
            "organisation": "mentors-regina",
            "organisation_name_en": "Mentors Regina",
            "organisation_name_fr": "Mentors de Regina",
            "role": "steward",
            "role_label": "Partner data steward",
        }
    ]


@pytest.mark.django_db
def test_a_wrong_token_gets_401_in_the_standard_format_and_language(client: Client):
    response = client.get(
        "/api/v1/me", headers={"Authorization": "Bearer clf_wrong", "Accept-Language": "fr"}
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "unauthenticated"
    assert "jeton" in error["message"].lower()

    english = client.get(
        "/api/v1/me", headers={"Authorization": "Bearer clf_wrong", "Accept-Language": "en"}
    )
    assert "token" in english.json()["error"]["message"]


@pytest.mark.django_db
def test_a_revoked_token_is_refused(client: Client):
    person = user_with_role(Role.RESEARCHER)
    assert person is not None
    token, secret = services.api_token_create(actor=person, name="old")
    services.api_token_revoke(actor=person, token=token)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
