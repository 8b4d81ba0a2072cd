"""The API's documentation page: every operation, in the reader's language, from the
OpenAPI document the API serves."""

import pytest
from django.test import Client
from django.utils import translation

from collectif.api.api import api
from collectif.api.docs import Text, grouped_operations


def test_the_api_docs_address_leads_to_the_page_in_the_readers_language() -> None:
    french = Client().get("/api/v1/docs", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    english = Client().get("/api/v1/docs", headers={"Accept-Language": "en-CA"})
    assert (french.status_code, french["Location"]) == (302, "/fr/api/")
    assert (english.status_code, english["Location"]) == (302, "/en/api/")


@pytest.mark.django_db
def test_the_french_page_lists_every_operation_in_french() -> None:
    html = Client().get("/fr/api/").content.decode()
    assert '<html lang="fr-CA">' in html
    assert "<h1>Documentation de l’API</h1>" in html
    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        for operation in item.values():
            assert f'id="{operation["operationId"]}"' in html
        assert f"<code>{path}</code>" in html
    assert '<span lang="fr">Chercher parmi les organismes</span>' in html
    assert '<th scope="row"><code>include_archived</code></th>' in html
    assert "Le jeton est absent ou erroné" in html  # what a 401 means
    assert 'href="/api/v1/openapi.json"' in html
    assert Client().get("/api/v1/openapi.json").status_code == 200


@pytest.mark.django_db
def test_an_untranslated_sentence_is_marked_as_english() -> None:
    document = {
        "paths": {
            "/api/v1/things": {
                "get": {
                    "operationId": "things",
                    "tags": ["things"],
                    "summary": "List the things",
                    "description": "Send `submit: true` to send it.",
                    "responses": {"200": {}},
                }
            }
        }
    }
    with translation.override("fr"):
        [(tag, name, [operation])] = grouped_operations(document)
    assert (tag, name) == ("things", "things")
    assert operation.summary == Text("List the things", "en")
    assert operation.description is not None
    assert operation.description.parts == [
        ("Send ", False),
        ("submit: true", True),
        (" to send it.", False),
    ]
    assert operation.responses == [("200", "Réussite")]
