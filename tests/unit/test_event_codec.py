"""Events are stored as msgspec JSON envelopes and come back as the same typed events."""

import json
from decimal import Decimal
from uuid import uuid4

import pytest

from adapters.postgres.codec import decode_event, encode_event
from domain.billing.events import BillingEvent, ToppedUp
from domain.log import EventMeta

META = EventMeta(actor_type="user", actor_id="u1", request_id="r1", correlation_id="c1",
                 causation_id="k1")


def test_an_event_and_its_meta_survive_the_round_trip() -> None:
    event = ToppedUp(org_id=uuid4(), transaction_id=uuid4(), amount=Decimal("12.50"),
                     description="spring sale", request_key="abc")
    decoded, meta = decode_event(ToppedUp.topic(), encode_event(event, META))
    assert decoded == event
    assert meta == META


def test_the_envelope_names_the_event_version_and_keeps_decimals_exact() -> None:
    event = ToppedUp(org_id=uuid4(), transaction_id=uuid4(), amount=Decimal("0.10"),
                     description="", request_key=None)
    envelope = json.loads(encode_event(event, META))
    assert envelope["v"] == ToppedUp.version == 2
    assert envelope["data"]["amount"] == "0.10"


def test_a_version_1_top_up_is_upcast_when_read() -> None:
    org_id, tx = uuid4(), uuid4()
    stored_v1 = json.dumps({
        "v": 1,
        "data": {"org_id": str(org_id), "occurred_at": "2025-01-02T03:04:05Z",
                 "transaction_id": str(tx), "xct": 250, "description": "old shape"},
        "meta": {"actor_type": "system"},
    }).encode()
    event, meta = decode_event(ToppedUp.topic(), stored_v1)
    assert isinstance(event, ToppedUp)
    assert event.amount == Decimal("250.00")
    assert event.request_key is None
    assert event.transaction_id == tx and event.org_id == org_id
    assert meta.actor_type == "system"


def test_an_event_the_catalogue_does_not_know_is_refused_before_it_is_written() -> None:
    with pytest.raises(ValueError, match=r"not in the event catalogue \(topic billing\.BillingEvent\)"):
        encode_event(BillingEvent(org_id=uuid4()), META)
