"""Restoring earlier values from a submission's history.

The page (GET) shows what restoring a version would change and writes nothing; the
button (POST) restores it. The values it replaces go into the history in turn.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from collectif.core.actors import actor_may, request_actor
from collectif.measurement.domain.validation import Problem
from collectif.measurement.selectors import history as history_selectors
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services
from collectif.measurement.services.history import submission_restore


@login_required
def version_restore(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """Show what restoring the version changes; restore it on POST."""
    submission = selectors.submission_get(user=request.user, pk=pk)
    actor = request_actor(request)
    if not actor_may(actor, "measurement.submit_for", submission.organisation):
        raise PermissionDenied
    chosen = history_selectors.submission_version_get(submission=submission, pk=version)
    if submission.status not in services.EDITABLE:
        messages.warning(
            request,
            _("This submission is %(status)s: its values cannot be replaced now.")
            % {"status": submission.get_status_display().lower()},
        )
        return redirect("measurement:submission_detail", pk=submission.pk)
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            warnings = submission_restore(actor=actor, submission=submission, version=chosen)
        except services.SubmissionInvalid as invalid:
            problems = [p for p in invalid.problems if p.severity == "error"]
        except ValidationError as error:
            problems = [Problem(message=message) for message in error.messages]
        else:
            for warning in warnings:
                messages.warning(request, warning.message)
            messages.success(
                request,
                _("The earlier values are restored. The values they replaced are in the history."),
            )
            return redirect("measurement:submission_detail", pk=submission.pk)
    return render(
        request,
        "measurement/version_restore.html",
        {
            "submission": submission,
            "version": chosen,
            "changes": history_selectors.restore_changes(submission=submission, version=chosen),
            "problems": problems,
        },
        status=422 if problems else 200,
    )
