from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from collectif.core.manifest import attention_items, nav_entries
from collectif.core.testing import queries_for
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import DatasetIndicator, Rollup, Submission, Value
from collectif.measurement.services import submissions as services
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    backbone_staff,
    steward_of,
)

# What each list page costs, whatever its number of rows (session, person, roles,
# navigation, then the page's own reads).
STEWARD_HOME_QUERIES = 13
REVIEW_QUEUE_QUERIES = 6
SUBMISSION_DETAIL_QUERIES = 10


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


@pytest.mark.django_db
def test_start_creates_the_draft_and_opens_the_form(client, world):
    client.force_login(world["steward"])
    response = client.get(
        url(
            "submission_start",
            slug=world["organisation"].slug,
            dataset=world["dataset"].code,
            period="2026Q2",
        )
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("submission_edit", pk=submission.pk)


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
        {"v-served": "-4", "v-served-age-6-11": "abc", "submit": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_v-served-age-6-11"' in page
    assert 'value="abc"' in page
    assert not Value.objects.exists()
    response = client.post(
        url("submission_edit", pk=submission.pk), {"v-served": "-4", "submit": "1"}
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
        url("submission_edit", pk=submission.pk), {"v-served": "12", "submit": "1"}
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
    report_datasets(world, 3)
    few = queries_for(client, url("steward_home"))
    report_datasets(world, 27)
    assert queries_for(client, url("steward_home")) == few == STEWARD_HOME_QUERIES


@pytest.mark.django_db
def test_the_review_queue_costs_the_same_for_3_and_30_submissions(client, world):
    client.force_login(world["staff"])
    report_datasets(world, 3)
    few = queries_for(client, url("review_queue"))
    report_datasets(world, 27)
    assert queries_for(client, url("review_queue")) == few == REVIEW_QUEUE_QUERIES


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
