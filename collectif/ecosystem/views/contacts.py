"""Contact pages (backbone staff only): the list, one contact with its consent, the forms."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, apply_errors, posted, render_form_page
from collectif.core.permissions import permission_required
from collectif.ecosystem.domain.consent import ConsentStatus, describe, status_label
from collectif.ecosystem.domain.consent import status_sentence as sentence
from collectif.ecosystem.forms.contacts import ConsentForm, ContactForm, WithdrawForm
from collectif.ecosystem.models import Contact, Language
from collectif.ecosystem.selectors import contacts as selectors
from collectif.ecosystem.services import contacts as services

FILTER_KEYS = ("q", "organisation", "language", "status")


def _filters(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip()[:200] for key in FILTER_KEYS}


def status_options() -> list[tuple[str, str]]:
    return [(status.value, status_label(status)) for status in ConsentStatus]


def _contact_url(contact: Contact) -> str:
    return reverse("ecosystem:contact_detail", kwargs={"pk": contact.pk})


@login_required
@permission_required("ecosystem.view_contacts")
def contact_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    contacts = selectors.contact_list(
        user=request.user,
        q=filters["q"],
        organisation=filters["organisation"],
        language=filters["language"],
        status=filters["status"],
    )
    page = Paginator(contacts, settings.COLLECTIF["PAGE_SIZE"]).get_page(request.GET.get("page"))
    for contact in page.object_list:
        contact.status_label = status_label(contact.consent_status)
    organisation = (
        selectors.organisation_by_slug(slug=filters["organisation"])
        if filters["organisation"]
        else None
    )
    return render_form_page(
        request,
        "ecosystem/contact_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "organisation": organisation,
            "statuses": status_options(),
            "languages": Language.choices,
        },
    )


def _detail_context(
    request: HttpRequest,
    contact: Contact,
    *,
    consent_form: ConsentForm | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> dict[str, Any]:
    today = timezone.localdate()
    consents = list(contact.consents.all())
    return {
        "contact": contact,
        "status": contact.consent_status,  # type: ignore[attr-defined]
        "status_label": status_label(contact.consent_status),  # type: ignore[attr-defined]
        "status_sentence": sentence(selectors.consent_facts(contact), on=today),
        "history": [
            {"consent": consent, "sentence": describe(selectors.facts(consent), on=today)}
            for consent in consents
        ],
        "can_withdraw": any(c.withdrawn_on is None for c in consents),
        "consent_form": consent_form or ConsentForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
    }


@login_required
@permission_required("ecosystem.view_contacts")
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    return render_form_page(
        request, "ecosystem/contact_detail.html", _detail_context(request, contact)
    )


@login_required
@permission_required("ecosystem.manage_contacts")
def contact_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    slug = request.GET.get("organisation", "")[:80]
    organisation = selectors.organisation_by_slug(slug=slug) if slug else None
    page: FormPage[ContactForm, Contact] = FormPage(
        template="ecosystem/contact_form.html",
        save=lambda form: services.contact_create(actor=actor, data=form.contact_data()),
        done=lambda contact: _("%(name)s was added to the contacts.") % {"name": contact},
        next_url=_contact_url,
    )
    return page.handle(request, ContactForm(posted(request), organisation=organisation))


@login_required
@permission_required("ecosystem.manage_contacts")
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    contact = selectors.contact_get(user=request.user, pk=pk)

    def save(form: ContactForm) -> Contact:
        editing = selectors.contact_get(user=request.user, pk=pk)
        return services.contact_update(actor=actor, contact=editing, data=form.contact_data())

    page: FormPage[ContactForm, Contact] = FormPage(
        template="ecosystem/contact_form.html",
        save=save,
        done=lambda saved: _("Your changes to %(name)s were saved.") % {"name": saved},
        next_url=_contact_url,
        context={"contact": contact},
    )
    return page.handle(request, ContactForm(posted(request), contact=contact))


@require_POST
@login_required
@permission_required("ecosystem.manage_contacts")
def contact_archive(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    services.contact_archive(actor=request_actor(request), contact=contact)
    messages.success(
        request, _("%(name)s is archived and no longer appears in the lists.") % {"name": contact}
    )
    return redirect(_contact_url(contact))


@require_POST
@login_required
@permission_required("ecosystem.manage_contacts")
def contact_restore(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    services.contact_restore(actor=request_actor(request), contact=contact)
    messages.success(request, _("%(name)s is back in the lists.") % {"name": contact})
    return redirect(_contact_url(contact))


@require_POST
@login_required
@permission_required("ecosystem.manage_contacts")
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                actor=request_actor(request),
                contact=contact,
                kind=data["kind"],
                basis=data["basis"],
                given_on=data["given_on"],
                source=data["source"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect(_contact_url(contact))
    context = _detail_context(request, contact, consent_form=form)
    return render_form_page(request, "ecosystem/contact_detail.html", {**context, "form": form})


@require_POST
@login_required
@permission_required("ecosystem.manage_contacts")
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                actor=request_actor(request),
                contact=contact,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The withdrawal was recorded: %(name)s will receive no more e-mail.")
                % {"name": contact},
            )
            return redirect(_contact_url(contact))
    context = _detail_context(request, contact, withdraw_form=form)
    return render_form_page(request, "ecosystem/contact_detail.html", {**context, "form": form})
