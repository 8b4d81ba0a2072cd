"""Approving several clean submissions together, from the review queue.

Only submissions with nothing to look at twice (no rule warning, no unusual change) may
be approved this way: the queue offers a box for those alone, and the selection is
checked again here, on the confirmation page and when it is posted.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from collectif.core.actors import request_actor
from collectif.core.permissions import permission_required
from collectif.measurement.models import Submission
from collectif.measurement.selectors import review as reviews
from collectif.measurement.selectors import submissions as selectors
from collectif.measurement.services import submissions as services

# More than a page of the queue is never approved in one go.
MOST = 100


def _chosen(request: HttpRequest) -> tuple[list[Submission], list[Submission]]:
    """The chosen submissions still waiting: (clean ones, the others), queue order."""
    data = request.POST if request.method == "POST" else request.GET
    ids = {int(pk) for pk in data.getlist("submission")[:MOST] if pk.isdigit()}
    waiting = list(selectors.review_queue().filter(pk__in=ids))
    found = reviews.submission_reviews(submissions=waiting)
    clean = [s for s in waiting if found[s.pk].is_clean]
    return clean, [s for s in waiting if not found[s.pk].is_clean]


@login_required
@permission_required("measurement.review")
def review_approve_many(request: HttpRequest) -> HttpResponse:
    """Confirm, then approve each clean submission chosen in the queue."""
    clean, flagged = _chosen(request)
    if not clean:
        messages.warning(
            request,
            _(
                "Choose at least one submission without flags to approve together. "
                "Open a flagged submission to review it on its own."
            ),
        )
        return redirect("measurement:review_queue")
    if request.method == "POST":
        approved = services.submission_approve_many(actor=request_actor(request), submissions=clean)
        messages.success(
            request,
            ngettext(
                "%(count)s submission is approved. Its data now counts in the shared figures.",
                "%(count)s submissions are approved. Their data now counts in the shared figures.",
                len(approved),
            )
            % {"count": len(approved)},
        )
        if len(approved) < len(clean):
            messages.warning(
                request,
                _(
                    "Some submissions were no longer waiting for approval and were left as "
                    "they are."
                ),
            )
        return redirect("measurement:review_queue")
    return render(
        request,
        "measurement/review_approve_many.html",
        {"submissions": clean, "flagged": flagged},
    )
