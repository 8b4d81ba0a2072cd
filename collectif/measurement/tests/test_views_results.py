import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse

from collectif.core.actors import SYSTEM
from collectif.core.manifest import attention_items
from collectif.core.models import AuditEvent, Job
from collectif.ecosystem.testing import assert_role_access
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.models import Indicator, Submission
from collectif.measurement.services import results as services
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
    steward_of,
)
from collectif.measurement.tests.results_data import approve, movement

QUARTERS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]


def _url(name: str, language: str = "en", **kwargs: Any) -> str:
    from django.utils import translation

    with translation.override(language):
        return reverse(f"measurement:{name}", kwargs=kwargs or None)


@pytest.fixture
def published() -> Indicator:
    indicator = IndicatorFactory.create(
        code="served",
        name_en="Young people served",
        name_fr="Jeunes servis",
        dimensions=["age", "province"],
    )
    movement([indicator], QUARTERS, 3, 1234)
    return indicator


@pytest.mark.django_db
def test_who_may_open_each_results_page(client: Client, published: Indicator) -> None:
    organisation = OrganisationFactory.create()
    members = {"staff", "steward", "governance", "researcher"}
    assert_role_access(client, _url("scorecard"), allowed=members)
    assert_role_access(client, _url("indicator_detail", code="served"), allowed=members)
    everyone = {"anonymous", "no_role", *members}
    assert_role_access(client, _url("report_card"), allowed=everyone)
    assert_role_access(client, _url("report_card_csv"), allowed=everyone)
    assert_role_access(client, _url("completeness"), allowed={"staff"})
    for name in ("export_csv", "export_xlsx"):
        assert_role_access(client, _url(name), allowed={"staff"}, method="post")
    for name in ("export", "export_figures_csv", "export_figures_xlsx"):
        assert_role_access(client, _url(name), allowed={"staff", "researcher"})
    assert_role_access(client, _url("indicator_story", code="served"), allowed={"staff"})
    assert_role_access(
        client,
        _url("partner_results", slug=organisation.slug),
        allowed={"staff", "steward"},
        organisation=organisation,
    )


@pytest.mark.django_db
def test_unpublished_indicators_are_for_staff_only(client: Client) -> None:
    IndicatorFactory.create(code="draft_indicator", is_published=False)
    organisation = OrganisationFactory.create()
    client.force_login(steward_of(organisation))
    assert client.get(_url("indicator_detail", code="draft_indicator")).status_code == 404
    client.force_login(backbone_staff())
    assert client.get(_url("indicator_detail", code="draft_indicator")).status_code == 200


@pytest.mark.django_db
@pytest.mark.smoke
def test_report_card_shows_published_indicators_and_marks_suppressed_cells(
    client: Client, published: Indicator
) -> None:
    IndicatorFactory.create(code="secret", name_en="Internal measure", is_published=False)
    few = IndicatorFactory.create(code="few", name_en="Volunteer inquiries")
    movement([few], ["2024Q4"], 2, 50)

    page = client.get(_url("report_card")).content.decode()

    assert "Young people served" in page and "3\u00a0702" not in page and "3,702" in page
    assert "Internal measure" not in page
    assert "Volunteer inquiries" in page
    assert "suppressed: fewer than 3 organisations" in page
    french = client.get(_url("report_card", "fr")).content.decode()
    assert "Jeunes servis" in french and "3\u00a0702" in french
    assert "masqué\u00a0: moins de 3 organismes" in french


@pytest.mark.django_db
def test_report_card_csv_hides_suppressed_values(client: Client, published: Indicator) -> None:
    few = IndicatorFactory.create(code="few", name_en="=Volunteer inquiries")
    movement([few], ["2024Q4"], 2, 50)
    response = client.get(_url("report_card_csv"))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert response["Content-Disposition"] == 'attachment; filename="report-card.csv"'
    lines = text[1:].splitlines()
    assert lines[0].startswith("Indicator code,Indicator,Period,Value")
    served = next(line for line in lines if line.startswith("served,"))
    assert ",2024Q4,3702,3," in served
    hidden = next(line for line in lines if line.startswith("few,"))
    assert "'=Volunteer inquiries" in hidden and ",2024Q4,,," in hidden
    assert "fewer than 3 organisations" in hidden
    assert "secret" not in text


@pytest.mark.django_db
def test_scorecard_shows_figures_in_both_languages(client: Client, published: Indicator) -> None:
    client.force_login(steward_of(OrganisationFactory.create()))
    page = client.get(_url("scorecard")).content.decode()
    assert "Young people served" in page and "3,702" in page
    assert "October to December 2024" in page
    assert "3 partners" in page
    assert 'role="img"' in page  # the sparkline
    french = client.get(_url("scorecard", "fr")).content.decode()
    assert "Jeunes servis" in french and "3\u00a0702" in french and "3 partenaires" in french


@pytest.mark.django_db
def test_indicator_page_has_curve_breakdowns_tables_and_story(
    client: Client, published: Indicator
) -> None:
    client.force_login(backbone_staff())
    page = client.get(_url("indicator_detail", code="served")).content.decode()
    assert page.count('role="img"') >= 3  # curve, tile map, bars
    assert "Values by period, Canada" in page and "Values by province and territory" in page
    assert "By age group" in page
    assert "3 partner organisations" in page
    assert "Edit the story behind the curve" in page


@pytest.mark.django_db
def test_staff_edit_the_story_behind_the_curve(client: Client, published: Indicator) -> None:
    client.force_login(backbone_staff())
    response = client.post(
        _url("indicator_story", code="served"),
        {
            "story_en": "Waitlists fell after the spring campaign.",
            "story_fr": "Les listes ont baissé.",
        },
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert getattr(published, "story_en") == "Waitlists fell after the spring campaign."  # noqa: B009
    assert AuditEvent.objects.filter(action=MeasurementAction.INDICATOR_STORY_UPDATE).count() == 1
    french = client.get(_url("indicator_detail", "fr", code="served")).content.decode()
    assert "Les listes ont baissé." in french


@pytest.mark.django_db
def test_partner_page_shows_the_organisations_share(client: Client, published: Indicator) -> None:
    organisation = Submission.objects.first().organisation  # type: ignore[union-attr]
    client.force_login(steward_of(organisation))
    page = client.get(_url("partner_results", slug=organisation.slug)).content.decode()
    assert "Young people served" in page and "1,234" in page and "3,702" in page
    assert "33.3%" in page


@pytest.mark.django_db
def test_reminders_reach_the_stewards_of_late_organisations_only(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    served = IndicatorFactory.create(code="served")
    period = PeriodFactory.create(code="2024Q1")
    done, late, late_without_steward = (OrganisationFactory.create() for _ in range(3))
    dataset = DatasetFactory.create(
        indicators=[served], organisations=[done, late, late_without_steward]
    )
    approve(done, dataset, period, {(served, ""): 5}, status=Submission.Status.SUBMITTED)
    reporter = steward_of(done)
    french_steward = steward_of(late)
    french_steward.preferred_language = "fr"
    french_steward.save()
    staff = backbone_staff()
    client.force_login(staff)

    page = client.get(_url("completeness") + "?period=2024Q1").content.decode()
    assert "2 organisations have not reported for January to March 2024." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("completeness_remind"), {"period": "2024Q1"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [french_steward.email]
    assert reporter.email not in message.to
    assert message.subject.startswith("Rappel\u00a0: données de")
    assert "Reminder:" in message.subject
    body = message.body
    assert body.index("Nous n’avons pas encore reçu") < body.index("We have not yet received")
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"sent": 1, "without_steward": 1, "organisations": [late.pk]}
    assert job.message == "1 organisation reminded. / 1 organisme relancé."
    follow = client.get(response["Location"]).content.decode()
    assert "job-progress" in follow


@pytest.mark.django_db
def test_staff_home_counts_organisations_late_with_their_data() -> None:
    served = IndicatorFactory.create(code="served")
    period = PeriodFactory.create(code="2024Q1")
    organisations = [OrganisationFactory.create() for _ in range(2)]
    DatasetFactory.create(indicators=[served], organisations=organisations)
    items = [
        item
        for item in attention_items(backbone_staff())
        if str(item.label) == "Organisations late with their data"
    ]
    assert len(items) == 1 and items[0].count == 2
    assert items[0].url.endswith(f"?period={period.code}")


@pytest.mark.django_db
def test_navigation_lists_the_results_pages(client: Client, published: Indicator) -> None:
    client.force_login(backbone_staff())
    page = client.get(_url("scorecard")).content.decode()
    for name in ("scorecard", "completeness", "export"):
        assert f'href="{_url(name)}"' in page
    client.logout()
    public = client.get("/en/").content.decode()
    assert f'href="{_url("report_card")}"' in public


@pytest.mark.django_db
@override_settings(COLLECTIF={**settings.COLLECTIF, "SUPPRESS_ORGANISATIONS_BELOW": 5})
def test_aggregate_api_suppresses_for_the_public_not_for_staff(
    client: Client, published: Indicator
) -> None:
    url = "/api/v1/results/aggregate?indicator=served&from=2024Q2&to=2024Q4"
    public = client.get(url).json()
    assert [row["period"] for row in public] == ["2024Q2", "2024Q3", "2024Q4"]
    assert all(row["suppressed"] and row["value"] is None for row in public)
    client.force_login(backbone_staff())
    staff = client.get(url).json()
    assert [row["value"] for row in staff] == [3702.0] * 3
    assert staff[0]["organisations"] == 3 and staff[0]["region"] == "CA"
    provinces = client.get(url + "&dimension=province").json()
    assert {row["region"] for row in provinces} >= {"ON", "QC", "NU"}
    assert client.get(url + "&region=ZZ").status_code == 422
    assert client.get("/api/v1/results/aggregate?indicator=served&from=soon").status_code == 422


@pytest.mark.django_db
def test_aggregate_api_hides_unpublished_indicators(client: Client) -> None:
    IndicatorFactory.create(code="internal_only", is_published=False)
    assert client.get("/api/v1/results/aggregate?indicator=internal_only").status_code == 404


@pytest.mark.django_db
def test_only_those_who_manage_measurement_may_write_the_story(published: Indicator) -> None:
    steward = steward_of(OrganisationFactory.create())
    with pytest.raises(PermissionDenied):
        services.indicator_story_update(
            actor=steward, indicator=published, story_en="Mine now.", story_fr=""
        )
    published.refresh_from_db()
    assert not getattr(published, "story_en")  # noqa: B009
    services.indicator_story_update(
        actor=SYSTEM, indicator=published, story_en="Told by the system.", story_fr=""
    )
    event = AuditEvent.objects.get(action=MeasurementAction.INDICATOR_STORY_UPDATE)
    assert event.actor_label == "system" and set(event.changes) == {"story_en"}


@pytest.mark.django_db
def test_a_steward_cannot_send_reminders(published: Indicator) -> None:
    period = PeriodFactory.create(code="2024Q1")
    with pytest.raises(PermissionDenied):
        services.completeness_reminders_send(
            actor=steward_of(OrganisationFactory.create()), period=period
        )
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_report_card_csv_prints_figures_with_the_indicators_decimals(client: Client) -> None:
    lasting = IndicatorFactory.create(code="lasting", is_published=False)
    matches = IndicatorFactory.create(code="matches", is_published=False)
    IndicatorFactory.create(
        code="share_lasting",
        unit=Indicator.Unit.PERCENT,
        source=Indicator.Source.COMPUTED,
        numerator=lasting,
        denominator=matches,
        factor=Decimal(100),
        decimals=1,
    )
    dataset = DatasetFactory.create(indicators=[lasting, matches])
    period = PeriodFactory.create(code="2024Q1")
    for part, whole in ((10, 30), (10, 30), (10, 30)):
        approve(
            OrganisationFactory.create(),
            dataset,
            period,
            {(lasting, ""): part, (matches, ""): whole},
        )

    english = client.get(_url("report_card_csv")).content.decode()
    french = client.get(_url("report_card_csv", "fr")).content.decode()

    assert "share_lasting,Young people served" in english.replace("\ufeff", "")
    line = next(line for line in english.splitlines() if "share_lasting" in line)
    assert ",2024Q1,33.3,3," in line  # 30 of 90, not 33.33333333333333333333333333
    assert ";2024Q1;33,3;3;" in next(x for x in french.splitlines() if "share_lasting" in x)


@pytest.mark.django_db
def test_a_hidden_figure_hides_its_partner_count_on_members_pages(client: Client) -> None:
    few = IndicatorFactory.create(code="few", name_en="Volunteer inquiries")
    movement([few], ["2024Q4"], 2, 50)
    client.force_login(steward_of(OrganisationFactory.create()))

    scorecard = client.get(_url("scorecard")).content.decode()
    detail = client.get(_url("indicator_detail", code="few")).content.decode()

    assert "fewer than 3 organisations" in scorecard and "2 partners" not in scorecard
    assert "fewer than 3 organisations" in detail and "2 partner organisations" not in detail


@pytest.mark.django_db
def test_a_partner_does_not_learn_the_other_partners_figure_from_the_movements(
    client: Client,
) -> None:
    served = IndicatorFactory.create(code="served", name_en="Young people served")
    orgs, _dataset, _periods = movement([served], ["2024Q1"], 2, 1234)
    client.force_login(steward_of(orgs[0]))

    page = client.get(_url("partner_results", slug=orgs[0].slug)).content.decode()

    assert "1,234" in page and "2,468" not in page and "50.0%" not in page
    assert "fewer than 3 organisations" in page
    client.force_login(backbone_staff())
    staff = client.get(_url("partner_results", slug=orgs[0].slug)).content.decode()
    assert "2,468" in staff and "50.0%" in staff


PERIOD_CODE = re.compile(r"\b\d{4}(?:Q[1-4]|-\d{2})\b|\bFY\d{4}\b")


def _text(page: str) -> str:
    """What a person reads: the page without its tags, so codes in links and form values
    (which stay) are not counted."""
    return re.sub(r"<[^>]+>", " ", page)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_results_pages_name_periods_in_words_never_by_code(
    client: Client, published: Indicator, language: str
) -> None:
    client.force_login(backbone_staff())
    pages = {
        "scorecard": client.get(_url("scorecard", language)).content.decode(),
        "indicator": client.get(
            _url("indicator_detail", language, code="served") + "?period=2024Q2"
        ).content.decode(),
        "report card": client.get(_url("report_card", language)).content.decode(),
    }
    for name, page in pages.items():
        assert not PERIOD_CODE.findall(_text(page)), name
    words = "avril à juin 2024" if language == "fr" else "April to June 2024"
    assert f">{words}</option>" in pages["indicator"]
    assert 'value="2024Q2" selected' in pages["indicator"]


@pytest.mark.django_db
def test_scorecard_puts_status_beside_the_name_and_units_on_values(client: Client) -> None:
    served = IndicatorFactory.create(code="served", name_en="Young people served")
    waiting = IndicatorFactory.create(code="waiting", name_en="Young people waiting")
    IndicatorFactory.create(
        code="waitlist_ratio",
        name_en="Young people waiting per 100 served",
        unit=Indicator.Unit.PERCENT,
        source=Indicator.Source.COMPUTED,
        numerator=waiting,
        denominator=served,
        factor=Decimal(100),
        decimals=1,
        polarity=Indicator.Polarity.LOWER,
        is_published=True,
    )
    dataset = DatasetFactory.create(indicators=[served, waiting])
    for code in ("2024Q1", "2024Q2"):
        period = PeriodFactory.create(code=code)
        for _ in range(3):
            approve(
                OrganisationFactory.create(), dataset, period, {(served, ""): 40, (waiting, ""): 5}
            )
    client.force_login(steward_of(OrganisationFactory.create()))

    page = client.get(_url("scorecard")).content.decode()

    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', page)
    assert headers[:2] == ["Indicator", "Status"]
    assert "Change since baseline" in headers
    ratio = page[page.index("Young people waiting per 100 served") :]
    ratio = ratio[: ratio.index("</tr>")]
    assert "12.5 per 100" in ratio and "Rate per 100" in ratio and "Percent" not in ratio
    assert "Lower is better" in ratio
    assert 'data-label="Change since baseline"' in ratio
