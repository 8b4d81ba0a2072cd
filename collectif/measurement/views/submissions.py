"""Pages of the submission workflow: the steward's home, the web form, the review."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from collectif.accounts.permissions import is_backbone_staff, is_data_steward
from collectif.measurement.domain.cells import expected_cells
from collectif.measurement.forms.submissions import CommentForm, SubmissionValuesForm
from collectif.measurement.models import Submission
from collectif.measurement.permissions import can_submit_for
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services


def _can_edit(user: Any, submission: Submission) -> bool:
    return bool(
        submission.status in services.EDITABLE and can_submit_for(user, submission.organisation)
    )


@login_required
def steward_home(request: HttpRequest) -> HttpResponse:
    """What the steward's organisations owe and by when, and what they sent lately."""
    if not is_data_steward(request.user):
        raise PermissionDenied
    obligations = selectors.steward_obligations(user=request.user)
    next_due = next((o for o in obligations if not o.is_done), None)
    return render(
        request,
        "measurement/steward_home.html",
        {
            "rows": [{"obligation": o, "period_label": o.period.label} for o in obligations],
            "next_due": next_due,
            "next_due_label": next_due.period.label if next_due else "",
            "recent": selectors.recent_submissions(user=request.user),
        },
    )


@login_required
def submission_start(request: HttpRequest, slug: str, dataset: str, period: str) -> HttpResponse:
    """Open (or create) the draft, then go where the person can act on it."""
    organisation = selectors.organisation_for_report(slug=slug)
    if not can_submit_for(request.user, organisation):
        raise PermissionDenied
    submission = services.submission_open(
        actor=request.user,
        organisation=organisation,
        dataset=selectors.dataset_get(code=dataset),
        period=selectors.period_get(code=period),
    )
    if _can_edit(request.user, submission):
        return redirect("measurement:submission_edit", pk=submission.pk)
    return redirect("measurement:submission_detail", pk=submission.pk)


def _detail(
    request: HttpRequest, submission: Submission, problems: list[Any] | None = None
) -> HttpResponse:
    staff = is_backbone_staff(request.user)
    values = selectors.submission_values(submission=submission)
    can_edit = _can_edit(request.user, submission)
    return render(
        request,
        "measurement/submission_detail.html",
        {
            "submission": submission,
            "values": values,
            "versions": submission.versions.select_related("created_by"),
            "can_edit": can_edit,
            "can_send": can_edit and bool(values),
            "problems": problems or [],
            "can_review": staff and submission.status == Submission.Status.SUBMITTED,
            "can_reopen": staff and submission.status == Submission.Status.APPROVED,
        },
        status=422 if problems else 200,
    )


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.submission_get(user=request.user, pk=pk))


@login_required
@require_POST
def submission_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a saved draft for approval; incomplete or invalid data stays a draft."""
    submission = selectors.submission_get(user=request.user, pk=pk)
    if not can_submit_for(request.user, submission.organisation):
        raise PermissionDenied
    try:
        warnings = services.submission_submit(actor=request.user, submission=submission)
    except services.SubmissionInvalid as invalid:
        return _detail(request, submission, problems=invalid.problems)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("measurement:submission_detail", pk=submission.pk)
    for warning in warnings:
        messages.warning(request, warning.message)
    messages.success(request, _("Your data was sent. The backbone team will review it."))
    return redirect("measurement:submission_detail", pk=submission.pk)


@login_required
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(user=request.user, pk=pk)
    if not can_submit_for(request.user, submission.organisation):
        raise PermissionDenied
    if submission.status not in services.EDITABLE:
        messages.warning(
            request, _("This submission is locked: it was sent and cannot be changed.")
        )
        return redirect("measurement:submission_detail", pk=submission.pk)
    cells = expected_cells(submission.dataset)
    current = {
        (value.indicator.code, value.breakdown): value.value
        for value in selectors.submission_values(submission=submission)
    }
    form = SubmissionValuesForm(request.POST or None, cells=cells, initial_values=current)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            warnings = services.submission_save_values(
                actor=request.user,
                submission=submission,
                cells=form.cell_values(),
                channel=Submission.Channel.FORM,
                submit=submit,
            )
        except services.SubmissionInvalid as error:
            form.add_problems(error.problems)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for warning in warnings:
                messages.warning(request, warning.message)
            if submit:
                messages.success(
                    request, _("Your data was sent. The backbone team will review it.")
                )
                return redirect("measurement:submission_detail", pk=submission.pk)
            messages.success(request, _("Your draft was saved. You can come back to it."))
            return redirect("measurement:submission_edit", pk=submission.pk)
    return render(
        request,
        "measurement/submission_form.html",
        {"submission": submission, "form": form, "grids": form.grids()},
    )


@login_required
@permission_required("measurement.review", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "measurement/review_queue.html", {"submissions": selectors.review_queue()}
    )


REVIEW_ACTIONS = {
    "approve": Submission.Status.SUBMITTED,
    "return": Submission.Status.SUBMITTED,
    "reopen": Submission.Status.APPROVED,
}


@login_required
@permission_required("measurement.review", raise_exception=True)
def submission_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm, then approve, return (with a comment) or reopen (with a reason)."""
    submission = selectors.submission_get(user=request.user, pk=pk)
    if submission.status != REVIEW_ACTIONS[action]:
        messages.warning(
            request,
            _("This submission is %(status)s: that is no longer possible.")
            % {"status": submission.get_status_display().lower()},
        )
        return redirect("measurement:submission_detail", pk=submission.pk)
    label = {
        "return": _("What needs to change"),
        "reopen": _("Why the data needs to be reopened"),
    }.get(action)
    form = CommentForm(request.POST or None, label=label) if label else None
    if request.method == "POST" and (form is None or form.is_valid()):
        comment = form.cleaned_data["comment"] if form is not None else ""
        try:
            if action == "approve":
                services.submission_approve(actor=request.user, submission=submission)
                done = _("The submission is approved. Its data now counts in the shared figures.")
            elif action == "return":
                services.submission_return(
                    actor=request.user, submission=submission, comment=comment
                )
                done = _("The submission was returned to the organisation with your comment.")
            else:
                services.submission_reopen(
                    actor=request.user, submission=submission, reason=comment
                )
                done = _("The submission is reopened. Its data left the shared figures.")
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("measurement:submission_detail", pk=submission.pk)
            form.add_error("comment", error.messages)
        else:
            messages.success(request, done)
            return redirect(
                reverse("measurement:review_queue")
                if action != "reopen"
                else reverse("measurement:submission_detail", kwargs={"pk": submission.pk})
            )
    return render(
        request,
        "measurement/review_confirm.html",
        {
            "submission": submission,
            "action": action,
            "form": form,
            "values": selectors.submission_values(submission=submission),
        },
    )
