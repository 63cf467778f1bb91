"""The AsyncAPI document of the event stream is made from the event catalogue: a channel per
topic at its NATS subject, each payload's `data` schema naming the event's fields and
holding no credential."""

from uuid import uuid4

import msgspec

from api.asyncapi import asyncapi_document
from domain.catalogue import EVENTS
from domain.stores.events import StoreConnectionCreated

SECRET_WORDS = ("access_token", "consumer_key", "consumer_secret", "password")


def test_every_topic_has_its_channel_and_message() -> None:
    document = asyncapi_document("evt")
    assert document["asyncapi"] == "3.0.0"
    addresses = {c["address"] for c in document["channels"].values()}
    assert addresses == {f"evt.{topic}" for topic in EVENTS}
    assert len(document["operations"]) == len(EVENTS)
    message = document["components"]["messages"]["stores_StoreConnectionCreated"]
    assert message["payload"]["properties"]["data"] == {
        "$ref": "#/components/schemas/StoreConnectionCreated"}


def test_an_events_encoded_data_has_the_fields_its_schema_names() -> None:
    schemas = asyncapi_document()["components"]["schemas"]
    event = StoreConnectionCreated(org_id=uuid4(), name="Shop", platform="shopify",
                                   base_url="https://shop.test", credentials_fingerprint="f")
    encoded = msgspec.json.decode(msgspec.json.encode(event))
    schema = schemas["StoreConnectionCreated"]
    assert set(schema["required"]) <= set(encoded) <= set(schema["properties"])


def test_no_store_event_carries_a_credential() -> None:
    schemas = asyncapi_document()["components"]["schemas"]
    for topic, cls in EVENTS.items():
        if topic.startswith("stores."):
            assert not set(schemas[cls.__name__]["properties"]) & set(SECRET_WORDS), topic
