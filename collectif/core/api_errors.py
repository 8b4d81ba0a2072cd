"""One error format for the whole API, in the language the client asked for.

{"error": {"code": "not_found", "message": "...", "details": [...]}}

Each operation declares the failures it can answer with `responses(...)`, so that the
OpenAPI document tells a client every status and the shape of its body.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

# What any operation may answer: unreadable input (400), a wrong token (401), invalid
# parameters (422). Operations add 403, 404 and 409 where they can happen.
COMMON_ERRORS = (400, 401, 422)


class ErrorDetailOut(Schema):
    field: str = Field(description="Where the problem is: a field, a path into the body, or ''")
    message: str


class ErrorBodyOut(Schema):
    code: str = Field(
        description=(
            "bad_request, unauthenticated, forbidden, not_found, idempotency_conflict, "
            "invalid, error"
        )
    )
    message: str = Field(description="A sentence for people, in the client's language")
    details: list[ErrorDetailOut]


class ErrorOut(Schema):
    error: ErrorBodyOut


def responses(ok: Any, *errors: int, status: int = 200) -> dict[int, Any]:
    """An operation's `response=`: its success body under `status`, then the error
    format under every common status and the ones named."""
    declared: dict[int, Any] = {status: ok}
    for code in sorted({*COMMON_ERRORS, *errors}):
        declared[code] = ErrorOut
    return declared


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def _field(location: Any) -> str:
    """`("query", "page")` → "page"; `("body", "payload", "values", 1)` → "values.1":
    where the client put the value, without the endpoint's own parameter name."""
    parts = list(location)
    skip = 2 if parts[:1] == ["body"] and len(parts) > 2 else 1
    return ".".join(str(part) for part in parts[skip:])


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def on_invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {"field": _field(error.get("loc", ())), "message": error.get("msg", "")}
            for error in exc.errors
        ]
        return respond(request, 422, error_body("invalid", _("The request is not valid."), details))

    @api.exception_handler(DjangoValidationError)
    def on_invalid_data(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            details = [
                {"field": field, "message": str(message)}
                for field, errors in exc.message_dict.items()
                for message in errors
            ]
        else:
            details = [{"field": "", "message": str(message)} for message in exc.messages]
        return respond(request, 422, error_body("invalid", _("The data is not valid."), details))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            error_body(
                "unauthenticated",
                _("Sign in or send a valid API token in the Authorization header."),
            ),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, error_body("forbidden", _("You are not allowed to do this.")))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(
            request, 404, error_body("not_found", _("Nothing was found at this address."))
        )

    @api.exception_handler(RawPostDataException)
    def on_form_for_json(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        # A form sent to an operation that reads JSON: the door read it as a form (the
        # file uploads are forms), so its body is spent.
        return respond(
            request,
            400,
            error_body("bad_request", _("The request body could not be read: send JSON.")),
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # django-ninja's only 400: a body it cannot parse, named in English.
            return respond(
                request,
                400,
                error_body("bad_request", _("The request body could not be read: send JSON.")),
            )
        return respond(request, exc.status_code, error_body("error", str(exc)))
