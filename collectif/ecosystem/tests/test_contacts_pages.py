"""The contact pages as backbone staff use them, and as nobody else may."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from collectif.accounts.models import User
from collectif.core.testing import same_queries_for_3_and_30
from collectif.ecosystem.models import Consent, Contact
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import (
    ConsentFactory,
    ContactFactory,
    OrganisationFactory,
)


def _staff(client: Client) -> User:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    return staff


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_only_staff_see_contacts(client: Client) -> None:
    contact = ContactFactory.create()
    for url in (
        "/en/ecosystem/contacts/",
        "/en/ecosystem/contacts/new/",
        f"/en/ecosystem/contacts/{contact.pk}/",
        f"/en/ecosystem/contacts/{contact.pk}/edit/",
    ):
        assert_role_access(client, url, allowed={"staff"})


@pytest.mark.django_db
def test_the_list_shows_each_standing_in_words_and_filters_it(client: Client) -> None:
    _staff(client)
    ConsentFactory.create(contact=ContactFactory.create(name="Aline Tremblay"))
    ContactFactory.create(name="Bruno Sioui")
    page = _page(client, "/en/ecosystem/contacts/")
    assert "2 contacts" in page
    assert "May receive e-mail" in page and "No consent" in page
    filtered = _page(client, "/en/ecosystem/contacts/?status=none")
    assert "Bruno Sioui" in filtered and "Aline Tremblay" not in filtered
    french = _page(client, "/fr/ecosystem/contacts/")
    assert "Peut recevoir des courriels" in french


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_3_or_30_contacts(client: Client) -> None:
    _staff(client)
    organisation = OrganisationFactory.create()

    def add(count: int) -> None:
        for _number in range(count):
            ConsentFactory.create(contact=ContactFactory.create(organisation=organisation))

    same_queries_for_3_and_30(client, "/en/ecosystem/contacts/", add)


@pytest.mark.django_db
def test_the_organisation_page_lists_its_contacts_for_staff_only(client: Client) -> None:
    organisation = OrganisationFactory.create()
    ContactFactory.create(organisation=organisation, name="Sakura Ito")
    url = f"/en/ecosystem/organisations/{organisation.slug}/"
    assert "Sakura Ito" not in _page(client, url)
    _staff(client)
    page = _page(client, url)
    assert "Sakura Ito" in page and "Add a contact at this organisation" in page

    def add(count: int) -> None:
        for _number in range(count):
            ConsentFactory.create(contact=ContactFactory.create(organisation=organisation))

    same_queries_for_3_and_30(client, url, add)


@pytest.mark.django_db
def test_staff_add_a_contact_from_the_organisation_page(client: Client) -> None:
    _staff(client)
    organisation = OrganisationFactory.create()
    form = _page(client, f"/en/ecosystem/contacts/new/?organisation={organisation.slug}")
    assert f'value="{organisation.pk}" selected' in form
    response = client.post(
        "/en/ecosystem/contacts/new/",
        {
            "organisation": organisation.pk,
            "name": "Marie Poirier",
            "role_title_en": "Volunteer coordinator",
            "role_title_fr": "Coordonnatrice des bénévoles",
            "preferred_language": "fr",
            "email": "marie@example.org",
        },
    )
    contact = Contact.objects.get(name="Marie Poirier")
    assert response.status_code == 302
    assert response["Location"] == f"/en/ecosystem/contacts/{contact.pk}/"
    page = _page(client, response["Location"])
    assert "Coordonnatrice des bénévoles" in page
    assert "No consent recorded: do not send e-mail." in page


@pytest.mark.django_db
def test_a_wrong_form_keeps_the_input_and_says_what_to_fix(client: Client) -> None:
    _staff(client)
    organisation = OrganisationFactory.create()
    response = client.post(
        "/en/ecosystem/contacts/new/",
        {"organisation": organisation.pk, "name": "", "preferred_language": "en", "email": "x"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_name"' in page
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_staff_record_consent_and_its_withdrawal_and_the_history_stays(client: Client) -> None:
    _staff(client)
    contact = ContactFactory.create()
    url = f"/en/ecosystem/contacts/{contact.pk}/"
    given = timezone.localdate() - timedelta(days=30)
    response = client.post(
        f"{url}consent/",
        {
            "consent-kind": "implied",
            "consent-basis": "inquiry",
            "consent-given_on": given.isoformat(),
            "consent-source": "asked about mentoring at the fair",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(contact=contact)
    assert consent.expires_on is not None and consent.expires_on > given
    page = _page(client, url)
    assert "Implied consent since" in page and "asked about mentoring at the fair" in page
    response = client.post(
        f"{url}withdraw/",
        {
            "withdraw-withdrawn_on": timezone.localdate().isoformat(),
            "withdraw-source": "phone call",
        },
    )
    assert response.status_code == 302
    page = _page(client, url)
    assert "Consent withdrawn" in page and "phone call" in page
    assert "Record a withdrawal" not in page


@pytest.mark.django_db
def test_a_refused_consent_shows_on_the_page_with_nothing_written(client: Client) -> None:
    _staff(client)
    contact = ContactFactory.create()
    response = client.post(
        f"/en/ecosystem/contacts/{contact.pk}/consent/",
        {
            "consent-kind": "express",
            "consent-basis": "inquiry",
            "consent-given_on": date(2026, 1, 1).isoformat(),
            "consent-source": "form",
        },
    )
    assert response.status_code == 422
    assert "Express consent is given when the person is asked" in response.content.decode()
    assert not Consent.objects.exists()
    assert client.get(f"/en/ecosystem/contacts/{contact.pk}/consent/").status_code == 405


@pytest.mark.django_db
def test_staff_edit_and_archive_a_contact(client: Client) -> None:
    _staff(client)
    contact = ContactFactory.create(name="Old Name")
    form = _page(client, f"/en/ecosystem/contacts/{contact.pk}/edit/")
    assert 'value="Old Name"' in form
    response = client.post(
        f"/en/ecosystem/contacts/{contact.pk}/edit/",
        {
            "organisation": contact.organisation_id,
            "name": "New Name",
            "preferred_language": "en",
            "email": contact.email,
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "New Name"
    client.post(f"/en/ecosystem/contacts/{contact.pk}/archive/")
    contact.refresh_from_db()
    assert contact.archived_at is not None
    assert f'href="/en/ecosystem/contacts/{contact.pk}/"' not in _page(
        client, "/en/ecosystem/contacts/"
    )
    assert "Restore" in _page(client, f"/en/ecosystem/contacts/{contact.pk}/")
    client.post(f"/en/ecosystem/contacts/{contact.pk}/restore/")
    assert f'href="/en/ecosystem/contacts/{contact.pk}/"' in _page(
        client, "/en/ecosystem/contacts/"
    )


@pytest.mark.django_db
def test_a_role_given_in_one_language_shows_in_the_other_with_a_note(client: Client) -> None:
    _staff(client)
    ContactFactory.create(role_title_en="", role_title_fr="Agente de liaison")
    page = _page(client, "/en/ecosystem/contacts/")
    assert '<span lang="fr">Agente de liaison</span>' in page and "in French only" in page
