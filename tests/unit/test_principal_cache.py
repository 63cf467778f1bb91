"""A remembered caller is used only while the identity read model has not moved; a verified
access token is remembered only with its secret and until it expires."""

import time
from uuid import uuid4

import jwt
import pytest

from api.principal import Principal
from api.principal_cache import PrincipalCache
from api.tokens import AUDIENCE, InvalidTokenError, issue_access_token


def test_an_entry_is_used_only_at_the_identity_position_it_was_looked_up_at() -> None:
    cache = PrincipalCache()
    caller = Principal(org_id=uuid4(), role="admin", user_id=uuid4())
    cache.put("user:1", 7, caller)
    assert cache.get("user:1", 7) == caller
    assert cache.get("user:1", 8) is None
    assert cache.get("user:2", 7) is None


def test_an_api_key_is_touched_at_most_once_a_minute() -> None:
    cache = PrincipalCache()
    key_id = uuid4()
    assert cache.should_touch(key_id)
    assert not cache.should_touch(key_id)
    assert cache.should_touch(uuid4())


SECRET = "s" * 40


def test_a_verified_access_token_is_read_from_memory_only_with_the_same_secret() -> None:
    cache = PrincipalCache()
    token = issue_access_token(SECRET, user_id=uuid4(), org_id=uuid4(), role="admin", minutes=5)
    first = cache.access_claims(SECRET, token)
    assert cache.access_claims(SECRET, token) is first
    with pytest.raises(InvalidTokenError):
        cache.access_claims("another secret, long enough for HS256!!", token)


def test_a_remembered_access_token_is_refused_once_it_expires() -> None:
    cache = PrincipalCache()
    now = int(time.time())
    token = jwt.encode({"sub": str(uuid4()), "org": str(uuid4()), "role": "admin",
                        "typ": "access", "aud": AUDIENCE, "iat": now, "exp": now + 1},
                       SECRET, algorithm="HS256")
    assert cache.access_claims(SECRET, token)["exp"] == now + 1
    time.sleep(max(0.0, now + 1.05 - time.time()))
    with pytest.raises(InvalidTokenError):
        cache.access_claims(SECRET, token)


def test_a_tampered_token_is_never_remembered() -> None:
    cache = PrincipalCache()
    token = issue_access_token(SECRET, user_id=uuid4(), org_id=uuid4(), role="admin", minutes=5)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for _ in range(2):
        with pytest.raises(InvalidTokenError):
            cache.access_claims(SECRET, tampered)
