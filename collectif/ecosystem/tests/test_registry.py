import pytest
from django.test import Client

from collectif.accounts.models import User
from collectif.core.models import Province
from collectif.ecosystem.models import Sector
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


def _person(role: str) -> User:
    user = user_with_role(role)
    assert user is not None
    return user


@pytest.mark.django_db
def test_staff_see_the_organisations_in_the_menu_and_what_needs_a_steward(
    client: Client,
) -> None:
    OrganisationFactory.create(sector=Sector.objects.get(code="youth-led"))
    OrganisationFactory.create(sector=Sector.objects.get(code="funder"))
    client.force_login(_person("staff"))
    page = client.get("/fr/backbone/").content.decode()
    assert 'href="/fr/ecosystem/organisations/"' in page
    assert "Organismes de programme sans responsable des données" in page
    assert 'href="/fr/ecosystem/organisations/?steward=none"' in page
    listed = client.get("/fr/ecosystem/organisations/?steward=none").content.decode()
    assert "1 organisme" in listed


@pytest.mark.django_db
def test_stewards_do_not_get_the_staff_menu_entry(client: Client) -> None:
    client.force_login(_person("steward"))
    page = client.get("/en/").content.decode()
    assert 'href="/en/ecosystem/organisations/"' not in page


@pytest.mark.django_db
def test_the_public_home_shows_partners_and_places_reached(client: Client) -> None:
    for _ in range(3):
        OrganisationFactory.create().provinces_served.set(Province.objects.all())
    OrganisationFactory.create(is_public=False)
    page = client.get("/fr/").content.decode()
    assert "3</span> organismes partenaires actifs" in page
    assert "13</span> provinces et territoires rejoints" in page
