"""The steward's web form sized to the partner, in a browser: a partner serving Prince
Edward Island and Nova Scotia sees those two province rows (the eleven others folded
away), the parts added up live against the total, Enter saves rather than sends, and a
part more than the total is refused with the row named and focus on the error summary.
axe-core checks the page in both languages."""

import re
from datetime import timedelta

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Submission
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"
STEWARD = "steward@example.org"


def _form_path(language: str) -> str:
    """The report link of a Halifax partner that serves Nova Scotia and P.E.I."""
    today = timezone.localdate()
    indicator = IndicatorFactory.create(
        code="youth_served",
        name_en="Young people mentored",
        name_fr="Jeunes accompagnés",
        dimensions=["province"],
    )
    period = PeriodFactory.create(
        code="2026Q2", opens_on=today - timedelta(days=3), deadline=today + timedelta(days=30)
    )
    organisation = OrganisationFactory.create(
        name_en="Halifax Youth Mentoring", head_office_province_id="NS"
    )
    organisation.provinces_served.set(["NS", "PE"])
    dataset = DatasetFactory.create(
        code="quarterly", indicators=[indicator], organisations=[organisation]
    )
    steward = UserFactory.create(email=STEWARD, full_name="Stéphanie Steward")
    Membership.objects.create(user=steward, organisation=organisation, role=Role.STEWARD)
    with translation.override(language):
        return reverse(
            "measurement:submission_start",
            kwargs={"slug": organisation.slug, "dataset": dataset.code, "period": period.code},
        )


def _plain(text: str) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", text)


def test_a_two_province_partner_gets_two_rows_live_sums_and_named_errors(
    page: Page, axe: Axe
) -> None:
    path = _form_path("en")
    sign_in(page, STEWARD, PASSWORD)
    page.goto(path)

    provinces = page.locator("fieldset.grid-group", has_text="Province or territory")
    shown = provinces.locator(":scope > .value-rows input")
    expect(shown).to_have_count(2)
    expect(provinces.locator(":scope > .value-rows label")).to_have_text(
        ["Prince Edward Island", "Nova Scotia"]
    )
    others = provinces.locator("details.other-rows")
    expect(others.locator("summary")).to_have_text("Other provinces and territories")
    expect(others.locator("input").first).to_be_hidden()
    # "Save draft" looks secondary (white), "Send for approval" primary.
    white = "rgb(255, 255, 255)"
    expect(page.get_by_role("button", name="Save draft")).to_have_css("background-color", white)
    send = page.get_by_role("button", name="Send for approval")
    expect(send).not_to_have_css("background-color", white)
    assert_accessible(axe, page)

    # The parts are added up as the steward types, against the total.
    page.get_by_label("Total").fill("130")
    page.get_by_label("Nova Scotia").fill("100")
    sums = provinces.locator(".parts-sum")
    expect(sums).to_have_text("Parts: 100 of 130")
    page.get_by_label("Prince Edward Island").fill("40")
    expect(sums).to_have_text("Warning: the parts add up to 140, more than the total of 130.")

    # Enter saves a draft (it never sends); the server refuses the parts, names the row,
    # and focus lands on the summary.
    page.get_by_label("Prince Edward Island").press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name=re.compile(r"^Young people mentored, total: "))
    expect(link).to_contain_text("140")
    assert not Submission.objects.exists()
    assert_accessible(axe, page)
    link.click()
    expect(page.get_by_label("Total")).to_be_focused()

    # Corrected, confirmed and sent.
    page.get_by_label("Prince Edward Island").fill("30")
    page.get_by_label(re.compile("^I confirm these figures")).check()
    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator(".messages")).to_contain_text("Your data was sent")
    assert Submission.objects.get().status == Submission.Status.SUBMITTED


def test_the_form_in_french_adds_up_in_french_and_is_accessible(page: Page, axe: Axe) -> None:
    path = _form_path("fr")
    sign_in(page, STEWARD, PASSWORD, language="fr")
    page.goto(path)
    provinces = page.locator("fieldset.grid-group", has_text="Province ou territoire")
    expect(provinces.locator(":scope > .value-rows label")).to_have_text(
        ["Île-du-Prince-Édouard", "Nouvelle-Écosse"]
    )
    expect(provinces.locator("details.other-rows summary")).to_have_text(
        "Autres provinces et territoires"
    )
    page.get_by_label("Total").fill("1 300")
    page.get_by_label("Nouvelle-Écosse").fill("1 000,5")
    sums = provinces.locator(".parts-sum")
    expect(sums).to_contain_text("sur")
    assert _plain(sums.inner_text()) == "Parties : 1 000,5 sur 1 300"
    assert_accessible(axe, page)
    page.get_by_role("button", name="Envoyer pour approbation").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Cochez la case pour confirmer")
    assert not Submission.objects.exists()
    assert_accessible(axe, page)
