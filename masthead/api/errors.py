"""One error shape for every answer that is not a success.

``{"error": {"code": "...", "message": "...", "fields": {...}}}``: ``code`` is a stable word a
program can branch on, ``message`` a sentence a person can read, ``fields`` maps a request field
(``title``, ``categories.0``, ``query.limit``) to what is wrong with it, and is empty when the
fault is not in one field. Everything that can answer for the API goes through here: operations
(``ApiError``), django-ninja's own errors (bad JSON, validation, authentication), paths no
operation matches (``not_found``), methods an operation does not take and oversized bodies
(``masthead.api.http``), and any exception nobody expected (a logged 500).
"""

import json
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

TITLES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthenticated", "This needs an API token: send Authorization: Bearer <token>."),
    403: ("forbidden", "This token may not do that."),
    404: ("not_found", "There is nothing here."),
    405: ("method_not_allowed", "This address does not take that method."),
    409: ("conflict", "That clashes with what is already there."),
    413: ("too_large", "The request body is too large."),
    422: ("invalid", "Some fields are not right."),
    429: ("rate_limited", "Too many requests; wait and try again."),
    500: ("server_error", "Something went wrong on our side; it has been logged."),
}


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by an operation to answer ``status`` in the error shape."""

    def __init__(
        self,
        status: int,
        message: str = "",
        *,
        code: str = "",
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ):
        default_code, default_message = TITLES.get(status, TITLES[500])
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.fields = fields or {}
        self.headers = headers or {}
        super().__init__(self.message)


def error_response(
    status: int,
    message: str = "",
    *,
    code: str = "",
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    return api_error_response(ApiError(status, message, code=code, fields=fields, headers=headers))


def api_error_response(error: ApiError) -> HttpResponse:
    body = {"error": {"code": error.code, "message": error.message, "fields": error.fields}}
    response = HttpResponse(
        json.dumps(body), status=error.status, content_type="application/json; charset=utf-8"
    )
    for name, value in error.headers.items():
        response[name] = value
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    response["Cache-Control"] = "no-store"
    return response


def field_name(location) -> str:
    """``("body", "payload", "title")`` -> ``title``; query and header fields keep their
    source: ``query.limit``."""
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:]
    return ".".join(parts) or "body"


def validation_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        name = field_name(error.get("loc", ()))
        message = error.get("msg", "Not valid.")
        if error.get("type") == "extra_forbidden":
            message = "This field is not accepted here."
        fields.setdefault(name, message)
    return fields


def install(api) -> None:
    """Point every exception django-ninja can meet at the error shape."""

    def on_api_error(request, error: ApiError):
        return api_error_response(error)

    def on_validation(request, error: ValidationError):
        return error_response(422, fields=validation_fields(error.errors))

    def on_http_error(request, error: HttpError):
        if isinstance(error.__cause__, RequestDataTooBig):
            return error_response(413)
        if isinstance(error, AuthenticationError):
            return error_response(401)
        if isinstance(error, AuthorizationError):
            return error_response(403, str(error) if str(error) != "Forbidden" else "")
        if isinstance(error.__cause__, TypeError):
            return error_response(400, str(error.__cause__), code="not_an_object")
        if error.status_code == 400 and error.__cause__ is not None:
            return error_response(400, "The body is not valid JSON (UTF-8).", code="malformed_json")
        return error_response(error.status_code, str(error))

    def on_not_found(request, error):
        return error_response(404, str(error) if str(error) else "")

    def on_denied(request, error):
        return error_response(403)

    def on_anything_else(request, error):
        logger.exception("API request failed: %s %s", request.method, request.path)
        return error_response(500)

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Exception, on_anything_else)


def not_found(request, *args, **kwargs) -> HttpResponse:
    """Any address under the API that no operation answers."""
    return error_response(404, "No API operation at this address.")
