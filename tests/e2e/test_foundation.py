"""Browser journeys of the foundation: staff manage organisations in French; the pages
people meet first pass axe-core in both languages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.tests.factories import OrganisationFactory
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"


def _staff() -> str:
    backbone = OrganisationFactory.create(slug="backbone")
    user = UserFactory.create(email="staff@example.org", full_name="Sam Staff")
    Membership.objects.create(user=user, organisation=backbone, role=Role.STAFF)
    return user.email


def test_staff_creates_an_organisation_in_french_and_finds_it(page: Page) -> None:
    email = _staff()
    OrganisationFactory.create(name_en="Other Program", name_fr="Autre programme")
    sign_in(page, email, PASSWORD)
    expect(page.locator("h1")).to_contain_text("What needs attention today")

    page.get_by_role("button", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")

    page.goto("/fr/ecosystem/organisations/")
    page.locator("a[href$='/organisations/new/']").first.click()
    page.locator("input[name=name_fr]").fill("Mentorat Jeunesse Gaspésie")
    page.locator("input[name=name_en]").fill("Gaspé Youth Mentoring")
    page.locator("select[name=sector]").select_option(label="Organisme dirigé par des jeunes")
    page.locator("select[name=head_office_province]").select_option(label="Québec")
    page.locator("input[name=provinces_served][value=QC]").check()
    page.locator("input[name=provinces_served][value=NB]").check()
    page.locator("main form [type=submit]").last.click()

    expect(page.locator("h1")).to_contain_text("Mentorat Jeunesse Gaspésie")
    assert Organisation.objects.filter(name_fr="Mentorat Jeunesse Gaspésie").count() == 1

    page.goto("/fr/ecosystem/organisations/")
    page.locator("select[name=sector]").select_option("youth-led")
    page.locator("select[name=province]").select_option("NB")
    page.locator("form[role=search] input[name=q]").fill("gaspésie")
    page.locator("form[role=search] [type=submit]").click()
    results = page.locator("main table")
    expect(results).to_contain_text("Mentorat Jeunesse Gaspésie")
    expect(results).not_to_contain_text("Autre programme")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_public_pages_have_no_accessibility_violations(page: Page, axe: Axe, language: str) -> None:
    organisation = OrganisationFactory.create(is_public=True)
    for path in [
        f"/{language}/",
        f"/{language}/accounts/login/",
        f"/{language}/ecosystem/partners/",
        f"/{language}/ecosystem/organisations/{organisation.slug}/",
    ]:
        response = page.goto(path)
        assert response is not None and response.ok, path
        expect(page.locator("html")).to_have_attribute("lang", f"{language}-CA")
        assert_accessible(axe, page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_pages_have_no_accessibility_violations(page: Page, axe: Axe, language: str) -> None:
    email = _staff()
    organisation = OrganisationFactory.create()
    sign_in(page, email, PASSWORD, language)
    for path in [
        f"/{language}/backbone/",
        f"/{language}/ecosystem/organisations/",
        f"/{language}/ecosystem/organisations/{organisation.slug}/",
        f"/{language}/ecosystem/organisations/new/",
        f"/{language}/measurement/setup/",
        f"/{language}/measurement/setup/indicators/new/",
        f"/{language}/measurement/setup/periods/new/",
        f"/{language}/measurement/setup/datasets/new/",
        f"/{language}/measurement/setup/dimensions/",
        f"/{language}/measurement/setup/rules/new/",
        f"/{language}/measurement/setup/plans/new/",
        f"/{language}/backbone/audit/",
        f"/{language}/accounts/invitations/",
    ]:
        response = page.goto(path)
        assert response is not None and response.ok, path
        assert_accessible(axe, page)
