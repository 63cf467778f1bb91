"""A remembered caller is used only while the identity read model has not moved."""

from uuid import uuid4

from api.principal import Principal
from api.principal_cache import PrincipalCache


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
