import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from collectif.core.manifest import attention_items, nav_entries
from collectif.core.models import AuditEvent
from collectif.core.testing import queries_for, same_queries_for_3_and_30
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import DatasetIndicator, Dimension, Rollup, Submission, Value
from collectif.measurement.selectors.submissions import steward_obligations
from collectif.measurement.services import submissions as services
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    SubmissionFactory,
    backbone_staff,
    steward_of,
)

# What each list page costs, whatever its number of rows (person, roles, navigation,
# then the page's own reads, a page of a list being a count and a slice; the session
# comes from the cache).
STEWARD_HOME_QUERIES = 12
REVIEW_QUEUE_QUERIES = 11
SUBMISSION_DETAIL_QUERIES = 13


@pytest.fixture
def world():
    today = timezone.localdate()
    organisation = OrganisationFactory.create(
        name_en="Big Sisters Test", name_fr="Grandes Soeurs Test"
    )
    indicator = IndicatorFactory.create(
        code="served", name_en="Young people served", name_fr="Jeunes servis", dimensions=["age"]
    )
    dataset = DatasetFactory.create(indicators=[indicator], organisations=[organisation])
    period = PeriodFactory.create(
        code="2026Q2", opens_on=today - timedelta(days=3), deadline=today + timedelta(days=20)
    )
    return {
        "organisation": organisation,
        "indicator": indicator,
        "dataset": dataset,
        "period": period,
        "steward": steward_of(organisation),
        "staff": backbone_staff(),
    }


def url(name, **kwargs):
    with override("en"):
        return reverse(f"measurement:{name}", kwargs=kwargs)


def open_submission(world):
    return services.submission_open(
        actor=world["steward"],
        organisation=world["organisation"],
        dataset=world["dataset"],
        period=world["period"],
    )


def submitted(world, value=10):
    submission = open_submission(world)
    services.submission_save_values(
        actor=world["steward"],
        submission=submission,
        cells=[CellValue("served", "", Decimal(value))],
        channel=Submission.Channel.FORM,
        submit=True,
    )
    return submission


@pytest.mark.smoke
@pytest.mark.django_db
def test_steward_home_says_what_is_owed_and_by_when(client, world):
    client.force_login(world["steward"])
    page = client.get(url("steward_home")).content.decode()
    assert "Submit your data for April to June 2026" in page
    assert "Start your report" in page
    start = url(
        "submission_start",
        slug=world["organisation"].slug,
        dataset=world["dataset"].code,
        period="2026Q2",
    )
    assert start in page


@pytest.mark.django_db
def test_steward_home_in_french(client, world):
    client.force_login(world["steward"])
    page = client.get("/fr/measurement/my-data/").content.decode()
    assert "Soumettre vos données\u00a0: avril à juin 2026" in page


@pytest.mark.django_db
def test_steward_home_empty_state(client):
    client.force_login(steward_of(OrganisationFactory.create()))
    page = client.get(url("steward_home")).content.decode()
    assert "Nothing to report right now" in page


def start_url(world, dataset=None, period="2026Q2"):
    return url(
        "submission_start",
        slug=world["organisation"].slug,
        dataset=dataset or world["dataset"].code,
        period=period,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["steward", "staff"])
def test_opening_a_report_link_shows_an_empty_form_and_writes_nothing(client, world, role):
    client.force_login(world[role])
    before = (Submission.objects.count(), AuditEvent.objects.count())
    response = client.get(start_url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Report" in page
    assert 'name="v-served"' in page
    assert 'value=""' in page or 'name="v-served" value' not in page
    assert (Submission.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_the_first_save_creates_the_draft_with_its_values(client, world):
    client.force_login(world["steward"])
    response = client.post(start_url(world), {"v-served": "1 234", "save": "1"})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("submission_edit", pk=submission.pk)
    assert submission.status == Submission.Status.DRAFT
    assert dict(Value.objects.values_list("breakdown", "value")) == {"": Decimal(1234)}
    assert AuditEvent.objects.filter(action="measurement.submission_open").count() == 1
    # The link now opens the saved draft, with its values.
    page = client.get(start_url(world), follow=True).content.decode()
    assert "1,234" in page


@pytest.mark.django_db
def test_a_first_save_that_is_refused_leaves_no_draft(client, world):
    client.force_login(world["steward"])
    response = client.post(start_url(world), {"v-served": "-4", "submit": "1", "confirm": "on"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Submission.objects.exists()
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_the_first_save_can_send_the_report_at_once(client, world):
    client.force_login(world["steward"])
    response = client.post(start_url(world), {"v-served": "12", "submit": "1", "confirm": "on"})
    submission = Submission.objects.get()
    assert response["Location"] == url("submission_detail", pk=submission.pk)
    assert submission.status == Submission.Status.SUBMITTED


@pytest.mark.django_db
def test_a_sent_report_opens_on_its_page(client, world):
    submission = submitted(world)
    client.force_login(world["steward"])
    response = client.get(start_url(world))
    assert response["Location"] == url("submission_detail", pk=submission.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["steward", "staff"])
def test_a_dataset_the_organisation_does_not_report_is_a_clear_404(client, world, role):
    other = DatasetFactory.create(indicators=[world["indicator"]], organisations=[])
    client.force_login(world[role])
    before = (Submission.objects.count(), AuditEvent.objects.count())
    response = client.get(start_url(world, dataset=other.code))
    assert response.status_code == 404
    assert "This organisation does not report this data" in response.content.decode()
    assert client.post(start_url(world, dataset=other.code), {"v-served": "1"}).status_code == 404
    french = client.get(start_url(world, dataset=other.code).replace("/en/", "/fr/"))
    assert french.status_code == 404
    assert "Cet organisme ne déclare pas ces données" in french.content.decode()
    assert (Submission.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_an_unknown_dataset_or_period_is_a_404(client, world):
    client.force_login(world["staff"])
    assert client.get(start_url(world, dataset="nope")).status_code == 404
    assert client.get(start_url(world, period="1999Q9")).status_code == 404
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_form_saves_a_draft_with_french_numbers(client, world):
    submission = open_submission(world)
    client.force_login(world["steward"])
    response = client.post(
        f"/fr/measurement/submissions/{submission.pk}/edit/",
        {"v-served": "1 234", "v-served-age-12-17": "1 000", "save": "1"},
    )
    assert response.status_code == 302
    assert dict(Value.objects.values_list("breakdown", "value")) == {
        "": Decimal(1234),
        "age:12-17": Decimal(1000),
    }
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT
    page = client.get(f"/fr/measurement/submissions/{submission.pk}/edit/").content.decode()
    assert "1\u202f234" in page or "1\xa0234" in page


@pytest.mark.django_db
def test_form_errors_are_shown_with_links_and_nothing_is_written(client, world):
    submission = open_submission(world)
    client.force_login(world["steward"])
    response = client.post(
        url("submission_edit", pk=submission.pk),
        {"v-served": "-4", "v-served-age-6-11": "abc", "submit": "1", "confirm": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_v-served-age-6-11"' in page
    assert 'value="abc"' in page
    assert not Value.objects.exists()
    response = client.post(
        url("submission_edit", pk=submission.pk), {"v-served": "-4", "submit": "1", "confirm": "on"}
    )
    assert 'href="#id_v-served"' in response.content.decode()
    assert not Value.objects.exists()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


@pytest.mark.django_db
def test_form_submit_sends_for_review(client, world):
    submission = open_submission(world)
    client.force_login(world["steward"])
    response = client.post(
        url("submission_edit", pk=submission.pk), {"v-served": "12", "submit": "1", "confirm": "on"}
    )
    assert response["Location"] == url("submission_detail", pk=submission.pk)
    submission.refresh_from_db()
    assert (submission.status, submission.version) == (Submission.Status.SUBMITTED, 1)
    page = client.get(url("submission_detail", pk=submission.pk)).content.decode()
    assert "Waiting for approval" in page
    # Submitted data is locked: the form sends the steward back to the page.
    response = client.get(url("submission_edit", pk=submission.pk))
    assert response["Location"] == url("submission_detail", pk=submission.pk)


@pytest.mark.django_db
def test_staff_review_queue_and_approval(client, world):
    submission = submitted(world)
    client.force_login(world["staff"])
    page = client.get(url("review_queue")).content.decode()
    assert "Big Sisters Test" in page
    confirm = client.get(url("submission_approve", pk=submission.pk))
    assert "Approve this submission" in confirm.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    client.post(url("submission_approve", pk=submission.pk))
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert Rollup.objects.filter(region="CA", member="", total=10).exists()


@pytest.mark.django_db
def test_return_requires_a_comment_that_the_steward_then_sees(client, world):
    submission = submitted(world)
    client.force_login(world["staff"])
    response = client.post(url("submission_return", pk=submission.pk), {"comment": ""})
    assert "There is a problem" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    client.post(url("submission_return", pk=submission.pk), {"comment": "Add the age groups."})
    client.force_login(world["steward"])
    page = client.get(url("submission_detail", pk=submission.pk)).content.decode()
    assert "Add the age groups." in page
    assert "Returned for changes" in page


@pytest.mark.django_db
def test_reopen_requires_a_reason(client, world):
    submission = submitted(world)
    services.submission_approve(actor=world["staff"], submission=submission)
    client.force_login(world["staff"])
    client.post(url("submission_reopen", pk=submission.pk), {"comment": "  "})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    client.post(url("submission_reopen", pk=submission.pk), {"comment": "Wrong quarter."})
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    assert not Rollup.objects.exists()


@pytest.mark.django_db
def test_navigation_and_staff_attention(world):
    submitted(world)
    labels = {str(entry.label) for entry in nav_entries() if entry.group == "measurement"}
    assert {"My data", "Review submissions"} <= labels
    items = attention_items(world["staff"])
    waiting = next(i for i in items if str(i.label) == "Submissions waiting for approval")
    assert waiting.count == 1
    assert not [i for i in attention_items(world["steward"]) if "approval" in str(i.label)]


@pytest.mark.django_db
def test_past_deadline_reports_show_as_late(client, world):
    today = timezone.localdate()
    PeriodFactory.create(
        code="2026Q1", opens_on=date(2026, 4, 1), deadline=today - timedelta(days=1)
    )
    client.force_login(world["steward"])
    page = client.get(url("steward_home")).content.decode()
    assert "Late" in page


def draft(world, cells):
    submission = open_submission(world)
    services.submission_save_values(
        actor=world["steward"], submission=submission, cells=cells, channel="form"
    )
    return submission


@pytest.mark.django_db
def test_a_complete_draft_is_sent_for_approval_from_its_page(client, world):
    submission = draft(world, [CellValue("served", "", Decimal(12))])
    client.force_login(world["steward"])
    assert "Send for approval" in client.get(url("submission_detail", pk=submission.pk)).text
    response = client.post(url("submission_send", pk=submission.pk), follow=True)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.version == 1
    assert "Your data was sent" in response.text


@pytest.mark.django_db
def test_an_incomplete_draft_stays_a_draft_and_says_what_is_missing(client, world):
    submission = draft(world, [CellValue("served", "age:6-11", Decimal(4))])
    client.force_login(world["steward"])
    response = client.post(url("submission_send", pk=submission.pk))
    submission.refresh_from_db()
    assert response.status_code == 422
    assert "This data cannot be sent yet" in response.text
    assert submission.status == Submission.Status.DRAFT
    assert submission.versions.count() == 0


@pytest.mark.django_db
def test_a_steward_cannot_send_another_organisations_draft(client, world):
    submission = draft(world, [CellValue("served", "", Decimal(12))])
    client.force_login(steward_of(OrganisationFactory.create()))
    assert client.post(url("submission_send", pk=submission.pk)).status_code == 404
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DRAFT


# --- Queries: a page costs the same whatever the number of rows ----------------------


def report_datasets(world, count: int) -> None:
    """`count` more datasets the steward's organisation reports, each sent for the period."""
    for _ in range(count):
        dataset = DatasetFactory.create(
            indicators=[world["indicator"]], organisations=[world["organisation"]]
        )
        submission = services.submission_open(
            actor=world["steward"],
            organisation=world["organisation"],
            dataset=dataset,
            period=world["period"],
        )
        services.submission_save_values(
            actor=world["steward"],
            submission=submission,
            cells=[CellValue("served", "", Decimal(3))],
            channel=Submission.Channel.FORM,
            submit=True,
        )


@pytest.mark.django_db
def test_the_stewards_page_costs_the_same_for_3_and_30_reports(client, world):
    client.force_login(world["steward"])
    count = same_queries_for_3_and_30(
        client, url("steward_home"), lambda n: report_datasets(world, n)
    )
    assert count == STEWARD_HOME_QUERIES


@pytest.mark.django_db
def test_the_review_queue_costs_the_same_for_3_and_30_submissions(client, world):
    client.force_login(world["staff"])
    count = same_queries_for_3_and_30(
        client, url("review_queue"), lambda n: report_datasets(world, n)
    )
    assert count == REVIEW_QUEUE_QUERIES


@pytest.mark.django_db
@override_settings(COLLECTIF={**settings.COLLECTIF, "PAGE_SIZE": 2})
def test_the_review_queue_is_read_one_page_at_a_time(client, world):
    report_datasets(world, 5)
    client.force_login(world["staff"])
    first = client.get(url("review_queue")).content.decode()
    assert first.count(">Review<") == 2
    assert "5 submissions are waiting." in first
    assert "Page 1 of 3" in first
    last = client.get(url("review_queue") + "?page=3").content.decode()
    assert last.count(">Review<") == 1
    assert "Page 3 of 3" in last


@pytest.mark.django_db
@override_settings(COLLECTIF={**settings.COLLECTIF, "PAGE_SIZE": 2})
def test_the_stewards_sent_reports_are_read_one_page_at_a_time(client, world):
    report_datasets(world, 3)
    client.force_login(world["steward"])
    first = client.get(url("steward_home")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(url("steward_home") + "?page=2").content.decode()
    assert "Page 2 of 2" in second


def measured_by(world, count: int) -> None:
    """`count` more indicators in the world's dataset."""
    for _ in range(count):
        DatasetIndicator.objects.create(
            dataset=world["dataset"], indicator=IndicatorFactory.create(), required=False
        )


@pytest.mark.django_db
def test_a_submissions_page_costs_the_same_for_3_and_30_values(client, world):
    measured_by(world, 30)
    codes = list(world["dataset"].items.values_list("indicator__code", flat=True))
    submission = draft(world, [CellValue(code, "", Decimal(1)) for code in codes[:3]])
    client.force_login(world["steward"])
    few = queries_for(client, url("submission_detail", pk=submission.pk))
    services.submission_save_values(
        actor=world["steward"],
        submission=submission,
        cells=[CellValue(code, "", Decimal(1)) for code in codes[:30]],
        channel=Submission.Channel.FORM,
    )
    many = queries_for(client, url("submission_detail", pk=submission.pk))
    assert many == few == SUBMISSION_DETAIL_QUERIES


# --- The form sized to the partner (issue 9) ------------------------------------------


@pytest.fixture
def two_provinces(world):
    """The world's organisation serves Nova Scotia and Prince Edward Island, and reports
    young people served by province and by age."""
    world["organisation"].provinces_served.set(["NS", "PE"])
    world["indicator"].dimensions.add(Dimension.objects.get(code="province"))
    return world


def _form_html(page: str) -> str:
    start = page.index('<form method="post" class="values-form"')
    return page[start : page.index("</form>", start)]


def _province_inputs(html: str) -> list[str]:
    return re.findall(r'name="v-served-province-([A-Z]{2})"', html)


@pytest.mark.django_db
def test_the_form_shows_the_provinces_the_partner_serves_and_folds_the_others(
    client, two_provinces
):
    client.force_login(two_provinces["steward"])
    form = _form_html(client.get(start_url(two_provinces)).text)
    shown, _sep, folded = form.partition("<details")
    assert _province_inputs(shown) == ["PE", "NS"]  # in the usual order
    assert "Other provinces and territories" in folded
    assert sorted(_province_inputs(folded)) == sorted(
        {"NL", "NS", "PE", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU"}
        - {"NS", "PE"}
    )
    # Closed until one of them holds something, then open where the value is.
    assert '<details class="other-rows">' in form
    submission = draft(two_provinces, [CellValue("served", "province:QC", Decimal(3))])
    form = _form_html(client.get(url("submission_edit", pk=submission.pk)).text)
    assert '<details class="other-rows" open>' in form


@pytest.mark.django_db
def test_without_provinces_served_the_head_office_province_is_shown(client, two_provinces):
    two_provinces["organisation"].provinces_served.clear()
    client.force_login(two_provinces["steward"])
    form = _form_html(client.get(start_url(two_provinces)).text)
    shown, _sep, _folded = form.partition("<details")
    assert _province_inputs(shown) == ["ON"]


@pytest.mark.django_db
def test_rows_are_grouped_by_indicator_with_live_sums_for_parts_that_add_up(client, two_provinces):
    client.force_login(two_provinces["steward"])
    form = _form_html(client.get(start_url(two_provinces)).text)
    assert form.count('<fieldset class="grid">') == 1
    assert form.count('data-sum-total="id_v-served"') == 2  # by province, by age
    assert 'data-parts-text="Parts: {parts} of {total}"' in form


@pytest.mark.django_db
def test_each_error_names_its_row_and_links_to_it(client, two_provinces):
    submission = open_submission(two_provinces)
    client.force_login(two_provinces["steward"])
    response = client.post(
        url("submission_edit", pk=submission.pk),
        {"v-served": "10", "v-served-province-NS": "abc", "v-served-age-6-11": "4", "save": "1"},
    )
    page = response.text
    assert (
        '<a href="#id_v-served-province-NS">Young people served, Nova Scotia: '
        "Enter a number, like 1 234 or 12,5.</a>" in page
    )
    response = client.post(
        url("submission_edit", pk=submission.pk),
        {"v-served": "10", "v-served-province-NS": "8", "v-served-province-PE": "5", "save": "1"},
    )
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_v-served">Young people served, total: ' in summary
    assert "13" in summary
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_enter_saves_a_draft_and_sending_asks_for_confirmation(client, world):
    client.force_login(world["steward"])
    form = _form_html(client.get(start_url(world)).text)
    first_match = re.search(r"<button[^>]*>", form)
    assert first_match is not None
    first_button = first_match.group(0)
    assert 'name="save"' in first_button
    assert "button-secondary" in first_button
    assert 'name="submit"' in form
    # Sending without ticking the confirmation sends nothing and writes nothing.
    response = client.post(start_url(world), {"v-served": "12", "submit": "1"})
    assert response.status_code == 200
    assert 'href="#id_confirm"' in response.text
    assert "Tick the box to confirm" in response.text
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_focus_goes_to_the_error_summary_on_every_page():
    """Every page loads the script that focuses the summary; the summary can take focus."""
    base = (Path(settings.BASE_DIR) / "collectif/templates/base.html").read_text()
    assert "collectif/js/error-focus.js' %}\" defer" in base
    for template in Path(settings.BASE_DIR, "collectif").rglob("*.html"):
        for summary in re.findall(r'<div class="error-summary"[^>]*>', template.read_text()):
            assert 'tabindex="-1"' in summary and 'role="alert"' in summary, template


@pytest.mark.django_db
@pytest.mark.parametrize("current_is_late", [True, False], ids=["late", "on-time"])
def test_what_you_owe_puts_this_periods_reports_before_old_returned_ones(
    client, world, current_is_late
):
    today = timezone.localdate()
    world["period"].deadline = today + timedelta(days=-1 if current_is_late else 20)
    world["period"].save()
    old = PeriodFactory.create(code="2023Q1")
    SubmissionFactory.create(
        organisation=world["organisation"],
        dataset=world["dataset"],
        period=old,
        status=Submission.Status.RETURNED,
    )
    previous = PeriodFactory.create(
        code="2026Q1", opens_on=today - timedelta(days=95), deadline=today - timedelta(days=60)
    )
    owed = steward_obligations(user=world["steward"], today=today)
    assert [o.period.code for o in owed] == ["2026Q2", "2023Q1", previous.code]
    assert owed[0].is_overdue is current_is_late
    client.force_login(world["steward"])
    page = client.get(url("steward_home")).text
    assert "Submit your data for April to June 2026" in page
