"""Whom an organisation serves and how it identifies itself: form, audit, page, filter, API."""

from typing import Any

import pytest
from django.test import Client

from collectif.accounts.services import api_token_create
from collectif.core.models import AuditEvent
from collectif.ecosystem.audit import EcosystemAction
from collectif.ecosystem.models import EquityIdentity, Organisation, PopulationGroup
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory


def _staff(client: Client) -> None:
    staff = user_with_role("staff")
    assert staff is not None
    client.force_login(staff)


def _ids(model: Any, *codes: str) -> list[int]:
    return [row.pk for row in model._default_manager.filter(code__in=codes)]


@pytest.mark.django_db
def test_staff_tick_identities_and_groups_and_the_change_is_audited(client: Client) -> None:
    _staff(client)
    organisation = OrganisationFactory.create()
    form = client.get(f"/en/ecosystem/organisations/{organisation.slug}/edit/").content.decode()
    assert "Indigenous-led" in form and "Rural and remote youth" in form
    response = client.post(
        f"/en/ecosystem/organisations/{organisation.slug}/edit/",
        {
            "name_en": organisation.name_en,  # type: ignore[attr-defined]
            "sector": organisation.sector_id,
            "head_office_province": "ON",
            "is_public": "on",
            "equity_identities": _ids(EquityIdentity, "indigenous-led", "youth-led"),
            "populations_served": _ids(PopulationGroup, "indigenous"),
        },
    )
    assert response.status_code == 302
    assert sorted(e.code for e in organisation.equity_identities.all()) == [
        "indigenous-led",
        "youth-led",
    ]
    event = AuditEvent.objects.get(action=EcosystemAction.ORGANISATION_UPDATE)
    assert event.changes["equity_identities"] == [[], ["indigenous-led", "youth-led"]]
    assert event.changes["populations_served"] == [[], ["indigenous"]]


@pytest.mark.django_db
def test_the_public_page_says_how_the_organisation_identifies_itself(client: Client) -> None:
    organisation = OrganisationFactory.create()
    organisation.equity_identities.set(EquityIdentity.objects.filter(code="black-led"))
    organisation.populations_served.set(PopulationGroup.objects.filter(code="newcomer"))
    page = client.get(f"/en/ecosystem/organisations/{organisation.slug}/").content.decode()
    assert "Black-led" in page and "Newcomer and refugee youth" in page
    french = client.get(f"/fr/ecosystem/organisations/{organisation.slug}/").content.decode()
    assert "Dirigé par des personnes noires" in french


@pytest.mark.django_db
def test_staff_filter_the_list_by_equity_identity(client: Client) -> None:
    _staff(client)
    led = OrganisationFactory.create(name_en="Youth Voices")
    led.equity_identities.set(EquityIdentity.objects.filter(code="youth-led"))
    OrganisationFactory.create(name_en="Other Program")
    page = client.get("/en/ecosystem/organisations/?equity=youth-led").content.decode()
    assert "Youth Voices" in page and "Other Program" not in page


@pytest.mark.django_db
def test_the_api_reads_and_writes_the_codes(client: Client) -> None:
    staff = user_with_role("staff")
    assert staff is not None
    _token, secret = api_token_create(actor=staff, name="test")
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.post(
        "/api/v1/organisations",
        {
            "name_en": "Rainbow Mentors",
            "sector": "non-profit",
            "head_office_province": "MB",
            "equity_identities": ["2slgbtq-serving"],
            "populations_served": ["2slgbtq", "young-adults"],
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["equity_identities"] == ["2slgbtq-serving"]
    assert body["populations_served"] == ["2slgbtq", "young-adults"]
    bad = client.patch(
        f"/api/v1/organisations/{body['slug']}",
        {"equity_identities": ["martian-led"]},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422 and "martian-led" in bad.content.decode()
    listed = client.get("/api/v1/organisations?equity=2slgbtq-serving").json()
    assert [o["slug"] for o in listed["results"]] == [body["slug"]]
    organisation = Organisation.objects.get(slug=body["slug"])
    assert organisation.populations_served.count() == 2


@pytest.mark.django_db
def test_anyone_reads_the_lists_of_codes(client: Client) -> None:
    groups = client.get("/api/v1/reach/populations?page_size=100").json()
    assert groups["count"] == 12
    assert {
        "code": "indigenous",
        "name_en": "Indigenous youth",
        "name_fr": "Jeunes autochtones",
    } in (groups["results"])
    identities = client.get("/api/v1/reach/equity-identities").json()
    assert [i["code"] for i in identities["results"]][:2] == ["indigenous-led", "black-led"]


@pytest.mark.django_db
def test_the_export_keeps_the_equity_filter(
    client: Client, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    import csv
    import io

    from django.core.files.storage import default_storage

    from collectif.core.models import Job

    settings.MEDIA_ROOT = tmp_path
    _staff(client)
    led = OrganisationFactory.create(name_en="Black Youth Mentors")
    led.equity_identities.set(EquityIdentity.objects.filter(code="black-led"))
    OrganisationFactory.create(name_en="Any Program")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/ecosystem/organisations/export/", {"equity": "black-led"})
    job = Job.objects.get()
    with default_storage.open(job.result_file.name, "rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Black Youth Mentors"]
