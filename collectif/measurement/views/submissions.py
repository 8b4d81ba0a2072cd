"""Pages of the submission workflow: the steward's home, the web form, the review."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.core.actors import Actor, actor_may, request_actor
from collectif.core.forms import apply_errors, posted, render_form_page
from collectif.core.permissions import permission_required
from collectif.ecosystem.models import Organisation
from collectif.measurement.domain.cells import expected_cells
from collectif.measurement.domain.validation import CellValue, Problem
from collectif.measurement.forms.submissions import CommentForm, SubmissionValuesForm
from collectif.measurement.models import Dataset, Submission
from collectif.measurement.selectors import review as reviews
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services


def _can_edit(actor: Actor, submission: Submission) -> bool:
    return submission.status in services.EDITABLE and actor_may(
        actor, "measurement.submit_for", submission.organisation
    )


def _reported_submission(request: HttpRequest, pk: int) -> Submission:
    """The submission, if this person may see it and report for its organisation."""
    submission = selectors.submission_get(user=request.user, pk=pk)
    if not actor_may(request_actor(request), "measurement.submit_for", submission.organisation):
        raise PermissionDenied
    return submission


def _page(request: HttpRequest, submissions: QuerySet[Submission]) -> Page[Submission]:
    """One page of a list of submissions, read with LIMIT and a count, never all of them."""
    paginator = Paginator(submissions, settings.COLLECTIF["PAGE_SIZE"])
    return paginator.get_page(request.GET.get("page"))


@login_required
@permission_required("measurement.report_data")
def steward_home(request: HttpRequest) -> HttpResponse:
    """What the steward's organisations owe and by when, and what they sent lately."""
    obligations = selectors.steward_obligations(user=request.user)
    next_due = next((o for o in obligations if not o.is_done), None)
    return render(
        request,
        "measurement/steward_home.html",
        {
            "rows": [{"obligation": o, "period_label": o.period.label} for o in obligations],
            "next_due": next_due,
            "next_due_label": next_due.period.label if next_due else "",
            "recent": _page(request, selectors.sent_submissions(user=request.user)),
        },
    )


def _organisation(request: HttpRequest, slug: str, **_kwargs: str) -> Organisation:
    return selectors.organisation_for_report(slug=slug)


def _not_reported(
    request: HttpRequest, organisation: Organisation, dataset: Dataset
) -> HttpResponse:
    """A clear 404 rather than an error: the link names a report nobody asked for."""
    return render(
        request,
        "error.html",
        {
            "status": 404,
            "title": _("This organisation does not report this data"),
            "message": _(
                "%(organisation)s is not asked to report %(dataset)s. Check the link, or "
                "contact the backbone team if it should."
            )
            % {"organisation": organisation, "dataset": dataset},
        },
        status=404,
    )


@login_required
@permission_required("measurement.submit_for", fn=_organisation)
def submission_start(request: HttpRequest, *, slug: str, dataset: str, period: str) -> HttpResponse:
    """The report link: an empty form until the first save creates the draft.

    Opening the link writes nothing (a link followed by a crawler or a preview must not
    start a report); a report already started opens where the person can act on it.
    """
    organisation = selectors.organisation_for_report(slug=slug)
    report = selectors.dataset_get(code=dataset)
    when = selectors.period_get(code=period)
    if not report.is_active or not selectors.dataset_reported_by_any(
        dataset=report, organisation_ids={organisation.pk}
    ):
        return _not_reported(request, organisation, report)
    existing = selectors.submission_find(
        organisation_slug=organisation.slug, dataset_code=report.code, period_code=when.code
    )
    if existing is not None:
        name = "submission_edit" if existing.status in services.EDITABLE else "submission_detail"
        return redirect(f"measurement:{name}", pk=existing.pk)
    actor = request_actor(request)

    def first_save(cells: list[CellValue], submit: bool) -> tuple[Submission, list[Problem]]:
        return services.submission_write(
            actor=actor,
            organisation=organisation,
            dataset=report,
            period=when,
            cells=cells,
            channel=Submission.Channel.FORM,
            submit=submit,
        )

    unsaved = Submission(organisation=organisation, dataset=report, period=when)
    return _values_form(
        request, unsaved, save=first_save, cancel=reverse("measurement:steward_home")
    )


def _save(
    actor: Actor, submission: Submission, *, cells: list[CellValue], submit: bool
) -> list[Problem]:
    return services.submission_save_values(
        actor=actor,
        submission=submission,
        cells=cells,
        channel=Submission.Channel.FORM,
        submit=submit,
    )


Save = Callable[[list[CellValue], bool], tuple[Submission, list[Problem]]]


def _values_form(
    request: HttpRequest, submission: Submission, *, save: Save, cancel: str
) -> HttpResponse:
    """The values grid: shown with what is saved, or saved (as a draft, or sent)."""
    cells = expected_cells(submission.dataset)
    current = (
        {
            (value.indicator.code, value.breakdown): value.value
            for value in selectors.submission_values(submission=submission)
        }
        if submission.pk
        else {}
    )
    form = SubmissionValuesForm(
        posted(request),
        cells=cells,
        initial_values=current,
        provinces=selectors.provinces_served(organisation=submission.organisation),
    )
    submit = "submit" in request.POST
    if request.method == "POST" and form.is_valid() and not (submit and form.refuse_unconfirmed()):
        try:
            saved, warnings = save(form.cell_values(), submit)
        except services.SubmissionInvalid as error:
            form.add_problems(error.problems)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            for warning in warnings:
                messages.warning(request, warning.message)
            if submit:
                messages.success(
                    request, _("Your data was sent. The backbone team will review it.")
                )
                return redirect("measurement:submission_detail", pk=saved.pk)
            messages.success(request, _("Your draft was saved. You can come back to it."))
            return redirect("measurement:submission_edit", pk=saved.pk)
    return render(
        request,
        "measurement/submission_form.html",
        {"submission": submission, "form": form, "grids": form.grids(), "cancel_url": cancel},
    )


def _detail(
    request: HttpRequest, submission: Submission, problems: list[Problem] | None = None
) -> HttpResponse:
    actor = request_actor(request)
    reviewer = actor_may(actor, "measurement.review", submission)
    review = reviews.submission_review(submission=submission)
    values = review.rows
    can_edit = _can_edit(actor, submission)
    return render(
        request,
        "measurement/submission_detail.html",
        {
            "submission": submission,
            "values": values,
            "review": review,
            "versions": selectors.submission_versions(submission=submission),
            "can_edit": can_edit,
            "can_send": can_edit and bool(values),
            "problems": problems or [],
            "can_review": reviewer and submission.status == Submission.Status.SUBMITTED,
            "can_reopen": reviewer and submission.status == Submission.Status.APPROVED,
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
    submission = _reported_submission(request, pk)
    try:
        warnings = services.submission_submit(actor=request_actor(request), submission=submission)
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
    submission = _reported_submission(request, pk)
    if submission.status not in services.EDITABLE:
        messages.warning(
            request, _("This submission is locked: it was sent and cannot be changed.")
        )
        return redirect("measurement:submission_detail", pk=submission.pk)
    actor = request_actor(request)

    def save(cells: list[CellValue], submit: bool) -> tuple[Submission, list[Problem]]:
        return submission, _save(actor, submission, cells=cells, submit=submit)

    return _values_form(
        request,
        submission,
        save=save,
        cancel=reverse("measurement:submission_detail", kwargs={"pk": submission.pk}),
    )


@login_required
@permission_required("measurement.review")
def review_queue(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.review_queue())
    found = reviews.submission_reviews(submissions=list(page.object_list))
    return render(
        request,
        "measurement/review_queue.html",
        {
            "page": page,
            "reviews": [found[submission.pk] for submission in page.object_list],
            "any_clean": any(review.is_clean for review in found.values()),
        },
    )


REVIEW_ACTIONS = {
    "approve": Submission.Status.SUBMITTED,
    "return": Submission.Status.SUBMITTED,
    "reopen": Submission.Status.APPROVED,
}


def _decide(
    actor: Actor, submission: Submission, *, action: str, comment: str
) -> tuple[Promise | str, str]:
    """Carry out a reviewer's decision: what to tell them, and where to go next."""
    if action == "approve":
        services.submission_approve(actor=actor, submission=submission)
        done = _("The submission is approved. Its data now counts in the shared figures.")
    elif action == "return":
        services.submission_return(actor=actor, submission=submission, comment=comment)
        done = _("The submission was returned to the organisation with your comment.")
    else:
        services.submission_reopen(actor=actor, submission=submission, reason=comment)
        done = _("The submission is reopened. Its data left the shared figures.")
        return done, reverse("measurement:submission_detail", kwargs={"pk": submission.pk})
    return done, reverse("measurement:review_queue")


@login_required
@permission_required("measurement.review")
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
    form = CommentForm(posted(request), label=label) if label else None
    if request.method == "POST" and (form is None or form.is_valid()):
        comment = form.cleaned_data["comment"] if form is not None else ""
        try:
            done, next_url = _decide(
                request_actor(request), submission, action=action, comment=comment
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("measurement:submission_detail", pk=submission.pk)
            form.add_error("comment", error.messages)
        else:
            messages.success(request, str(done))
            return redirect(next_url)
    return render_form_page(
        request,
        "measurement/review_confirm.html",
        {
            "submission": submission,
            "action": action,
            "form": form,
            "review": (review := reviews.submission_review(submission=submission)),
            "values": review.rows,
        },
    )
