from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rules.contrib.views import permission_required

from collectif.accounts import selectors


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/token_list.html", {"tokens": selectors.api_token_list(user=request.user)}
    )


@permission_required("accounts.invite", raise_exception=True)
def invitation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/invitation_list.html", {})
