"""Every failure the API can meet answers in one format, in the client's language."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.testing import TestClient

from collectif.core.api_errors import install_error_handlers

probe = NinjaAPI(urls_namespace="error-probe")
install_error_handlers(probe)


@probe.get("/count")
def count(request: HttpRequest, limit: int, page: int = 1) -> dict[str, int]:
    return {"limit": limit, "page": page}


@probe.get("/forbidden")
def forbidden(request: HttpRequest) -> None:
    raise PermissionDenied


@probe.get("/missing")
def missing(request: HttpRequest) -> None:
    raise Http404


@probe.get("/invalid-fields")
def invalid_fields(request: HttpRequest) -> None:
    raise ValidationError({"name": ["Too short."], "website": ["Not a web address."]})


@probe.get("/invalid")
def invalid(request: HttpRequest) -> None:
    raise ValidationError("Dates are in the wrong order.")


@probe.get("/teapot")
def teapot(request: HttpRequest) -> None:
    raise HttpError(418, "I am a teapot.")


client = TestClient(probe)


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    error: dict[str, Any] = body["error"]
    return error


def test_a_malformed_request_lists_each_wrong_field() -> None:
    error = _error(client.get("/count?limit=many&page=x"), 422)
    assert error["code"] == "invalid"
    assert error["message"] == "The request is not valid."
    assert {detail["field"] for detail in error["details"]} == {"limit", "page"}
    assert all(detail["message"] for detail in error["details"])


def test_a_missing_parameter_is_named() -> None:
    error = _error(client.get("/count"), 422)
    assert [detail["field"] for detail in error["details"]] == ["limit"]


def test_invalid_data_names_each_field_and_its_problem() -> None:
    error = _error(client.get("/invalid-fields"), 422)
    assert error["details"] == [
        {"field": "name", "message": "Too short."},
        {"field": "website", "message": "Not a web address."},
    ]


def test_invalid_data_without_a_field_still_says_what_is_wrong() -> None:
    error = _error(client.get("/invalid"), 422)
    assert error["details"] == [{"field": "", "message": "Dates are in the wrong order."}]


@pytest.mark.parametrize(
    ("path", "status", "code", "french"),
    [
        ("/forbidden", 403, "forbidden", "Vous n’avez pas le droit de faire cela."),
        ("/missing", 404, "not_found", "Rien n’a été trouvé à cette adresse."),
        ("/count?limit=x", 422, "invalid", "La requête n’est pas valide."),
    ],
)
def test_errors_are_written_in_french_for_french_clients(
    path: str, status: int, code: str, french: str
) -> None:
    with translation.override("fr"):
        error = _error(client.get(path), status)
    assert error["code"] == code
    assert error["message"] == french


def test_other_http_errors_keep_their_status_and_message() -> None:
    error = _error(client.get("/teapot"), 418)
    assert error == {"code": "error", "message": "I am a teapot.", "details": []}
