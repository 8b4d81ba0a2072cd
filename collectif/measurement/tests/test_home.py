"""A steward's home says what they owe, what they sent and where to see how it counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.services import submissions as services
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    steward_of,
)


@pytest.mark.django_db
def test_a_steward_sees_what_is_owed_what_was_sent_and_how_it_counts(client: Client) -> None:
    today = timezone.localdate()
    organisation = OrganisationFactory.create(name_en="Halifax Circle", slug="halifax-circle")
    indicator = IndicatorFactory.create(code="served", name_en="Young people served")
    dataset = DatasetFactory.create(
        name_en="Quarterly report", indicators=[indicator], organisations=[organisation]
    )
    sent = PeriodFactory.create(code="2026Q1", opens_on=today - timedelta(days=90))
    owed = PeriodFactory.create(
        code="2026Q2", opens_on=today - timedelta(days=3), deadline=today + timedelta(days=20)
    )
    steward = steward_of(organisation)
    submission = services.submission_open(
        actor=steward, organisation=organisation, dataset=dataset, period=sent
    )
    services.submission_save_values(
        actor=steward,
        submission=submission,
        cells=[CellValue("served", "", Decimal(40))],
        channel="form",
        submit=True,
    )
    client.force_login(steward)
    page = client.get("/en/home/").text
    assert "What you owe" in page
    assert f"Halifax Circle: Quarterly report, {owed.label}" in page
    assert f"/en/measurement/organisations/halifax-circle/report/{dataset.code}/2026Q2/" in page
    assert "What you reported last" in page
    assert f"Halifax Circle: Quarterly report, {sent.label}" in page
    assert "/en/measurement/organisations/halifax-circle/results/" in page


@pytest.mark.django_db
def test_people_who_report_nothing_get_no_reporting_section(client: Client) -> None:
    researcher = user_with_role("researcher", OrganisationFactory.create())
    assert researcher is not None
    client.force_login(researcher)
    page = client.get("/en/home/").text
    assert "What you owe" not in page
    assert "Your organisations" in page


@pytest.mark.django_db
def test_the_steward_section_is_in_french_under_fr(client: Client) -> None:
    organisation = OrganisationFactory.create()
    client.force_login(steward_of(organisation))
    page = client.get("/fr/home/").text
    assert "Ce que vous devez déclarer" in page
    assert "Comment vos données comptent" in page
