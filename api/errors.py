"""Every error answers `{"detail": ..., "status": N}`; domain errors map to HTTP here, once."""

from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from api.path_params import malformed_parameter
from domain import errors as domain

log = structlog.get_logger("copydesk.api")

STATUS_OF: dict[type[domain.DomainError], int] = {
    domain.NotFoundError: 404,
    domain.ConflictError: 409,
    domain.ForbiddenError: 403,
    domain.InvalidCommandError: 422,
    domain.InsufficientBalanceError: 402,
    domain.MalformedInputError: 400,
    domain.TooLargeError: 413,
    domain.UnavailableError: 503,
    domain.GoneError: 410,
}


def error_body(detail: str, status: int, errors: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "status": status}
    if errors:
        body["errors"] = errors
    return body


def domain_error(_: Request[Any, Any, Any], exc: domain.DomainError) -> Response[Any]:
    status = next((code for cls, code in STATUS_OF.items() if isinstance(exc, cls)), 400)
    headers = {}
    if isinstance(exc, domain.UnavailableError) and exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    return Response(error_body(str(exc), status), status_code=status, headers=headers)


def validation_error(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = exc.extra if isinstance(exc.extra, list) else None
    detail = exc.detail or "invalid request"
    if errors:
        first = errors[0]
        if isinstance(first, dict) and first.get("message"):
            key = first.get("key")
            detail = f"{first['message']}" + (f" (field '{key}')" if key else "")
    return Response(error_body(detail, 400, errors), status_code=400)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    malformed = malformed_parameter(request, exc)
    if malformed:
        return Response(error_body(malformed, 400), status_code=400)
    headers = dict(exc.headers or {})
    return Response(error_body(str(exc.detail), exc.status_code), status_code=exc.status_code,
                    headers=headers)


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled_error", path=request.url.path, error=type(exc).__name__)
    return Response(error_body("internal error", 500), status_code=500)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    domain.DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
