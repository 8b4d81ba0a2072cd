"""The shared measurement journey in a browser: a steward in French downloads the
template, fills it the way French Excel saves it (cp1252, `;`, CRLF, decimal commas,
spaces between thousands), sees every mistake at once, fixes them and submits; staff
approve; the new Canada total reaches the scorecard and the public report card in
both languages. axe-core checks every page on the way."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from collectif.accounts.models import Membership, Role
from collectif.accounts.tests.factories import UserFactory
from collectif.agenda.tests.factories import PlanVersionFactory
from collectif.ecosystem.models import Organisation
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain import rollups
from collectif.measurement.models import Baseline, Indicator, Period, Submission, Target, Value
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
)
from collectif.measurement.tests.results_data import approve
from tests.e2e.conftest import assert_accessible, sign_in

PASSWORD = "a-strong-test-password"
OTHER_PARTNERS = 3
OTHER_PARTNER_VALUE = 350
# What the steward reports: the total, then each age group (they add up to the total).
TOTAL = Decimal(1234)
PARTS = {"6-11": Decimal(234), "12-17": Decimal(600), "18-24": Decimal(400)}
INDICATOR = {"en": "Young people mentored", "fr": "Jeunes accompagnés"}
ORGANISATION = "Mentorat Jeunesse Gaspésie"


@dataclass
class Movement:
    indicator: Indicator
    period: Period
    steward: str
    staff: str
    organisation: Organisation


def _last_quarter(today: date) -> tuple[str, date]:
    """The quarter that ended most recently (the one partners report on now), and the
    day its reporting window opened."""
    opened = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    day = opened - timedelta(days=1)
    return f"{day.year}Q{(day.month - 1) // 3 + 1}", opened


def _movement() -> Movement:
    today = timezone.localdate()
    indicator = IndicatorFactory.create(
        code="youth_served",
        name_en=INDICATOR["en"],
        name_fr=INDICATOR["fr"],
        dimensions=["age"],
    )
    code, opened = _last_quarter(today)
    period = PeriodFactory.create(code=code, opens_on=opened, deadline=today + timedelta(days=30))
    dataset = DatasetFactory.create(
        code="quarterly",
        name_en="Quarterly mentoring report",
        name_fr="Rapport trimestriel de mentorat",
        indicators=[indicator],
    )
    organisation = OrganisationFactory.create(name_en="Gaspé Youth Mentoring", name_fr=ORGANISATION)
    dataset.organisations.add(organisation)
    for _ in range(OTHER_PARTNERS):
        approve(
            OrganisationFactory.create(), dataset, period, {(indicator, ""): OTHER_PARTNER_VALUE}
        )
    Baseline.objects.create(
        indicator=indicator,
        period=PeriodFactory.create(code=str(today.year - 1)),
        value=1000,
        source="Partner reports",
    )
    plan = PlanVersionFactory.create(number=1, is_original=True, is_current=True)
    Target.objects.create(
        plan_version=plan,
        indicator=indicator,
        period=PeriodFactory.create(code=str(today.year + 1)),
        value=3000,
    )
    rollups.rebuild_all()

    steward = UserFactory.create(email="steward@example.org", full_name="Stéphanie Steward")
    Membership.objects.create(user=steward, organisation=organisation, role=Role.STEWARD)
    staff = UserFactory.create(email="staff@example.org", full_name="Sam Staff")
    Membership.objects.create(
        user=staff, organisation=OrganisationFactory.create(slug="backbone"), role=Role.STAFF
    )
    return Movement(indicator, period, steward.email, staff.email, organisation)


def _written(number: int) -> tuple[str, str]:
    """A number between 1,000 and 999,999 as the French and the English pages write it."""
    assert 1000 <= number < 1_000_000
    thousands, units = divmod(number, 1000)
    return f"{thousands}\u00a0{units:03d}", f"{thousands},{units:03d}"


def _french_excel(rows: list[list[str]]) -> bytes:
    """How French Excel saves "CSV (séparateur : point-virgule)": cp1252, CRLF, no BOM."""
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("cp1252")


def _filled(template: list[list[str]], values: dict[str, str]) -> bytes:
    """The template with `values` (by age group, "" for the total) in its last column."""
    headers, *rows = template
    age_column = 2
    filled = [headers]
    for row, age in zip(rows, ["", *PARTS], strict=True):
        filled.append([*row[:-1], values[age]])
        assert (row[age_column] == "") == (age == ""), row
    return _french_excel(filled)


def _plain(locator: Locator) -> str:
    """Text with the no-break spaces French typography puts before colons made plain."""
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text())


def _sign_out(page: Page) -> None:
    page.locator("details.user-menu summary").click()
    page.locator("form[action*='logout'] [type=submit]").click()
    page.wait_for_load_state()


def _canada_total(page: Page, language: str) -> Locator:
    row = page.locator("table.scorecard tbody tr", has_text=INDICATOR[language])
    return row.locator("td.num strong").first


def _french_label(period: Period) -> str:
    """How the pages name the period to a French reader (\"juillet à septembre 2026\")."""
    with translation.override("fr"):
        return period.label


def test_steward_reports_in_french_staff_approve_and_the_new_total_is_public(
    page: Page, axe: Axe
) -> None:
    movement = _movement()
    indicator, period = movement.indicator, movement.period

    # The steward signs in in English, then switches to French.
    sign_in(page, movement.steward, PASSWORD)
    page.get_by_role("button", name="Français").click()
    expect(page).to_have_url(re.compile(r"/fr/"))
    page.locator("nav.site-nav").get_by_role("link", name="Mes données").click()
    expect(page.locator("h1")).to_contain_text("Soumettre vos données")
    row = page.locator("main table tbody tr", has_text=ORGANISATION).first
    expect(row).to_contain_text(_french_label(period))
    expect(row.get_by_role("link", name=re.compile("^Remplir le formulaire"))).to_be_visible()
    assert_accessible(axe, page)

    # The French CSV template: UTF-8 with a BOM, `;` between columns.
    csv_link = row.get_by_role("link", name=re.compile(r"^CSV"))
    expect(csv_link).to_have_attribute("hreflang", "fr")
    with page.expect_download() as download_info:
        csv_link.click()
    raw = Path(download_info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    template = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert template[0][-1] == "Valeur"
    assert [r[0] for r in template[1:]] == [indicator.code] * 4
    assert template[1][1] == INDICATOR["fr"]

    # Filled in with two mistakes: a negative count and words in a number.
    wrong = _filled(
        template, {"": "1 234", "6-11": "234", "12-17": "-600", "18-24": "quatre cents"}
    )
    row.get_by_role("link", name=re.compile(r"^Téléverser un fichier")).click()
    expect(page.locator("select[name=dataset]")).to_have_value("quarterly")
    expect(page.locator("select[name=period]")).to_have_value(period.code)
    page.locator("input[name=file]").set_input_files(
        {"name": "rapport.csv", "mimeType": "text/csv", "buffer": wrong}
    )
    page.locator("input[name=submit]").check()
    page.locator("main form [type=submit]").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Le fichier contient 2 problèmes. Rien n’a été enregistré.")
    problems = [_plain(item) for item in summary.locator("li").all()]
    assert any(
        f"Ligne 4, colonne « Valeur » : {INDICATOR['fr']} : " in p and "est négatif" in p
        for p in problems
    ), problems
    assert any(
        "Ligne 5, colonne « Valeur » : « quatre cents » n’est pas un nombre" in p for p in problems
    ), problems
    assert not Value.objects.filter(organisation=movement.organisation).exists()
    assert not Submission.objects.filter(organisation=movement.organisation).exists()
    assert_accessible(axe, page)

    # Fixed, with a decimal comma and a space between thousands, and sent for approval.
    right = _filled(template, {"": "1 234", "6-11": "234", "12-17": "600,0", "18-24": "400"})
    page.locator("input[name=file]").set_input_files(
        {"name": "rapport.csv", "mimeType": "text/csv", "buffer": right}
    )
    expect(page.locator("input[name=submit]")).to_be_checked()
    page.locator("main form [type=submit]").click()
    expect(page.locator(".notice, .messages").first).to_contain_text("Votre fichier est importé")
    expect(page.locator("main dl.summary")).to_contain_text("En attente d")
    submission = Submission.objects.get(organisation=movement.organisation)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.channel == Submission.Channel.FILE
    assert dict(submission.values.values_list("breakdown", "value")) == {
        "": TOTAL,
        **{f"age:{age}": value for age, value in PARTS.items()},
    }
    assert_accessible(axe, page)

    # Until staff approve it, the public figures leave it out.
    page.goto("/fr/measurement/report-card/")
    before, _ = _written(OTHER_PARTNERS * OTHER_PARTNER_VALUE)
    expect(_canada_total(page, "fr")).to_have_text(before)
    _sign_out(page)

    # Staff approve it from the review queue.
    sign_in(page, movement.staff, PASSWORD, "fr")
    page.goto("/fr/measurement/review/")
    queued = page.locator("main table tbody tr", has_text=ORGANISATION)
    expect(queued).to_contain_text(_french_label(period))
    assert_accessible(axe, page)
    queued.get_by_role("link", name=re.compile("^Examiner")).click()
    assert_accessible(axe, page)
    page.locator("main .actions").get_by_role("link", name="Approuver").click()
    page.locator("main form [type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Soumissions en attente d’approbation")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED

    french, english = _written(int(TOTAL) + OTHER_PARTNERS * OTHER_PARTNER_VALUE)

    page.goto("/fr/measurement/scorecard/")
    expect(_canada_total(page, "fr")).to_have_text(french)
    assert_accessible(axe, page)
    page.goto("/en/measurement/scorecard/")
    expect(_canada_total(page, "en")).to_have_text(english)
    assert_accessible(axe, page)
    page.goto(f"/fr/measurement/indicators/{indicator.code}/")
    expect(page.locator("h1")).to_contain_text(INDICATOR["fr"])
    assert_accessible(axe, page)
    _sign_out(page)

    # The public report card, signed out.
    page.goto("/fr/measurement/report-card/")
    expect(_canada_total(page, "fr")).to_have_text(french)
    assert_accessible(axe, page)
    page.goto("/en/measurement/report-card/")
    expect(_canada_total(page, "en")).to_have_text(english)
    assert_accessible(axe, page)
