import pytest
from django.test import Client
from django.utils import timezone

from collectif.accounts.models import Role
from collectif.accounts.services import api_token_create
from collectif.core.models import AuditEvent, Province
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.models import Organisation, Sector
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory

EVERYONE = {"anonymous", "no_role", *[r.value for r in Role]}


def _bearer(role: str) -> dict[str, str]:
    user = user_with_role(role)
    assert user is not None
    _token, secret = api_token_create(actor=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def _payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_en": "Mentoring Circle of Halifax",
        "name_fr": "Cercle de mentorat d’Halifax",
        "sector": "non-profit",
        "head_office_province": "NS",
        "provinces_served": ["NS", "pe"],
        "website": "https://example.org/halifax",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_list_is_public_filtered_and_paged(client: Client) -> None:
    funder = Sector.objects.get(code="funder")
    for number in range(5):
        OrganisationFactory.create(name_en=f"Fund {number}", sector=funder)
    OrganisationFactory.create(name_en="Fund hidden", sector=funder, is_public=False)
    OrganisationFactory.create(name_en="Program", head_office_province_id="YT")
    response = client.get("/api/v1/organisations?sector=funder&page=2&page_size=2")
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["page"], body["pages"]) == (5, 2, 3)
    assert [o["name_en"] for o in body["results"]] == ["Fund 2", "Fund 3"]
    base = "http://testserver/api/v1/organisations?sector=funder"
    assert body["next"] == f"{base}&page=3&page_size=2"
    assert body["previous"] == f"{base}&page=1&page_size=2"
    last = client.get(body["next"]).json()
    assert ([o["name_en"] for o in last["results"]], last["next"]) == (["Fund 4"], None)
    first = body["results"][0]
    assert first["sector"] == "funder"
    assert first["head_office_province"] == "ON"
    assert first["archived"] is False
    assert first["url"].startswith("http://testserver/en/ecosystem/organisations/")
    assert client.get("/api/v1/organisations?province=yt").json()["count"] == 1
    assert client.get("/api/v1/organisations?page_size=101").status_code == 422
    assert_role_access(client, "/api/v1/organisations", allowed=EVERYONE, api=True)


@pytest.mark.django_db
def test_staff_also_see_private_organisations(client: Client) -> None:
    OrganisationFactory.create(slug="private", is_public=False)
    assert client.get("/api/v1/organisations/private").status_code == 404
    response = client.get("/api/v1/organisations/private", headers=_bearer("staff"))
    assert response.json()["is_public"] is False


@pytest.mark.smoke
@pytest.mark.django_db
def test_staff_create_with_a_token(client: Client) -> None:
    response = client.post(
        "/api/v1/organisations",
        _payload(),
        content_type="application/json",
        headers=_bearer("staff"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "mentoring-circle-of-halifax"
    assert body["provinces_served"] == ["NS", "PE"]
    assert AuditEvent.objects.filter(action=EcosystemAction.ORGANISATION_CREATE).count() == 1


@pytest.mark.django_db
def test_only_staff_may_create(client: Client) -> None:
    response = client.post(
        "/api/v1/organisations",
        _payload(),
        content_type="application/json",
        headers=_bearer("steward"),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Organisation.objects.filter(slug="mentoring-circle-of-halifax").exists()
    assert_role_access(
        client,
        "/api/v1/organisations",
        allowed={"staff"},
        api=True,
        method="post",
        data=_payload(name_en="Another Circle", name_fr=""),
    )


@pytest.mark.django_db
def test_a_wrong_token_is_refused_in_the_clients_language(client: Client) -> None:
    response = client.post(
        "/api/v1/organisations",
        _payload(),
        content_type="application/json",
        headers={"Authorization": "Bearer clf_not-a-real-token", "Accept-Language": "fr"},
    )
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("Connectez-vous")


@pytest.mark.django_db
def test_a_duplicate_gives_422_with_details_in_french(client: Client) -> None:
    OrganisationFactory.create(name_en="Mentoring Circle of Halifax", head_office_province_id="NS")
    headers = {**_bearer("staff"), "Accept-Language": "fr"}
    response = client.post(
        "/api/v1/organisations", _payload(), content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"][0]["field"] == "name_en"
    assert (
        "a déjà son siège dans cette province ou ce territoire (Nouvelle-Écosse)"
        in error["details"][0]["message"]
    )


@pytest.mark.django_db
def test_unknown_codes_are_named(client: Client) -> None:
    response = client.post(
        "/api/v1/organisations",
        _payload(sector="circus", head_office_province="XX", provinces_served=["ZZ"]),
        content_type="application/json",
        headers=_bearer("staff"),
    )
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"sector", "head_office_province", "provinces_served"}


@pytest.mark.django_db
def test_patch_archive_and_restore(client: Client) -> None:
    OrganisationFactory.create(slug="circle")
    headers = _bearer("staff")
    response = client.patch(
        "/api/v1/organisations/circle",
        {"size_band": "1-9", "provinces_served": ["NU"]},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["size_band"] == "1-9"
    assert response.json()["provinces_served"] == ["NU"]
    response = client.post("/api/v1/organisations/circle/archive", headers=headers)
    assert response.json()["archived"] is True
    assert Organisation.objects.get(slug="circle").archived_at is not None
    response = client.post("/api/v1/organisations/circle/restore", headers=headers)
    assert response.json()["archived"] is False
    assert_role_access(
        client,
        "/api/v1/organisations/circle",
        allowed={"staff"},
        api=True,
        method="patch",
        data={},
    )
    assert_role_access(
        client, "/api/v1/organisations/circle/archive", allowed={"staff"}, api=True, method="post"
    )


@pytest.mark.django_db
def test_an_archived_organisation_is_gone_for_the_public(client: Client) -> None:
    OrganisationFactory.create(slug="gone", archived_at=timezone.now())
    assert client.get("/api/v1/organisations/gone").status_code == 404


@pytest.mark.django_db
def test_the_sectors(client: Client) -> None:
    body = client.get("/api/v1/sectors").json()["results"]
    assert len(body) == 8
    assert body[0] == {
        "code": "non-profit",
        "name_en": "Non-profit",
        "name_fr": "Organisme à but non lucratif",
        "position": 1,
    }
    assert Province.objects.count() == 13
