"""Writes of the shared measurement system: submissions and their review, reference data.

A submission moves draft → submitted → approved (locked), or submitted → returned with a
comment; a returned submission is edited and submitted again as a new version whose
values replace the previous ones. Approved data is reopened only with a reason. Approving
and reopening rebuild the rollup slices the submission touches in the same transaction,
so shared figures never show unapproved data and never lag behind an approval.

`actor=None` is the system (the command line, the demo loader): it passes the
permission checks that protect people's actions.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from collectif.accounts.permissions import is_backbone_staff
from collectif.agenda.models import PlanVersion
from collectif.core.services import audit_record, diff_fields
from collectif.ecosystem.models import Organisation
from collectif.measurement import rollups
from collectif.measurement.cells import expected_keys
from collectif.measurement.models import (
    CANADA,
    Baseline,
    Dataset,
    DatasetIndicator,
    Dimension,
    DimensionMember,
    IdempotencyKey,
    Indicator,
    Period,
    Rollup,
    Submission,
    SubmissionVersion,
    Target,
    ValidationRule,
    Value,
)
from collectif.measurement.periods import parse_period
from collectif.measurement.permissions import can_submit_for
from collectif.measurement.validation import CellValue, Problem, validate_cells

EDITABLE = {Submission.Status.DRAFT, Submission.Status.RETURNED}


class SubmissionInvalid(ValidationError):  # noqa: N818  (the name the team agreed on)
    """Validation found errors: nothing was written. `.problems` lists every one of them
    (warnings too) so forms, files and the API can point at each cell."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"] or problems
        super().__init__([p.message for p in errors], code="invalid_submission")


class IdempotencyConflictError(Exception):
    """The client reused an idempotency key for a different request."""


def _require_reporter(actor: Any, organisation: Organisation) -> None:
    if actor is not None and not can_submit_for(actor, organisation):
        raise PermissionDenied


def _require_staff(actor: Any) -> None:
    if actor is not None and not is_backbone_staff(actor):
        raise PermissionDenied


def _lock(submission: Submission) -> Submission:
    """Lock the row and refresh the state another request may have changed meanwhile."""
    fresh = Submission.objects.select_for_update().get(pk=submission.pk)
    for name in (
        "status",
        "version",
        "channel",
        "submitted_by_id",
        "submitted_at",
        "reviewed_by_id",
        "reviewed_at",
        "review_comment",
    ):
        setattr(submission, name, getattr(fresh, name))
    return submission


def _by_severity(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    errors = [p for p in problems if p.severity == "error"]
    return errors, [p for p in problems if p.severity != "error"]


def _not_editable(submission: Submission) -> ValidationError:
    return ValidationError(
        _("This submission is %(status)s: it cannot be changed now.")
        % {"status": submission.get_status_display().lower()},
        code="locked",
    )


def _current_cells(submission: Submission) -> list[CellValue]:
    return [
        CellValue(indicator_code=code, breakdown=breakdown, value=value)
        for code, breakdown, value in Value.objects.filter(submission=submission)
        .order_by("indicator__code", "breakdown")
        .values_list("indicator__code", "breakdown", "value")
    ]


@transaction.atomic
def submission_open(
    *, actor: Any, organisation: Organisation, dataset: Dataset, period: Period
) -> Submission:
    """The organisation's submission for this dataset and period, created as a draft."""
    _require_reporter(actor, organisation)
    if not dataset.is_active or not dataset.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(
            _("%(organisation)s does not report %(dataset)s.")
            % {"organisation": organisation, "dataset": dataset},
            code="not_assigned",
        )
    submission, created = Submission.objects.get_or_create(
        organisation=organisation, dataset=dataset, period=period
    )
    if created:
        audit_record(
            actor=actor,
            action="measurement.submission_open",
            target=submission,
            changes={"organisation": organisation.slug, "dataset": dataset.code},
        )
    return submission


def _check_cells(cells: list[CellValue], expected: dict[str, dict[str, bool]]) -> list[Problem]:
    """Cells that could not be stored at all: unknown to the dataset, or given twice."""
    seen: dict[str, set[str]] = {}
    problems = []
    for cell in cells:
        given = seen.setdefault(cell.indicator_code, set())
        if cell.breakdown not in expected.get(cell.indicator_code, ()):
            problems.append(
                Problem(
                    message=_("%(indicator)s %(breakdown)s is not part of this dataset.")
                    % {"indicator": cell.indicator_code, "breakdown": cell.breakdown},
                    column=f"{cell.indicator_code}/{cell.breakdown}",
                    code="unknown_cell",
                )
            )
        elif cell.breakdown in given:
            problems.append(
                Problem(
                    message=_("%(indicator)s %(breakdown)s is given twice.")
                    % {"indicator": cell.indicator_code, "breakdown": cell.breakdown or ""},
                    column=f"{cell.indicator_code}/{cell.breakdown}",
                    code="duplicate",
                )
            )
        given.add(cell.breakdown)
    return problems


VALUE_COLUMNS = (
    "submission_id",
    "indicator_id",
    "organisation_id",
    "period_id",
    "breakdown",
    "value",
)
INSERT_BATCH = 2000


def _value_rows(
    submission: Submission, cells: Iterable[CellValue], indicators: dict[str, int]
) -> Iterator[tuple[int, int, int, int, str, Decimal]]:
    for cell in cells:
        yield (
            submission.pk,
            indicators[cell.indicator_code],
            submission.organisation_id,
            submission.period_id,
            cell.breakdown,
            cell.value,
        )


def _copy_values(
    submission: Submission, cells: Iterable[CellValue], indicators: dict[str, int]
) -> None:
    """PostgreSQL: stream the rows with COPY, in the caller's transaction.

    A file of a hundred thousand values would otherwise become as many model instances
    and a hundred INSERTs that Django prepares field by field: COPY writes the same rows
    several times faster, with no list of rows held in memory.
    """
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(Value._meta.db_table),
        columns=sql.SQL(", ").join(sql.Identifier(column) for column in VALUE_COLUMNS),
    )
    with connection.cursor() as wrapper, wrapper.cursor.copy(statement) as copy:
        for row in _value_rows(submission, cells, indicators):
            copy.write_row(row)


def _insert_values(
    submission: Submission, cells: Iterable[CellValue], indicators: dict[str, int]
) -> None:
    """Other databases (SQLite in development and tests): bulk_create, batch by batch."""
    rows = _value_rows(submission, cells, indicators)
    while batch := list(islice(rows, INSERT_BATCH)):
        Value.objects.bulk_create(
            [Value(**dict(zip(VALUE_COLUMNS, row, strict=True))) for row in batch]
        )


@transaction.atomic
def submission_save_values(
    *,
    actor: Any,
    submission: Submission,
    cells: list[CellValue],
    channel: str,
    submit: bool = False,
) -> list[Problem]:
    """Replace every value of the submission (a draft may be saved incomplete).

    With errors nothing is written and SubmissionInvalid lists them all; otherwise the
    warnings are returned so the person sees them beside the saved data.
    """
    _require_reporter(actor, submission.organisation)
    _lock(submission)
    if submission.status not in EDITABLE:
        raise _not_editable(submission)
    expected = expected_keys(submission.dataset)
    problems = _check_cells(cells, expected) or validate_cells(
        cells, submission.dataset, require_complete=submit, expected=expected
    )
    errors, warnings = _by_severity(problems)
    if errors:
        raise SubmissionInvalid(problems)
    indicators = dict(
        Indicator.objects.filter(code__in={c.indicator_code for c in cells}).values_list(
            "code", "pk"
        )
    )
    Value.objects.filter(submission=submission).delete()
    if connection.vendor == "postgresql":
        _copy_values(submission, cells, indicators)
    else:
        _insert_values(submission, cells, indicators)
    submission.channel = channel
    submission.save(update_fields=["channel", "updated_at"])
    audit_record(
        actor=actor,
        action="measurement.submission_save",
        target=submission,
        changes={"values": len(cells), "channel": channel},
    )
    if submit:
        return _submit(actor=actor, submission=submission, cells=cells, warnings=warnings)
    return warnings


def _submit(
    *, actor: Any, submission: Submission, cells: list[CellValue], warnings: list[Problem]
) -> list[Problem]:
    submission.version += 1
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.submitted_at = timezone.now()
    submission.review_comment = ""
    submission.save(
        update_fields=[
            "version",
            "status",
            "submitted_by",
            "submitted_at",
            "review_comment",
            "updated_at",
        ]
    )
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        created_by=submission.submitted_by,
        channel=submission.channel,
        values=[
            {"indicator": c.indicator_code, "breakdown": c.breakdown, "value": str(c.value)}
            for c in cells
        ],
    )
    audit_record(
        actor=actor,
        action="measurement.submission_submit",
        target=submission,
        changes={"version": submission.version, "values": len(cells)},
    )
    return warnings


@transaction.atomic
def submission_submit(*, actor: Any, submission: Submission) -> list[Problem]:
    """Send the saved values for approval, checked completely; returns the warnings."""
    _require_reporter(actor, submission.organisation)
    _lock(submission)
    if submission.status not in EDITABLE:
        raise _not_editable(submission)
    cells = _current_cells(submission)
    problems = validate_cells(cells, submission.dataset, require_complete=True)
    errors, warnings = _by_severity(problems)
    if errors:
        raise SubmissionInvalid(problems)
    return _submit(actor=actor, submission=submission, cells=cells, warnings=warnings)


def _review(
    *, actor: Any, submission: Submission, status: str, comment: str, action: str
) -> Submission:
    previous = submission.status
    submission.status = status
    submission.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.reviewed_at = timezone.now()
    submission.review_comment = comment
    submission.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=action,
        target=submission,
        changes={"status": [previous, status], "comment": comment},
    )
    return submission


@transaction.atomic
def submission_approve(*, actor: Any, submission: Submission) -> Submission:
    """Lock the data and bring it into the shared figures at once."""
    _require_staff(actor)
    _lock(submission)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submission waiting for approval can be approved."), code="not_submitted"
        )
    _review(
        actor=actor,
        submission=submission,
        status=Submission.Status.APPROVED,
        comment="",
        action="measurement.submission_approve",
    )
    rollups.apply_submission(submission, counted_before=False)
    return submission


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"comment": message}, code="required")
    return text


@transaction.atomic
def submission_return(*, actor: Any, submission: Submission, comment: str) -> Submission:
    """Send a submission back to its steward with what to fix."""
    _require_staff(actor)
    comment = _required_text(comment, _("Say what the organisation needs to change."))
    _lock(submission)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submission waiting for approval can be returned."), code="not_submitted"
        )
    return _review(
        actor=actor,
        submission=submission,
        status=Submission.Status.RETURNED,
        comment=comment,
        action="measurement.submission_return",
    )


@transaction.atomic
def submission_reopen(*, actor: Any, submission: Submission, reason: str) -> Submission:
    """Unlock approved data so its steward can correct it; it leaves the shared figures
    until approved again."""
    _require_staff(actor)
    reason = _required_text(reason, _("Give the reason for reopening this submission."))
    _lock(submission)
    if submission.status != Submission.Status.APPROVED:
        raise ValidationError(
            _("Only an approved submission can be reopened."), code="not_approved"
        )
    _review(
        actor=actor,
        submission=submission,
        status=Submission.Status.RETURNED,
        comment=reason,
        action="measurement.submission_reopen",
    )
    rollups.apply_submission(submission, counted_before=True)
    return submission


def request_hash(payload: Any) -> str:
    """A fingerprint of a request body, independent of key order and spacing."""
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def submission_receive(
    *,
    actor: Any,
    organisation: Organisation,
    dataset: Dataset,
    period: Period,
    cells: list[CellValue],
    submit: bool,
    idempotency_key: str = "",
    fingerprint: str = "",
) -> tuple[Submission, list[Problem], bool]:
    """An API write: open, save and maybe submit, applied once per idempotency key.

    Returns (submission, warnings, replayed); `replayed` is True when the key was already
    used for the same request, in which case nothing is written again.
    """
    if idempotency_key:
        previous = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
        if previous is not None:
            if previous.request_hash != fingerprint:
                raise IdempotencyConflictError
            return previous.submission, [], True
    try:
        with transaction.atomic():
            submission = submission_open(
                actor=actor, organisation=organisation, dataset=dataset, period=period
            )
            warnings = submission_save_values(
                actor=actor,
                submission=submission,
                cells=cells,
                channel=Submission.Channel.API,
                submit=submit,
            )
            if idempotency_key:
                IdempotencyKey.objects.create(
                    user=actor,
                    key=idempotency_key,
                    submission=submission,
                    request_hash=fingerprint,
                )
    except IntegrityError:
        # The same key arrived twice at once; the other request wrote first.
        previous = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
        if previous is None:
            raise
        if previous.request_hash != fingerprint:
            raise IdempotencyConflictError from None
        return previous.submission, [], True
    return submission, warnings, False


# Reference data, managed by backbone staff (and loaded by the demo).

NEXT_QUARTERS = 4
WINDOW_OPENS_BEFORE_END = timedelta(days=14)
DEADLINE_AFTER_END = timedelta(days=30)


def _set_dimensions(indicator: Indicator, dimensions: Iterable[str | Dimension]) -> None:
    indicator.dimensions.set(
        [d if isinstance(d, Dimension) else Dimension.objects.get(code=d) for d in dimensions]
    )


def _dimension_codes(indicator: Indicator) -> list[str]:
    return sorted(indicator.dimensions.values_list("code", flat=True))


def _rebuild_indicator_rollups(indicator: Indicator) -> int:
    """Recompute every slice of the indicator (and those it weights) from approved values,
    so a change in how it combines reaches the dashboards with the change itself."""
    periods = set(
        Value.objects.filter(indicator=indicator, submission__status=Submission.Status.APPROVED)
        .values_list("period_id", flat=True)
        .distinct()
    ) | set(Rollup.objects.filter(indicator=indicator).values_list("period_id", flat=True))
    slices: set[tuple[int, int]] = set()
    for period_id in periods:
        slices |= rollups.slices_touched([indicator.pk], period_id)
    return rollups.rebuild_slices(slices)


@transaction.atomic
def indicator_create(
    *, actor: Any, code: str, dimensions: Iterable[str | Dimension] = (), **fields: Any
) -> Indicator:
    """`fields` are Indicator's own fields (name_en, name_fr, kind, unit, aggregation...)."""
    _require_staff(actor)
    indicator = Indicator(code=code, **fields)
    indicator.full_clean()
    indicator.save()
    _set_dimensions(indicator, dimensions)
    audit_record(
        actor=actor,
        action="measurement.indicator_create",
        target=indicator,
        changes={"code": code, "dimensions": _dimension_codes(indicator), **fields},
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: Any,
    indicator: Indicator,
    dimensions: Iterable[str | Dimension] | None = None,
    **fields: Any,
) -> Indicator:
    """Change an indicator; when how it combines or what it is broken down by changes,
    its rollups are rebuilt in the same transaction so no dashboard shows stale totals.

    The previous state is read from the database, not from `indicator`: a form may
    already have changed the object in memory."""
    _require_staff(actor)
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = {name: getattr(stored, name) for name in fields}
    shape_before = (stored.aggregation, stored.weight_indicator_id, _dimension_codes(stored))
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    if dimensions is not None:
        _set_dimensions(indicator, dimensions)
    changes = diff_fields(before, fields)
    dimension_codes = _dimension_codes(indicator)
    if dimension_codes != shape_before[2]:
        changes["dimensions"] = [shape_before[2], dimension_codes]
    if (indicator.aggregation, indicator.weight_indicator_id, dimension_codes) != shape_before:
        changes["rollups_rebuilt"] = _rebuild_indicator_rollups(indicator)
    audit_record(
        actor=actor,
        action="measurement.indicator_update",
        target=indicator,
        changes=changes,
    )
    return indicator


def _check_window(opens_on: date | None, deadline: date | None) -> None:
    if deadline is not None and opens_on is not None and deadline < opens_on:
        raise ValidationError(
            {"deadline": _("The deadline must come after the window opens.")}, code="order"
        )


@transaction.atomic
def period_create(
    *, actor: Any, code: str, opens_on: date | None = None, deadline: date | None = None
) -> Period:
    """A period from its canonical code; its dates follow from the code."""
    _require_staff(actor)
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
        action="measurement.period_create",
        target=period,
        changes={"code": span.code, "opens_on": opens_on, "deadline": deadline},
    )
    return period


@transaction.atomic
def period_update(
    *, actor: Any, period: Period, opens_on: date | None, deadline: date | None
) -> Period:
    """Move a period's submission window; its dates stay those of its code."""
    _require_staff(actor)
    _check_window(opens_on, deadline)
    before = {"opens_on": period.opens_on, "deadline": period.deadline}
    period.opens_on, period.deadline = opens_on, deadline
    period.save(update_fields=["opens_on", "deadline"])
    audit_record(
        actor=actor,
        action="measurement.period_update",
        target=period,
        changes=diff_fields(before, {"opens_on": opens_on, "deadline": deadline}),
    )
    return period


def _quarter_code(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


@transaction.atomic
def period_create_next_quarters(*, actor: Any, today: date | None = None) -> list[Period]:
    """The quarter in progress and the three after it, each with the usual window (opens
    two weeks before the quarter ends, closes 30 days after). Quarters that exist already
    are left as they are, so pressing the button twice creates nothing more."""
    _require_staff(actor)
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
        action="measurement.period_create_quarters",
        changes={"created": [p.code for p in created]},
    )
    return created


def _set_items(dataset: Dataset, items: Sequence[tuple[Indicator, bool]]) -> list[str]:
    """Replace the dataset's indicators: `items` in order, each with its required flag."""
    DatasetIndicator.objects.filter(dataset=dataset).delete()
    DatasetIndicator.objects.bulk_create(
        [
            DatasetIndicator(
                dataset=dataset, indicator=indicator, position=position, required=required
            )
            for position, (indicator, required) in enumerate(items, start=1)
        ]
    )
    return [f"{indicator.code}{'' if required else '?'}" for indicator, required in items]


@transaction.atomic
def dataset_create(
    *,
    actor: Any,
    code: str,
    indicators: Iterable[Indicator],
    optional: Iterable[Indicator] = (),
    **fields: Any,
) -> Dataset:
    """A dataset asking for `indicators` in this order (those in `optional` not required)."""
    _require_staff(actor)
    dataset = Dataset(code=code, **fields)
    dataset.full_clean()
    dataset.save()
    optional_ids = {i.pk for i in optional}
    items = _set_items(dataset, [(i, i.pk not in optional_ids) for i in indicators])
    audit_record(
        actor=actor,
        action="measurement.dataset_create",
        target=dataset,
        changes={"code": code, "indicators": items},
    )
    return dataset


@transaction.atomic
def dataset_update(
    *,
    actor: Any,
    dataset: Dataset,
    items: Sequence[tuple[Indicator, bool]] | None = None,
    **fields: Any,
) -> Dataset:
    """Change a dataset; `items` (indicator, required) replaces its indicators in order.

    Values already reported stay with their submissions; the forms and templates ask
    for the new list from the next save on."""
    _require_staff(actor)
    stored = Dataset.objects.get(pk=dataset.pk)
    before = {name: getattr(stored, name) for name in fields}
    for name, value in fields.items():
        setattr(dataset, name, value)
    dataset.full_clean()
    dataset.save()
    changes = diff_fields(before, fields)
    if items is not None:
        old = [
            f"{code}{'' if required else '?'}"
            for code, required in stored.items.values_list("indicator__code", "required")
        ]
        new = _set_items(dataset, items)
        if old != new:
            changes["indicators"] = [old, new]
    audit_record(actor=actor, action="measurement.dataset_update", target=dataset, changes=changes)
    return dataset


@transaction.atomic
def dataset_assign(
    *, actor: Any, dataset: Dataset, organisations: Iterable[Organisation]
) -> Dataset:
    """Add organisations to those that report this dataset."""
    _require_staff(actor)
    organisations = list(organisations)
    dataset.organisations.add(*organisations)
    audit_record(
        actor=actor,
        action="measurement.dataset_assign",
        target=dataset,
        changes={"organisations": [o.slug for o in organisations]},
    )
    return dataset


@transaction.atomic
def dataset_assignment_change(
    *,
    actor: Any,
    dataset: Dataset,
    assign: Iterable[Organisation],
    unassign: Iterable[Organisation],
) -> tuple[int, int]:
    """Add and remove organisations that report this dataset; returns how many of each
    actually changed. Submissions already made stay: an organisation that no longer
    reports the dataset simply stops owing it."""
    _require_staff(actor)
    current = set(dataset.organisations.values_list("pk", flat=True))
    added = [o for o in assign if o.pk not in current]
    removed = [o for o in unassign if o.pk in current]
    dataset.organisations.add(*added)
    dataset.organisations.remove(*removed)
    if added or removed:
        audit_record(
            actor=actor,
            action="measurement.dataset_assignment_change",
            target=dataset,
            changes={
                "assigned": [o.slug for o in added],
                "unassigned": [o.slug for o in removed],
            },
        )
    return len(added), len(removed)


def _member_names(name_en: str, name_fr: str) -> dict[str, str]:
    names = {"name_en": (name_en or "").strip(), "name_fr": (name_fr or "").strip()}
    missing = {}
    if not names["name_en"]:
        missing["name_en"] = _("Enter the name in English.")
    if not names["name_fr"]:
        missing["name_fr"] = _("Enter the name in French.")
    if missing:
        raise ValidationError(missing, code="required")
    return names


@transaction.atomic
def dimension_member_add(
    *, actor: Any, dimension: Dimension, code: str, name_en: str, name_fr: str
) -> DimensionMember:
    """A new member at the end of the dimension. Provinces and territories come from
    the country's list and cannot be added to."""
    _require_staff(actor)
    if dimension.is_province:
        raise ValidationError(
            _("Provinces and territories come from the list of Canada’s provinces and territories.")
        )
    code = (code or "").strip()
    if DimensionMember.objects.filter(dimension=dimension, code=code).exists():
        raise ValidationError(
            {
                "code": _("%(dimension)s already has a member with the code %(code)s.")
                % {"dimension": dimension.name, "code": code}
            },
            code="duplicate",
        )
    names = _member_names(name_en, name_fr)
    last = dimension.members.order_by("-position").values_list("position", flat=True).first()
    member = DimensionMember(dimension=dimension, code=code, position=(last or 0) + 1, **names)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="measurement.dimension_member_add",
        target=member,
        changes={"dimension": dimension.code, "code": code, **names},
    )
    return member


@transaction.atomic
def dimension_member_rename(
    *, actor: Any, member: DimensionMember, name_en: str, name_fr: str
) -> DimensionMember:
    """Rename a member; its code, which reported values refer to, never changes."""
    _require_staff(actor)
    names = _member_names(name_en, name_fr)
    before = {field: getattr(member, field, "") for field in names}
    for field, value in names.items():
        setattr(member, field, value)
    member.save(update_fields=["name_en", "name_fr"])
    audit_record(
        actor=actor,
        action="measurement.dimension_member_rename",
        target=member,
        changes=diff_fields(before, names),
    )
    return member


@transaction.atomic
def dimension_member_delete(*, actor: Any, member: DimensionMember) -> None:
    """Delete a member nobody has reported against: values refer to members by code, so
    deleting a used one would leave numbers that no longer say whom they count."""
    from collectif.measurement.selectors_setup import member_in_use

    _require_staff(actor)
    if member.dimension.is_province or member_in_use(member):
        raise ValidationError(
            _("This member is used by reported values, so it cannot be deleted."), code="in_use"
        )
    audit_record(
        actor=actor,
        action="measurement.dimension_member_delete",
        target=member,
        changes={"dimension": member.dimension.code, "code": member.code},
    )
    member.delete()


def _check_rule(rule: ValidationRule) -> None:
    if rule.left_id and rule.left_id == rule.right_id:
        raise ValidationError(
            {"right": _("Compare two different indicators.")}, code="same_indicator"
        )


@transaction.atomic
def validation_rule_create(*, actor: Any, code: str, **fields: Any) -> ValidationRule:
    """`fields`: left, operator, right, severity, message_en, message_fr, is_active."""
    _require_staff(actor)
    rule = ValidationRule(code=code, **fields)
    _check_rule(rule)
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action="measurement.validation_rule_create",
        target=rule,
        changes={"code": code, **fields},
    )
    return rule


@transaction.atomic
def validation_rule_update(*, actor: Any, rule: ValidationRule, **fields: Any) -> ValidationRule:
    _require_staff(actor)
    stored = ValidationRule.objects.get(pk=rule.pk)
    before = {name: getattr(stored, name) for name in fields}
    for name, value in fields.items():
        setattr(rule, name, value)
    _check_rule(rule)
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor,
        action="measurement.validation_rule_update",
        target=rule,
        changes=diff_fields(before, fields),
    )
    return rule


def _check_target_value(indicator: Indicator, value: Decimal, field: str) -> None:
    if value < 0:
        raise ValidationError({field: _("Enter a number of 0 or more.")}, code="negative")
    if indicator.unit == Indicator.Unit.PERCENT and value > 100:
        raise ValidationError({field: _("Enter a percentage from 0 to 100.")}, code="percent")


@transaction.atomic
def baseline_set(
    *,
    actor: Any,
    indicator: Indicator,
    period: Period,
    value: Decimal,
    region: str = CANADA,
    source_en: str = "",
    source_fr: str = "",
) -> Baseline:
    _require_staff(actor)
    _check_target_value(indicator, value, "value")
    baseline, _created = Baseline.objects.update_or_create(
        indicator=indicator,
        region=region,
        defaults={"period": period, "value": value, "source_en": source_en, "source_fr": source_fr},
    )
    audit_record(
        actor=actor,
        action="measurement.baseline_set",
        target=baseline,
        changes={"indicator": indicator.code, "period": period.code, "value": value},
    )
    return baseline


@transaction.atomic
def target_set(
    *,
    actor: Any,
    plan_version: PlanVersion,
    indicator: Indicator,
    period: Period,
    value: Decimal,
    region: str = CANADA,
) -> Target:
    _require_staff(actor)
    _check_target_value(indicator, value, "value")
    target, _created = Target.objects.update_or_create(
        plan_version=plan_version,
        indicator=indicator,
        region=region,
        period=period,
        defaults={"value": value},
    )
    audit_record(
        actor=actor,
        action="measurement.target_set",
        target=target,
        changes={"plan": plan_version.number, "indicator": indicator.code, "value": value},
    )
    return target


@dataclass(frozen=True)
class TargetInput:
    """One cell of the targets table; `value` None clears the target. `field` names the
    form field an error belongs to."""

    plan_version: PlanVersion
    period: Period
    value: Decimal | None
    field: str = "value"


@transaction.atomic
def indicator_plan_set(
    *,
    actor: Any,
    indicator: Indicator,
    baseline_period: Period | None,
    baseline_value: Decimal | None,
    baseline_source_en: str = "",
    baseline_source_fr: str = "",
    targets: Sequence[TargetInput] = (),
) -> None:
    """Set the Canada baseline and the yearly targets of every plan version at once.

    All or nothing: every value is checked before anything is written, and any error
    rolls the whole change back, so the chart never mixes old and new targets. With no
    baseline period and value the baseline is removed."""
    _require_staff(actor)
    if (baseline_period is None) != (baseline_value is None):
        field = "baseline_value" if baseline_value is None else "baseline_period"
        raise ValidationError(
            {field: _("Give both the baseline’s period and its value, or neither.")},
            code="incomplete",
        )
    if baseline_value is not None:
        _check_target_value(indicator, baseline_value, "baseline_value")
    for cell in targets:
        if cell.value is not None:
            _check_target_value(indicator, cell.value, cell.field)
    if baseline_period is not None and baseline_value is not None:
        baseline_set(
            actor=actor,
            indicator=indicator,
            period=baseline_period,
            value=baseline_value,
            source_en=baseline_source_en,
            source_fr=baseline_source_fr,
        )
    else:
        removed, _details = Baseline.objects.filter(indicator=indicator, region=CANADA).delete()
        if removed:
            audit_record(
                actor=actor,
                action="measurement.baseline_remove",
                target=indicator,
                changes={"indicator": indicator.code},
            )
    for cell in targets:
        if cell.value is not None:
            target_set(
                actor=actor,
                plan_version=cell.plan_version,
                indicator=indicator,
                period=cell.period,
                value=cell.value,
            )
            continue
        removed, _details = Target.objects.filter(
            plan_version=cell.plan_version, indicator=indicator, region=CANADA, period=cell.period
        ).delete()
        if removed:
            audit_record(
                actor=actor,
                action="measurement.target_remove",
                target=indicator,
                changes={"plan": cell.plan_version.number, "period": cell.period.code},
            )


def _check_single_original(plan: PlanVersion) -> None:
    if not plan.is_original:
        return
    other = PlanVersion.objects.filter(is_original=True).exclude(pk=plan.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "is_original": _(
                    "%(plan)s is already the original plan. There is only one: it is what "
                    "progress is compared with."
                )
                % {"plan": other.name}
            },
            code="one_original",
        )


@transaction.atomic
def plan_version_create(
    *,
    actor: Any,
    number: int,
    name_en: str,
    name_fr: str,
    adopted_on: date,
    is_original: bool = False,
    is_current: bool = False,
    notes: str = "",
    notes_fr: str = "",
) -> PlanVersion:
    """A new version of the plan; marking it current retires the previous current one.
    `notes` is the English text."""
    _require_staff(actor)
    plan = PlanVersion(
        number=number,
        name=name_en,
        name_en=name_en,
        name_fr=name_fr,
        adopted_on=adopted_on,
        is_original=is_original,
        is_current=is_current,
        notes_en=notes,
        notes_fr=notes_fr,
    )
    _check_single_original(plan)
    if is_current:
        PlanVersion.objects.filter(is_current=True).update(is_current=False)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="measurement.plan_version_create",
        target=plan,
        changes={"number": number, "is_original": is_original, "is_current": is_current},
    )
    return plan


@transaction.atomic
def plan_version_update(*, actor: Any, plan: PlanVersion, **fields: Any) -> PlanVersion:
    """`fields`: number, name_en, name_fr, adopted_on, is_original, is_current, notes_en,
    notes_fr. Making it current retires the previous current version."""
    _require_staff(actor)
    stored = PlanVersion.objects.get(pk=plan.pk)
    before = {name: getattr(stored, name) for name in fields}
    for name, value in fields.items():
        setattr(plan, name, value)
    _check_single_original(plan)
    if plan.is_current:
        PlanVersion.objects.filter(is_current=True).exclude(pk=plan.pk).update(is_current=False)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="measurement.plan_version_update",
        target=plan,
        changes=diff_fields(before, fields),
    )
    return plan
