"""A file over saved values, in a browser: the steward sees what it would change before
anything is replaced, confirms, then brings the earlier values back from the history.
In French for the upload and in English for the restore; axe-core checks each page."""

import csv
import io
import re
from decimal import Decimal

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Submission
from collectif.measurement.services.submissions import submission_write
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"
SAVED = {"": Decimal(120), "age:6-11": Decimal(20), "age:12-17": Decimal(100)}
FILE = {"": Decimal(130), "age:12-17": Decimal(100), "age:18-24": Decimal(30)}


def _values(submission: Submission) -> dict[str, Decimal]:
    return dict(submission.values.values_list("breakdown", "value"))


def _french_file() -> bytes:
    """What French Excel saves: `;`, cp1252, the age groups named in French."""
    rows = [
        ["Code de l’indicateur", "Groupe d’âge", "Valeur"],
        ["youth_served", "", "130"],
        ["youth_served", "12-17", "100"],
        ["youth_served", "18-24", "30"],
    ]
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("cp1252")


def test_a_file_over_saved_values_is_previewed_confirmed_and_undone(page: Page, axe: Axe) -> None:
    indicator = IndicatorFactory.create(
        code="youth_served",
        name_en="Young people served",
        name_fr="Jeunes servis",
        dimensions=["age"],
    )
    dataset = DatasetFactory.create(code="quarterly", indicators=[indicator])
    period = PeriodFactory.create(code="2026Q2")
    organisation = OrganisationFactory.create()
    dataset.organisations.add(organisation)
    steward = UserFactory.create(email="steward@example.org")
    Membership.objects.create(user=steward, organisation=organisation, role=Role.STEWARD)
    submission, _warnings = submission_write(
        actor=steward,
        organisation=organisation,
        dataset=dataset,
        period=period,
        cells=[CellValue("youth_served", key, value) for key, value in SAVED.items()],
        channel=Submission.Channel.FORM,
        submit=False,
    )

    # The upload shows what the file would change, and replaces nothing yet.
    sign_in(page, steward.email, PASSWORD, "fr")
    page.goto(
        f"/fr/measurement/organisations/{organisation.slug}/upload/?dataset=quarterly&period=2026Q2"
    )
    page.locator("input[name=file]").set_input_files(
        {"name": "rapport.csv", "mimeType": "text/csv", "buffer": _french_file()}
    )
    page.locator("main form [type=submit]").click()
    expect(page.locator("h1")).to_have_text("Remplacer les valeurs enregistrées\u202f?")
    changes = page.locator("ul.change-counts")
    expect(changes).to_contain_text("1 valeur ajoutée")
    expect(changes).to_contain_text("1 valeur modifiée")
    expect(changes).to_contain_text("1 valeur retirée")
    expect(page.locator("main table").first).to_contain_text("Jeunes servis")
    assert "age:" not in page.locator("main").inner_text()
    assert _values(submission) == SAVED
    assert_accessible(axe, page)

    page.get_by_role("button", name="Remplacer les valeurs enregistrées").click()
    expect(page.locator("main dl.summary")).to_be_visible()
    assert _values(submission) == FILE

    # In English, the values the file replaced come back from the history.
    page.goto(f"/en/measurement/submissions/{submission.pk}/")
    history = page.locator("main table", has_text="Replaced")
    history.get_by_role("link", name=re.compile("^Restore")).first.click()
    expect(page.locator("h1")).to_have_text("Restore earlier values")
    expect(page.locator("ul.change-counts")).to_contain_text("1 value changed")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Restore these values").click()
    expect(page.locator("main dl.summary")).to_be_visible()
    assert _values(submission) == SAVED
