"""Writes of the shared measurement system: submissions and their review, reference data.

A submission moves draft → submitted → approved (locked), or submitted → returned with a
comment; a returned submission is edited and submitted again as a new version whose
values replace the previous ones. Approved data is reopened only with a reason. Approving
and reopening rebuild the rollup slices the submission touches in the same transaction,
so shared figures never show unapproved data and never lag behind an approval.

Every service guards itself whatever the channel: reporting needs `measurement.submit_for`
the organisation, reviewing `measurement.review`; `SYSTEM` (CLI, demo) may do everything.
"""

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from collectif.accounts.models import User
from collectif.core.actors import Actor, require
from collectif.core.results_version import results_version_bump
from collectif.core.services import audit_record
from collectif.ecosystem.models import Organisation
from collectif.measurement.audit import MeasurementAction
from collectif.measurement.domain import rollups
from collectif.measurement.domain.cells import expected_keys
from collectif.measurement.domain.validation import CellValue, Problem, validate_cells
from collectif.measurement.models import (
    Dataset,
    IdempotencyKey,
    Indicator,
    Period,
    Submission,
    SubmissionVersion,
    Value,
)
from collectif.measurement.services.values import write_values

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


def _person(actor: Actor) -> User | None:
    """The account to name as sender or reviewer; the system is nobody's."""
    return actor if isinstance(actor, User) else None


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


def saved_cells(submission: Submission) -> list[CellValue]:
    """The values saved now, as cells (to compare with what would replace them)."""
    return [
        CellValue(indicator_code=code, breakdown=breakdown, value=value)
        for code, breakdown, value in Value.objects.filter(submission=submission)
        .order_by("indicator__code", "breakdown")
        .values_list("indicator__code", "breakdown", "value")
    ]


@transaction.atomic
def submission_open(
    *, actor: Actor, organisation: Organisation, dataset: Dataset, period: Period
) -> Submission:
    """The organisation's submission for this dataset and period, created as a draft."""
    require(actor, "measurement.submit_for", organisation)
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
            action=MeasurementAction.SUBMISSION_OPEN,
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


def submission_check_values(
    *, submission: Submission, cells: list[CellValue], submit: bool = False
) -> list[Problem]:
    """Every problem saving these cells would meet (raises "locked"); writes nothing."""
    if submission.status not in EDITABLE:
        raise _not_editable(submission)
    expected = expected_keys(submission.dataset)
    return _check_cells(cells, expected) or validate_cells(
        cells, submission.dataset, require_complete=submit, expected=expected
    )


def _keep_previous(*, actor: Actor, submission: Submission, cells: list[CellValue]) -> int:
    """Freeze the saved values `cells` replace, if they differ, as a "replaced" version
    that `history.submission_restore` puts back exactly. Returns how many were kept."""
    previous = saved_cells(submission)
    if not previous or set(previous) == set(cells):
        return 0
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        kind=SubmissionVersion.Kind.REPLACED,
        created_by=_person(actor),
        channel=submission.channel,
        values=[
            {"indicator": c.indicator_code, "breakdown": c.breakdown, "value": str(c.value)}
            for c in previous
        ],
    )
    return len(previous)


@transaction.atomic
def submission_save_values(
    *,
    actor: Actor,
    submission: Submission,
    cells: list[CellValue],
    channel: str,
    submit: bool = False,
    keep_previous: bool = False,
) -> list[Problem]:
    """Replace every value of the submission (a draft may be saved incomplete).

    With errors nothing is written and SubmissionInvalid lists them all; otherwise the
    warnings are returned so the person sees them beside the saved data. With
    `keep_previous` (a file over saved values, a restore) the values replaced are kept.
    """
    require(actor, "measurement.submit_for", submission.organisation)
    _lock(submission)
    problems = submission_check_values(submission=submission, cells=cells, submit=submit)
    errors, warnings = _by_severity(problems)
    if errors:
        raise SubmissionInvalid(problems)
    indicators = dict(
        Indicator.objects.filter(code__in={c.indicator_code for c in cells}).values_list(
            "code", "pk"
        )
    )
    kept = _keep_previous(actor=actor, submission=submission, cells=cells) if keep_previous else 0
    Value.objects.filter(submission=submission).delete()
    write_values(submission, cells, indicators)
    submission.channel = channel
    submission.save(update_fields=["channel", "updated_at"])
    audit_record(
        actor=actor,
        action=MeasurementAction.SUBMISSION_SAVE_VALUES,
        target=submission,
        changes={"values": len(cells), "channel": channel, "kept": kept},
    )
    if submit:
        warnings = _submit(actor=actor, submission=submission, cells=cells, warnings=warnings)
        results_version_bump()  # the completeness page counts it as waiting
    return warnings


@transaction.atomic
def submission_write(
    *,
    actor: Actor,
    organisation: Organisation,
    dataset: Dataset,
    period: Period,
    cells: list[CellValue],
    channel: str,
    submit: bool,
) -> tuple[Submission, list[Problem]]:
    """Open the organisation's submission (the draft is created here) and save its values,
    all or nothing: refused values leave no empty draft behind.

    The web form's report link shows an empty form without writing (a link opened by a
    crawler or a mail preview must not start a report): its first save comes here, as
    every API write does.
    """
    submission = submission_open(
        actor=actor, organisation=organisation, dataset=dataset, period=period
    )
    warnings = submission_save_values(
        actor=actor, submission=submission, cells=cells, channel=channel, submit=submit
    )
    return submission, warnings


def _submit(
    *, actor: Actor, submission: Submission, cells: list[CellValue], warnings: list[Problem]
) -> list[Problem]:
    submission.version += 1
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_by = _person(actor)
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
        action=MeasurementAction.SUBMISSION_SUBMIT,
        target=submission,
        changes={"version": submission.version, "values": len(cells)},
    )
    return warnings


@transaction.atomic
def submission_submit(*, actor: Actor, submission: Submission) -> list[Problem]:
    """Send the saved values for approval, checked completely; returns the warnings."""
    require(actor, "measurement.submit_for", submission.organisation)
    _lock(submission)
    if submission.status not in EDITABLE:
        raise _not_editable(submission)
    cells = saved_cells(submission)
    problems = validate_cells(cells, submission.dataset, require_complete=True)
    errors, warnings = _by_severity(problems)
    if errors:
        raise SubmissionInvalid(problems)
    warnings = _submit(actor=actor, submission=submission, cells=cells, warnings=warnings)
    results_version_bump()  # the completeness page counts it as waiting
    return warnings


def _review(
    *,
    actor: Actor,
    submission: Submission,
    status: str,
    comment: str,
    action: MeasurementAction,
) -> Submission:
    previous = submission.status
    submission.status = status
    submission.reviewed_by = _person(actor)
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
def submission_approve(*, actor: Actor, submission: Submission) -> Submission:
    """Lock the data and bring it into the shared figures at once."""
    require(actor, "measurement.review", submission)
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
        action=MeasurementAction.SUBMISSION_APPROVE,
    )
    rollups.apply_submission(submission, counted_before=False)
    results_version_bump()
    return submission


def submission_approve_many(*, actor: Actor, submissions: list[Submission]) -> list[Submission]:
    """Approve several submissions, each in its own transaction; returns those approved.

    Each approval stands alone, as if approved one by one: one that a colleague returned
    meanwhile is skipped instead of undoing the others, and each slice of the shared
    figures is rebuilt by its own approval.
    """
    require(actor, "measurement.review")
    approved = []
    for submission in submissions:
        try:
            approved.append(submission_approve(actor=actor, submission=submission))
        except ValidationError:
            continue
    if approved:
        audit_record(
            actor=actor,
            action=MeasurementAction.SUBMISSION_APPROVE_MANY,
            changes={"submissions": [s.pk for s in approved], "count": len(approved)},
        )
    return approved


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"comment": message}, code="required")
    return text


@transaction.atomic
def submission_return(*, actor: Actor, submission: Submission, comment: str) -> Submission:
    """Send a submission back to its steward with what to fix."""
    require(actor, "measurement.review", submission)
    comment = _required_text(comment, _("Say what the organisation needs to change."))
    _lock(submission)
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submission waiting for approval can be returned."), code="not_submitted"
        )
    _review(
        actor=actor,
        submission=submission,
        status=Submission.Status.RETURNED,
        comment=comment,
        action=MeasurementAction.SUBMISSION_RETURN,
    )
    results_version_bump()
    return submission


@transaction.atomic
def submission_reopen(*, actor: Actor, submission: Submission, reason: str) -> Submission:
    """Unlock approved data so its steward can correct it; it leaves the shared figures
    until approved again."""
    require(actor, "measurement.review", submission)
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
        action=MeasurementAction.SUBMISSION_REOPEN,
    )
    rollups.apply_submission(submission, counted_before=True)
    results_version_bump()
    return submission


def request_hash(payload: Any) -> str:
    """A fingerprint of a request body, independent of key order and spacing."""
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(user: User, key: str, fingerprint: str) -> Submission | None:
    """The submission an earlier request with this key wrote, if the request is the same."""
    previous = IdempotencyKey.objects.select_related("submission").filter(user=user, key=key)
    claimed = previous.first()
    if claimed is None:
        return None
    if claimed.request_hash != fingerprint:
        raise IdempotencyConflictError
    return claimed.submission


def _claim(user: User, key: str, fingerprint: str) -> Submission | None:
    """Queue behind every other request of this person carrying a key, then look for it.

    Locking the person's row makes a second request with the same key wait until the
    first commits (or fails), so it finds the key written and replays, instead of both
    writing, or the second meeting a submission the first has just submitted.
    """
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    return _replay(user, key, fingerprint)


def submission_receive(
    *,
    actor: Actor,
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
    used for the same request, in which case nothing is written again and the warnings
    are those the first request got. Keys belong to a person: the system's writes are
    never replayed. Concurrent requests with one key are served one after the other.
    """
    require(actor, "measurement.submit_for", organisation)
    user = _person(actor)
    with transaction.atomic():
        replayed = _claim(user, idempotency_key, fingerprint) if user and idempotency_key else None
        if replayed is not None:
            problems = validate_cells(cells, dataset, require_complete=submit)
            return replayed, _by_severity(problems)[1], True
        submission, warnings = submission_write(
            actor=actor,
            organisation=organisation,
            dataset=dataset,
            period=period,
            cells=cells,
            channel=Submission.Channel.API,
            submit=submit,
        )
        if user is not None and idempotency_key:
            IdempotencyKey.objects.create(
                user=user, key=idempotency_key, submission=submission, request_hash=fingerprint
            )
    return submission, warnings, False
