"""The organisation page as backbone staff use it: who acts for it, and whom to invite."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from collectif.accounts.models import Invitation, Membership, Role, User
from collectif.accounts.tests.factories import UserFactory
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.models import Organisation, Sector
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


def _staff(client: Client) -> User:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    return staff


def _page(client: Client, organisation: Organisation, language: str = "en") -> str:
    response = client.get(f"/{language}/ecosystem/organisations/{organisation.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def _member(organisation: Organisation, role: str, **person: str) -> User:
    user = UserFactory.create(**person)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.mark.django_db
def test_staff_see_who_acts_for_the_organisation_stewards_first(client: Client) -> None:
    organisation = OrganisationFactory.create()
    _member(organisation, Role.GOVERNANCE, full_name="Gabrielle Roy", email="gabrielle@example.org")
    _member(organisation, Role.STEWARD, full_name="Samir Haddad", email="samir@example.org")
    Invitation.objects.create(
        email="newcomer@example.org",
        organisation=organisation,
        role=Role.STEWARD,
        token_hash="a" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )
    _staff(client)

    page = _page(client, organisation)

    assert "People and roles" in page
    assert page.index("Samir Haddad") < page.index("Gabrielle Roy")
    assert "Partner data steward" in page and "Governance member" in page
    assert "No data steward yet" not in page
    assert "newcomer@example.org, as Partner data steward" in page
    invite = f'/en/accounts/invitations/new/?organisation={organisation.slug}"'
    assert invite in page and "Invite someone to this organisation" in page


@pytest.mark.django_db
def test_a_program_without_a_steward_says_so_and_offers_to_invite_one(client: Client) -> None:
    organisation = OrganisationFactory.create()
    _staff(client)

    page = _page(client, organisation)
    assert "No data steward yet." in page
    assert "its results are missing from the movement’s figures" in page
    assert f"?organisation={organisation.slug}&amp;role=steward" in page

    french = _page(client, organisation, "fr")
    assert "Aucun responsable des données pour l’instant." in french
    assert "Inviter quelqu’un dans cet organisme" in french


@pytest.mark.django_db
def test_an_organisation_that_reports_nothing_needs_no_steward_warning(client: Client) -> None:
    funder = OrganisationFactory.create(sector=Sector.objects.get(code="funder"))
    _staff(client)
    page = _page(client, funder)
    assert "No data steward yet." in page
    assert "Only an organisation that reports data needs one." in page
    assert "its results are missing" not in page


@pytest.mark.django_db
def test_an_archived_organisation_offers_no_invitation(client: Client) -> None:
    organisation = OrganisationFactory.create(archived_at=timezone.now())
    _staff(client)
    page = _page(client, organisation)
    assert "People and roles" in page
    assert "Invite someone to this organisation" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "steward", "governance"])
def test_people_stay_private_to_the_backbone(client: Client, role: str) -> None:
    organisation = OrganisationFactory.create()
    _member(organisation, Role.STEWARD, email="private-person@example.org")
    visitor = user_with_role(role, organisation)
    if visitor is not None:
        client.force_login(visitor)
    page = _page(client, organisation)
    assert "private-person@example.org" not in page
    assert "People and roles" not in page
    assert "Invite someone" not in page


@pytest.mark.django_db
def test_the_invitation_form_opens_with_the_organisation_and_role_chosen(client: Client) -> None:
    organisation = OrganisationFactory.create()
    _staff(client)
    page = client.get(
        f"/en/accounts/invitations/new/?organisation={organisation.slug}&role=steward"
    ).content.decode()
    assert f'<option value="{organisation.pk}" selected>' in page
    assert 'value="steward"' in page
    steward_radio = page[page.index('value="steward"') - 200 : page.index('value="steward"') + 100]
    assert "checked" in steward_radio


@pytest.mark.django_db
def test_an_unknown_or_archived_organisation_is_not_preselected(client: Client) -> None:
    archived = OrganisationFactory.create(archived_at=timezone.now())
    _staff(client)
    for slug in (archived.slug, "no-such-organisation"):
        page = client.get(f"/en/accounts/invitations/new/?organisation={slug}").content.decode()
        choices = page.split('name="organisation"')[1].split("</select>")[0]
        assert choices.count(" selected>") == 1
        assert '<option value="" selected>Choose an organisation</option>' in choices


@pytest.mark.django_db
def test_the_page_costs_the_same_with_3_or_30_people(client: Client) -> None:
    organisation = OrganisationFactory.create()
    _staff(client)

    def add(count: int) -> None:
        for number in range(count):
            _member(organisation, [Role.STEWARD, Role.GOVERNANCE][number % 2])

    url = f"/en/ecosystem/organisations/{organisation.slug}/"
    # 18 before the ecosystem map; then its reach (2), contacts panel (1) and pipeline (3:
    # its row, its latest steps, the staff who may look after it).
    assert same_queries_for_3_and_30(client, url, add) == 17


@pytest.mark.django_db
def test_the_staff_list_says_which_organisations_the_public_does_not_see(
    client: Client,
) -> None:
    OrganisationFactory.create_batch(3)
    OrganisationFactory.create(is_public=False)
    OrganisationFactory.create(archived_at=timezone.now())
    _staff(client)  # acts for one more public organisation: 4 public, active

    page = client.get("/en/ecosystem/organisations/").content.decode()
    assert "5 organisations 1 of them is private: the public site does not list" in page
    assert "archived" not in page.split("</p>")[0]

    with_archived = client.get("/en/ecosystem/organisations/?archived=1").content.decode()
    assert "6 organisations" in with_archived and "1 of them is archived." in with_archived

    french = client.get("/fr/ecosystem/organisations/").content.decode()
    assert "1 d’entre eux est privé\u00a0: le site public ne l’affiche ni ne le compte." in french


@pytest.mark.django_db
def test_the_public_home_counts_active_partners_as_the_public_list_does(client: Client) -> None:
    OrganisationFactory.create_batch(2)
    OrganisationFactory.create(is_public=False)
    OrganisationFactory.create(archived_at=timezone.now())
    assert "2</span> active partner organisations" in client.get("/en/").content.decode()
    listed = client.get("/en/ecosystem/partners/").content.decode()
    assert "2 organisations" in listed
