from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from collectif.core.actors import SYSTEM
from collectif.core.models import AuditEvent
from collectif.ecosystem.tests.factories import OrganisationFactory
from collectif.measurement.domain.validation import CellValue
from collectif.measurement.models import (
    DatasetIndicator,
    IdempotencyKey,
    Indicator,
    Rollup,
    Submission,
    SubmissionVersion,
    Value,
)
from collectif.measurement.services import submissions as services
from collectif.measurement.services.values import insert_values
from collectif.measurement.tests.factories import (
    DatasetFactory,
    IndicatorFactory,
    PeriodFactory,
    SubmissionFactory,
    backbone_staff,
    steward_of,
)


def cell(code: str, breakdown: str, value: str | int) -> CellValue:
    return CellValue(indicator_code=code, breakdown=breakdown, value=Decimal(value))


@pytest.fixture
def setup():
    organisation = OrganisationFactory.create()
    indicator = IndicatorFactory.create(code="served", dimensions=["age"])
    dataset = DatasetFactory.create(indicators=[indicator], organisations=[organisation])
    period = PeriodFactory.create(code="2026Q1")
    steward = steward_of(organisation)
    submission = services.submission_open(
        actor=steward, organisation=organisation, dataset=dataset, period=period
    )
    return {
        "organisation": organisation,
        "indicator": indicator,
        "dataset": dataset,
        "period": period,
        "steward": steward,
        "staff": backbone_staff(),
        "submission": submission,
    }


def values_of(submission: Submission) -> dict[str, Decimal]:
    return dict(Value.objects.filter(submission=submission).values_list("breakdown", "value"))


def send(setup, cells, *, submit=True):
    return services.submission_save_values(
        actor=setup["steward"],
        submission=setup["submission"],
        cells=cells,
        channel=Submission.Channel.FORM,
        submit=submit,
    )


@pytest.mark.django_db
def test_open_creates_one_draft_and_audits(setup):
    again = services.submission_open(
        actor=setup["steward"],
        organisation=setup["organisation"],
        dataset=setup["dataset"],
        period=setup["period"],
    )
    assert again.pk == setup["submission"].pk
    assert again.status == Submission.Status.DRAFT
    assert AuditEvent.objects.filter(action="measurement.submission_open").count() == 1


@pytest.mark.django_db
def test_open_refuses_another_organisations_steward_and_unassigned_datasets(setup):
    other = OrganisationFactory.create()
    setup["dataset"].organisations.add(other)
    with pytest.raises(PermissionDenied):
        services.submission_open(
            actor=setup["steward"],
            organisation=other,
            dataset=setup["dataset"],
            period=setup["period"],
        )
    unassigned = DatasetFactory.create(indicators=[setup["indicator"]])
    with pytest.raises(ValidationError):
        services.submission_open(
            actor=setup["steward"],
            organisation=setup["organisation"],
            dataset=unassigned,
            period=setup["period"],
        )
    assert Submission.objects.count() == 1


@pytest.mark.smoke
@pytest.mark.django_db
def test_draft_then_submit_creates_a_version(setup):
    send(setup, [cell("served", "", 10)], submit=False)
    submission = setup["submission"]
    assert submission.status == Submission.Status.DRAFT
    assert values_of(submission) == {"": Decimal(10)}
    send(setup, [cell("served", "", 12), cell("served", "age:12-17", 12)])
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.version == 1
    assert submission.submitted_by == setup["steward"]
    version = SubmissionVersion.objects.get(submission=submission)
    assert {v["breakdown"]: v["value"] for v in version.values} == {"": "12", "age:12-17": "12"}


@pytest.mark.django_db
def test_stewards_cannot_change_submitted_or_approved_data(setup):
    send(setup, [cell("served", "", 10)])
    with pytest.raises(ValidationError):
        send(setup, [cell("served", "", 99)], submit=False)
    services.submission_approve(actor=setup["staff"], submission=setup["submission"])
    with pytest.raises(ValidationError):
        send(setup, [cell("served", "", 99)])
    with pytest.raises(ValidationError):
        services.submission_submit(actor=setup["steward"], submission=setup["submission"])
    assert values_of(setup["submission"]) == {"": Decimal(10)}


@pytest.mark.django_db
def test_resubmitting_after_return_replaces_values_and_adds_a_version(setup):
    send(setup, [cell("served", "", 10), cell("served", "age:6-11", 10)])
    services.submission_return(
        actor=setup["staff"], submission=setup["submission"], comment="Check the total."
    )
    submission = setup["submission"]
    assert submission.status == Submission.Status.RETURNED
    assert submission.review_comment == "Check the total."
    send(setup, [cell("served", "", 20)])
    submission.refresh_from_db()
    assert submission.version == 2
    assert submission.status == Submission.Status.SUBMITTED
    assert values_of(submission) == {"": Decimal(20)}
    assert list(submission.versions.values_list("number", flat=True)) == [2, 1]


@pytest.mark.django_db
def test_approval_updates_rollups_and_locks(setup):
    send(setup, [cell("served", "", 10)])
    assert not Rollup.objects.exists()
    services.submission_approve(actor=setup["staff"], submission=setup["submission"])
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.APPROVED
    assert setup["submission"].reviewed_by == setup["staff"]
    assert setup["submission"].is_locked
    canada = Rollup.objects.get(indicator=setup["indicator"], region="CA", member="")
    assert canada.total == Decimal(10)
    assert canada.organisations == 1
    assert AuditEvent.objects.filter(action="measurement.submission_approve").exists()


@pytest.mark.django_db
def test_stewards_cannot_review(setup):
    send(setup, [cell("served", "", 10)])
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=setup["steward"], submission=setup["submission"])
    with pytest.raises(PermissionDenied):
        services.submission_return(
            actor=setup["steward"], submission=setup["submission"], comment="x"
        )
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.SUBMITTED


@pytest.mark.django_db
def test_only_submitted_data_can_be_approved_or_returned(setup):
    with pytest.raises(ValidationError):
        services.submission_approve(actor=setup["staff"], submission=setup["submission"])
    with pytest.raises(ValidationError):
        services.submission_return(
            actor=setup["staff"], submission=setup["submission"], comment="x"
        )
    with pytest.raises(ValidationError):
        services.submission_reopen(actor=setup["staff"], submission=setup["submission"], reason="x")
    assert setup["submission"].status == Submission.Status.DRAFT


@pytest.mark.django_db
def test_return_needs_a_comment_and_reopen_a_reason(setup):
    send(setup, [cell("served", "", 10)])
    with pytest.raises(ValidationError) as error:
        services.submission_return(
            actor=setup["staff"], submission=setup["submission"], comment=" "
        )
    assert "comment" in error.value.message_dict
    services.submission_approve(actor=setup["staff"], submission=setup["submission"])
    with pytest.raises(ValidationError):
        services.submission_reopen(actor=setup["staff"], submission=setup["submission"], reason="")
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.APPROVED


@pytest.mark.django_db
def test_reopening_takes_the_data_out_of_the_rollups(setup):
    send(setup, [cell("served", "", 10)])
    services.submission_approve(actor=setup["staff"], submission=setup["submission"])
    assert Rollup.objects.exists()
    services.submission_reopen(
        actor=setup["staff"], submission=setup["submission"], reason="Wrong quarter."
    )
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.RETURNED
    assert setup["submission"].review_comment == "Wrong quarter."
    assert not Rollup.objects.exists()
    event = AuditEvent.objects.get(action="measurement.submission_reopen")
    assert event.changes["comment"] == "Wrong quarter."
    # The steward corrects and resubmits; approval brings the new value in.
    send(setup, [cell("served", "", 7)])
    services.submission_approve(actor=setup["staff"], submission=setup["submission"])
    assert Rollup.objects.get(region="CA", member="").total == Decimal(7)


@pytest.mark.django_db
def test_invalid_values_write_nothing_and_list_every_problem(setup):
    send(setup, [cell("served", "", 10)], submit=False)
    with pytest.raises(services.SubmissionInvalid) as error:
        send(setup, [cell("served", "", -5), cell("served", "age:nope", 3)])
    assert error.value.problems
    assert values_of(setup["submission"]) == {"": Decimal(10)}
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.DRAFT
    assert not SubmissionVersion.objects.exists()


@pytest.mark.django_db
def test_negative_count_is_refused_by_validation(setup):
    with pytest.raises(services.SubmissionInvalid) as error:
        send(setup, [cell("served", "", -5)])
    assert any(p.severity == "error" for p in error.value.problems)
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_submitting_requires_the_required_totals(setup):
    send(setup, [cell("served", "age:6-11", 4)], submit=False)
    with pytest.raises(services.SubmissionInvalid):
        services.submission_submit(actor=setup["steward"], submission=setup["submission"])
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.DRAFT
    send(setup, [cell("served", "", 4), cell("served", "age:6-11", 4)], submit=False)
    services.submission_submit(actor=setup["steward"], submission=setup["submission"])
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.SUBMITTED
    assert setup["submission"].version == 1


@pytest.mark.django_db
def test_duplicate_cells_are_refused(setup):
    with pytest.raises(services.SubmissionInvalid):
        send(setup, [cell("served", "", 4), cell("served", "", 5)], submit=False)
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_idempotent_receive_applies_once_and_detects_a_different_body(setup):
    args = {
        "actor": setup["steward"],
        "organisation": setup["organisation"],
        "dataset": setup["dataset"],
        "period": setup["period"],
        "cells": [cell("served", "", 3)],
        "submit": True,
    }
    first, _w, replayed = services.submission_receive(
        **args, idempotency_key="k1", fingerprint="aaa"
    )
    assert not replayed
    again, _w, replayed = services.submission_receive(
        **args, idempotency_key="k1", fingerprint="aaa"
    )
    assert replayed and again.pk == first.pk
    assert SubmissionVersion.objects.count() == 1
    with pytest.raises(services.IdempotencyConflictError):
        services.submission_receive(**args, idempotency_key="k1", fingerprint="bbb")


@pytest.mark.django_db
def test_a_steward_of_a_cannot_review_even_their_own_organisations_data(setup):
    """The services refuse by themselves, whatever page, endpoint or script calls them."""
    send(setup, [cell("served", "", 10)])
    for review in (
        lambda: services.submission_approve(actor=setup["steward"], submission=setup["submission"]),
        lambda: services.submission_return(
            actor=setup["steward"], submission=setup["submission"], comment="Fix it."
        ),
    ):
        with pytest.raises(PermissionDenied):
            review()
    setup["submission"].refresh_from_db()
    assert setup["submission"].status == Submission.Status.SUBMITTED
    assert not AuditEvent.objects.filter(action="measurement.submission_approve").exists()


@pytest.mark.django_db
def test_a_steward_of_a_cannot_report_for_b_through_any_service(setup):
    other = OrganisationFactory.create()
    setup["dataset"].organisations.add(other)
    theirs = services.submission_open(
        actor=steward_of(other),
        organisation=other,
        dataset=setup["dataset"],
        period=setup["period"],
    )
    intruder = setup["steward"]
    with pytest.raises(PermissionDenied):
        services.submission_save_values(
            actor=intruder,
            submission=theirs,
            cells=[cell("served", "", 99)],
            channel=Submission.Channel.API,
        )
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=intruder, submission=theirs)
    with pytest.raises(PermissionDenied):
        services.submission_receive(
            actor=intruder,
            organisation=other,
            dataset=setup["dataset"],
            period=setup["period"],
            cells=[cell("served", "", 99)],
            submit=True,
            idempotency_key="k1",
            fingerprint="aaa",
        )
    assert not Value.objects.filter(submission=theirs).exists()
    assert not IdempotencyKey.objects.exists()
    theirs.refresh_from_db()
    assert theirs.status == Submission.Status.DRAFT


@pytest.mark.django_db
def test_the_system_acts_for_any_organisation_and_is_audited_as_system(setup):
    """The command line and the demo loader act as the system, never as nobody."""
    services.submission_save_values(
        actor=SYSTEM,
        submission=setup["submission"],
        cells=[cell("served", "", 5)],
        channel=Submission.Channel.FILE,
        submit=True,
    )
    services.submission_approve(actor=SYSTEM, submission=setup["submission"])
    setup["submission"].refresh_from_db()
    assert setup["submission"].submitted_by is None
    assert setup["submission"].reviewed_by is None
    labels = dict(AuditEvent.objects.values_list("action", "actor_label"))
    assert labels["measurement.submission_save_values"] == "system"
    assert labels["measurement.submission_submit"] == "system"
    assert labels["measurement.submission_approve"] == "system"


@pytest.mark.django_db
def test_submission_factory_assigns_the_dataset():
    submission = SubmissionFactory.create()
    assert submission.dataset.organisations.filter(pk=submission.organisation_id).exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_writes_the_same_rows_as_bulk_create(setup):
    """PostgreSQL saves values with COPY; the rows must be those bulk_create writes."""
    budget = IndicatorFactory.create(
        code="budget", unit=Indicator.Unit.DOLLARS, decimals=2, dimensions=["age"]
    )
    DatasetIndicator.objects.create(dataset=setup["dataset"], indicator=budget, position=1)
    cells = [
        cell("served", "", 99_999_999_999_999),
        cell("served", "age:12-17", 99_999_999_999_000),
        cell("served", "age:6-11", 0),
        cell("budget", "", "1234.567891"),
        cell("budget", "age:18-24", "1234.567891"),
        cell("budget", "age:6-11", "0.000000"),
        CellValue("budget", "age:12-17", Decimal("0E+2")),
    ]
    send(setup, [cell("served", "", 7)], submit=False)
    send(setup, cells, submit=False)
    columns = ("submission", "indicator", "organisation", "period", "breakdown", "value")
    copied = sorted(Value.objects.values_list(*columns))
    Value.objects.all().delete()
    indicators = {"served": setup["indicator"].pk, "budget": budget.pk}
    insert_values(setup["submission"], cells, indicators)
    inserted = sorted(Value.objects.values_list(*columns))
    assert copied == inserted
    assert len(copied) == len(cells)
    assert {(row[4], row[5]) for row in copied if row[1] == budget.pk} == {
        ("", Decimal("1234.567891")),
        ("age:18-24", Decimal("1234.567891")),
        ("age:6-11", Decimal(0)),
        ("age:12-17", Decimal(0)),
    }
