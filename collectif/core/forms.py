"""The form-page pattern every app's create and edit pages share.

A page shows a form; on a valid POST it hands the cleaned data to a service. The
service's refusal (a ValidationError) appears on the form, beside the field it names,
with the person's input kept and nothing written; success says so and moves on. A form
with errors answers 422, so the failure is visible to machines as well as people.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

T = TypeVar("T")
F = TypeVar("F", bound=forms.BaseForm)


def posted(request: HttpRequest) -> Any:
    """The submitted data on a POST, None otherwise (so a GET shows an unbound form)."""
    return request.POST if request.method == "POST" else None


def apply_errors(form: forms.BaseForm, error: ValidationError, fallback: str | None = None) -> None:
    """Show a service's refusal on the form: beside the field it names when the form has
    it (or its English version, for a bilingual field), else at the top of the page."""
    if not hasattr(error, "error_dict"):
        form.add_error(fallback if fallback in form.fields else None, error)
        return
    for name, errors in error.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
        elif f"{name}_en" in form.fields:
            form.add_error(f"{name}_en", errors)
        else:
            form.add_error(None, errors)


def render_form_page(
    request: HttpRequest, template: str, context: Mapping[str, Any]
) -> HttpResponse:
    """Render a page holding `form`; answer 422 when it failed validation."""
    form = context.get("form")
    invalid = isinstance(form, forms.BaseForm) and form.is_bound and bool(form.errors)
    return render(request, template, dict(context), status=422 if invalid else 200)


@dataclass(frozen=True)
class FormPage(Generic[F, T]):
    """One create or edit page: the form, the service call, and where success leads.

    `save` receives the valid form and calls the service; `done` says what was done
    (shown as a message) and `next_url` where to go: a URL name (most pages go back to
    their list), or a function of the service's result.
    """

    template: str
    save: Callable[[F], T]
    done: Callable[[T], str | Promise]
    next_url: str | Callable[[T], str]
    context: Mapping[str, Any] = field(default_factory=dict)
    fallback_field: str | None = None

    def handle(self, request: HttpRequest, form: F) -> HttpResponse:
        if request.method == "POST" and form.is_valid():
            try:
                result = self.save(form)
            except ValidationError as error:
                apply_errors(form, error, self.fallback_field)
            else:
                messages.success(request, str(self.done(result)))
                target = self.next_url(result) if callable(self.next_url) else self.next_url
                return redirect(target)
        return render_form_page(request, self.template, {**self.context, "form": form})
