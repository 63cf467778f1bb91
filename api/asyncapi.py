"""`GET /asyncapi.json`: an AsyncAPI 3.0 document of the event stream, generated from the
event classes of `domain.catalogue` (one channel and message per topic, the payload's
schema from the event's own fields), so a NATS consumer can decode what the relay sends."""

import functools
from typing import Any

import msgspec
from litestar import Request, get

from domain.catalogue import EVENTS

ASYNCAPI_VERSION = "3.0.0"
_META = {"type": "object", "properties": {
    name: {"type": ["string", "null"]} for name in (
        "actor_type", "actor_id", "request_id", "correlation_id", "causation_id")}}


def _any_value(_: type) -> dict[str, Any]:
    return {"description": "any JSON value"}


@functools.cache
def _parts() -> tuple[dict[str, Any], dict[str, Any]]:
    classes = list(EVENTS.values())
    refs, components = msgspec.json.schema_components(
        classes, schema_hook=_any_value, ref_template="#/components/schemas/{name}")
    return dict(zip(EVENTS, refs, strict=True)), components


def asyncapi_document(subject_prefix: str = "events") -> dict[str, Any]:
    refs, schemas = _parts()
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic, cls in EVENTS.items():
        key = topic.replace(".", "_")
        messages[key] = {
            "name": topic, "title": cls.__name__, "summary": (cls.__doc__ or "").strip(),
            "contentType": "application/json",
            "headers": {"type": "object", "properties": {
                "Nats-Msg-Id": {"type": "string", "description": "the event's log position"},
                "Cd-Topic": {"type": "string", "const": topic},
                "Cd-Aggregate-Id": {"type": "string", "format": "uuid"},
                "Cd-Aggregate-Version": {"type": "string"}}},
            "payload": {"type": "object", "required": ["v", "data", "meta"], "properties": {
                "v": {"type": "integer", "const": cls.version,
                      "description": "the event's schema version"},
                "data": refs[topic], "meta": _META}}}
        channels[key] = {"address": f"{subject_prefix}.{topic}",
                         "messages": {key: {"$ref": f"#/components/messages/{key}"}}}
        operations[f"receive_{key}"] = {"action": "receive",
                                        "channel": {"$ref": f"#/channels/{key}"}}
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": "copydesk events", "version": "1",
                 "description": "The event log as the relay publishes it to NATS JetStream, one"
                                " subject per topic. A run of events of one transaction and"
                                " topic may travel as one message (`Cd-Last-Position`)."},
        "defaultContentType": "application/json",
        "channels": channels, "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


@get("/asyncapi.json", include_in_schema=False, sync_to_thread=False)
def asyncapi_json(request: Request[Any, Any, Any]) -> dict[str, Any]:
    services = getattr(request.app.state, "services", None)
    prefix = services.settings.events_subject if services is not None else "events"
    return asyncapi_document(prefix)
