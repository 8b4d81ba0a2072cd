"""Refuse input no view was written to handle, before any view or database sees it.

PostgreSQL cannot store a NUL character, and a lone surrogate cannot be encoded for it:
either one in a query, form, JSON body, header or cookie used to reach a query and end
in a server error. One check at the door answers them all with a 400, in the API's error
format under /api/ and as the site's bilingual error page elsewhere. The same answer
covers requests too large or too malformed for Django to read (`handler400`).
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from collectif.core.api_errors import error_body

# Longer than any address Collectif makes; web servers in front refuse less already.
MAX_PATH_LENGTH = 2048
MAX_QUERY_LENGTH = 8192

UNREADABLE = _(
    "The request contains a character that cannot be stored (a NUL byte or "
    "broken Unicode). Remove it and try again."
)
TOO_LONG = _("The address is too long.")
TOO_LARGE = _("The request is too large or could not be read.")


def _is_unsafe(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_strings(document: Any) -> Iterator[str]:
    """Every key and string in a parsed JSON document, without recursion."""
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            yield from (key for key in node if isinstance(key, str))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


def _body_strings(request: HttpRequest) -> Iterable[str]:
    """The text a body carries; reading it may raise what Django raises for bad bodies.

    The API reads JSON bodies whatever their declared type, except multipart forms: its
    file uploads are read as forms, like the pages' (reading a multipart body whole would
    also hold a file of up to the upload limit in memory).
    """
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return (
            *request.POST.keys(),
            *(value for _key, values in request.POST.lists() for value in values),
            *(upload.name or "" for key in request.FILES for upload in request.FILES.getlist(key)),
        )
    if not (_is_api(request) or content_type.endswith("json")) or not request.body:
        return ()
    try:
        document = json.loads(request.body)
    except (ValueError, RecursionError):
        return ()  # not JSON: the endpoint refuses it in its own words
    return _json_strings(document)


def _strings(request: HttpRequest) -> Iterator[str]:
    yield request.path_info
    for key, values in request.GET.lists():
        yield key
        yield from values
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            yield value
    # Cookies arrive quoted: `"a\000b"` is a NUL only once unquoted.
    yield from request.COOKIES.values()
    yield from _body_strings(request)


def input_problem(request: HttpRequest) -> Promise | None:
    """Why the request cannot be served, or None when it can."""
    if len(request.path_info) > MAX_PATH_LENGTH:
        return TOO_LONG
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return TOO_LONG
    try:
        if any(_is_unsafe(text) for text in _strings(request)):
            return UNREADABLE
    except (SuspiciousOperation, MultiPartParserError):
        # Too many fields, a body over the upload limit, a broken multipart body.
        return TOO_LARGE
    return None


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request_response(request: HttpRequest, message: Promise | str) -> HttpResponse:
    """A 400 that needs nothing the refused input could break: no session, no database."""
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    if _is_api(request):
        language = translation.get_language_from_request(request)
    else:
        language = translation.get_language_from_path(request.path_info) or (
            translation.get_language_from_request(request)
        )
    with translation.override(language):
        if _is_api(request):
            return JsonResponse(error_body("bad_request", str(message)), status=400)
        context = {
            "status": 400,
            "title": _("This request could not be read"),
            "message": message,
        }
        return render(request, "error.html", context, status=400)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler400`: what Django itself refuses (too many fields, a forged host...)."""
    return bad_request_response(request, TOO_LARGE)


class InputGuardMiddleware:
    """Placed before the session is read, so that a poisoned cookie is refused too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = input_problem(request)
        if problem is not None:
            return bad_request_response(request, problem)
        return self.get_response(request)
