"""Backbone staff browse the audit trail: every change, who made it and when."""

import datetime
from typing import Any

import pytest
from django.test import Client

from collectif.accounts.testing import assert_role_access, user_with_role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.models import AuditEvent, Province
from collectif.core.services import audit_record, diff_fields


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
    alice = UserFactory.create(email="alice@example.org")
    bruno = UserFactory.create(email="bruno@example.org")
    yukon = Province.objects.get(code="YT")
    created = audit_record(actor=alice, action="organisation.create", target=yukon)
    invited = audit_record(actor=bruno, action="invitation.create", changes={"role": "steward"})
    revoked = audit_record(actor=alice, action="api_token.revoke")
    _at(created, datetime.date(2026, 3, 1))
    _at(invited, datetime.date(2026, 4, 15))
    _at(revoked, datetime.date(2026, 5, 30))
    return {"alice": alice, "bruno": bruno}


@pytest.mark.smoke
@pytest.mark.django_db
def test_the_audit_log_is_for_backbone_staff_only(client: Client) -> None:
    assert_role_access(client, "/en/backbone/audit/", allowed={"staff"})


@pytest.mark.django_db
def test_an_audit_record_says_who_did_what_to_what() -> None:
    person = UserFactory.create(email="chloe@example.org")
    yukon = Province.objects.get(code="YT")
    event = audit_record(
        actor=person,
        action="province.update",
        target=yukon,
        changes={"when": datetime.date(2026, 1, 2)},
    )
    event.refresh_from_db()
    assert event.actor == person
    assert event.actor_label == "chloe@example.org"
    assert event.object_id == "YT"
    assert event.object_label == str(yukon)
    assert event.content_type is not None
    assert event.content_type.model == "province"
    assert event.changes == {"when": "2026-01-02"}


@pytest.mark.django_db
def test_changes_made_by_the_system_are_labelled_so() -> None:
    event = audit_record(actor=None, action="digest.send")
    assert event.actor is None
    assert event.actor_label == "system"


def test_a_diff_keeps_only_the_fields_that_changed() -> None:
    before = {"name": "Old", "size": 3, "website": ""}
    after = {"name": "New", "size": 3, "website": "https://example.org"}
    assert diff_fields(before, after) == {
        "name": ["Old", "New"],
        "website": ["", "https://example.org"],
    }


def _rows(response: Any) -> list[str]:
    return [event.action for event in response.context["page"].object_list]


@pytest.mark.django_db
def test_staff_see_every_event_newest_first(staff_client: Client, events: dict[str, Any]) -> None:
    response = staff_client.get("/en/backbone/audit/")
    assert response.status_code == 200
    assert _rows(response) == ["api_token.revoke", "invitation.create", "organisation.create"]
    assert "3 events" in response.content.decode()
    assert "3 événements" in staff_client.get("/fr/backbone/audit/").content.decode()


@pytest.mark.django_db
def test_staff_filter_by_action(staff_client: Client, events: dict[str, Any]) -> None:
    response = staff_client.get("/en/backbone/audit/", {"action": "invitation.create"})
    assert _rows(response) == ["invitation.create"]
    assert '<option value="invitation.create" selected>' in response.content.decode()


@pytest.mark.django_db
def test_staff_filter_by_person(staff_client: Client, events: dict[str, Any]) -> None:
    response = staff_client.get("/en/backbone/audit/", {"actor": "ALICE@"})
    assert _rows(response) == ["api_token.revoke", "organisation.create"]


@pytest.mark.django_db
def test_staff_filter_by_dates(staff_client: Client, events: dict[str, Any]) -> None:
    between = staff_client.get(
        "/en/backbone/audit/", {"since": "2026-04-01", "until": "2026-05-30"}
    )
    assert _rows(between) == ["api_token.revoke", "invitation.create"]
    until = staff_client.get("/en/backbone/audit/", {"until": "2026-03-01"})
    assert _rows(until) == ["organisation.create"]


@pytest.mark.django_db
def test_an_impossible_date_is_ignored_rather_than_failing(
    staff_client: Client, events: dict[str, Any]
) -> None:
    response = staff_client.get("/en/backbone/audit/", {"since": "2026-02-31", "until": "soon"})
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
    first = staff_client.get("/en/backbone/audit/", {"actor": "example.org"})
    assert _rows(first) == ["api_token.revoke", "invitation.create"]
    html = first.content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?actor=example.org&amp;page=2"' in html
    second = staff_client.get("/en/backbone/audit/", {"actor": "example.org", "page": "2"})
    assert _rows(second) == ["organisation.create"]
