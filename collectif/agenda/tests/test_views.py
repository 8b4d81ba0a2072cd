"""The plan pages: staff only, at their old addresses, writing through the services."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from collectif.agenda.models import PlanVersion
from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.core.models import AuditEvent
from collectif.core.testing import queries_for
from collectif.ecosystem.testing import assert_role_access, user_with_role


def url(name, lang="en", **kwargs):
    with override(lang):
        return reverse(f"agenda:{name}", kwargs=kwargs)


@pytest.fixture
def staff_client(client):
    client.force_login(user_with_role("staff"))
    return client


def plan_data(**overrides):
    data = {
        "number": "2",
        "name_en": "Revised plan",
        "name_fr": "Plan révisé",
        "adopted_on": "2026-06-12",
        "is_current": "on",
    }
    data.update(overrides)
    return data


def test_the_plan_pages_keep_their_addresses():
    assert url("plan_list") == "/en/measurement/setup/plans/"
    assert url("plan_create", lang="fr") == "/fr/measurement/setup/plans/new/"
    assert url("plan_edit", number=2) == "/en/measurement/setup/plans/2/"


@pytest.mark.django_db
def test_every_plan_page_is_for_backbone_staff_only(client):
    PlanVersionFactory.create(number=1)
    for page in (url("plan_list"), url("plan_create"), url("plan_edit", number=1)):
        assert_role_access(client, page, allowed={"staff"})


@pytest.mark.django_db
def test_making_a_plan_current_retires_the_previous_one(staff_client):
    PlanVersionFactory.create(number=1, is_current=True)
    response = staff_client.post(url("plan_create"), plan_data())
    assert response.status_code == 302
    assert response["Location"] == url("plan_list")
    assert list(PlanVersion.objects.filter(is_current=True).values_list("number", flat=True)) == [2]
    refused = staff_client.post(url("plan_create"), plan_data(number="3", is_original="on"))
    assert refused.status_code == 422
    assert "is already the original plan" in refused.content.decode()
    assert 'value="Revised plan"' in refused.content.decode()
    assert not PlanVersion.objects.filter(number=3).exists()


@pytest.mark.django_db
def test_a_plan_is_edited_and_a_refused_change_shows_the_stored_name(staff_client):
    PlanVersionFactory.create(number=1)
    second = PlanVersionFactory.create(number=2)
    edit = url("plan_edit", number=2)
    assert 'value="Plan version 2"' in staff_client.get(edit).content.decode()
    refused = staff_client.post(edit, plan_data(name_en="Renamed", is_original="on"))
    assert refused.status_code == 422
    assert "<h1>Edit Plan version 2</h1>" in refused.content.decode()
    assert staff_client.post(edit, plan_data(name_en="Renamed")).status_code == 302
    second.refresh_from_db()
    assert (getattr(second, "name_en", ""), second.is_current) == ("Renamed", True)
    assert AuditEvent.objects.get().action == "agenda.plan_version_update"


@pytest.mark.django_db
def test_an_unknown_plan_is_not_found(staff_client):
    assert staff_client.get(url("plan_edit", number=9)).status_code == 404


@pytest.mark.django_db
def test_the_list_explains_what_to_add_first_in_either_language(staff_client):
    assert "No plan version yet" in staff_client.get(url("plan_list")).content.decode()
    french = staff_client.get(url("plan_list", lang="fr")).content.decode()
    assert "Aucune version du plan" in french


@pytest.mark.django_db
def test_the_plan_list_costs_the_same_for_3_and_30_plans(staff_client):
    PlanVersionFactory.create_batch(3)
    few = queries_for(staff_client, url("plan_list"))
    PlanVersionFactory.create_batch(27)
    # The person with their roles, the plans, and what the apps above add (targets, indicators).
    assert (few, queries_for(staff_client, url("plan_list"))) == (6, 6)
