"""The layout every page shares, the language switch, error pages and the health check."""

import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import translation

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.views import server_error
from collectif.ecosystem.tests.factories import OrganisationFactory

LAND_EN = "traditional, ancestral and unceded territories"
LAND_FR = "territoires traditionnels, ancestraux et non cédés"


def _text(response: Any) -> str:
    return str(response.content.decode())


@pytest.mark.smoke
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "skip", "land"),
    [("en", "Skip to main content", LAND_EN), ("fr", "Passer au contenu principal", LAND_FR)],
)
def test_every_page_has_the_accessible_bilingual_layout(
    client: Client, language: str, skip: str, land: str
) -> None:
    for page in ("", "about/", "privacy/", "accessibility/"):
        html = _text(client.get(f"/{language}/{page}"))
        assert f'<html lang="{language}-CA">' in html
        assert f'<a class="skip-link" href="#main">{skip}</a>' in html
        assert html.count("<h1") == 1, page
        assert '<main id="main"' in html
        assert re.search(r'<nav [^>]*aria-label="[^"]+"', html)
        assert land in html


@pytest.mark.django_db
def test_the_root_address_leads_to_a_language(client: Client) -> None:
    response = client.get("/", headers={"Accept-Language": "fr-CA"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


@pytest.mark.django_db
def test_the_language_switch_offers_the_other_language_and_keeps_the_page(
    client: Client,
) -> None:
    html = _text(client.get("/en/about/?tab=1"))
    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/en/about/?tab=1">' in html
    assert 'name="language" value="fr" lang="fr"' in html
    assert ">Français</button>" in html
    assert 'value="en" lang="en"' in _text(client.get("/fr/about/"))


@pytest.mark.django_db
def test_switching_language_lands_on_the_same_page_in_the_other_language(
    client: Client,
) -> None:
    response = client.post(
        "/i18n/setlang/", {"language": "fr", "next": "/en/ecosystem/partners/?q=x"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/ecosystem/partners/?q=x"
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/fr/about/"})
    assert back["Location"] == "/en/about/"


@pytest.mark.django_db
def test_switching_language_never_sends_people_to_another_site(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "other"),
    [("en", "Page not found", "Page introuvable"), ("fr", "Page introuvable", "Page not found")],
)
def test_an_unknown_page_says_so_in_the_readers_language(
    client: Client, language: str, title: str, other: str
) -> None:
    response = client.get(f"/{language}/does-not-exist/")
    assert response.status_code == 404
    html = _text(response)
    assert f"<h1>{title}</h1>" in html
    assert other not in html
    assert f'<html lang="{language}-CA">' in html


@pytest.mark.django_db
def test_a_page_someone_may_not_use_says_so_in_their_language(client: Client) -> None:
    client.force_login(UserFactory.create())
    response = client.get("/fr/backbone/")
    assert response.status_code == 403
    assert "<h1>Vous ne pouvez pas utiliser cette page</h1>" in _text(response)
    english = client.get("/en/backbone/")
    assert "<h1>You cannot use this page</h1>" in _text(english)


@pytest.mark.django_db
def test_signed_out_visitors_are_asked_to_sign_in_for_staff_pages(client: Client) -> None:
    response = client.get("/en/backbone/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "code"),
    [
        ("en", "Sorry, something went wrong", "Error code: 500"),
        ("fr", "Désolés, un problème est survenu", "Code d’erreur\u00a0: 500"),
    ],
)
def test_the_server_error_page_is_bilingual(language: str, title: str, code: str) -> None:
    request = RequestFactory().get(f"/{language}/about/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = server_error(request)
    assert response.status_code == 500
    html = _text(response)
    assert f"<h1>{title}</h1>" in html
    assert code in html


@pytest.mark.django_db
def test_the_server_error_page_renders_when_the_database_is_down() -> None:
    request = RequestFactory().get("/en/")
    request.user = UserFactory.create()
    with mock.patch(
        "collectif.accounts.permissions.Membership.objects.filter",
        side_effect=OperationalError("database is gone"),
    ):
        response = server_error(request)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in _text(response)


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_health_answers_503_when_the_database_does_not() -> None:
    with mock.patch(
        "collectif.core.views.connection.cursor", side_effect=OperationalError("refused")
    ):
        response = Client().get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


@pytest.mark.django_db
def test_the_header_says_which_roles_the_person_holds_in_their_language(
    client: Client,
) -> None:
    organisation = OrganisationFactory.create()
    person = UserFactory.create(full_name="Léa Roy")
    for role in (Role.STEWARD, Role.STAFF):
        Membership.objects.create(user=person, organisation=organisation, role=role)
    client.force_login(person)
    english = _text(client.get("/en/about/"))
    assert '<span class="user-roles">Backbone staff, Partner data steward</span>' in english
    french = _text(client.get("/fr/about/"))
    assert "Équipe de la structure de soutien, Responsable des données d’un partenaire" in french
    client.force_login(UserFactory.create())
    assert 'class="user-roles"' not in _text(client.get("/en/about/"))
