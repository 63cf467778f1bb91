"""Signed links: valid until their expiry, for their own path and purpose only."""

from adapters.signed_links import is_valid, sign, signed_query

KEY = "k" * 48
PATH = "/api/v1/ai-pages/exports/1/download?org=2"


def _parts(query: str) -> tuple[int, str]:
    fields = dict(part.split("=", 1) for part in query.split("&"))
    return int(fields["expires"]), fields["signature"]


def test_a_link_is_valid_until_it_expires() -> None:
    query, expires = signed_query(KEY, "export", PATH, 60, now=1_000)
    assert _parts(query) == (expires, sign(KEY, "export", PATH, expires)) and expires == 1_060
    assert is_valid(KEY, "export", PATH, expires, _parts(query)[1], now=1_059)
    assert not is_valid(KEY, "export", PATH, expires, _parts(query)[1], now=1_061)


def test_a_link_is_worth_nothing_for_another_path_purpose_key_or_expiry() -> None:
    expires, signature = _parts(signed_query(KEY, "export", PATH, 60, now=1_000)[0])
    assert not is_valid(KEY, "export", PATH + "x", expires, signature, now=1_000)
    assert not is_valid(KEY, "image", PATH, expires, signature, now=1_000)
    assert not is_valid("other" * 10, "export", PATH, expires, signature, now=1_000)
    assert not is_valid(KEY, "export", PATH, expires + 1, signature, now=1_000)
    flipped = signature[:-1] + ("1" if signature.endswith("0") else "0")
    assert not is_valid(KEY, "export", PATH, expires, flipped, now=1_000)


def test_a_signature_that_is_not_ascii_is_simply_not_valid() -> None:
    expires, _ = _parts(signed_query(KEY, "export", PATH, 60, now=1_000)[0])
    for forged in ("é" * 43, "\udcff", "", "\x00"):
        assert not is_valid(KEY, "export", PATH, expires, forged, now=1_000)
