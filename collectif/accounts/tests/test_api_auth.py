"""API authentication as a client meets it: a wrong or malformed token is refused."""

from typing import Any

import pytest
from django.test import Client


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    return error


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
