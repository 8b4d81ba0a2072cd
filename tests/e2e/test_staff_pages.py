"""Browser journey: staff in French go from a late organisation on the completeness page to
its page, see that it has no data steward, and invite one for it; both pages pass axe-core
in both languages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Submission
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from tests.e2e.conftest import assert_accessible, sign_in


def _world() -> tuple[str, Organisation]:
    """Staff, and 2024Q1 past its deadline: one partner approved, one waiting, one late."""
    backbone = OrganisationFactory.create(slug="backbone")
    staff = UserFactory.create(email="staff@example.org", full_name="Sam Staff")
    Membership.objects.create(user=staff, organisation=backbone, role=Role.STAFF)
    period = PeriodFactory.create(code="2024Q1")
    dataset = DatasetFactory.create(indicators=[IndicatorFactory.create(code="served")])
    late = OrganisationFactory.create(name_en="Late Lake Mentors", name_fr="Mentors du Lac")
    dataset.organisations.add(late)
    for name, status in (("Waiting", "submitted"), ("Done", "approved")):
        organisation = OrganisationFactory.create(name_en=name, name_fr=name)
        dataset.organisations.add(organisation)
        Submission.objects.create(
            organisation=organisation, dataset=dataset, period=period, status=status
        )
    return staff.email, late


def test_staff_find_a_late_partner_and_invite_its_data_steward(page: Page) -> None:
    email, late = _world()
    sign_in(page, email, "a-strong-test-password", "fr")

    page.goto("/fr/measurement/completeness/?period=2024Q1")
    page.get_by_role("link", name="En retard seulement (1)").click()
    table = page.locator("table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("En retard")
    table.get_by_role("link", name="Mentors du Lac").click()

    expect(page.locator("h1")).to_have_text("Mentors du Lac")
    expect(page.get_by_text("Aucun responsable des données pour l’instant.")).to_be_visible()
    page.get_by_role("link", name="Inviter quelqu’un dans cet organisme").click()

    expect(page).to_have_url(re.compile(r"/fr/accounts/invitations/new/\?organisation="))
    expect(page.get_by_label("Organisme", exact=True)).to_have_value(str(late.pk))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_staff_pages_pass_axe(page: Page, axe: Axe, language: str) -> None:
    email, late = _world()
    sign_in(page, email, "a-strong-test-password", language)
    for path in (
        f"/{language}/measurement/completeness/?period=2024Q1",
        f"/{language}/measurement/completeness/?period=2024Q1&state=late",
        f"/{language}/ecosystem/organisations/{late.slug}/",
        f"/{language}/ecosystem/organisations/",
    ):
        response = page.goto(path)
        assert response is not None and response.ok, path
        assert_accessible(axe, page)
