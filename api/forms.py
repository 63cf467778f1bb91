"""Bodies the specification sends as forms: read from `application/x-www-form-urlencoded`,
`multipart/form-data` (what a browser's FormData sends) or JSON, into a msgspec Struct."""

import dataclasses
from typing import Any, TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from api.text_rules import shown, text_problem

S = TypeVar("S", bound=msgspec.Struct)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_form(request: Request[Any, Any, Any], schema: type[S]) -> S:
    """The body as `schema`; 400 naming the field that is missing or wrong (a JSON body is
    decoded strictly, form fields are text and converted), or for another media type."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    values: Any
    if content_type in FORM_TYPES:
        values = dict((await request.form()).items())
        for name, value in values.items():
            problem = text_problem(value) if isinstance(value, str) else None
            if problem:
                raise ValidationException(f"form field '{shown(name)}': {problem}")
    elif content_type == "application/json":
        try:
            values = msgspec.json.decode(await request.body())
        except msgspec.DecodeError:
            raise ValidationException("the body is not valid JSON") from None
    else:
        body = await request.body()
        values = {} if not body.strip() else None
        if values is None:
            raise ValidationException(
                f"send the body as {FORM_TYPES[0]} (or {FORM_TYPES[1]}, or JSON)")
    if not isinstance(values, dict):
        raise ValidationException("the body must be a form or a JSON object")
    try:
        return msgspec.convert(values, schema, strict=content_type == "application/json")
    except msgspec.ValidationError as error:
        raise ValidationException(str(error)) from None


def form_operation(fields: dict[str, Schema], required: tuple[str, ...]) -> type[Operation]:
    """An OpenAPI operation documenting a form body with these fields (for `operation_class`:
    the route reads the body itself, so Litestar cannot describe it)."""
    body = Schema(type=OpenAPIType.OBJECT, properties=dict(fields), required=list(required))

    @dataclasses.dataclass
    class FormOperation(Operation):
        def __post_init__(self) -> None:
            self.request_body = RequestBody(
                required=bool(required),
                content={media: OpenAPIMediaType(schema=body) for media in FORM_TYPES})

    return FormOperation
