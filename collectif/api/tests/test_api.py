"""The API root as a client meets it: reference data, documentation and errors."""

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from collectif.accounts.testing import ROLES, assert_role_access
from collectif.core.views import server_error


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


@pytest.mark.smoke
@pytest.mark.django_db
def test_the_provinces_are_listed_with_their_population(client: Client) -> None:
    response = client.get("/api/v1/provinces")
    assert response.status_code == 200
    provinces = response.json()
    assert [p["code"] for p in provinces][:2] == ["NL", "PE"]
    assert len(provinces) == 13
    assert sum(p["population_2021"] for p in provinces) == 36_991_981
    quebec = next(p for p in provinces if p["code"] == "QC")
    assert quebec == {
        "code": "QC",
        "sgc_code": 24,
        "name_en": "Quebec",
        "name_fr": "Québec",
        "population_2021": 8_501_833,
        "is_territory": False,
    }


@pytest.mark.django_db
def test_reference_data_is_public_to_every_role(client: Client) -> None:
    assert_role_access(client, "/api/v1/provinces", allowed=set(ROLES), api=True)
    assert_role_access(client, "/api/v1/postal-codes/H2X1Y4", allowed=set(ROLES), api=True)


@pytest.mark.django_db
def test_a_postal_code_finds_its_area(client: Client) -> None:
    response = client.get("/api/v1/postal-codes/h2x-1y4")
    assert response.status_code == 200
    area = response.json()
    assert area["postal_code"] == "H2X 1Y4"
    assert area["fsa"] == "H2X"
    assert area["province_code"] == "QC"
    assert "Plateau Mont-Royal" in area["place"]
    assert 45 < area["latitude"] < 46
    assert -74 < area["longitude"] < -73


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“D1A 1A1” is not a Canadian postal code."),
        ("fr", "«\u00a0D1A 1A1\u00a0» n’est pas un code postal canadien."),
    ],
)
@pytest.mark.django_db
def test_an_impossible_postal_code_is_refused_in_the_clients_language(
    client: Client, language: str, message: str
) -> None:
    response = client.get("/api/v1/postal-codes/D1A 1A1", headers={"Accept-Language": language})
    error = _error(response, 422)
    assert error["code"] == "invalid"
    [detail] = error["details"]
    assert detail["field"] == "code"
    assert detail["message"].startswith(message)


@pytest.mark.django_db
def test_a_wrong_token_is_refused_in_french_for_french_clients(client: Client) -> None:
    response = client.get(
        "/api/v1/provinces",
        headers={"Authorization": "Bearer not-a-real-token", "Accept-Language": "fr-CA,fr;q=0.9"},
    )
    error = _error(response, 401)
    assert error["code"] == "unauthenticated"
    assert error["message"] == (
        "Connectez-vous ou envoyez un jeton d’API valide dans l’en-tête Authorization."
    )
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.django_db
def test_a_malformed_authorization_header_is_refused(client: Client) -> None:
    response = client.get("/api/v1/provinces", headers={"Authorization": "Basic abc"})
    assert _error(response, 401)["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "path", ["/api/v1/organisations/no-such-organisation", "/api/v1/no-such-endpoint"]
)
@pytest.mark.django_db
def test_an_unknown_address_answers_in_the_api_error_format(client: Client, path: str) -> None:
    error = _error(client.get(path, headers={"Accept-Language": "fr"}), 404)
    assert error == {
        "code": "not_found",
        "message": "Rien n’a été trouvé à cette adresse.",
        "details": [],
    }


def test_a_crash_behind_the_api_answers_in_the_api_error_format() -> None:
    request = RequestFactory().get("/api/v1/provinces")
    with translation.override("fr"):
        response = server_error(request)
    assert response.status_code == 500
    assert json.loads(response.content)["error"] == {
        "code": "server_error",
        "message": "Un problème est survenu de notre côté. Réessayez dans quelques minutes.",
        "details": [],
    }


def test_the_openapi_document_describes_the_api() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Collectif API"
    assert "/api/v1/provinces" in document["paths"]
    assert "/api/v1/postal-codes/{code}" in document["paths"]
    schemas = document["components"]["schemas"]
    refs = _refs(document)
    assert refs, "the document should reference its schemas"
    for ref in refs:
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, f"dangling {ref}"


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return own.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def test_the_documentation_page_works_offline() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
