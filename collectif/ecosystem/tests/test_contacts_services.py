"""Contacts and consent as the services write them and the selectors read them back."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from collectif.accounts.models import User
from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.domain.consent import ConsentFacts, status_of
from collectif.ecosystem.models import Consent, Contact
from collectif.ecosystem.selectors import contacts as selectors
from collectif.ecosystem.services import contacts as services
from collectif.ecosystem.services.contacts import ContactData
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import (
    ConsentFactory,
    ContactFactory,
    OrganisationFactory,
)


def _staff() -> User:
    staff = user_with_role("staff")
    assert staff is not None
    return staff


@pytest.mark.django_db
def test_staff_add_a_contact_with_bilingual_roles_and_it_is_audited() -> None:
    staff = _staff()
    organisation = OrganisationFactory.create()
    contact = services.contact_create(
        actor=staff,
        data=ContactData(
            organisation=organisation,
            name="  Awinita Cardinal ",
            role_title_en="Executive director",
            role_title_fr="Directrice générale",
            preferred_language="fr",
            email="Awinita@Example.org",
        ),
    )
    contact.refresh_from_db()
    assert contact.name == "Awinita Cardinal"
    assert contact.email == "awinita@example.org"
    assert (contact.role_title_en, contact.role_title_fr) == (  # type: ignore[attr-defined]
        "Executive director",
        "Directrice générale",
    )
    event = AuditEvent.objects.get(action=EcosystemAction.CONTACT_CREATE)
    assert event.changes["name"] == [None, "Awinita Cardinal"]


@pytest.mark.django_db
def test_people_other_than_staff_cannot_touch_contacts() -> None:
    organisation = OrganisationFactory.create()
    steward = user_with_role("steward", organisation)
    assert steward is not None
    with pytest.raises(PermissionDenied):
        services.contact_create(
            actor=steward, data=ContactData(organisation=organisation, name="Someone")
        )
    contact = ContactFactory.create(organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=steward,
            contact=contact,
            kind="express",
            basis="express_request",
            given_on=date(2026, 1, 1),
            source="form",
        )
    assert not Contact.objects.filter(name="Someone").exists()


@pytest.mark.django_db
def test_a_contact_needs_a_name_and_a_valid_email() -> None:
    organisation = OrganisationFactory.create()
    with pytest.raises(ValidationError) as caught:
        services.contact_create(
            actor=SYSTEM,
            data=ContactData(organisation=organisation, name=" ", email="not-an-address"),
        )
    assert set(caught.value.error_dict) == {"name", "email"}
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_implied_consent_gets_its_legal_end_and_express_consent_none() -> None:
    contact = ContactFactory.create()
    inquiry = services.consent_record(
        actor=SYSTEM,
        contact=contact,
        kind="implied",
        basis="inquiry",
        given_on=date(2026, 1, 15),
        source="asked about volunteering by e-mail",
    )
    assert inquiry.expires_on == date(2026, 7, 15)
    express = services.consent_record(
        actor=SYSTEM,
        contact=contact,
        kind="express",
        basis="express_request",
        given_on=date(2026, 2, 1),
        source="newsletter sign-up form",
        expires_on=date(2027, 1, 1),
    )
    assert express.expires_on is None
    assert AuditEvent.objects.filter(action=EcosystemAction.CONSENT_RECORD).count() == 2


@pytest.mark.django_db
def test_consent_that_contradicts_itself_is_refused_whole() -> None:
    contact = ContactFactory.create()
    with pytest.raises(ValidationError) as caught:
        services.consent_record(
            actor=SYSTEM,
            contact=contact,
            kind="express",
            basis="inquiry",
            given_on=timezone.localdate() + timedelta(days=3),
            source="",
        )
    assert set(caught.value.error_dict) == {"basis", "given_on", "source"}
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_a_withdrawal_ends_every_standing_consent_and_the_contact_drops_from_mailings() -> None:
    contact = ContactFactory.create()
    ConsentFactory.create(contact=contact, given_on=date(2026, 1, 1))
    ConsentFactory.create(
        contact=contact,
        kind="implied",
        basis="address_given",
        given_on=date(2026, 2, 1),
        source="business card at the summit",
    )
    assert list(selectors.contacts_who_may_receive_email(on=date(2026, 3, 1))) == [contact]
    ended = services.consent_withdraw(
        actor=SYSTEM, contact=contact, withdrawn_on=date(2026, 3, 2), source="unsubscribe link"
    )
    assert len(ended) == 2
    assert list(selectors.contacts_who_may_receive_email(on=date(2026, 3, 1))) == [contact]
    assert not selectors.contacts_who_may_receive_email(on=date(2026, 3, 2)).exists()
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=SYSTEM, contact=contact, withdrawn_on=date(2026, 3, 5), source="again"
        )


@pytest.mark.django_db
def test_mailings_skip_archived_contacts_and_contacts_without_an_address() -> None:
    kept = ConsentFactory.create().contact
    no_address = ConsentFactory.create(contact=ContactFactory.create(email="")).contact
    archived = ConsentFactory.create().contact
    services.contact_archive(actor=SYSTEM, contact=archived)
    on = date(2026, 6, 1)
    assert list(selectors.contacts_who_may_receive_email(on=on)) == [kept]
    assert no_address.pk


@pytest.mark.django_db
def test_the_list_filters_by_standing_language_and_words() -> None:
    staff = _staff()
    today = timezone.localdate()
    may = ConsentFactory.create(
        contact=ContactFactory.create(name="Aline", preferred_language="fr"),
        given_on=today - timedelta(days=10),
    ).contact
    withdrawn = ConsentFactory.create(
        contact=ContactFactory.create(name="Bruno", preferred_language="en"),
        given_on=today - timedelta(days=10),
        withdrawn_on=today - timedelta(days=1),
    ).contact
    lapsed = ConsentFactory.create(
        contact=ContactFactory.create(name="Chloé", preferred_language="en"),
        kind="implied",
        basis="inquiry",
        given_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=200),
    ).contact
    nothing = ContactFactory.create(name="Dev", email="dev@mentors.ca")

    def names(**filters: str) -> list[str]:
        return [c.name for c in selectors.contact_list(user=staff, **filters)]  # type: ignore[arg-type]

    assert names() == ["Aline", "Bruno", "Chloé", "Dev"]
    statuses = {c.name: c.consent_status for c in selectors.contact_list(user=staff)}  # type: ignore[attr-defined]
    assert statuses == {
        "Aline": "may_email",
        "Bruno": "withdrawn",
        "Chloé": "expired",
        "Dev": "none",
    }
    assert names(status="may_email") == [may.name]
    assert names(status="withdrawn") == [withdrawn.name]
    assert names(status="expired") == [lapsed.name]
    assert names(status="none") == [nothing.name]
    assert names(language="en") == ["Bruno", "Chloé"]
    assert names(q="mentors.ca") == ["Dev"]
    assert names(organisation=may.organisation.slug) == ["Aline"]


class TestSqlFollowsTheDomain(TestCase):
    """The SQL standing of `contact_list` is the domain's `status_of`, for any records."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(
            st.tuples(
                st.booleans(),
                st.integers(-400, 10),
                st.one_of(st.none(), st.integers(-300, 300)),
                st.one_of(st.none(), st.integers(-300, 300)),
            ),
            max_size=3,
        )
    )
    def test_standing(self, records: list[tuple[bool, int, int | None, int | None]]) -> None:
        staff = _staff()
        today = timezone.localdate()
        contact = ContactFactory.create()
        facts = []
        for express, given_on, expires, withdrawn in records:
            fact = ConsentFacts(
                kind="express" if express else "implied",
                basis="express_request" if express else "inquiry",
                given_on=today + timedelta(days=given_on),
                expires_on=None if expires is None else today + timedelta(days=expires),
                withdrawn_on=None if withdrawn is None else today + timedelta(days=withdrawn),
            )
            facts.append(fact)
            ConsentFactory.create(contact=contact, **fact.__dict__)
        found = selectors.contact_list(user=staff, organisation=contact.organisation.slug).get()
        assert found.consent_status == status_of(facts, on=today)  # type: ignore[attr-defined]
