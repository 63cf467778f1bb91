"""How events are stored: a msgspec JSON envelope of the event's data, its version and meta.

The same bytes travel unchanged through NATS, so any consumer decodes them with this module.
"""

from typing import Any
from uuid import UUID

import msgspec

from domain.catalogue import EVENTS, event_class
from domain.events import DomainEvent
from domain.log import EventMeta, RecordedEvent


class _Envelope(msgspec.Struct):
    v: int
    data: msgspec.Raw
    meta: dict[str, Any] = {}


_meta_fields = ("actor_type", "actor_id", "request_id", "correlation_id", "causation_id")
_decoder = msgspec.json.Decoder(_Envelope)
_encoder = msgspec.json.Encoder()


def encode_event(event: DomainEvent, meta: EventMeta) -> bytes:
    """ValueError for an event the catalogue does not know: it could not be read back."""
    if EVENTS.get(event.topic()) is not type(event):
        raise ValueError(f"{type(event).__qualname__} is not in the event catalogue "
                         f"(topic {event.topic()})")
    meta_dict = {k: getattr(meta, k) for k in _meta_fields if getattr(meta, k) is not None}
    return _encoder.encode({"v": event.version, "data": event, "meta": meta_dict})


def decode_event(topic: str, state: bytes) -> tuple[DomainEvent, EventMeta]:
    """The event (upcast to its class's current version) and its meta."""
    envelope = _decoder.decode(state)
    cls = event_class(topic)
    if envelope.v == cls.version:
        event = msgspec.json.decode(envelope.data, type=cls)
    else:
        data = cls.upcast(msgspec.json.decode(envelope.data), envelope.v)
        event = msgspec.convert(data, type=cls, strict=False)
    meta = EventMeta(**{k: v for k, v in envelope.meta.items() if k in _meta_fields})
    return event, meta


def decode_record(
    position: int, aggregate_id: UUID, aggregate_version: int, topic: str, state: bytes
) -> RecordedEvent:
    event, meta = decode_event(topic, state)
    return RecordedEvent(position=position, aggregate_id=aggregate_id,
                         aggregate_version=aggregate_version, topic=topic, event=event, meta=meta)


class Unread(DomainEvent):
    """Stands in for an event a reader does not handle: only the record's position and topic
    are used then, so its data is left undecoded (a bulk import's products would otherwise
    be decoded, and held, by every projection)."""


UNREAD = Unread(org_id=UUID(int=0))
NO_META = EventMeta()


def unread_record(position: int, aggregate_id: UUID, aggregate_version: int, topic: str,
                  state: bytes = b"") -> RecordedEvent:
    return RecordedEvent(position=position, aggregate_id=aggregate_id,
                         aggregate_version=aggregate_version, topic=topic, event=UNREAD,
                         meta=NO_META)
