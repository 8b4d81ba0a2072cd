from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import Rollup, Submission
from collectif.measurement.services import submissions as services
from collectif.measurement.services.results import rollups_rebuild as rebuild
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    steward_of,
)


@pytest.fixture
def submission():
    organisation = OrganisationFactory.create(slug="big-sisters")
    indicator = IndicatorFactory.create(code="served")
    dataset = DatasetFactory.create(
        code="quarterly", indicators=[indicator], organisations=[organisation]
    )
    period = PeriodFactory.create(code="2026Q1")
    submission = services.submission_open(
        actor=SYSTEM, organisation=organisation, dataset=dataset, period=period
    )
    services.submission_save_values(
        actor=SYSTEM,
        submission=submission,
        cells=[CellValue("served", "", Decimal(8))],
        channel=Submission.Channel.FILE,
        submit=True,
    )
    return submission


def approve(period="2026Q1", organisation="big-sisters"):
    out = StringIO()
    call_command(
        "measurement",
        "approve",
        "--organisation",
        organisation,
        "--dataset",
        "quarterly",
        "--period",
        period,
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db
def test_approve_from_the_command_line(submission):
    output = approve(period="2026q1")
    assert "Approved" in output
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED
    assert submission.reviewed_by is None
    event = AuditEvent.objects.get(action="measurement.submission_approve")
    assert event.actor_label == "system"
    assert Rollup.objects.get(region="CA", member="").total == Decimal(8)
    with pytest.raises(CommandError, match="approved"):
        approve()


@pytest.mark.django_db
def test_approve_fails_when_nothing_matches(submission):
    with pytest.raises(CommandError):
        approve(organisation="nobody")
    with pytest.raises(CommandError):
        approve(period="2025Q4")
    with pytest.raises(CommandError):
        approve(period="not a period")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


@pytest.mark.django_db
def test_rebuild_rollups_prints_rows_and_time(submission):
    services.submission_approve(actor=SYSTEM, submission=submission)
    Rollup.objects.all().delete()
    out = StringIO()
    call_command("measurement", "rebuild-rollups", stdout=out)
    assert "rows written" in out.getvalue()
    assert Rollup.objects.filter(region="CA").count() == 1
    assert AuditEvent.objects.get(action="measurement.rollups_rebuild").actor_label == "system"


@pytest.mark.django_db
def test_only_those_who_manage_measurement_may_rebuild_the_rollups(submission):
    services.submission_approve(actor=SYSTEM, submission=submission)
    steward = steward_of(submission.organisation)
    with pytest.raises(PermissionDenied):
        rebuild(actor=steward)
    assert Rollup.objects.filter(region="CA").count() == 1
    assert not AuditEvent.objects.filter(action="measurement.rollups_rebuild").exists()
