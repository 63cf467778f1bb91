"""The OpenAPI document as the server really answers, completed once the app is built.

Litestar builds the document from the routes; `document_errors_and_security` then gives every
operation the error statuses it can answer, all with the real error body (`api/errors.py`),
the security schemes on the operations that authenticate, and a plain string body for streams
and files. Statuses follow from what a route is (rules below); the few a route answers beyond
them are listed in `EXTRA_ERRORS` by operationId.
"""

from http import HTTPStatus
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.response import Stream
from litestar.routes import HTTPRoute

ERROR = "Error"
ERROR_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    required=["detail", "status"],
    properties={
        "detail": Schema(type=OpenAPIType.STRING, description="what is wrong, in words"),
        "status": Schema(type=OpenAPIType.INTEGER, description="the HTTP status again"),
        "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT),
                         description="one entry per invalid field, when there are several"),
    },
    description="Every error: `{\"detail\", \"status\"}`, plus `errors` per field.",
)
SECURITY_SCHEMES = {
    "bearerJwt": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT",
                                description="The access token from `/api/v1/auth/login`."),
    "accessTokenCookie": SecurityScheme(type="apiKey", name="access_token",
                                        security_scheme_in="cookie",
                                        description="The HTTP-only cookie set at login."),
    "apiKey": SecurityScheme(type="apiKey", name="Authorization", security_scheme_in="header",
                             description="An API key: `ApiKey sk_…` (or `Bearer sk_…`)."),
}
SECURITY: list[dict[str, list[str]]] = [{name: []} for name in SECURITY_SCHEMES]

DESCRIPTIONS = {
    400: "Malformed request: a parameter or field of the wrong type or shape, or a body that is"
         " not valid UTF-8 JSON (named in `detail`).",
    401: "Not authenticated: no valid bearer token, `access_token` cookie or API key.",
    402: "The organization's XCT balance cannot pay for this work.",
    403: "Forbidden for the caller's role, its kind (a user or an API key) or its limits.",
    404: "Not found, or another organization's.",
    409: "Conflict: a concurrent change, something already taken or running, or a request with"
         " the same Idempotency-Key still running.",
    410: "Gone: used, revoked or expired.",
    413: "The body or file is larger than allowed.",
    415: "The body must be sent as `application/json`.",
    422: "Well-formed, but against a rule (named in `detail`), or an Idempotency-Key used"
         " before with another body.",
    429: "Too many attempts: try again after `Retry-After` seconds.",
    503: "A dependency is unavailable: try again later (`Retry-After` seconds when known).",
}
RETRY_AFTER = {429: True, 503: False}  # status -> whether `Retry-After` is always sent
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SIGN_IN = ("login", "verify_2fa", "setup_2fa_with_temp", "confirm_2fa_with_temp",
            "resend_2fa_email_code")
_GENERATION = ("generate_content", "generate_content_stream", "regenerate_content",
               "regenerate_content_stream", "regenerate_rejected", "regenerate_rejected_stream",
               "regenerate_item")
EXTRA_ERRORS: dict[str, tuple[int, ...]] = {
    **{op: (401, 403, 429) for op in _SIGN_IN},
    "refresh_token": (401,),
    **{op: (429,) for op in ("setup_2fa", "confirm_2fa", "disable_2fa", "send_2fa_disable_code")},
    **{op: (402, 503) for op in _GENERATION},
    "validate_invitation": (404, 410),
    "accept_invitation": (404, 410),
    "query_products": (404, 429, 503),
    "delete_page": (404,),
    "retrieve_pages": (503,),
    "create_project_job": (402, 503),
    **{op: (503,) for op in ("get_import_filters", "preview_import", "execute_import",
                             "sync_all_items", "sync_stream", "sync_item")},
    "lookup_html_page": (404,),
    "generate_html_page_preview_image": (503,),
    "get_blog_categories": (503,),
    "publish_blog_post": (503,),
    "unpublish_blog_post": (503,),
    "download_export": (403, 404),
    "search_stock_photos": (503,),
    "generate_blog_image": (503,),
}
"""Statuses an operation answers beyond the rules of `_statuses`."""
EXTRA_MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "export_source": ("application/xml",),
    "download_export": ("text/html", "text/plain", "application/json", "application/zip"),
    "get_blog_image_file": ("image/png", "image/jpeg", "image/webp"),
}
"""Success media types beyond the route's own (a file source exports in its own format)."""
JSON_LINES = ("application/x-ndjson", "application/jsonl")
LINES_IN_LINES_OUT: dict[str, tuple[str, ...]] = {"upsert_pages": JSON_LINES}
"""Operations that also take a JSON Lines body (one JSON value a line) and then answer in
JSON Lines (`api/json_lines.py`)."""


def document_errors_and_security(app: Litestar) -> OpenAPI:
    """Complete `app.openapi_schema` in place (both `/openapi.json` and the docs serve it)."""
    schema = app.openapi_schema
    components = schema.components if isinstance(schema.components, Components) else Components()
    schema.components = components
    components.schemas = {**(components.schemas or {}), ERROR: ERROR_SCHEMA}
    components.security_schemes = {**(components.security_schemes or {}), **SECURITY_SCHEMES}
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or schema.paths is None:
            continue
        path_item = schema.paths.get(route.path_format)
        if path_item is None:
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            for method in handler.http_methods:
                operation = getattr(path_item, method.lower(), None)
                if isinstance(operation, Operation):
                    _complete(operation, handler, method, has_id=bool(route.path_parameters))
    return schema


def _complete(operation: Operation, handler: HTTPRouteHandler, method: str, *,
              has_id: bool) -> None:
    authenticated = "principal" in handler.resolve_dependencies()
    if authenticated:
        operation.security = list(SECURITY)
    responses = dict(operation.responses or {})
    statuses = _statuses(operation, method, authenticated=authenticated, has_id=has_id)
    statuses |= {int(code) for code in responses if code.isdigit() and int(code) >= 400}
    for status in statuses:
        responses[str(status)] = _error_response(status)
    operation.responses = dict(sorted(responses.items()))
    if _is_stream(handler):
        _plain_body(operation, str(handler.status_code))
    _json_lines(operation, str(handler.status_code))
    no_content = operation.responses.get("204")
    if isinstance(no_content, OpenAPIResponse):
        no_content.content = None
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is not None and data.has_default and isinstance(operation.request_body, RequestBody):
        operation.request_body.required = False  # the body may be left out


def _statuses(operation: Operation, method: str, *, authenticated: bool,
              has_id: bool) -> set[int]:
    statuses = {400, 422}
    if authenticated:
        statuses |= {401, 403}
    if has_id:
        statuses.add(404)
    if method in WRITES:
        statuses.add(409)
    body = operation.request_body
    if body is not None:
        statuses.add(413)
        content = getattr(body, "content", None) or {}
        if "application/json" in content:
            statuses.add(415)
    statuses.update(EXTRA_ERRORS.get(operation.operation_id or "", ()))
    return statuses


def _error_response(status: int) -> OpenAPIResponse:
    headers: dict[str, OpenAPIHeader | Reference] | None = None
    if status in RETRY_AFTER:
        headers = {"Retry-After": OpenAPIHeader(
            schema=Schema(type=OpenAPIType.INTEGER), required=RETRY_AFTER[status],
            description="seconds to wait before trying again")}
    return OpenAPIResponse(
        description=DESCRIPTIONS.get(status, HTTPStatus(status).phrase), headers=headers,
        content={"application/json": OpenAPIMediaType(
            schema=Reference(ref=f"#/components/schemas/{ERROR}"))},
    )


def _is_stream(handler: HTTPRouteHandler) -> bool:
    annotation: Any = handler.parsed_fn_signature.return_type.annotation
    return isinstance(annotation, type) and issubclass(annotation, Stream)


def _plain_body(operation: Operation, status: str) -> None:
    """A stream or file is text (events, CSV, XML), not JSON."""
    response = (operation.responses or {}).get(status)
    if not isinstance(response, OpenAPIResponse) or not response.content:
        return
    media_types = [*response.content, *EXTRA_MEDIA_TYPES.get(operation.operation_id or "", ())]
    response.content = {media_type: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
                        for media_type in media_types}


def _json_lines(operation: Operation, status: str) -> None:
    """JSON Lines in and out, beside the JSON body (lines are text to a schema)."""
    media_types = LINES_IN_LINES_OUT.get(operation.operation_id or "")
    body, response = operation.request_body, (operation.responses or {}).get(status)
    if not media_types or not isinstance(body, RequestBody) or not isinstance(
            response, OpenAPIResponse):
        return
    lines = Schema(type=OpenAPIType.STRING, description="one JSON object a line")
    body.content = {**body.content, **{m: OpenAPIMediaType(schema=lines) for m in media_types}}
    response.content = {**(response.content or {}),
                        media_types[0]: OpenAPIMediaType(schema=Schema(
                            type=OpenAPIType.STRING, description="one result a line"))}
