"""The Content-Security-Policy in a real browser: the main pages, the charts, the API's
docs page and the admin work under it, and the browser reports no violation."""

from playwright.sync_api import Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain import rollups
from collectif.measurement.tests.factories import IndicatorFactory
from collectif.measurement.tests.results_data import movement
from tests.e2e.conftest import sign_in
from tests.e2e.policies import violations, watch_policies

PASSWORD = "a-strong-test-password"


def _visit(page: Page, address: str, messages: list[str]) -> None:
    page.goto(address)
    page.wait_for_load_state("networkidle")
    refused = violations(page)
    assert not refused, f"{address}: {refused}"
    assert not messages, f"{address}: {messages}"


def test_the_main_pages_break_no_policy(page: Page) -> None:
    indicator = IndicatorFactory.create(code="youth_served", dimensions=["age"])
    movement([indicator], ["2025Q1", "2025Q2", "2025Q3"], organisations=4, value=120)
    rollups.rebuild_all()
    staff = UserFactory.create(email="staff@example.org")
    Membership.objects.create(
        user=staff, organisation=OrganisationFactory.create(), role=Role.STAFF
    )
    UserFactory.create(email="admin@example.org", is_staff=True, is_superuser=True)
    messages = watch_policies(page)

    for address in (
        "/en/",
        "/fr/",
        "/en/about/",
        "/en/ecosystem/partners/",
        "/en/measurement/report-card/",
        "/en/accounts/login/",
        "/en/no-such-page/",
    ):
        _visit(page, address, messages)

    _visit(page, "/api/v1/docs", messages)
    expect(page.locator("main h1")).to_have_text("API documentation")
    expect(page.locator("main article").first).to_be_visible()

    sign_in(page, "staff@example.org", PASSWORD)
    for address in (
        "/en/home/",
        "/en/backbone/",
        "/en/measurement/scorecard/",
        f"/en/measurement/indicators/{indicator.code}/",
        f"/en/measurement/indicators/{indicator.code}/story/",
        "/en/ecosystem/organisations/",
        "/en/measurement/setup/",
    ):
        _visit(page, address, messages)
    _visit(page, f"/en/measurement/indicators/{indicator.code}/", messages)
    expect(page.locator("main svg[role=img]").first).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "admin@example.org", PASSWORD)
    _visit(page, "/en/admin/", messages)
    expect(page.locator("#site-name")).to_be_visible()
    _visit(page, "/en/admin/measurement/submission/", messages)
