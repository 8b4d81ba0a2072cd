"""Reviewing with context, in French: staff open the review queue, see a submission
flagged for an unusual change, open it (the flag, the change and the breakdowns in
words), then approve two clean submissions together after a confirmation. axe-core
checks every page on the way."""

from decimal import Decimal

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.actors import SYSTEM
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Submission
from collectif.measurement.services import submissions as services
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"
FLAGGED = "Mentorat Jeunesse Gaspésie"
CLEAN = ["Grands Frères Rimouski", "Mentors de Sherbrooke"]


def _send(organisation, dataset, period, total: int, *, approve: bool = False) -> Submission:
    third = Decimal(total) / 3
    submission, _warnings = services.submission_write(
        actor=SYSTEM,
        organisation=organisation,
        dataset=dataset,
        period=period,
        cells=[
            CellValue("youth_served", "", Decimal(total)),
            *(CellValue("youth_served", f"age:{a}", third) for a in ("6-11", "12-17", "18-24")),
        ],
        channel=Submission.Channel.FORM,
        submit=True,
    )
    if approve:
        services.submission_approve(actor=SYSTEM, submission=submission)
    return submission


def _world() -> str:
    indicator = IndicatorFactory.create(
        code="youth_served",
        name_en="Young people mentored",
        name_fr="Jeunes accompagnés",
        dimensions=["age"],
    )
    dataset = DatasetFactory.create(
        name_en="Quarterly mentoring report",
        name_fr="Rapport trimestriel de mentorat",
        indicators=[indicator],
    )
    before, now = PeriodFactory.create(code="2026Q1"), PeriodFactory.create(code="2026Q2")
    flagged = OrganisationFactory.create(name_en="Gaspé Youth Mentoring", name_fr=FLAGGED)
    dataset.organisations.add(flagged)
    _send(flagged, dataset, before, 300, approve=True)
    _send(flagged, dataset, now, 900)  # every cell three times last quarter: +200 %
    for name in CLEAN:
        organisation = OrganisationFactory.create(name_en=name, name_fr=name)
        dataset.organisations.add(organisation)
        _send(organisation, dataset, now, 30)
    staff = UserFactory.create(email="staff@example.org", full_name="Sam Staff")
    Membership.objects.create(
        user=staff, organisation=OrganisationFactory.create(slug="backbone"), role=Role.STAFF
    )
    return staff.email


def test_staff_review_a_flagged_change_and_approve_two_clean_submissions_together(
    page: Page, axe: Axe
) -> None:
    staff = _world()
    sign_in(page, staff, PASSWORD, "fr")
    with translation.override("fr"):
        queue = reverse("measurement:review_queue")
    page.goto(queue)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Soumissions en attente d’approbation"
    )
    flagged_row = page.get_by_role("row").filter(has_text=FLAGGED)
    expect(flagged_row).to_contain_text("4 signalements")  # the total and its 3 parts
    expect(flagged_row.get_by_role("checkbox")).to_have_count(0)
    for name in CLEAN:
        expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("Aucun signalement")
    assert_accessible(axe, page)

    # The flagged one, opened: the change and its flag, breakdowns in words.
    flagged_row.get_by_role("link").click()
    values = page.locator("table.review-values")
    total = values.get_by_role("row").filter(has_text="Total")
    expect(total).to_contain_text("Variation inhabituelle")
    expect(total).to_contain_text("+200")
    expect(values).to_contain_text("6 à 11 ans")
    expect(values).to_contain_text("12 à 17 ans")
    expect(page.locator("main")).not_to_contain_text("age:")
    assert_accessible(axe, page)

    # The two clean ones, approved together after a confirmation.
    page.goto(queue)
    for name in CLEAN:
        page.get_by_role("checkbox", name=f"Choisir {name}").check()
    page.get_by_role("button", name="Approuver les soumissions choisies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approuver ces soumissions ensemble")
    for name in CLEAN:
        expect(page.locator("main")).to_contain_text(name)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Approuver 2 soumissions").click()
    expect(page.locator("main")).to_contain_text("2 soumissions sont approuvées.")
    expect(page.get_by_role("row").filter(has_text=FLAGGED)).to_have_count(1)
    for name in CLEAN:
        expect(page.get_by_role("row").filter(has_text=name)).to_have_count(0)
    assert_accessible(axe, page)
    approved = Submission.objects.filter(status=Submission.Status.APPROVED)
    assert set(approved.values_list("organisation__name_fr", flat=True)) == {FLAGGED, *CLEAN}
