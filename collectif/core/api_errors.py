"""One error format for the whole API, in the language the client asked for.

{"error": {"code": "not_found", "message": "...", "details": [...]}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


def error_body(
    code: str, message: str, details: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def on_invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {
                "field": ".".join(str(part) for part in error.get("loc", [])[1:]),
                "message": error.get("msg", ""),
            }
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

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, error_body("error", str(exc)))
