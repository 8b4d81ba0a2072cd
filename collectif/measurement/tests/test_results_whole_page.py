"""Results pages kept whole, per viewer: the frame (name, roles, sign-out form) stays the
viewer's own, a served page's forms still work, and nothing personal is shared."""

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from collectif.accounts.models import Membership, Role
from collectif.core.results_version import results_page
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Dataset, Indicator, Period
from collectif.measurement.tests.factories import IndicatorFactory, steward_of
from collectif.measurement.tests.results_data import movement


def _url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(f"measurement:{name}", kwargs=kwargs or None)


@pytest.fixture
def world() -> tuple[Indicator, Dataset, list[Period]]:
    served = IndicatorFactory.create(code="served", name_en="Young people served")
    _orgs, dataset, periods = movement([served], ["2024Q1", "2024Q2"], 3, 100)
    return served, dataset, periods


def _named(full_name: str) -> Any:
    user = steward_of(OrganisationFactory.create())
    user.full_name = full_name
    user.save()
    return user


@pytest.mark.django_db
def test_a_page_served_whole_reads_no_figures_again(
    client: Client, world: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(_named("Awa Diallo"))
    client.get(_url("scorecard"))
    # Session, user, memberships, results version: the figures are not read again.
    with django_assert_max_num_queries(4):
        response = client.get(_url("scorecard"))
    assert response.status_code == 200
    assert "Young people served" in response.content.decode()


@pytest.mark.django_db
def test_each_viewer_sees_their_own_name_on_a_kept_page(world: Any) -> None:
    first, second = Client(), Client()
    first.force_login(_named("Awa Diallo"))
    second.force_login(_named("Jean Tremblay"))
    for _ in range(2):
        assert "Awa" in first.get(_url("scorecard")).content.decode()
        page = second.get(_url("scorecard")).content.decode()
        assert "Jean" in page
        assert "Awa" not in page


@pytest.mark.django_db
def test_the_sign_out_form_of_a_kept_page_works(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    user = _named("Awa Diallo")
    client.force_login(user)
    client.get(_url("scorecard"))
    page = client.get(_url("scorecard")).content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    with translation.override("en"):
        signed_out = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token[1]})
    assert signed_out.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_new_role_shows_on_the_next_request(world: Any) -> None:
    client = Client()
    user = _named("Awa Diallo")
    client.force_login(user)
    assert "Researcher" not in client.get(_url("scorecard")).content.decode()
    Membership.objects.create(
        user=user, organisation=OrganisationFactory.create(), role=Role.RESEARCHER
    )
    assert "Researcher" in client.get(_url("scorecard")).content.decode()


@pytest.mark.django_db
def test_a_page_with_a_message_for_the_person_is_neither_kept_nor_served_from_the_cache(
    world: Any,
) -> None:
    built: list[str] = []

    def page() -> HttpResponse:
        built.append("page")
        return HttpResponse("<p>figures</p>")

    def request(with_message: bool) -> HttpRequest:
        asked = RequestFactory().get("/en/measurement/report-card/")
        asked.session = {}  # type: ignore[assignment]
        asked._messages = FallbackStorage(asked)  # type: ignore[attr-defined]
        if with_message:
            messages.success(asked, "Saved.")
        return asked

    results_page(request(True), "demo", viewer="public", render_page=page)
    results_page(request(False), "demo", viewer="public", render_page=page)
    results_page(request(False), "demo", viewer="public", render_page=page)
    results_page(request(True), "demo", viewer="public", render_page=page)
    assert len(built) == 3  # the message pages both times, and the first plain one
