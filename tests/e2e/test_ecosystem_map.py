"""Browser journey: staff in French record an approach to an organisation, move it on to
*engaged*, and see its cell of the gap matrix go from weak to met; the board, the matrix
and the network map pass axe-core in both languages."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.models import Province
from collectif.ecosystem.models import GapAxis, GapTarget, Organisation, Sector, Stage
from collectif.ecosystem.tests.factories import OrganisationFactory
from tests.e2e.conftest import assert_accessible, sign_in

CELL = "Organisme à but non lucratif, Québec"


def _world() -> tuple[str, Organisation]:
    """Staff, a Quebec non-profit only identified, and a target: one engaged partner."""
    backbone = OrganisationFactory.create(slug="backbone")
    staff = UserFactory.create(email="staff@example.org", full_name="Sam Staff")
    Membership.objects.create(user=staff, organisation=backbone, role=Role.STAFF)
    lake = OrganisationFactory.create(
        slug="mentors-du-lac",
        name_en="Lake Mentors",
        name_fr="Mentors du Lac",
        head_office_province_id="QC",
    )
    GapTarget.objects.create(
        axis=GapAxis.PROVINCE,
        sector=Sector.objects.get(code="non-profit"),
        province=Province.objects.get(code="QC"),
        minimum_stage=Stage.ENGAGED,
        minimum_count=1,
    )
    return staff.email, lake


def _cell(page: Page) -> tuple[str, str]:
    """The Quebec non-profit cell of the matrix: its class and the number it shows."""
    page.goto("/fr/ecosystem/gaps/")
    link = page.get_by_role("link", name=re.compile(CELL))
    cell = page.locator("td", has=link)
    return cell.get_attribute("class") or "", link.locator("strong").inner_text()


def test_staff_record_an_approach_move_to_engaged_and_see_the_matrix_change(
    page: Page,
) -> None:
    email, lake = _world()
    sign_in(page, email, "a-strong-test-password", "fr")
    before, reached = _cell(page)
    assert "gap-weak" in before and reached == "0"

    page.goto(f"/fr/ecosystem/organisations/{lake.slug}/")
    page.get_by_role("link", name="Consigner une étape").click()
    page.get_by_label("Étape après celle-ci").select_option(Stage.APPROACHED)
    page.get_by_label("Comment").select_option("meeting")
    page.get_by_label("Prochaine étape").fill("Envoyer le cadre de mesure")
    page.get_by_label("Pour quand").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Consigner l’étape").click()
    expect(page.locator("h1")).to_have_text("Mentors du Lac")
    expect(page.get_by_text("Envoyer le cadre de mesure").first).to_be_visible()
    assert "gap-weak" in _cell(page)[0]  # approached is not engaged yet

    page.goto(f"/fr/ecosystem/organisations/{lake.slug}/")
    page.get_by_role("link", name="Consigner une étape").click()
    page.get_by_label("Étape après celle-ci").select_option(Stage.ENGAGED)
    page.get_by_label("Comment").select_option("email")
    page.get_by_role("button", name="Consigner l’étape").click()
    expect(page.locator("h1")).to_have_text("Mentors du Lac")

    after, reached = _cell(page)
    assert "gap-met" in after and reached == "1"
    page.get_by_role("link", name=re.compile(CELL)).click()
    expect(page.get_by_role("link", name="Mentors du Lac")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_board_matrix_and_map_pass_axe(page: Page, axe: Axe, language: str) -> None:
    email, _lake = _world()
    sign_in(page, email, "a-strong-test-password", language)
    for path in ("pipeline/", "gaps/", "gaps/?axis=population", "gaps/equity/", "network/"):
        response = page.goto(f"/{language}/ecosystem/{path}")
        assert response is not None and response.ok, path
        assert_accessible(axe, page)
