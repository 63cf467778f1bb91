"""An external product feed's body as records: a JSON array of objects (or an object with
one array of them), or XML whose repeated elements are the products (parsed by defusedxml:
no entities, no external references)."""

import json
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException


class FeedFormatError(Exception):
    """The body is not a feed of the format said; the message says what is wrong."""


def parse_feed(body: bytes, feed_format: str) -> list[dict[str, Any]]:
    if feed_format == "json":
        return _json_records(body)
    if feed_format == "xml":
        return _xml_records(body)
    raise FeedFormatError(f"unknown feed format {feed_format!r}")


def _json_records(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedFormatError("the feed is not valid JSON") from error
    if isinstance(data, dict):
        arrays = [v for v in data.values() if isinstance(v, list)]
        if len(arrays) != 1:
            raise FeedFormatError("a JSON feed must be an array of products, or an object"
                                  " with one array of them")
        data = arrays[0]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FeedFormatError("a JSON feed must be an array of product objects")
    return data


def _xml_records(body: bytes) -> list[dict[str, Any]]:
    try:
        root = safe_xml.fromstring(body)
    except DefusedXmlException as error:
        raise FeedFormatError("the XML feed uses entities or external references") from error
    except safe_xml.ParseError as error:
        raise FeedFormatError(f"the feed is not valid XML: {error}") from error
    products = _product_elements(root)
    return [{_local(child.tag): (child.text or "").strip() for child in product}
            for product in products]


def _product_elements(root: Element) -> list[Element]:
    """The children with fields of the element that has most of them (`<products><product>`,
    `<rss><channel><item>`)."""
    container = max(root.iter(), key=lambda node: sum(1 for child in node if len(child)))
    return [child for child in container if len(child)]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1]
