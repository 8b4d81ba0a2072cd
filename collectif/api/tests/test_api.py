"""The API root as a client meets it: one error format, the documentation, OpenAPI."""

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from collectif.core.views import server_error


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


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
