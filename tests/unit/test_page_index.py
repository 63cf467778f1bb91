"""The page index's rules: upsert actions from content and metadata hashes, page ids, field
checks, and metadata filters translated to parameterized SQL (no key or value reaches the
SQL text)."""

import json
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import ForbiddenError, MalformedInputError, NotFoundError, TooLargeError
from domain.search.events import PageContentUpdated, PageCreated, PageMetadataUpdated
from domain.search.page import (
    MAX_CONTENT_BYTES,
    Action,
    Page,
    aggregate_id,
    check_page,
    check_page_id,
    page_id_of,
)
from projections.search.page_filters import translate

ORG = uuid4()
URL = "https://example.com/product/blue-widget"


def page() -> Page:
    return Page(aggregate_id(page_id_of(ORG, URL)))


def upsert(target: Page, content: str = "Blue widget", title: str = "Blue",
           metadata: dict[str, Any] | None = None, org: Any = ORG) -> Action:
    return target.upsert(org_id=org, url=URL, content=content, title=title,
                         metadata=metadata if metadata is not None else {"price": 29.99})


def test_actions_follow_the_content_and_metadata_hashes() -> None:
    target = page()
    assert upsert(target) == Action.CREATED
    assert upsert(target) == Action.UNCHANGED
    assert upsert(target, metadata={"price": 29.99}) == Action.UNCHANGED
    assert upsert(target, metadata={"price": 19.99}) == Action.UPDATED_METADATA
    assert upsert(target, title="Blue widget", metadata={"price": 19.99}) == \
        Action.UPDATED_METADATA
    assert upsert(target, content="A new text", title="Blue widget",
                  metadata={"price": 19.99}) == Action.UPDATED_CONTENT
    kinds = [type(event) for event in target.collect()]
    assert kinds == [PageCreated, PageMetadataUpdated, PageMetadataUpdated, PageContentUpdated]
    rebuilt = Page.rebuild(target.id, [])
    assert rebuilt.exists is False


def test_metadata_key_order_does_not_count_as_a_change() -> None:
    target = page()
    upsert(target, metadata={"a": 1, "b": [1, 2]})
    assert upsert(target, metadata={"b": [1, 2], "a": 1}) == Action.UNCHANGED


def test_a_deleted_page_is_created_again_and_strangers_are_forbidden() -> None:
    target = page()
    upsert(target)
    with pytest.raises(ForbiddenError):
        target.delete(uuid4())
    with pytest.raises(ForbiddenError):
        upsert(target, org=uuid4())
    target.delete(ORG)
    with pytest.raises(NotFoundError):
        target.delete(ORG)
    assert upsert(target) == Action.CREATED


def test_page_ids_are_24_hex_digits_of_the_organization_and_url() -> None:
    first = page_id_of(ORG, URL)
    assert len(first) == 24 and int(first, 16) >= 0
    assert page_id_of(ORG, URL) == first and page_id_of(uuid4(), URL) != first
    assert check_page_id(first.upper()) == first
    assert aggregate_id(first).hex.startswith(first)
    for bad in ("", "xyz", first[:-1], first + "0", "g" * 24, None, 5):
        with pytest.raises(MalformedInputError, match="pageId"):
            check_page_id(bad)


@pytest.mark.parametrize(("fields", "error", "named"), [
    ((None, "text", None, None), MalformedInputError, "'url'"),
    (("  ", "text", None, None), MalformedInputError, "'url'"),
    ((URL, None, None, None), MalformedInputError, "'content'"),
    ((URL, "", None, None), MalformedInputError, "'content'"),
    ((URL, "x" * (MAX_CONTENT_BYTES + 1), None, None), TooLargeError, "'content'"),
    ((URL, "é" * (MAX_CONTENT_BYTES // 2 + 1), None, None), TooLargeError, "'content'"),
    ((URL, "text", 5, None), MalformedInputError, "'title'"),
    ((URL, "text", None, ["a"]), MalformedInputError, "'metadata'"),
    ((URL, "text", None, "price=3"), MalformedInputError, "'metadata'"),
])
def test_bad_fields_are_refused_by_name(fields: tuple[Any, ...], error: type[Exception],
                                        named: str) -> None:
    with pytest.raises(error, match=named):
        check_page(*fields)


def test_defaults_for_title_and_metadata() -> None:
    assert check_page(f" {URL} ", "text", None, None) == (URL, "text", "", {})


def test_filters_become_fixed_sql_with_every_key_and_value_a_parameter() -> None:
    sql, params = translate({
        "category": "Widgets", "sku": {"in": ["A", "B"]}, "price": {"gte": 10, "$lt": 50},
        "published": {"gte": "2024-01-01"}, "image_url": {"exists": True},
        "draft": {"exists": False}})
    assert sql == (
        " AND metadata @> %s::jsonb AND metadata @> ANY(%s::text[]::jsonb[])"
        " AND (CASE WHEN jsonb_typeof(metadata -> %s) = 'number' THEN (metadata ->> %s)::numeric"
        " END) >= %s AND (CASE WHEN jsonb_typeof(metadata -> %s) = 'number' THEN"
        " (metadata ->> %s)::numeric END) < %s AND (CASE WHEN jsonb_typeof(metadata -> %s) ="
        " 'string' THEN metadata ->> %s END) >= %s AND metadata ? %s AND NOT (metadata ? %s)")
    assert params == ['{"category": "Widgets"}', ['{"sku": "A"}', '{"sku": "B"}'],
                      "price", "price", 10, "price", "price", 50,
                      "published", "published", "2024-01-01", "image_url", "draft"]
    assert translate(None) == ("", []) and translate({}) == ("", [])


@pytest.mark.parametrize("attack", [
    "x' OR '1'='1", "price') OR true --", "a\"; DROP TABLE rm_search.pages; --",
    "metadata ? 'x'", "%(x)s", "}' || pg_sleep(10) || '{",
])
def test_injection_attempts_stay_parameters(attack: str) -> None:
    for filters in ({attack: attack}, {attack: {"in": [attack]}}, {attack: {"exists": True}},
                    {"k": {"gte": 3}, attack: {"lte": 4}}):
        sql, params = translate(filters)
        assert attack not in sql and "%s" in sql
        assert sql.count("%s") == len(params)
        flat = [v for p in params for v in (p if isinstance(p, list) else [p])]
        assert any(attack == v or (v.startswith("{") and attack in json.loads(v))
                   for v in flat if isinstance(v, str))


@pytest.mark.parametrize(("filters", "named"), [
    (["category"], "'filters'"), ("category=x", "'filters'"),
    ({"price": {"between": [1, 2]}}, "unknown operator"),
    ({"price": {"gte": "cheap"}}, "ISO 8601"), ({"price": {"gte": True}}, "'gte'"),
    ({"price": {"gte": [1]}}, "'gte'"), ({"sku": {"in": []}}, "'in'"),
    ({"sku": {"in": "A"}}, "'in'"), ({"sku": {"in": [{"x": 1}]}}, "value must be"),
    ({"sku": {"exists": "yes"}}, "'exists'"), ({"sku": {}}, "no condition"),
    ({"": 1}, "filter key"), ({"k" * 201: 1}, "filter key"),
    ({f"k{i}": i for i in range(21)}, "at most"), ({"price": float("nan")}, "finite"),
])
def test_bad_filters_are_400_naming_the_problem(filters: Any, named: str) -> None:
    with pytest.raises(MalformedInputError, match=named):
        translate(filters)
