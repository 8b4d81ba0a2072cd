"""The engagement pipeline over the API (backbone staff only): steps, and where each stands.

Mounted at /api/v1/engagement. Stages and channels travel as their codes (`approached`,
`meeting`); people as their e-mail addresses; organisations as their short names.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from collectif.accounts.api_auth import required_auth
from collectif.accounts.models import User
from collectif.core.actors import request_actor
from collectif.core.api_errors import responses
from collectif.core.api_pages import Page, PageQuery, paginate
from collectif.ecosystem.domain.engagement import START, is_overdue, site_today
from collectif.ecosystem.models import EngagementEvent, Stage
from collectif.ecosystem.selectors import engagement as selectors
from collectif.ecosystem.selectors import organisations as organisation_selectors
from collectif.ecosystem.services import engagement as services

router = Router(tags=["engagement"], auth=required_auth)

STAGE_CODES = ", ".join(Stage.values)


class EngagementEventOut(Schema):
    id: int
    organisation: str = Field(description="The organisation's short name (slug)")
    from_stage: str
    to_stage: str
    happened_on: date
    channel: str
    note: str
    next_step: str
    next_step_owner: str | None = Field(description="E-mail of the person who does it")
    next_step_due: date | None
    recorded_by: str | None


class EngagementEventPage(Page[EngagementEventOut]):
    pass


class EngagementEventFilters(PageQuery):
    organisation: str = Field("", max_length=80, description="An organisation's short name")
    stage: str = Field("", max_length=20, description=f"Stage reached: {STAGE_CODES}")
    since: date | None = Field(None, description="Steps on or after this date")


class EngagementEventIn(Schema):
    organisation: str = Field(max_length=80, description="The organisation's short name")
    to_stage: str = Field(max_length=20, description=f"Stage after the step: {STAGE_CODES}")
    happened_on: date
    channel: str = Field(max_length=10, description="meeting, email, phone, event or other")
    note: str = Field("", max_length=2000)
    next_step: str = Field("", max_length=300)
    next_step_owner: str | None = Field(None, max_length=254, description="A staff e-mail")
    next_step_due: date | None = None


class EngagementOut(Schema):
    organisation: str
    stage: str
    stage_since: date | None
    owner: str | None
    next_step: str
    next_step_owner: str | None
    next_step_due: date | None
    overdue: bool


def _email(user: User | None) -> str | None:
    return user.email if user is not None else None


def _event_out(event: EngagementEvent) -> EngagementEventOut:
    return EngagementEventOut(
        id=event.pk,
        organisation=event.organisation.slug,
        from_stage=event.from_stage,
        to_stage=event.to_stage,
        happened_on=event.happened_on,
        channel=event.channel,
        note=event.note,
        next_step=event.next_step,
        next_step_owner=_email(event.next_step_owner),
        next_step_due=event.next_step_due,
        recorded_by=_email(event.recorded_by),
    )


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


@router.get(
    "/events", response=responses(EngagementEventPage, 403), summary="Steps recorded (staff)"
)
def list_events(
    request: HttpRequest, filters: Query[EngagementEventFilters]
) -> EngagementEventPage:
    _require(request, "ecosystem.view_pipeline")
    events = selectors.engagement_event_list(
        organisation_slug=filters.organisation, stage=filters.stage, since=filters.since
    )
    return paginate(request, events, filters, out=_event_out, page=EngagementEventPage)


@router.post(
    "/events",
    response=responses(EngagementEventOut, 403, 404, status=201),
    summary="Record a step with an organisation (staff)",
)
def record_event(request: HttpRequest, payload: EngagementEventIn) -> Status[EngagementEventOut]:
    _require(request, "ecosystem.manage_pipeline")
    organisation = organisation_selectors.organisation_get(
        user=request.user, slug=payload.organisation
    )
    owner = None
    if payload.next_step_owner:
        owner = selectors.staff_person_get(email=payload.next_step_owner)
        if owner is None:
            raise ValidationError(
                {
                    "next_step_owner": ValidationError(
                        _("Give the e-mail address of a member of the backbone staff."),
                        code="not_staff",
                    )
                }
            )
    event = services.engagement_record(
        actor=request_actor(request),
        organisation=organisation,
        to_stage=payload.to_stage,
        happened_on=payload.happened_on,
        channel=payload.channel,
        note=payload.note,
        next_step=payload.next_step,
        next_step_owner=owner,
        next_step_due=payload.next_step_due,
    )
    return Status(201, _event_out(event))


@router.get(
    "/organisations/{slug}",
    response=responses(EngagementOut, 403, 404),
    summary="Where the movement stands with one organisation (staff)",
)
def get_engagement(request: HttpRequest, slug: str) -> EngagementOut:
    _require(request, "ecosystem.view_pipeline")
    organisation = organisation_selectors.organisation_get(user=request.user, slug=slug)
    engagement = selectors.engagement_get(organisation=organisation)
    if engagement is None:
        return EngagementOut(
            organisation=organisation.slug,
            stage=START.value,
            stage_since=None,
            owner=None,
            next_step="",
            next_step_owner=None,
            next_step_due=None,
            overdue=False,
        )
    return EngagementOut(
        organisation=organisation.slug,
        stage=engagement.stage,
        stage_since=engagement.stage_since,
        owner=_email(engagement.owner),
        next_step=engagement.next_step,
        next_step_owner=_email(engagement.next_step_owner),
        next_step_due=engagement.next_step_due,
        overdue=is_overdue(engagement.next_step, engagement.next_step_due, today=site_today()),
    )
