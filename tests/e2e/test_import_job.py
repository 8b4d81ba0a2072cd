"""A large file in a browser: the upload hands it to a background job, the page shows
the progress bar and follows the job (job-progress.js), and once the worker is done it
shows the import's result. The threshold is lowered to a few bytes; the task backend
only records the task, which the test then runs as the worker would."""

from decimal import Decimal
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.core.models import Job
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.models import Value
from collectif.measurement.services.imports import IMPORT_JOB_KIND, file_import_run
from collectif.measurement.tests.factories import DatasetFactory, IndicatorFactory, PeriodFactory
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"
FILE = b"Indicator code,Age group,Value\r\nyouth_served,,130\r\nyouth_served,12-17,100\r\n"


def test_a_large_file_is_imported_with_a_progress_bar(
    page: Page, axe: Axe, settings: Any, tmp_path: Any
) -> None:
    settings.IMPORT_BACKGROUND_BYTES = 10
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    indicator = IndicatorFactory.create(code="youth_served", dimensions=["age"])
    dataset = DatasetFactory.create(code="quarterly", indicators=[indicator])
    PeriodFactory.create(code="2026Q2")
    organisation = OrganisationFactory.create()
    dataset.organisations.add(organisation)
    steward = UserFactory.create(email="steward@example.org")
    Membership.objects.create(user=steward, organisation=organisation, role=Role.STEWARD)

    sign_in(page, steward.email, PASSWORD)
    page.goto(
        f"/en/measurement/organisations/{organisation.slug}/upload/?dataset=quarterly&period=2026Q2"
    )
    page.locator("input[name=file]").set_input_files(
        {"name": "large.csv", "mimeType": "text/csv", "buffer": FILE}
    )
    page.locator("main form [type=submit]").click()

    # Queued, not run yet: the page shows the bar and follows the job.
    expect(page.locator("h1")).to_have_text("Checking your file")
    expect(page.locator(".job-progress progress")).to_be_visible()
    expect(page.locator(".job-status")).to_have_text("Waiting to start")
    assert_accessible(axe, page)
    assert not Value.objects.exists()

    # The worker does the job; the page notices by itself and shows the result.
    job = Job.objects.get(kind=IMPORT_JOB_KIND)
    assert file_import_run(job_id=str(job.pk)) == "imported"
    job.refresh_from_db()
    expect(page.locator("h1")).to_have_text("Your file is imported")
    expect(page.locator("main")).to_contain_text("Your file is imported: 2 values from 2 rows.")
    assert_accessible(axe, page)
    page.get_by_role("link", name="See the submission").click()
    expect(page).to_have_url(f"/en/measurement/submissions/{job.result['submission']}/")
    assert dict(Value.objects.values_list("breakdown", "value")) == {
        "": Decimal(130),
        "age:12-17": Decimal(100),
    }
