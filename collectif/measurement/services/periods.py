"""Writes of the reporting periods: their codes, and the window partners report in."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import assign, audit_record, save_changed
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain.periods import parse_period
from collectif.measurement.models import Period
from collectif.measurement.permissions import MANAGE

NEXT_QUARTERS = 4
WINDOW_OPENS_BEFORE_END = timedelta(days=14)
DEADLINE_AFTER_END = timedelta(days=30)


def _check_window(opens_on: date | None, deadline: date | None) -> None:
    if deadline is not None and opens_on is not None and deadline < opens_on:
        raise ValidationError(
            {"deadline": _("The deadline must come after the window opens.")}, code="order"
        )


@transaction.atomic
def period_create(
    *, actor: Actor, code: str, opens_on: date | None = None, deadline: date | None = None
) -> Period:
    """A period from its canonical code; its dates follow from the code."""
    require(actor, MANAGE)
    try:
        span = parse_period(code)
    except ValidationError as error:
        raise ValidationError({"code": error.error_list}) from None
    if Period.objects.filter(code=span.code).exists():
        raise ValidationError(
            {"code": _("The period %(code)s already exists.") % {"code": span.code}},
            code="duplicate",
        )
    _check_window(opens_on, deadline)
    period = Period(
        code=span.code,
        kind=span.kind,
        start=span.start,
        end=span.end,
        opens_on=opens_on,
        deadline=deadline,
    )
    period.full_clean()
    period.save()
    audit_record(
        actor=actor,
        action=MeasurementAction.PERIOD_CREATE,
        target=period,
        changes={"code": span.code, "opens_on": opens_on, "deadline": deadline},
    )
    results_version_bump()
    return period


@transaction.atomic
def period_update(
    *, actor: Actor, period: Period, opens_on: date | None, deadline: date | None
) -> Period:
    """Move a period's submission window; its dates stay those of its code."""
    require(actor, MANAGE)
    _check_window(opens_on, deadline)
    changes = assign(period, {"opens_on": opens_on, "deadline": deadline})
    save_changed(period, changes)
    audit_record(
        actor=actor, action=MeasurementAction.PERIOD_UPDATE, target=period, changes=changes
    )
    results_version_bump()
    return period


def _quarter_code(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


@transaction.atomic
def period_create_next_quarters(*, actor: Actor, today: date | None = None) -> list[Period]:
    """The quarter in progress and the three after it, each with the usual window (opens
    two weeks before the quarter ends, closes 30 days after). Quarters that exist already
    are left as they are, so pressing the button twice creates nothing more."""
    require(actor, MANAGE)
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    created = []
    for _step in range(NEXT_QUARTERS):
        span = parse_period(_quarter_code(year, quarter))
        period, was_created = Period.objects.get_or_create(
            code=span.code,
            defaults={
                "kind": span.kind,
                "start": span.start,
                "end": span.end,
                "opens_on": span.end - WINDOW_OPENS_BEFORE_END,
                "deadline": span.end + DEADLINE_AFTER_END,
            },
        )
        if was_created:
            created.append(period)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    audit_record(
        actor=actor,
        action=MeasurementAction.PERIOD_CREATE_NEXT_QUARTERS,
        changes={"created": [p.code for p in created]},
    )
    results_version_bump()
    return created
