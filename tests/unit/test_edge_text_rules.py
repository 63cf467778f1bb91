"""The edge's checks of request text and bodies, without a server."""

import asyncio
from collections.abc import MutableMapping
from typing import Any

import msgspec
import pytest

from api.billing.accounts import iso_moment
from api.body_limits import JSON_MAX_BYTES, BodyLimits, Refused, check_body, check_head
from api.catalog.manual_products import manual_records
from api.strict_bodies import validation_detail
from api.text_rules import json_body_problem, json_problem, pairs_problem, text_problem, too_deep
from domain.errors import MalformedInputError
from tests.unit.catalog_files.catalog_helpers import read_bytes


def test_plain_text_has_no_problem() -> None:
    assert text_problem("Crème brûlée 🍮 \t\n") is None


def test_nul_and_lone_surrogates_cannot_be_stored() -> None:
    assert text_problem("a\x00b") == "text may not contain NUL characters"
    assert "surrogate" in (text_problem("a\ud800b") or "")
    assert "surrogate" in (text_problem("\udfff") or "")


def test_json_problems_name_the_field_by_its_path() -> None:
    assert json_problem({"settings": {"a": "\x00"}}) == (
        "field 'settings.a': text may not contain NUL characters")
    assert json_problem({"items": [{"name": "ok"}, {"name": "x\x00"}]}) == (
        "field 'items[1].name': text may not contain NUL characters")
    assert json_problem("\x00") == "field '$': text may not contain NUL characters"


def test_a_key_that_cannot_be_stored_is_named_with_its_character_escaped() -> None:
    problem = json_problem({"settings": {"a\x00": 1}})

    assert problem == ("field 'settings.a\\u0000': text may not contain NUL characters"
                       " (in a key)")


def test_the_first_problem_in_document_order_is_reported() -> None:
    problem = json_problem({"a": "\x00", "b": "\x00"})

    assert problem is not None and "'a'" in problem


def test_json_deeper_than_the_limit_is_a_problem_and_at_the_limit_is_not() -> None:
    def nested(depth: int) -> Any:
        value: Any = 1
        for _ in range(depth):
            value = [value]
        return value

    assert json_problem(nested(64)) is None
    assert json_problem(nested(65)) == "the JSON body is nested deeper than 64 levels"


def test_clean_json_has_no_problem() -> None:
    assert json_problem({"a": [1, 2.5, None, True, {"b": "text"}]}) is None


def test_query_and_form_pairs_are_decoded_before_they_are_checked() -> None:
    assert pairs_problem(b"search=lin%00en&page=1", "query parameter") == (
        "query parameter 'search': text may not contain NUL characters")
    assert pairs_problem(b"search=%ff", "query parameter") == (
        "query parameter 'search': the value is not UTF-8")
    assert pairs_problem(b"%00=1", "form field") == (
        "form field '\\u0000': text may not contain NUL characters (in its name)")
    assert pairs_problem(b"name=Caf%C3%A9+cr%C3%A8me&&flag", "form field") is None


def test_a_json_body_is_checked_for_encoding_syntax_depth_and_text() -> None:
    with pytest.raises(Refused, match="not UTF-8"):
        check_body("application/json", b'{"a": "\xff"}')
    with pytest.raises(Refused, match="not valid JSON"):
        check_body("application/json", b'{"a": ')
    with pytest.raises(Refused, match="nested too deeply"):
        check_body("application/json", b"[" * 50_000 + b"]" * 50_000)
    with pytest.raises(Refused, match="field 'a'"):
        check_body("application/json", b'{"a": "\\u0000"}')
    with pytest.raises(Refused, match="form field 'name'"):
        check_body("application/x-www-form-urlencoded", b"name=%00")
    check_body("application/json", b'{"a": "fine"}')
    check_body("application/json", b"")
    check_body("text/csv", b"\x00\xff")  # not ours to read: the route decides (415)


def test_the_path_query_and_headers_are_checked() -> None:
    with pytest.raises(Refused, match="the path"):
        check_head({"path": "/api/v1/projects/\x00", "query_string": b"", "headers": []})
    with pytest.raises(Refused, match="query parameter 'q'"):
        check_head({"path": "/", "query_string": b"q=%00", "headers": []})
    with pytest.raises(Refused, match="header 'x-thing'"):
        check_head({"path": "/", "query_string": b"", "headers": [(b"x-thing", b"a\x00")]})


seen: list[bytes] = []  # the bodies `_echo` received


async def _echo(scope: Any, receive: Any, send: Any) -> None:
    message = await receive()
    seen.append(message["body"])
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def _run(middleware: BodyLimits, headers: list[tuple[bytes, bytes]],
         chunks: list[bytes]) -> list[dict[str, Any]]:
    """The messages the middleware sent for a POST whose body arrives in `chunks`."""
    sent: list[dict[str, Any]] = []
    pending = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
               for i, c in enumerate(chunks)]

    async def receive() -> dict[str, Any]:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(dict(message))

    scope = {"type": "http", "method": "POST", "path": "/x", "query_string": b"",
             "headers": headers}
    asyncio.run(middleware(scope, receive, send))
    return sent


def test_a_body_in_chunks_reaches_the_app_whole() -> None:
    seen.clear()
    middleware = BodyLimits(_echo, upload_max_bytes=1 << 20)

    sent = _run(middleware, [(b"content-type", b"application/json")], [b'{"a": ', b'"b"}'])

    assert sent[0]["status"] == 204
    assert seen == [b'{"a": "b"}']


def test_a_body_announced_or_grown_past_the_limit_is_a_413() -> None:
    seen.clear()
    middleware = BodyLimits(_echo, upload_max_bytes=1 << 20)
    announced = [(b"content-type", b"application/json"),
                 (b"content-length", str(JSON_MAX_BYTES + 1).encode())]

    first = _run(middleware, announced, [b"{}"])
    grown = _run(middleware, [(b"content-type", b"application/json")],
                 [b"a" * JSON_MAX_BYTES, b"a"])

    assert first[0]["status"] == grown[0]["status"] == 413
    assert msgspec.json.decode(first[1]["body"]) == {
        "detail": "the body is larger than the limit of 1 MB", "status": 413}
    assert seen == []


def test_a_multipart_body_may_be_as_large_as_an_upload() -> None:
    seen.clear()
    middleware = BodyLimits(_echo, upload_max_bytes=8 << 20)
    headers = [(b"content-type", b"multipart/form-data; boundary=x"),
               (b"content-length", str(4 << 20).encode())]

    sent = _run(middleware, headers, [b"--x--"])

    assert sent[0]["status"] == 204


def test_a_strict_decoding_error_names_the_field() -> None:
    class Body(msgspec.Struct):
        flag: bool | None = None

    with pytest.raises(msgspec.ValidationError) as error:
        msgspec.json.decode(b'{"flag": 0}', type=Body, strict=True)

    assert validation_detail(error.value) == "Expected `bool | null`, got `int` (field 'flag')"


def test_as_of_takes_iso_dates_and_date_times_only() -> None:
    assert iso_moment("2026-01-01", "as_of").isoformat() == "2026-01-01T00:00:00"
    assert iso_moment("2026-01-01T10:00:00Z", "as_of").isoformat() == "2026-01-01T10:00:00+00:00"
    for wrong in ("0.5", "1700000000", "yesterday"):
        with pytest.raises(MalformedInputError, match="as_of"):
            iso_moment(wrong, "as_of")


def test_manual_products_json_with_an_escaped_nul_is_refused() -> None:
    with pytest.raises(MalformedInputError, match=r"'items\[0\].name'"):
        manual_records('[{"sku": "S-1", "name": "Shirt\\u0000"}]')


def test_a_nul_in_a_csv_cell_is_refused_naming_its_line_and_character() -> None:
    data = b"sku,product_type,name,description,price\nS-1,simple,La\x00mp,,9\n"

    with pytest.raises(MalformedInputError, match=r"line 2, character 14: contains a NUL"):
        read_bytes("magento2", data)


def test_a_nul_in_a_utf16_csv_is_refused_too() -> None:
    data = "sku,product_type,name,description,price\nS-1,simple,La\x00mp,,9\n".encode("utf-16")

    with pytest.raises(MalformedInputError, match="line 2"):
        read_bytes("magento2", data)


def test_a_nul_in_an_xml_catalog_is_refused_by_the_parser() -> None:
    for name in (b"L&#0;", b"L\x00", b"L&#xD800;"):
        data = (b'<?xml version="1.0"?><products><product><sku>A</sku>'
                b"<product_type>simple</product_type><name>" + name
                + b"</name></product></products>")
        with pytest.raises(MalformedInputError, match="line 1"):
            read_bytes("magento2", data, filename="products.xml")


def test_a_body_is_walked_for_text_only_when_an_escape_could_spell_a_bad_character() -> None:
    for raw in (b'{"a": "\\u0000"}', b'{"a": "\\uD800\\u0041"}'):
        value = msgspec.json.decode(raw) if b"D800" not in raw else {"a": "\ud800A"}
        assert json_body_problem(raw, value) is not None
    clean = b'{"a": "caf\\u00e9", "b": [[1]]}'
    assert json_body_problem(clean, msgspec.json.decode(clean)) is None


def test_a_body_without_escapes_is_still_held_to_the_depth_limit() -> None:
    deep = b"[" * 65 + b"]" * 65
    at_limit = b"[" * 64 + b"]" * 64

    assert json_body_problem(deep, msgspec.json.decode(deep)) == (
        "the JSON body is nested deeper than 64 levels")
    assert json_body_problem(at_limit, msgspec.json.decode(at_limit)) is None
    assert too_deep([{"a": [1]}], max_depth=2) and not too_deep([{"a": 1}], max_depth=2)
