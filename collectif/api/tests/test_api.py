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
    response = Client().get("/api/v1/docs", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<script" not in html.split("</footer>")[0].split("<main")[1]
    assert "cdn" not in html.lower()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def _schema_of(operation: dict[str, Any], status: str) -> str:
    content = operation["responses"][status]["content"]["application/json"]["schema"]
    return str(content.get("$ref", content)).rsplit("/", 1)[-1]


def test_every_operation_declares_the_errors_it_can_give_in_the_error_format() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    for method, path, operation in _operations(document):
        statuses = set(operation["responses"])
        assert {"400", "401", "422"} <= statuses, (method, path)
        for status in statuses - {"200", "201", "202"}:
            assert _schema_of(operation, status) == "ErrorOut", (method, path, status)
        if "{" in path:
            assert "404" in statuses, (method, path)
        if method != "GET":
            assert "403" in statuses, (method, path)
    error = document["components"]["schemas"]["ErrorBodyOut"]
    assert set(error["required"]) == {"code", "message", "details"}


def test_every_list_is_a_page_with_a_count_and_links() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    lists = {
        path: _schema_of(operation, "200")
        for method, path, operation in _operations(document)
        if method == "GET"
        and "{" not in path
        # One object each: the person, a sum, the gap matrix, the network's summary.
        and not path.endswith(("/me", "/aggregate", "/gaps", "/network"))
    }
    assert set(lists) == {
        "/api/v1/provinces",
        "/api/v1/organisations",
        "/api/v1/sectors",
        "/api/v1/measurement/indicators",
        "/api/v1/measurement/periods",
        "/api/v1/measurement/datasets",
        "/api/v1/measurement/submissions",
        "/api/v1/research/figures",
        "/api/v1/relationships",
        "/api/v1/relationships/types",
        "/api/v1/contacts",
        "/api/v1/engagement/events",
        "/api/v1/reach/populations",
        "/api/v1/reach/equity-identities",
        "/api/v1/network/nodes",
    }
    for path, name in lists.items():
        page = schemas[name]
        assert name.endswith("Page"), path
        assert set(page["required"]) == {
            "count",
            "page",
            "pages",
            "page_size",
            "next",
            "previous",
            "results",
        }
        parameters = next(op for m, p, op in _operations(document) if (m, p) == ("GET", path))[
            "parameters"
        ]
        size = next(p for p in parameters if p["name"] == "page_size")
        assert size["schema"]["maximum"] == 100, path
    summary = schemas["SubmissionSummaryOut"]["properties"]
    assert summary["values"]["type"] == "integer"
