"""Pages for people: invitations, the People list, accepting an invitation, API tokens."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from collectif.accounts import selectors, services
from collectif.accounts.forms import AcceptForm, InvitationForm, TokenForm
from collectif.accounts.models import Invitation, Role, User
from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required

View = Callable[..., HttpResponse]


def members_only(perm: str) -> Callable[[View], View]:
    """Signed-out visitors go to the sign-in page; signed-in people without `perm` get 403."""

    def decorator(view: View) -> View:
        return wraps(view)(login_required(permission_required(perm)(view)))

    return decorator


def _apply_errors(form: Form, exc: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Show a service's refusal beside the matching field, or above the form."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            target = fields.get(key, key)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _page(request: HttpRequest, items: Any) -> Page[Any]:
    return Paginator(items, settings.COLLECTIF["PAGE_SIZE"]).get_page(request.GET.get("page"))


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = selectors.invitation_get(invitation_id=invitation_id)
    if invitation is None:
        raise Http404
    return invitation


STATUS_LABELS = {
    "pending": gettext_lazy("Waiting for an answer"),
    "accepted": gettext_lazy("Accepted"),
    "expired": gettext_lazy("Expired"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


@members_only("accounts.invite")
def invitation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in selectors.INVITATION_STATUSES else ""
    search = request.GET.get("q", "").strip()
    page = _page(request, selectors.invitation_list(status=status, search=search))
    rows = [(invitation, selectors.invitation_status(invitation)) for invitation in page]
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "search": search,
            "statuses": [(key, str(STATUS_LABELS[key])) for key in selectors.INVITATION_STATUSES],
            "status_labels": {key: str(label) for key, label in STATUS_LABELS.items()},
            "filtered": bool(status or search),
        },
    )


@members_only("accounts.invite")
def invitation_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    days = settings.COLLECTIF["INVITATION_DAYS"]

    def save(form: InvitationForm) -> Invitation:
        data = form.cleaned_data
        invitation, _secret = services.invitation_create(
            actor=actor,
            email=data["email"],
            organisation=data["organisation"],
            role=data["role"],
            language=data["language"],
        )
        return invitation

    page: FormPage[InvitationForm, Invitation] = FormPage(
        template="accounts/invitation_form.html",
        save=save,
        done=lambda invitation: (
            _("Invitation sent to %(email)s. The link works for %(days)s days.")
            % {"email": invitation.email, "days": days}
        ),
        next_url="accounts:invitation_list",
        context={"invitation_days": days},
    )
    # "Invite someone to this organisation" links here with the organisation's slug.
    chosen = request.GET.get("organisation", "")
    initial: dict[str, Any] = {"language": request.LANGUAGE_CODE}
    if chosen:
        initial["organisation"] = selectors.organisation_choices().filter(slug=chosen).first()
    if request.GET.get("role") in Role.values:
        initial["role"] = request.GET["role"]
    form = InvitationForm(posted(request), initial=initial)
    return page.handle(request, form)


def _invitation_action(
    request: HttpRequest, invitation_id: int, *, action: str, template: str
) -> HttpResponse:
    invitation = _invitation_or_404(invitation_id)
    error = ""
    if request.method == "POST":
        actor = request_actor(request)
        try:
            if action == "resend":
                services.invitation_resend(actor=actor, invitation=invitation)
                done = _("Invitation sent again to %(email)s, with a new link.")
            else:
                services.invitation_revoke(actor=actor, invitation=invitation)
                done = _("Invitation to %(email)s withdrawn. Its link no longer works.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, done % {"email": invitation.email})
            return redirect("accounts:invitation_list")
    return render(
        request,
        template,
        {
            "invitation": invitation,
            "status": selectors.invitation_status(invitation),
            "status_labels": {key: str(label) for key, label in STATUS_LABELS.items()},
            "error": error,
        },
    )


@members_only("accounts.invite")
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request, invitation_id, action="resend", template="accounts/invitation_resend.html"
    )


@members_only("accounts.invite")
def invitation_withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request, invitation_id, action="withdraw", template="accounts/invitation_withdraw.html"
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, secret: str) -> HttpResponse:
    """The page the invitation e-mail links to; anyone holding the link may open it."""
    invitation = selectors.invitation_get_by_secret(secret=secret)
    if invitation is None:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"problem": _("This link is not a valid invitation. Check that you copied it whole.")},
            status=404,
        )
    problem = services.invitation_problem(invitation)
    if problem:
        return render(request, "accounts/invitation_invalid.html", {"problem": problem}, status=410)
    user = request.user
    person = user if isinstance(user, User) and user.is_authenticated else None
    existing = selectors.user_get_by_email(email=invitation.email)
    signed_in_as_other = person is not None and person.email.lower() != invitation.email
    form = AcceptForm(posted(request)) if existing is None and person is None else None
    error = ""
    context: dict[str, Any] = {
        "invitation": invitation,
        "existing": existing,
        "signed_in_as_other": signed_in_as_other,
        "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
    }
    if request.method == "POST" and not signed_in_as_other:
        if existing is not None and person is None:
            return redirect(context["login_url"])
        if form is None or form.is_valid():
            try:
                accepted = services.invitation_accept(
                    invitation=invitation,
                    user=person,
                    full_name=form.cleaned_data["full_name"] if form else "",
                    password=form.cleaned_data["password1"] if form else "",
                )
            except ValidationError as exc:
                if form is None:
                    error = " ".join(exc.messages)
                else:
                    _apply_errors(form, exc, {"password": "password1"})
            else:
                if person is None:
                    login(request, accepted, backend="collectif.accounts.backends.ModelBackend")
                messages.success(
                    request,
                    _("Welcome! You now act as %(role)s for %(organisation)s.")
                    % {
                        "role": invitation.get_role_display(),
                        "organisation": invitation.organisation,
                    },
                )
                return redirect("core:dashboard")
    context.update({"form": form, "error": error})
    return render(request, "accounts/invitation_accept.html", context)


@members_only("accounts.invite")
def people_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = _page(request, selectors.person_list(search=search))
    return render(request, "accounts/people_list.html", {"page": page, "search": search})


@members_only("accounts.manage_memberships")
def membership_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = selectors.membership_get(membership_id=membership_id)
    if membership is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.membership_remove(actor=request_actor(request), membership=membership)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("%(person)s no longer acts as %(role)s for %(organisation)s.")
                % {
                    "person": membership.user,
                    "role": membership.get_role_display(),
                    "organisation": membership.organisation,
                },
            )
            return redirect("accounts:people_list")
    return render(
        request,
        "accounts/membership_remove.html",
        {
            "membership": membership,
            "error": error,
            "is_own_staff_role": membership.user_id == request.user.pk
            and membership.role == Role.STAFF,
        },
    )


@members_only("accounts.manage_tokens")
def token_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/token_list.html", {"tokens": selectors.api_token_list(user=request.user)}
    )


@never_cache
@members_only("accounts.manage_tokens")
def token_create(request: HttpRequest) -> HttpResponse:
    """Creates a token and shows its secret in the response itself, once, never again."""
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        token, secret = services.api_token_create(
            actor=request_actor(request), name=form.cleaned_data["name"]
        )
        return render(request, "accounts/token_created.html", {"token": token, "secret": secret})
    return render(request, "accounts/token_form.html", {"form": form})


@members_only("accounts.manage_tokens")
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_get(user=request.user, token_id=token_id)
    if token is None:
        raise Http404
    if request.method == "POST":
        services.api_token_revoke(actor=request_actor(request), token=token)
        messages.success(
            request,
            _("Token “%(name)s” revoked. Programs using it can no longer connect.")
            % {"name": token.name},
        )
        return redirect("accounts:token_list")
    return render(request, "accounts/token_revoke.html", {"token": token})
