"""The validation rule setup pages: the list, and adding or changing a rule."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from collectif.core.actors import request_actor
from collectif.core.forms import FormPage, posted
from collectif.core.permissions import permission_required
from collectif.measurement.forms.rules import RuleForm
from collectif.measurement.models import ValidationRule
from collectif.measurement.permissions import MANAGE
from collectif.measurement.selectors import rules as selectors
from collectif.measurement.services import rules as services

TEMPLATE = "measurement/setup_rule_form.html"


@login_required
@permission_required(MANAGE)
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "measurement/setup_rules.html", {"rules": selectors.rules_for_setup()})


@login_required
@permission_required(MANAGE)
def rule_create(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[RuleForm, ValidationRule] = FormPage(
        template=TEMPLATE,
        save=lambda form: services.validation_rule_create(
            actor=actor, code=form.cleaned_data["code"], data=form.rule_data()
        ),
        done=lambda _rule: _("The validation rule was added."),
        next_url="measurement:setup_rules",
        context={"rule": None},
    )
    return page.handle(request, RuleForm(posted(request)))


@login_required
@permission_required(MANAGE)
def rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = request_actor(request)
    page: FormPage[RuleForm, ValidationRule] = FormPage(
        template=TEMPLATE,
        save=lambda form: services.validation_rule_update(
            actor=actor, rule=form.instance, data=form.rule_data()
        ),
        done=lambda _rule: _("The validation rule was saved."),
        next_url="measurement:setup_rules",
        # The form changes its instance while it validates; the page names the stored one.
        context={"rule": selectors.rule_for_setup(code=code)},
    )
    return page.handle(
        request, RuleForm(posted(request), instance=selectors.rule_for_setup(code=code))
    )
