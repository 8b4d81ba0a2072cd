"""Recording steps, moving on and assigning owners: what is written, and what is refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from collectif.accounts.models import User
from collectif.core.actors import SYSTEM
from collectif.core.audit import change_lines
from collectif.core.models import AuditEvent
from collectif.ecosystem.domain.engagement import replay, site_today
from collectif.ecosystem.models import Channel, Engagement, EngagementEvent, Organisation, Stage
from collectif.ecosystem.services.engagement import (
    engagement_assign,
    engagement_move,
    engagement_record,
)
from collectif.ecosystem.testing import user_with_role
from collectif.ecosystem.tests.factories import EngagementFactory, OrganisationFactory


def _staff() -> User:
    staff = user_with_role("staff")
    assert staff is not None
    return staff


def _record(actor: object, organisation: Organisation, **changes: object) -> EngagementEvent:
    arguments: dict[str, object] = {
        "to_stage": Stage.APPROACHED,
        "happened_on": site_today() - timedelta(days=3),
        "channel": Channel.EMAIL,
        "note": "Wrote to the director.",
        "next_step": "Call back",
        "next_step_owner": None,
        "next_step_due": site_today() + timedelta(days=7),
        **changes,
    }
    return engagement_record(actor=actor, organisation=organisation, **arguments)  # type: ignore[arg-type]


def _nothing_written() -> None:
    assert not EngagementEvent.objects.exists()
    assert not Engagement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ecosystem.engagement").exists()


@pytest.mark.django_db
def test_a_first_step_creates_the_pipeline_row_and_the_history() -> None:
    staff = _staff()
    organisation = OrganisationFactory.create()
    event = _record(staff, organisation, next_step_owner=staff)

    engagement = Engagement.objects.get(organisation=organisation)
    assert (event.from_stage, event.to_stage) == (Stage.IDENTIFIED, Stage.APPROACHED)
    assert event.recorded_by == staff
    assert engagement.stage == Stage.APPROACHED
    assert engagement.stage_since == site_today() - timedelta(days=3)
    assert (engagement.next_step, engagement.next_step_owner) == ("Call back", staff)
    audit = AuditEvent.objects.get(action="ecosystem.engagement_record")
    assert audit.actor_id == staff.pk and audit.object_label == str(event)
    # The audit log reads the step in words, never in codes.
    lines = {line.field: line.value for line in change_lines(audit)}
    assert lines["To stage"] == "Identified → Approached"
    assert lines["How"] == "E-mail"


@pytest.mark.django_db
def test_a_step_without_a_change_keeps_the_stage_date_and_replaces_the_next_step() -> None:
    staff = _staff()
    engagement = EngagementFactory.create(next_step="Old step")
    since = engagement.stage_since
    _record(staff, engagement.organisation, next_step="", next_step_due=None)

    engagement.refresh_from_db()
    assert engagement.stage == Stage.APPROACHED and engagement.stage_since == since
    assert engagement.next_step == "" and engagement.next_step_due is None


@pytest.mark.django_db
def test_the_history_replays_to_the_current_stage() -> None:
    staff = _staff()
    organisation = OrganisationFactory.create()
    today = site_today()
    for days, stage in ((30, Stage.APPROACHED), (20, Stage.ENGAGED), (10, Stage.DORMANT)):
        _record(staff, organisation, to_stage=stage, happened_on=today - timedelta(days=days))
    engagement_move(actor=staff, organisation=organisation, to_stage=Stage.APPROACHED)

    moves = EngagementEvent.objects.filter(organisation=organisation).order_by("happened_on", "pk")
    final = replay((event.from_stage, event.to_stage) for event in moves)
    assert final == Engagement.objects.get(organisation=organisation).stage == Stage.APPROACHED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"happened_on": site_today() + timedelta(days=1)}, "happened_on"),
        ({"next_step_due": site_today() - timedelta(days=10)}, "next_step_due"),
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"to_stage": "partnered"}, "to_stage"),
        ({"next_step": "", "next_step_due": site_today()}, "next_step"),
        ({"next_step": "x" * 301}, "next_step"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_refused_steps_write_nothing(changes: dict[str, object], field: str) -> None:
    organisation = OrganisationFactory.create()
    with pytest.raises(ValidationError) as refused:
        _record(_staff(), organisation, **changes)
    assert field in refused.value.message_dict
    _nothing_written()


@pytest.mark.django_db
def test_going_back_along_the_path_is_refused_and_changes_nothing() -> None:
    engaged = EngagementFactory.create(stage=Stage.ENGAGED)
    with pytest.raises(ValidationError) as refused:
        _record(_staff(), engaged.organisation, to_stage=Stage.IDENTIFIED)
    assert "cannot go from there" in refused.value.message_dict["to_stage"][0]
    assert not EngagementEvent.objects.exists()
    engaged.refresh_from_db()
    assert engaged.stage == Stage.ENGAGED and engaged.next_step == ""


@pytest.mark.django_db
def test_the_next_step_owner_must_be_staff() -> None:
    steward = user_with_role("steward")
    organisation = OrganisationFactory.create()
    with pytest.raises(ValidationError) as refused:
        _record(_staff(), organisation, next_step_owner=steward)
    assert "backbone staff" in refused.value.message_dict["next_step_owner"][0]
    _nothing_written()


@pytest.mark.django_db
def test_a_change_of_stage_cannot_be_dated_before_the_last_step() -> None:
    staff = _staff()
    organisation = OrganisationFactory.create()
    _record(staff, organisation, happened_on=site_today() - timedelta(days=2))
    with pytest.raises(ValidationError) as refused:
        _record(
            staff,
            organisation,
            to_stage=Stage.ENGAGED,
            happened_on=site_today() - timedelta(days=5),
        )
    assert "happened_on" in refused.value.message_dict
    assert EngagementEvent.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "no_role", "steward", "governance", "researcher"])
def test_only_staff_may_write_in_the_pipeline(role: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    person = user_with_role(role) or AnonymousUser()
    organisation = OrganisationFactory.create()
    with pytest.raises(PermissionDenied):
        _record(person, organisation)
    with pytest.raises(PermissionDenied):
        engagement_move(actor=person, organisation=organisation, to_stage=Stage.APPROACHED)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        engagement_assign(actor=person, organisation=organisation, owner=None)  # type: ignore[arg-type]
    _nothing_written()


@pytest.mark.django_db
def test_a_quick_move_keeps_the_next_step_even_when_overdue() -> None:
    staff = _staff()
    engagement = EngagementFactory.create(
        next_step="Send the agreement", next_step_due=site_today() - timedelta(days=4)
    )
    event = engagement_move(actor=staff, organisation=engagement.organisation, to_stage="engaged")
    engagement.refresh_from_db()
    assert engagement.stage == Stage.ENGAGED and engagement.stage_since == site_today()
    assert engagement.next_step == "Send the agreement"
    assert (event.from_stage, event.channel) == (Stage.APPROACHED, Channel.OTHER)
    with pytest.raises(ValidationError):
        engagement_move(actor=staff, organisation=engagement.organisation, to_stage="engaged")


@pytest.mark.django_db
def test_the_relationship_owner_is_staff_and_audited() -> None:
    staff = _staff()
    organisation = OrganisationFactory.create()
    engagement = engagement_assign(actor=SYSTEM, organisation=organisation, owner=staff)
    assert engagement.owner == staff and engagement.stage == Stage.IDENTIFIED
    assert AuditEvent.objects.filter(action="ecosystem.engagement_assign").count() == 1
    with pytest.raises(ValidationError):
        engagement_assign(actor=SYSTEM, organisation=organisation, owner=user_with_role("steward"))
    engagement.refresh_from_db()
    assert engagement.owner == staff


@pytest.mark.django_db
def test_an_archived_organisation_takes_no_new_step() -> None:
    from django.utils import timezone

    organisation = OrganisationFactory.create(archived_at=timezone.now())
    with pytest.raises(ValidationError, match="restore it"):
        _record(_staff(), organisation)
    with pytest.raises(ValidationError, match="restore it"):
        engagement_move(actor=SYSTEM, organisation=organisation, to_stage=Stage.APPROACHED)
    _nothing_written()
