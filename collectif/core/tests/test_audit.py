"""Backbone staff browse the audit trail: every change, who made it and when, in words."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from collectif.accounts.audit import AccountsAction
from collectif.accounts.tests.factories import UserFactory
from collectif.core.actors import SYSTEM
from collectif.core.audit import action_label, change_lines, event_sentence
from collectif.core.models import AuditEvent, Province
from collectif.core.services import audit_record, diff_fields
from collectif.core.testing import queries_for
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.testing import assert_role_access, user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory

AUDIT = "/en/backbone/audit/"


def _at(event: AuditEvent, day: datetime.date) -> None:
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=moment)


@pytest.fixture
def staff_client(client: Client) -> Client:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)
    return client


@pytest.fixture
def events() -> dict[str, Any]:
    alice = UserFactory.create(email="alice@example.org", full_name="Alice Arsenault")
    bruno = UserFactory.create(email="bruno@example.org", full_name="")
    organisation = OrganisationFactory.create(name_en="Big Friends of Montréal")
    created = audit_record(
        actor=alice, action=EcosystemAction.ORGANISATION_CREATE, target=organisation
    )
    invited = audit_record(
        actor=bruno, action=AccountsAction.INVITATION_CREATE, changes={"role": "steward"}
    )
    revoked = audit_record(actor=alice, action=AccountsAction.API_TOKEN_REVOKE)
    _at(created, datetime.date(2026, 3, 1))
    _at(invited, datetime.date(2026, 4, 15))
    _at(revoked, datetime.date(2026, 5, 30))
    return {"alice": alice, "bruno": bruno}


@pytest.mark.smoke
@pytest.mark.django_db
def test_the_audit_log_is_for_backbone_staff_only(client: Client) -> None:
    assert_role_access(client, AUDIT, allowed={"staff"})


@pytest.mark.django_db
def test_an_audit_record_says_who_did_what_to_what() -> None:
    person = UserFactory.create(email="chloe@example.org")
    yukon = Province.objects.get(code="YT")
    event = audit_record(
        actor=person,
        action=EcosystemAction.ORGANISATION_UPDATE,
        target=yukon,
        changes={"when": datetime.date(2026, 1, 2)},
    )
    event.refresh_from_db()
    assert event.actor == person
    assert event.actor_label == "chloe@example.org"
    assert event.action == "ecosystem.organisation_update"
    assert event.object_id == "YT"
    assert event.object_label == str(yukon)
    assert event.content_type is not None
    assert event.content_type.model == "province"
    assert event.changes == {"when": "2026-01-02"}


@pytest.mark.django_db
def test_changes_made_by_the_system_are_labelled_so() -> None:
    event = audit_record(actor=SYSTEM, action=EcosystemAction.ORGANISATION_EXPORT_START)
    assert event.actor is None
    assert event.actor_label == "system"


def test_a_diff_keeps_only_the_fields_that_changed() -> None:
    before = {"name": "Old", "size": 3, "website": ""}
    after = {"name": "New", "size": 3, "website": "https://example.org"}
    assert diff_fields(before, after) == {
        "name": ["Old", "New"],
        "website": ["", "https://example.org"],
    }


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Marie Tremblay archived Big Friends of Montréal"),
        ("fr", "Marie Tremblay a archivé Big Friends of Montréal"),
    ],
)
@pytest.mark.django_db
def test_an_event_reads_as_a_sentence_in_the_readers_language(language: str, sentence: str) -> None:
    marie = UserFactory.create(email="marie@example.org", full_name="Marie Tremblay")
    organisation = OrganisationFactory.create(name_en="Big Friends of Montréal")
    event = audit_record(
        actor=marie, action=EcosystemAction.ORGANISATION_ARCHIVE, target=organisation
    )
    with translation.override(language):
        assert event_sentence(event) == sentence


@pytest.mark.django_db
def test_a_person_without_a_name_is_named_by_e_mail_and_the_system_by_itself() -> None:
    nameless = UserFactory.create(email="nameless@example.org", full_name="")
    organisation = OrganisationFactory.create(name_en="Mentors Regina")
    by_person = audit_record(
        actor=nameless, action=EcosystemAction.ORGANISATION_RESTORE, target=organisation
    )
    by_system = audit_record(
        actor=SYSTEM, action=EcosystemAction.ORGANISATION_ARCHIVE, target=organisation
    )
    assert event_sentence(by_person) == "nameless@example.org restored Mentors Regina"
    assert event_sentence(by_system) == "The system archived Mentors Regina"
    with translation.override("fr"):
        assert event_sentence(by_system) == "Le système a archivé Mentors Regina"


@pytest.mark.django_db
def test_an_action_no_app_declares_still_reads_as_a_sentence() -> None:
    alice = UserFactory.create(full_name="Alice Arsenault")
    yukon = Province.objects.get(code="YT")
    old = AuditEvent.objects.create(
        actor=alice, actor_label=alice.email, action="province.update", object_label=str(yukon)
    )
    assert event_sentence(old) == "Alice Arsenault changed Yukon"
    with translation.override("fr"):
        assert event_sentence(old) == "Alice Arsenault a modifié Yukon"
    assert action_label("province.update") == "province.update"


@pytest.mark.django_db
def test_changes_are_listed_in_words() -> None:
    organisation = OrganisationFactory.create()
    event = audit_record(
        actor=SYSTEM,
        action=EcosystemAction.ORGANISATION_UPDATE,
        target=organisation,
        changes={
            "name_fr": ["", "Grands Amis"],
            "size_band": ["", "10-49"],
            "is_public": [True, False],
            "provinces_served": [["NS"], ["NS", "PE"]],
            "account_created": True,
        },
    )
    lines = [(line.field, line.value) for line in change_lines(event)]
    assert lines == [
        ("Name (French)", "(empty) → Grands Amis"),
        ("Size", "(empty) → 10 to 49 staff"),
        ("Listed publicly", "Yes → No"),
        ("Provinces and territories served", "NS → NS, PE"),
        ("Account created", "Yes"),
    ]
    with translation.override("fr"):
        french = [(line.field, line.value) for line in change_lines(event)]
    assert french[0] == ("Nom (français)", "(vide) → Grands Amis")
    assert french[1] == ("Taille", "(vide) → 10 à 49 membres du personnel")
    assert french[2] == ("Affiché publiquement", "Oui → Non")
    assert french[3] == ("Provinces et territoires desservis", "NS → NS, PE")
    assert french[4] == ("Compte créé", "Oui")


def _rows(response: Any) -> list[str]:
    return [row["event"].action for row in response.context["rows"]]


@pytest.mark.django_db
def test_staff_see_every_event_newest_first_as_sentences(
    staff_client: Client, events: dict[str, Any]
) -> None:
    response = staff_client.get(AUDIT)
    assert response.status_code == 200
    assert _rows(response) == [
        "accounts.api_token_revoke",
        "accounts.invitation_create",
        "ecosystem.organisation_create",
    ]
    html = response.content.decode()
    assert "3 events" in html
    assert "Alice Arsenault added Big Friends of Montréal" in html
    assert "<code>" not in html
    french = staff_client.get("/fr/backbone/audit/").content.decode()
    assert "3 événements" in french
    assert "Alice Arsenault a ajouté Big Friends of Montréal" in french


@pytest.mark.django_db
def test_staff_filter_by_action_chosen_by_its_label(
    staff_client: Client, events: dict[str, Any]
) -> None:
    response = staff_client.get(AUDIT, {"action": "accounts.invitation_create"})
    assert _rows(response) == ["accounts.invitation_create"]
    html = response.content.decode()
    assert (
        '<option value="accounts.invitation_create" selected>'
        "Someone sent the invitation …</option>" in html
    )
    assert '<option value="ecosystem.organisation_archive">Someone archived …</option>' in html
    french = staff_client.get("/fr/backbone/audit/").content.decode()
    assert ">Quelqu’un a archivé …</option>" in french


@pytest.mark.django_db
def test_staff_filter_by_person(staff_client: Client, events: dict[str, Any]) -> None:
    response = staff_client.get(AUDIT, {"actor": "ALICE@"})
    assert _rows(response) == ["accounts.api_token_revoke", "ecosystem.organisation_create"]


@pytest.mark.django_db
def test_staff_filter_by_dates(staff_client: Client, events: dict[str, Any]) -> None:
    between = staff_client.get(AUDIT, {"since": "2026-04-01", "until": "2026-05-30"})
    assert _rows(between) == ["accounts.api_token_revoke", "accounts.invitation_create"]
    until = staff_client.get(AUDIT, {"until": "2026-03-01"})
    assert _rows(until) == ["ecosystem.organisation_create"]


@pytest.mark.django_db
def test_an_impossible_date_is_ignored_rather_than_failing(
    staff_client: Client, events: dict[str, Any]
) -> None:
    response = staff_client.get(AUDIT, {"since": "2026-02-31", "until": "soon"})
    assert response.status_code == 200
    assert len(_rows(response)) == 3


@pytest.mark.django_db
def test_no_match_explains_itself(staff_client: Client, events: dict[str, Any]) -> None:
    response = staff_client.get("/fr/backbone/audit/", {"actor": "nobody"})
    assert "Aucune modification ne correspond à ces filtres." in response.content.decode()


@pytest.mark.django_db
def test_the_audit_log_is_paginated(
    staff_client: Client, settings: Any, events: dict[str, Any]
) -> None:
    settings.COLLECTIF = {**settings.COLLECTIF, "PAGE_SIZE": 2}
    first = staff_client.get(AUDIT, {"actor": "example.org"})
    assert _rows(first) == ["accounts.api_token_revoke", "accounts.invitation_create"]
    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?actor=example.org&amp;page=2"' in html
    second = staff_client.get(AUDIT, {"actor": "example.org", "page": "2"})
    assert _rows(second) == ["ecosystem.organisation_create"]


@pytest.mark.django_db
def test_the_audit_log_costs_the_same_queries_for_3_and_30_events(staff_client: Client) -> None:
    people = UserFactory.create_batch(3)
    organisation = OrganisationFactory.create()

    def record(count: int) -> None:
        for n in range(count):
            audit_record(
                actor=people[n % 3],
                action=EcosystemAction.ORGANISATION_UPDATE,
                target=organisation,
                changes={"size_band": ["", "1-9"], "is_public": [True, False]},
            )

    record(3)
    few = queries_for(staff_client, AUDIT)
    record(27)
    many = queries_for(staff_client, AUDIT)
    assert few == many
