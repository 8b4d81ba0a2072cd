"""The defences every response carries, and the door to the technical admin site.

The Content-Security-Policy itself comes from django-csp (`CONTENT_SECURITY_POLICY` in
the settings, decision 0024); this module adds the Permissions-Policy beside it and keeps
the Django admin's own password form out of reach: people sign in through the product's
sign-in page, whose attempts are rate-limited, and only then open the admin.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

PERMISSIONS_POLICY_HEADER = "Permissions-Policy"


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """The header's value: `camera=()` refuses a feature, `fullscreen=(self)` allows ours."""
    return ", ".join(f"{name}=({' '.join(origins)})" for name, origins in features.items())


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header to every response, static files included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header and PERMISSIONS_POLICY_HEADER not in response:
            response[PERMISSIONS_POLICY_HEADER] = self.header
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """Stands in for `AdminSite.login`, so the admin's own password form never checks a
    password: the admin site's login must not be a second, unlimited way to guess one.

    A visitor who is not signed in is sent to the product's sign-in page (rate-limited,
    the same for everyone) and comes back to the admin afterwards; someone signed in
    without admin access is refused; admin users go straight on.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(_safe_next(request))
    if not (user.is_active and user.is_staff):
        raise PermissionDenied
    return HttpResponseRedirect(_safe_next(request))
